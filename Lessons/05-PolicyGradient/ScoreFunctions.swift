import CourseKit
import Foundation
import RLKit

// The score function grad_theta log pi_theta(a | s) of the two policies the
// notes work out by hand (section 2): a softmax over linear scores for
// discrete actions, and a Gaussian with a linear mean for a real action.
// Computed in Double from the formulas, not by automatic differentiation.

/// The score of a linear-softmax policy over K actions,
///
///     pi_theta(a | s) = exp(theta . phi(s, a)) / sum_b exp(theta . phi(s, b))
///     grad_theta log pi_theta(a | s) = phi(s, a) - sum_b pi_theta(b | s) phi(s, b)
///                                    = sum_b pi_theta(b | s) (phi(s, a) - phi(s, b)),
///
/// the features of the action taken minus their average under the policy.
/// The second form keeps its precision when pi(a | s) is close to 1 (the
/// first subtracts two nearly equal vectors); both need the softmax computed
/// with the largest score subtracted, so that exp never overflows.
///
/// - Parameters:
///   - features: phi(s, b) for every action b: K rows of d numbers.
///   - theta: the d parameters.
///   - action: a, an index in 0..<K.
/// - Returns: grad_theta log pi_theta(a | s), d numbers.
/// - Throws: `InvalidArgument` for no action, rows of different lengths, a
///   theta of another length, an action out of range or a non-finite number.
public func softmaxScore(features: [[Double]], theta: [Double], action: Int) throws -> [Double] {
    let function = "softmaxScore(features:theta:action:)"
    guard let first = features.first, !first.isEmpty else {
        throw InvalidArgument(function, "features", "is empty, expected one row of d >= 1 features per action")
    }
    if let row = features.firstIndex(where: { $0.count != first.count }) {
        throw InvalidArgument(function, "features", "row \(row) has \(features[row].count) features, row 0 has "
                              + "\(first.count)")
    }
    guard theta.count == first.count else {
        throw InvalidArgument(function, "theta", "has \(theta.count) parameters for \(first.count) features")
    }
    guard features.indices.contains(action) else {
        throw InvalidArgument(function, "action", "got \(action), expected an index in 0..<\(features.count)")
    }
    try Validate.allFinite(features.flatMap { $0 }, "features", in: function)
    try Validate.allFinite(theta, "theta", in: function)
    // TODO(5.1): grad log pi(a | s) = phi(s, a) - E_pi[phi(s, .)] for a linear softmax (notes, section 2)
    throw ExerciseError.notImplemented("5.1", file: "Lessons/05-PolicyGradient/ScoreFunctions.swift", hint: "grad log pi(a | s) = phi(s, a) - E_pi[phi(s, .)] for a linear softmax (notes, section 2)")
}

/// The score of a Gaussian policy with a linear mean and a fixed standard
/// deviation: a ~ N(mu(s), sigma^2) with mu(s) = theta . phi(s).
public struct GaussianScore: Sendable, Equatable {
    /// grad_theta log pi(a | s) = (a - mu(s)) phi(s) / sigma^2, d numbers.
    public var theta: [Double]
    /// d/d sigma log pi(a | s) = ((a - mu(s))^2 - sigma^2) / sigma^3.
    public var sigma: Double

    /// Creates a score.
    public init(theta: [Double], sigma: Double) {
        self.theta = theta
        self.sigma = sigma
    }
}

/// The score of a Gaussian policy a ~ N(theta . phi(s), sigma^2):
///
///     log pi(a | s) = -(a - mu)^2 / (2 sigma^2) - log sigma - log(2 pi) / 2,   mu = theta . phi(s)
///     grad_theta log pi(a | s) = (a - mu) phi(s) / sigma^2
///     d/d sigma  log pi(a | s) = (a - mu)^2 / sigma^3 - 1 / sigma = (z - 1)(z + 1) / sigma,   z = (a - mu) / sigma
///
/// An action above the mean pulls the mean up, below it down, more strongly
/// the narrower the policy; an action further than one sigma from the mean
/// widens the policy, a nearer one narrows it.
///
/// - Parameters:
///   - features: phi(s), d numbers.
///   - theta: the d parameters of the mean.
///   - sigma: the standard deviation, > 0.
///   - action: a, the action taken.
/// - Throws: `InvalidArgument` for a sigma that is not > 0, no features, a
///   theta of another length or a non-finite number.
public func gaussianScore(features: [Double], theta: [Double], sigma: Double, action: Double) throws -> GaussianScore {
    let function = "gaussianScore(features:theta:sigma:action:)"
    try Validate.positive(sigma, "sigma", in: function)
    guard !features.isEmpty else { throw InvalidArgument(function, "features", "is empty, expected d >= 1 features") }
    guard theta.count == features.count else {
        throw InvalidArgument(function, "theta", "has \(theta.count) parameters for \(features.count) features")
    }
    try Validate.allFinite(features, "features", in: function)
    try Validate.allFinite(theta, "theta", in: function)
    try Validate.finite(action, "action", in: function)
    // TODO(5.1): the Gaussian's score for theta and for sigma (notes, section 2)
    throw ExerciseError.notImplemented("5.1", file: "Lessons/05-PolicyGradient/ScoreFunctions.swift", hint: "the Gaussian's score for theta and for sigma (notes, section 2)")
}
