import CourseKit
import Foundation
import RLKit

/// The estimate of KL(pi_old || pi_new) from the log-probabilities of the
/// actions pi_old took, as a differentiable scalar:
///
///     d_i = log pi_new(a_i | s_i) - log pi_old(a_i | s_i),   r_i = exp(d_i)
///     KL  ~ (1/B) sum_i (r_i - 1) - d_i
///
/// Each term is >= 0 (r - 1 >= log r), is 0 only where the policies agree,
/// and has expectation KL(pi_old || pi_new) under pi_old (the "k3"
/// estimator; E[r] = 1). Its derivative with respect to log pi_new(a_i | s_i)
/// is (r_i - 1) / B. Near d = 0 both r - 1 and d are close to d and their
/// difference is about d^2 / 2, so a Float32 formula loses most digits: the
/// value is computed in Double as expm1(d) - d, the derivative as expm1(d).
///
/// - Throws: `InvalidArgument` for tensors of different shapes or
///   log-probabilities that are not finite.
public func klEstimate(newLogProbabilities: Tensor, oldLogProbabilities: Tensor) throws -> Tensor {
    let function = "klEstimate(newLogProbabilities:oldLogProbabilities:)"
    try checkBatch([("newLogProbabilities", newLogProbabilities), ("oldLogProbabilities", oldLogProbabilities)],
                   in: function)
    try Validate.allFinite(newLogProbabilities.scalars, "newLogProbabilities", in: function)
    try Validate.allFinite(oldLogProbabilities.scalars, "oldLogProbabilities", in: function)
    // BEGIN SOLUTION 7.4: the mean of (r - 1) - log r in Double, recorded with its derivative (r - 1) / B (section 6)
    let (new, old) = (newLogProbabilities.scalars, oldLogProbabilities.scalars)
    let count = Double(new.count)
    var total = 0.0
    var slopes = [Float](repeating: 0, count: new.count)
    for i in 0..<new.count {
        let d = Double(new[i]) - Double(old[i])
        total += Foundation.expm1(d) - d
        slopes[i] = Float(Foundation.expm1(d) / count)
    }
    return Tensor.record("klEstimate", shape: [], scalars: [Float(total / count)],
                         inputs: [newLogProbabilities]) { gradient in
        newLogProbabilities.accumulateGradient(slopes.map { $0 * gradient[0] })
    }
    // END SOLUTION
}

/// The loss of PPO's adaptive-KL variant, to minimise:
///
///     L = -(1/B) sum_i r_i A_i + beta KL(pi_old || pi_new)
///
/// with r_i = exp(log pi_new - log pi_old) and the KL taken by
/// `klEstimate`: the plain surrogate, held near pi_old by a penalty instead
/// of a clip. pi_old's log-probabilities and the advantages are constants.
///
/// - Throws: `InvalidArgument` for tensors of different shapes, a beta that
///   is not a finite number >= 0, or log-probabilities that are not finite.
public func klPenaltyLoss(newLogProbabilities: Tensor, oldLogProbabilities: Tensor, advantages: Tensor,
                          beta: Float) throws -> Tensor {
    let function = "klPenaltyLoss(newLogProbabilities:oldLogProbabilities:advantages:beta:)"
    try Validate.nonNegative(beta, "beta", in: function)
    try checkBatch([("newLogProbabilities", newLogProbabilities), ("oldLogProbabilities", oldLogProbabilities),
                    ("advantages", advantages)], in: function)
    // BEGIN SOLUTION 7.4: minus the mean of r A, plus beta times the KL estimate (section 6)
    let ratio = (newLogProbabilities - oldLogProbabilities.stopGradient()).exp()
    let kl = try klEstimate(newLogProbabilities: newLogProbabilities, oldLogProbabilities: oldLogProbabilities)
    return -(ratio * advantages).mean() + beta * kl
    // END SOLUTION
}

/// The penalty coefficient for the next iteration of adaptive-KL PPO
/// (Schulman et al., 2017, section 4), given the KL measured after this
/// iteration's updates:
///
///     kl > 1.5 target  ->  2 beta       (the policy moved too far: penalise more)
///     kl < target / 1.5 ->  beta / 2    (it barely moved: penalise less)
///     otherwise        ->  beta
///
/// - Throws: `InvalidArgument` for a beta or target that is not a finite
///   number > 0, or a KL that is not finite.
public func adaptiveKLCoefficient(beta: Double, kl: Double, target: Double) throws -> Double {
    let function = "adaptiveKLCoefficient(beta:kl:target:)"
    try Validate.positive(beta, "beta", in: function)
    try Validate.positive(target, "target", in: function)
    try Validate.finite(kl, "kl", in: function)
    // BEGIN SOLUTION 7.4: double beta above 1.5 x target, halve it below target / 1.5, else keep it (section 6)
    if kl > 1.5 * target { return beta * 2 }
    if kl < target / 1.5 { return beta / 2 }
    return beta
    // END SOLUTION
}
