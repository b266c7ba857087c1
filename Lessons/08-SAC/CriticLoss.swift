import CourseKit
import RLKit

/// The losses of SAC's twin critics on a minibatch.
public struct CriticLossResult {
    /// L = L_1 + L_2, the scalar to differentiate (both critics' parameters).
    public var loss: Tensor
    /// L_1 = mean_i (Q_1(s_i, a_i) - y_i)^2.
    public var q1Loss: Float
    /// L_2 = mean_i (Q_2(s_i, a_i) - y_i)^2.
    public var q2Loss: Float
    /// Q_1(s_i, a_i) for every transition, `[batch]`.
    public var q1Values: Tensor
    /// Q_2(s_i, a_i) for every transition, `[batch]`.
    public var q2Values: Tensor

    /// Creates a result.
    public init(loss: Tensor, q1Loss: Float, q2Loss: Float, q1Values: Tensor, q2Values: Tensor) {
        self.loss = loss
        self.q1Loss = q1Loss
        self.q2Loss = q2Loss
        self.q1Values = q1Values
        self.q2Values = q2Values
    }
}

/// The twin critics' loss: each critic regresses Q_j(s_i, a_i), at the
/// action actually taken (the one in the buffer), on the same targets,
///
///     L = mean_i (Q_1(s_i, a_i) - y_i)^2 + mean_i (Q_2(s_i, a_i) - y_i)^2
///
/// (the sum of the two mean squared errors, as CleanRL writes it; one
/// backward pass trains both critics).
///
/// - Parameter targets: y, `[batch]` (constants, from `softBellmanTargets`).
/// - Throws: `InvalidArgument` for targets of the wrong shape or critics
///   that do not fit the batch.
public func twinCriticLoss(critics: TwinCritics, batch: ReplayBatch, targets: Tensor) throws -> CriticLossResult {
    let function = "twinCriticLoss(critics:batch:targets:)"
    try validate(policy: nil, critics: critics, batch: batch, in: function)
    guard targets.shape == [batch.count] else {
        throw InvalidArgument(function, "targets",
                              "has shape \(targets.shape), expected [\(batch.count)] (one target per transition)")
    }
    // TODO(8.3): both critics regress Q_j(s, a) on the same y: the sum of the two mean squared errors
    throw ExerciseError.notImplemented("8.3", file: "Lessons/08-SAC/CriticLoss.swift", hint: "both critics regress Q_j(s, a) on the same y: the sum of the two mean squared errors")
}
