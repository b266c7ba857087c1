import CourseKit
import RLKit

/// The soft Bellman target of SAC for every transition of a minibatch:
///
///     a'_i ~ pi(. | s'_i)                      (sampled now, from the current policy)
///     y_i = r_i + d_i (1 - terminated_i) (min_j Q'_j(s'_i, a'_i) - alpha log pi(a'_i | s'_i))
///
/// where Q'_1 and Q'_2 are the target critics and d_i = `batch.discounts[i]`
/// is the transition's bootstrap discount (gamma). The bracket is the soft
/// value V(s') of the current policy: the smaller critic's value plus alpha
/// times the entropy bonus of the action it would take. A terminated
/// transition does not bootstrap; a truncated one does. The action stored in
/// the buffer is the one taken at s, by an older policy: it plays no part.
/// The targets are constants of the critics' loss: no gradient may reach the
/// target critics or the policy.
///
/// - Parameters:
///   - alpha: the entropy temperature (0 drops the entropy term).
///   - generator: where a' is drawn from.
/// - Returns: y, `[batch]`, recorded in no graph.
/// - Throws: `InvalidArgument` for a negative or non-finite alpha, or
///   networks that do not fit the batch.
public func softBellmanTargets(batch: ReplayBatch, policy: some StochasticPolicy, targetCritics: TwinCritics,
                               alpha: Float, using generator: inout SeededGenerator) throws -> Tensor {
    let function = "softBellmanTargets(batch:policy:targetCritics:alpha:using:)"
    try validate(policy: policy, critics: targetCritics, batch: batch, in: function)
    try Validate.nonNegative(alpha, "alpha", in: function)
    // TODO(8.1): y = r + discount (1 - terminated)(min_j Q'_j(s', a') - alpha log pi(a'|s')), a' ~ pi(.|s')
    throw ExerciseError.notImplemented("8.1", file: "Lessons/08-SAC/SoftBellmanTarget.swift", hint: "y = r + discount (1 - terminated)(min_j Q'_j(s', a') - alpha log pi(a'|s')), a' ~ pi(.|s')")
}
