import CourseKit
import RLKit

/// PPO's clipped surrogate loss (Schulman et al., 2017), to minimise:
///
///     r_i = pi_new(a_i | s_i) / pi_old(a_i | s_i) = exp(log pi_new - log pi_old)
///     L   = -(1/B) sum_i min(r_i A_i, clip(r_i, 1 - eps, 1 + eps) A_i)
///
/// The min makes the objective a pessimistic bound: once the ratio has
/// moved more than eps in the direction the advantage favours (r > 1 + eps
/// with A > 0, r < 1 - eps with A < 0), the clipped term is the smaller one
/// and its gradient is zero, so that sample stops pushing the policy.
/// Where the move goes against the advantage the unclipped term is kept,
/// so a step that made things worse can always be undone. pi_old is the
/// policy that collected the data: its log-probabilities are constants.
/// The ratio is taken as the exponential of a difference, which stays
/// finite where exp(log pi) itself would underflow.
///
/// - Parameters:
///   - newLogProbabilities: log pi_new(a_i | s_i), `[batch]`, differentiable.
///   - oldLogProbabilities: log pi_old(a_i | s_i), `[batch]`, stored when acting.
///   - advantages: A_i, `[batch]`, constants.
///   - clipEpsilon: eps > 0.
/// - Throws: `InvalidArgument` for tensors of different shapes, clipEpsilon
///   not > 0, or old log-probabilities that are not finite.
public func clippedSurrogateLoss(newLogProbabilities: Tensor, oldLogProbabilities: Tensor, advantages: Tensor,
                                 clipEpsilon: Float) throws -> Tensor {
    let function = "clippedSurrogateLoss(newLogProbabilities:oldLogProbabilities:advantages:clipEpsilon:)"
    try checkClipEpsilon(clipEpsilon, in: function)
    try checkBatch([("newLogProbabilities", newLogProbabilities), ("oldLogProbabilities", oldLogProbabilities),
                    ("advantages", advantages)], in: function)
    try Validate.allFinite(oldLogProbabilities.scalars, "oldLogProbabilities", in: function)
    // TODO(7.3): the ratio from log-probabilities, then minus the mean of the pessimistic min (section 5)
    throw ExerciseError.notImplemented("7.3", file: "Lessons/07-PPO/ClippedSurrogate.swift", hint: "the ratio from log-probabilities, then minus the mean of the pessimistic min (section 5)")
}

/// Checks that PPO's clip epsilon is a finite number > 0.
///
/// - Throws: `InvalidArgument` naming `function` otherwise.
public func checkClipEpsilon(_ epsilon: Float, in function: String) throws {
    guard epsilon > 0, epsilon.isFinite else {
        throw InvalidArgument(function, "clipEpsilon", "got \(epsilon), expected a finite number > 0 (the ratio is "
                              + "clipped to [1 - eps, 1 + eps])")
    }
}
