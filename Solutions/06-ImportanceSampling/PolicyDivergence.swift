import CourseKit
import TensorCore

/// The mean KL divergence between two categorical policies over a batch of
/// states, each given by its logits `[batch, actions]` (row i holds state
/// i's logits; the policy is their softmax):
///
///     KL(p || q) = (1 / B) sum_i sum_a p(a | s_i) [ log p(a | s_i) - log q(a | s_i) ]
///
/// It is 0 only when the two agree in every state, and it is not symmetric:
/// p, the first argument, weights the actions. How far a new policy q has
/// moved from the policy p that collected the data, measured this way, is
/// what trust-region methods (TRPO) bound and PPO watches: the further q
/// moves, the larger and more variable the importance ratios q / p become.
///
/// Compute the log-probabilities from the logits directly (log-softmax):
/// log(softmax(x)) gives log 0 = -infinity, and then 0 * -infinity = NaN,
/// wherever an action's probability rounds to 0 in `Float`.
///
/// - Returns: the mean KL, a scalar tensor, differentiable in both inputs.
/// - Throws: `InvalidArgument` for inputs that are not both `[batch, actions]`
///   of the same shape, an empty batch, no actions, or a logit that is not finite.
public func meanKLDivergence(pLogits: Tensor, qLogits: Tensor) throws -> Tensor {
    let function = "meanKLDivergence(pLogits:qLogits:)"
    guard pLogits.rank == 2 else {
        throw InvalidArgument(function, "pLogits", "has shape \(pLogits.shape), expected [batch, actions]")
    }
    guard qLogits.shape == pLogits.shape else {
        throw InvalidArgument(function, "qLogits", "has shape \(qLogits.shape), expected \(pLogits.shape) like pLogits")
    }
    guard pLogits.shape[0] > 0 else { throw InvalidArgument(function, "pLogits", "is an empty batch (0 states)") }
    guard pLogits.shape[1] > 0 else { throw InvalidArgument(function, "pLogits", "has no actions") }
    try Validate.allFinite(pLogits.scalars, "pLogits", in: function)
    try Validate.allFinite(qLogits.scalars, "qLogits", in: function)
    // BEGIN SOLUTION 6.6: the mean over states of sum_a p (log p - log q), from log-softmaxes (notes, section 7)
    let logP = pLogits.logSoftmax(alongAxis: 1)
    let logQ = qLogits.logSoftmax(alongAxis: 1)
    return (logP.exp() * (logP - logQ)).sum(alongAxis: 1).mean()
    // END SOLUTION
}
