import CourseKit
import Foundation
import RLKit

/// What a stochastic policy returns for a batch of observations: one action
/// per row, drawn with the reparameterisation trick, and its log-probability.
public struct PolicySample {
    /// a = tanh(u), `[batch, actionSize]`, every coordinate in (-1, 1); the
    /// agent maps it to the environment's bounds. Differentiable.
    public var action: Tensor
    /// log pi(a | s) of every row, `[batch]`. Differentiable.
    public var logProbability: Tensor
    /// u, the Gaussian sample before the squash, `[batch, actionSize]`.
    public var preSquash: Tensor

    /// Creates a sample.
    public init(action: Tensor, logProbability: Tensor, preSquash: Tensor) {
        self.action = action
        self.logProbability = logProbability
        self.preSquash = preSquash
    }
}

/// A policy SAC can train: it samples an action for every observation of a
/// batch with the reparameterisation trick (gradients reach its parameters
/// through the action and through log pi). `GaussianActor` is the lesson's;
/// the tests bring small ones of their own.
public protocol StochasticPolicy {
    /// The number of observation features it reads.
    var observationSize: Int { get }
    /// The number of action coordinates it writes.
    var actionSize: Int { get }
    /// a ~ pi(. | s) and log pi(a | s) for every row of `observations`
    /// (`[batch, observationSize]`).
    func sample(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample
}

/// The SAC policy's distribution for every row of a batch: a diagonal
/// Gaussian squashed by tanh, so that every action coordinate lies in (-1, 1):
///
///     u = mu + sigma * epsilon,  epsilon ~ N(0, I)      (reparameterised)
///     a = tanh(u)
///     log pi(a) = sum_d [ log N(u_d; mu_d, sigma_d) - log(1 - tanh(u_d)^2) ]
///
/// with log N(u; mu, sigma) = -((u - mu) / sigma)^2 / 2 - log sigma - log(2 pi) / 2
/// (notes, section 4). The second term is the change of variables: tanh
/// squeezes the line into (-1, 1), so the density of a is the density of u
/// divided by |da/du| = 1 - tanh(u)^2. Written as
///
///     log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u))
///
/// it stays exact where tanh(u) rounds to +-1 in Float (|u| above about 9).
public struct TanhGaussian {
    /// mu, `[batch, actionSize]`.
    public let mean: Tensor
    /// log sigma, the same shape as `mean`.
    public let logStandardDeviation: Tensor

    /// Creates the distributions.
    ///
    /// - Throws: `InvalidArgument` for a mean that is not `[batch, actions]`,
    ///   a log standard deviation of another shape, or a value that is not finite.
    public init(mean: Tensor, logStandardDeviation: Tensor) throws {
        guard mean.rank == 2 else {
            throw InvalidArgument("TanhGaussian", "mean", "has shape \(mean.shape), expected [batch, actions]")
        }
        guard logStandardDeviation.shape == mean.shape else {
            throw InvalidArgument("TanhGaussian", "logStandardDeviation",
                                  "has shape \(logStandardDeviation.shape), expected the mean's shape \(mean.shape)")
        }
        try Validate.allFinite(mean.scalars, "mean", in: "TanhGaussian")
        try Validate.allFinite(logStandardDeviation.scalars, "logStandardDeviation", in: "TanhGaussian")
        self.mean = mean
        self.logStandardDeviation = logStandardDeviation
    }

    /// sigma = exp(log sigma), `[batch, actionSize]`.
    public var standardDeviation: Tensor { logStandardDeviation.exp() }

    /// The deterministic action tanh(mu) (what evaluations play).
    public var mode: Tensor { mean.tanh() }

    /// log pi(tanh(u)) for every row, `[batch]`: the Gaussian's log-density
    /// at u minus log(1 - tanh(u)^2), both summed over the action
    /// coordinates. Differentiable in u, the mean and the log standard deviation.
    ///
    /// - Parameter u: pre-squash values, the shape of `mean`.
    /// - Throws: `InvalidArgument` for u of another shape.
    public func logProbability(preSquash u: Tensor) throws -> Tensor {
        guard u.shape == mean.shape else {
            throw InvalidArgument("TanhGaussian.logProbability(preSquash:)", "u",
                                  "has shape \(u.shape), expected the mean's shape \(mean.shape)")
        }
        // TODO(8.2): log N(u) - log(1 - tanh(u)^2) in a stable form, summed over actions (notes, section 4)
        throw ExerciseError.notImplemented("8.2", file: "Lessons/08-SAC/TanhGaussian.swift", hint: "log N(u) - log(1 - tanh(u)^2) in a stable form, summed over actions (notes, section 4)")
    }

    /// One reparameterised sample per row: u = mu + sigma * epsilon with
    /// epsilon ~ N(0, I) drawn from `generator`, a = tanh(u), and log pi(a).
    /// Gradients reach the mean and the log standard deviation through
    /// both the action and the log-probability.
    public func sample(using generator: inout SeededGenerator) throws -> PolicySample {
        // TODO(8.2): u = mu + sigma epsilon, a = tanh(u), and log pi(a) (notes, sections 4 and 5)
        throw ExerciseError.notImplemented("8.2", file: "Lessons/08-SAC/TanhGaussian.swift", hint: "u = mu + sigma epsilon, a = tanh(u), and log pi(a) (notes, sections 4 and 5)")
    }
}
