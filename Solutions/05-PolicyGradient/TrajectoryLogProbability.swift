import CourseKit
import RLKit

/// The log-probability of every episode of `batch` under a categorical
/// policy network, up to the terms that do not depend on theta:
///
///     log p_theta(tau_i) = log p(s_0) + sum_t [log pi_theta(a_t | s_t) + log P(s_{t+1} | s_t, a_t)]
///     log pi_theta(tau_i) := sum_{t=0}^{T_i - 1} log pi_theta(a_t | s_t)
///
/// The start distribution and the dynamics do not depend on theta, so they
/// vanish from grad_theta log p_theta(tau): this sum, over the steps of one
/// episode only, is all the policy gradient needs (notes, section 3).
///
/// - Parameters:
///   - policy: maps observations `[steps, observationSize]` to logits
///     `[steps, actions]`; pi_theta(. | s) = softmax(logits).
///   - batch: the episodes.
/// - Returns: `[episodes]`, entry i the sum over episode i's steps,
///   differentiable with respect to the policy's parameters.
/// - Throws: `InvalidArgument` when the network does not read the batch's
///   observations or has no output for one of its actions.
public func trajectoryLogProbabilities(policy: MLP, batch: EpisodeBatch) throws -> Tensor {
    try validate(policy, batch: batch, in: "trajectoryLogProbabilities(policy:batch:)")
    // BEGIN SOLUTION 5.2: sum log pi(a_t | s_t) over each episode's own steps, one entry per episode (notes, section 3)
    let perStep = try stepLogProbabilities(policy: policy, batch: batch)   // log pi(a_t | s_t), [steps]
    var sums: [Tensor] = []
    var start = 0
    for length in batch.lengths {                                          // episode i: rows start..<start + T_i
        sums.append(perStep.rows(start..<(start + length)).sum().reshaped(to: [1]))
        start += length
    }
    return Tensor.concatenate(sums)
    // END SOLUTION
}

/// log pi_theta(a_t | s_t) for every step of `batch`, `[steps]`, in the
/// batch's order (differentiable): what reward-to-go weights step by step.
///
/// - Throws: `InvalidArgument` when the network does not fit the batch.
public func stepLogProbabilities(policy: MLP, batch: EpisodeBatch) throws -> Tensor {
    try validate(policy, batch: batch, in: "stepLogProbabilities(policy:batch:)")
    return try Categorical(logits: policy(batch.observations)).logProbability(of: batch.actions)
}

/// Checks that `policy` reads the batch's observations and has an output
/// (a logit) for every action in it.
///
/// - Throws: `InvalidArgument` naming `function`.
public func validate(_ policy: MLP, batch: EpisodeBatch, in function: String) throws {
    let (inputs, outputs) = (policy.sizes[0], policy.sizes[policy.sizes.count - 1])
    guard batch.observations.shape[1] == inputs else {
        throw InvalidArgument(function, "batch", "observations have \(batch.observations.shape[1]) features, the "
                              + "policy reads \(inputs)")
    }
    if let bad = batch.actions.first(where: { $0 >= outputs }) {
        throw InvalidArgument(function, "batch", "holds action \(bad), the policy has \(outputs) outputs (actions "
                              + "0..<\(outputs))")
    }
}
