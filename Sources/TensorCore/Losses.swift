/// Regression losses for value functions, each optionally weighted per
/// sample (importance weights in prioritised replay).
///
/// Prediction and target must have exactly the same shape: a silent
/// broadcast of `[128]` against `[128, 1]` would compare every prediction
/// with every target, a classic DQN bug, so it is a shape error here.

/// Mean squared error: mean_i w_i (prediction_i - target_i)^2.
///
/// - Parameters:
///   - weights: per-sample weights (same shape), or nil for all ones.
/// - Returns: a scalar (rank-0) tensor.
public func mseLoss(_ prediction: Tensor, _ target: Tensor, weights: Tensor? = nil) -> Tensor {
    checked { try Shapes.same(prediction.shape, target.shape, operation: "mseLoss") }
    let squared = (prediction - target).squared()
    return weighted(squared, weights, operation: "mseLoss").mean()
}

/// Huber (smooth L1) loss: mean_i w_i h(prediction_i - target_i) with
///
///     h(d) = 0.5 d^2                  if |d| <= delta
///     h(d) = delta (|d| - 0.5 delta)  otherwise
///
/// It is quadratic near zero and linear for large errors, so one bad TD
/// target cannot produce a huge gradient (the gradient is at most delta).
public func huberLoss(_ prediction: Tensor, _ target: Tensor, delta: Float = 1, weights: Tensor? = nil) -> Tensor {
    checked { try Shapes.same(prediction.shape, target.shape, operation: "huberLoss") }
    let losses = (prediction - target).unary("huberLoss", { d in
        Swift.abs(d) <= delta ? 0.5 * d * d : delta * (Swift.abs(d) - 0.5 * delta)
    }, derivative: { d, _ in Swift.min(Swift.max(d, -delta), delta) })
    return weighted(losses, weights, operation: "huberLoss").mean()
}

/// `losses * weights` after checking shapes (or `losses` if no weights).
func weighted(_ losses: Tensor, _ weights: Tensor?, operation: String) -> Tensor {
    guard let weights else { return losses }
    checked { try Shapes.same(losses.shape, weights.shape, operation: "\(operation) weights") }
    return losses * weights
}
