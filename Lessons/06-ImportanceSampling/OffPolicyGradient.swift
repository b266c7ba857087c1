import CourseKit
import Foundation
import TensorCore

/// The clipped off-policy policy-gradient surrogate of one episode that a
/// behaviour policy b produced, as a loss to minimise:
///
///     L(theta) = - sum_t  w_t  G_t  log pi_theta(A_t | S_t)
///
///     w_t = min(rho_{0:t}, c),   rho_{0:t} = prod_{k=0..t} pi_theta(A_k | S_k) / b(A_k | S_k)
///     G_t = R_{t+1} + gamma R_{t+2} + ... + gamma^{T-1-t} R_T        (reward-to-go)
///
/// `targetLogProbabilities[t]` is log pi_theta(A_t | S_t), differentiable,
/// `behaviourLogProbabilities[t]` is log b(A_t | S_t) and `rewards[t]` is
/// R_{t+1}. The weights w_t and returns G_t are constants of the loss
/// (computed from the values, recorded in no graph; the cumulative ratio
/// as exp of a sum of log-ratios), so that
///
///     -grad L = sum_t w_t G_t grad log pi_theta(A_t | S_t),
///
/// the off-policy policy-gradient estimate with per-step cumulative ratios:
/// rho_{0:t} turns b's chance of reaching (S_t, A_t) into pi's, and clipping
/// at c trades a little bias for bounded weights. With b = pi every weight
/// is 1 and this is REINFORCE with reward-to-go. The value of L is not an
/// objective to report: only its gradient means something.
///
/// - Parameters:
///   - clip: c > 0; `.infinity` does not clip.
/// - Returns: L, a scalar tensor.
/// - Throws: `InvalidArgument` for an empty episode, a target tensor that
///   is not `[T]` with T the number of rewards, lists of different lengths,
///   a log-probability that is NaN or +infinity or (target) -infinity, a
///   behaviour log-probability of -infinity (b = 0: the ratio is undefined),
///   a reward that is not finite, gamma outside [0, 1] or a clip that is not > 0.
public func offPolicySurrogate(targetLogProbabilities: Tensor, behaviourLogProbabilities: [Double], rewards: [Double],
                               gamma: Double, clip: Double) throws -> Tensor {
    let function = "offPolicySurrogate(targetLogProbabilities:behaviourLogProbabilities:rewards:gamma:clip:)"
    try checkDiscount(gamma, in: function)
    guard clip > 0 else { throw InvalidArgument(function, "clip", "got \(clip), expected a number > 0 (or .infinity)") }
    guard !rewards.isEmpty else {
        throw InvalidArgument(function, "rewards", "is empty, expected an episode of at least one step")
    }
    guard targetLogProbabilities.shape == [rewards.count] else {
        throw InvalidArgument(function, "targetLogProbabilities", "has shape \(targetLogProbabilities.shape), expected "
                              + "[\(rewards.count)]: one log-probability per reward")
    }
    try checkSameLength(rewards.count, "rewards", behaviourLogProbabilities.count, "behaviourLogProbabilities",
                        in: function)
    try Validate.allFinite(rewards, "rewards", in: function)
    try Validate.allFinite(targetLogProbabilities.scalars, "targetLogProbabilities", in: function)
    if let t = behaviourLogProbabilities.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
        throw InvalidArgument(function, "behaviourLogProbabilities", "entry \(t) is \(behaviourLogProbabilities[t]), "
                              + "expected a log-probability")
    }
    if let t = behaviourLogProbabilities.firstIndex(of: -.infinity) {
        throw InvalidArgument(function, "behaviourLogProbabilities", "entry \(t) is -infinity (b = 0): the behaviour "
                              + "policy cannot have taken that action, so the ratio pi / b is undefined")
    }
    // TODO(6.5): constant weights min(rho_0:t, c) times reward-to-go, times log pi (notes, section 6)
    throw ExerciseError.notImplemented("6.5", file: "Lessons/06-ImportanceSampling/OffPolicyGradient.swift", hint: "constant weights min(rho_0:t, c) times reward-to-go, times log pi (notes, section 6)")
}
