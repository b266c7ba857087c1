import CourseKit
import Foundation
import RLKit

/// The loss of one PPO minibatch and its parts.
public struct PPOLossTerms {
    /// What the optimiser minimises: policy loss - entropy coefficient x entropy + value coefficient x value loss.
    public var total: Tensor
    /// The policy's loss (the clipped surrogate or the KL-penalised one).
    public var policyLoss: Tensor
    /// The critic's loss (1/2 mean squared error, clipped or not).
    public var valueLoss: Tensor
    /// The mean entropy of the policy over the minibatch.
    public var entropy: Tensor

    /// Creates the terms.
    public init(total: Tensor, policyLoss: Tensor, valueLoss: Tensor, entropy: Tensor) {
        self.total = total
        self.policyLoss = policyLoss
        self.valueLoss = valueLoss
        self.entropy = entropy
    }
}

/// The full PPO loss of a minibatch (CleanRL's form), to minimise:
///
///     valueLoss = 1/2 mean_i (V_new(s_i) - R_i)^2                         without value clipping
///     valueLoss = 1/2 mean_i max((V_new - R_i)^2, (V_clip - R_i)^2)       with clip c, where
///                 V_clip = V_old + clip(V_new - V_old, -c, c)
///     total     = policyLoss - entropyCoefficient mean_i H_i + valueCoefficient valueLoss
///
/// R_i are the returns (GAE's lambda-returns) and V_old the values stored
/// when acting, both constants. Value clipping keeps the critic, like the
/// policy, near where it was when the data was collected; the entropy
/// bonus (subtracted) keeps the policy from collapsing early.
///
/// - Parameters:
///   - policyLoss: the policy's loss, a scalar (from `clippedSurrogateLoss` or `klPenaltyLoss`).
///   - newValues: V_new(s_i), `[batch]`, differentiable.
///   - oldValues: V_old(s_i), `[batch]`.
///   - returns: R_i, `[batch]`.
///   - entropy: H_i of the policy at s_i, `[batch]`, differentiable.
///   - valueClip: c > 0, or nil for no value clipping.
/// - Throws: `InvalidArgument` for tensors of different shapes, a policy loss
///   that is not a scalar, negative or non-finite coefficients, or a value
///   clip that is not > 0.
public func ppoLoss(policyLoss: Tensor, newValues: Tensor, oldValues: Tensor, returns: Tensor, entropy: Tensor,
                    valueCoefficient: Float, entropyCoefficient: Float, valueClip: Float?) throws -> PPOLossTerms {
    let function = "ppoLoss(policyLoss:newValues:oldValues:returns:entropy:valueCoefficient:entropyCoefficient:"
        + "valueClip:)"
    guard policyLoss.count == 1 else {
        throw InvalidArgument(function, "policyLoss", "has shape \(policyLoss.shape), expected a scalar (the mean)")
    }
    try checkBatch([("newValues", newValues), ("oldValues", oldValues), ("returns", returns), ("entropy", entropy)],
                   in: function)
    try Validate.nonNegative(valueCoefficient, "valueCoefficient", in: function)
    try Validate.nonNegative(entropyCoefficient, "entropyCoefficient", in: function)
    if let valueClip { try Validate.positive(valueClip, "valueClip", in: function) }
    // TODO(7.5): the value loss (clipped or not), the mean entropy, their sum with the policy loss (section 7)
    throw ExerciseError.notImplemented("7.5", file: "Lessons/07-PPO/PPOLoss.swift", hint: "the value loss (clipped or not), the mean entropy, their sum with the policy loss (section 7)")
}

/// What practitioners read after each PPO update to see whether it is healthy.
public struct PPODiagnostics: Sendable, Equatable {
    /// The estimate (1/B) sum_i (r_i - 1) - log r_i of KL(pi_old || pi_new):
    /// how far the update moved the policy (a few 0.01 at most is usual).
    public var approxKL: Double
    /// The fraction of samples whose ratio the clip bound, |r_i - 1| > eps
    /// (a tenth or two is usual; near 1, the steps are too large).
    public var clipFraction: Double

    /// Creates diagnostics.
    public init(approxKL: Double, clipFraction: Double) {
        self.approxKL = approxKL
        self.clipFraction = clipFraction
    }
}

/// The approximate KL divergence and the clip fraction of a minibatch, in
/// Double: with d_i = log pi_new - log pi_old and r_i = exp(d_i),
///
///     approxKL     = (1/B) sum_i (r_i - 1) - d_i         (as expm1(d_i) - d_i, exact near d = 0)
///     clipFraction = (1/B) #{ i : |r_i - 1| > eps }
///
/// - Throws: `InvalidArgument` for lists of different or zero lengths,
///   values that are not finite, or a clipEpsilon that is not > 0.
public func ppoDiagnostics(newLogProbabilities: [Float], oldLogProbabilities: [Float],
                           clipEpsilon: Double) throws -> PPODiagnostics {
    let function = "ppoDiagnostics(newLogProbabilities:oldLogProbabilities:clipEpsilon:)"
    try checkLists(newLogProbabilities, "newLogProbabilities", oldLogProbabilities, "oldLogProbabilities", in: function)
    try checkClipEpsilon(Float(clipEpsilon), in: function)
    // TODO(7.5): the mean of expm1(d) - d, and the fraction of |r - 1| > eps, in Double (section 8)
    throw ExerciseError.notImplemented("7.5", file: "Lessons/07-PPO/PPOLoss.swift", hint: "the mean of expm1(d) - d, and the fraction of |r - 1| > eps, in Double (section 8)")
}

/// How much of the returns' variance the critic explains:
///
///     1 - Var(targets - predictions) / Var(targets)
///
/// 1 is a perfect critic, 0 one no better than the returns' mean, below 0
/// one worse than that. Both variances are population variances computed
/// in Double around their means (two passes, no E[x^2] - E[x]^2, which
/// cancels when the mean is large). NaN when the targets do not vary.
///
/// - Throws: `InvalidArgument` for lists of different or zero lengths or values that are not finite.
public func explainedVariance(predictions: [Float], targets: [Float]) throws -> Double {
    try checkLists(targets, "targets", predictions, "predictions", in: "explainedVariance(predictions:targets:)")
    // TODO(7.5): 1 - Var(targets - predictions) / Var(targets), two-pass in Double, NaN for constant targets
    throw ExerciseError.notImplemented("7.5", file: "Lessons/07-PPO/PPOLoss.swift", hint: "1 - Var(targets - predictions) / Var(targets), two-pass in Double, NaN for constant targets")
}

/// Checks that two lists have the same length (at least 1) and finite values.
func checkLists(_ first: [Float], _ firstName: String, _ second: [Float], _ secondName: String,
                in function: String) throws {
    guard !first.isEmpty, first.count == second.count else {
        throw InvalidArgument(function, secondName, "got \(second.count) values for \(first.count) \(firstName), "
                              + "expected equally long lists of at least one value")
    }
    try Validate.allFinite(first, firstName, in: function)
    try Validate.allFinite(second, secondName, in: function)
}
