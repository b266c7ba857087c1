import CourseKit
import Foundation
import RLKit

/// SAC's automatic temperature (Haarnoja et al., 2018b): alpha is trained so
/// that the policy's entropy stays near a target (-|A| by default), by
/// gradient steps on log alpha, which keeps alpha > 0 and makes its steps
/// multiplicative (notes, section 6).
public final class Temperature {
    /// log alpha, the trained parameter (a scalar).
    public let logAlpha: Tensor
    /// The entropy the policy should keep, H-bar (-|A| in SAC).
    public let targetEntropy: Float
    /// Adam on log alpha.
    public let optimizer: Adam

    /// Starts at `initialAlpha`.
    ///
    /// - Throws: `InvalidArgument` for an initial alpha that is not a finite
    ///   number > 0, a non-finite target entropy, or a bad learning rate.
    public init(initialAlpha: Float, targetEntropy: Float, learningRate: Float) throws {
        try Validate.positive(initialAlpha, "initialAlpha", in: "Temperature")
        try Validate.finite(targetEntropy, "targetEntropy", in: "Temperature")
        logAlpha = Tensor(scalar: Foundation.log(initialAlpha), requiresGradient: true)
        self.targetEntropy = targetEntropy
        optimizer = try Adam(parameters: [logAlpha], learningRate: learningRate)
    }

    /// alpha = exp(log alpha).
    public var alpha: Float { Foundation.exp(logAlpha.scalar) }

    /// The temperature's loss on a batch of log-probabilities of actions
    /// sampled from the current policy,
    ///
    ///     J(alpha) = mean_i ( -alpha (log pi(a_i | s_i) + H-bar) ),  alpha = exp(log alpha),
    ///
    /// a scalar differentiable in log alpha only: the log-probabilities are
    /// constants here (this loss must not train the policy). Its gradient
    /// -alpha mean(log pi + H-bar) lowers alpha when the entropy
    /// -mean(log pi) is above H-bar and raises it when below.
    ///
    /// - Parameter logProbabilities: log pi(a_i | s_i), `[batch]`.
    /// - Throws: `InvalidArgument` for log-probabilities that are not a non-empty `[batch]` of finite numbers.
    public func loss(logProbabilities: Tensor) throws -> Tensor {
        guard logProbabilities.rank == 1, logProbabilities.count > 0 else {
            throw InvalidArgument("Temperature.loss(logProbabilities:)", "logProbabilities",
                                  "has shape \(logProbabilities.shape), expected [batch] with batch >= 1")
        }
        try Validate.allFinite(logProbabilities.scalars, "logProbabilities", in: "Temperature.loss(logProbabilities:)")
        // TODO(8.5): J = mean(-alpha (log pi + target entropy)), alpha = exp(log alpha), log pi a constant
        throw ExerciseError.notImplemented("8.5", file: "Lessons/08-SAC/Temperature.swift", hint: "J = mean(-alpha (log pi + target entropy)), alpha = exp(log alpha), log pi a constant")
    }

    /// One Adam step on log alpha down the gradient of `loss`; returns the
    /// loss before the step.
    ///
    /// - Throws: what `loss(logProbabilities:)` throws.
    public func update(logProbabilities: Tensor) throws -> Float {
        // TODO(8.5): clear the gradient, differentiate J, step the optimiser; return J's value
        throw ExerciseError.notImplemented("8.5", file: "Lessons/08-SAC/Temperature.swift", hint: "clear the gradient, differentiate J, step the optimiser; return J's value")
    }
}
