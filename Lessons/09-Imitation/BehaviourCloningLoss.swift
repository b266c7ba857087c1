import CourseKit
import Foundation
import RLKit

// The two forms of the behaviour-cloning loss (notes, section 2). Each takes
// the network's outputs for a minibatch of demonstrated states and the
// expert's actions there, and returns the mean loss over the batch as a
// scalar tensor to differentiate.

/// Behaviour cloning by regression: the squared distance between the
/// policy's action and the expert's, summed over the action's coordinates
/// and averaged over the batch,
///
///     L = (1/N) sum_i sum_d (mu_d(s_i) - a_id)^2.
///
/// - Parameters:
///   - predictions: the policy's actions mu(s_i), `[N, D]`.
///   - targets: the expert's actions a_i, `[N, D]` (constants).
/// - Returns: L, a scalar tensor (differentiable with respect to `predictions`).
/// - Throws: `InvalidArgument` for shapes that differ, that are not
///   `[N, D]`, or an empty batch.
public func regressionLoss(predictions: Tensor, targets: Tensor) throws -> Tensor {
    let function = "regressionLoss(predictions:targets:)"
    try checkBatch(predictions, "predictions", in: function)
    guard targets.shape == predictions.shape else {
        throw InvalidArgument(function, "targets", "has shape \(targets.shape), predictions \(predictions.shape): "
                              + "expected one target action per predicted action")
    }
    // TODO(9.2): the squared error summed over the action's coordinates, averaged over the batch (section 2)
    throw ExerciseError.notImplemented("9.2", file: "Lessons/09-Imitation/BehaviourCloningLoss.swift", hint: "the squared error summed over the action's coordinates, averaged over the batch (section 2)")
}

/// Behaviour cloning by maximum likelihood with a categorical policy
/// pi(a|s) = softmax(z(s))_a: the mean negative log-likelihood of the
/// expert's actions (the cross-entropy),
///
///     L = -(1/N) sum_i log softmax(z_i)_{a_i}
///       = (1/N) sum_i (logsumexp_b z_ib - z_{i a_i}).
///
/// Computed from log-softmax, so that logits far apart stay finite.
///
/// - Parameters:
///   - logits: z(s_i), `[N, K]`.
///   - actions: the expert's action a_i in 0..<K for every row.
/// - Returns: L, a scalar tensor (differentiable with respect to `logits`).
/// - Throws: `InvalidArgument` for logits that are not `[N, K]`, a number
///   of actions other than N, an action outside 0..<K, or an empty batch.
public func categoricalNegativeLogLikelihood(logits: Tensor, actions: [Int]) throws -> Tensor {
    let function = "categoricalNegativeLogLikelihood(logits:actions:)"
    try checkBatch(logits, "logits", in: function)
    guard actions.count == logits.shape[0] else {
        throw InvalidArgument(function, "actions", "has \(actions.count) entries for \(logits.shape[0]) rows of logits")
    }
    if let bad = actions.first(where: { $0 < 0 || $0 >= logits.shape[1] }) {
        throw InvalidArgument(function, "actions", "holds \(bad), expected actions 0..<\(logits.shape[1])")
    }
    // TODO(9.3): minus the mean log-probability of the expert's actions, from log-softmax (section 2)
    throw ExerciseError.notImplemented("9.3", file: "Lessons/09-Imitation/BehaviourCloningLoss.swift", hint: "minus the mean log-probability of the expert's actions, from log-softmax (section 2)")
}

/// Behaviour cloning by maximum likelihood with a diagonal Gaussian policy
/// pi(a|s) = N(mu(s), diag(sigma^2)): the mean negative log-likelihood of
/// the expert's actions,
///
///     L = (1/N) sum_i sum_d [ (a_id - mu_id)^2 / (2 sigma_d^2) + log sigma_d + log(2 pi) / 2 ],
///
/// with log sigma given (and learned) directly. With sigma fixed at 1 it is
/// half the regression loss plus a constant: regression is maximum
/// likelihood under a Gaussian of fixed spread.
///
/// - Parameters:
///   - mean: mu(s_i), `[N, D]`.
///   - logStandardDeviation: log sigma, `[D]` (one per coordinate, the same
///     in every state) or `[N, D]`.
///   - actions: the expert's actions, `[N, D]` (constants).
/// - Returns: L, a scalar tensor (differentiable with respect to `mean`
///   and `logStandardDeviation`).
/// - Throws: `InvalidArgument` for shapes that do not fit, an empty batch,
///   or a non-finite log standard deviation.
public func gaussianNegativeLogLikelihood(mean: Tensor, logStandardDeviation: Tensor,
                                          actions: Tensor) throws -> Tensor {
    let function = "gaussianNegativeLogLikelihood(mean:logStandardDeviation:actions:)"
    try checkBatch(mean, "mean", in: function)
    guard actions.shape == mean.shape else {
        throw InvalidArgument(function, "actions", "has shape \(actions.shape), mean \(mean.shape)")
    }
    guard logStandardDeviation.shape == [mean.shape[1]] || logStandardDeviation.shape == mean.shape else {
        throw InvalidArgument(function, "logStandardDeviation", "has shape \(logStandardDeviation.shape), expected "
                              + "[\(mean.shape[1])] or \(mean.shape)")
    }
    try Validate.allFinite(logStandardDeviation.scalars, "logStandardDeviation", in: function)
    // TODO(9.3): the Gaussian's negative log-likelihood, summed over coordinates, averaged over the batch
    throw ExerciseError.notImplemented("9.3", file: "Lessons/09-Imitation/BehaviourCloningLoss.swift", hint: "the Gaussian's negative log-likelihood, summed over coordinates, averaged over the batch")
}
