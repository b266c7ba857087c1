import CourseKit
import RLKit

/// The surrogate loss of a batch of N episodes: a scalar whose gradient is
/// minus the policy-gradient estimate,
///
///     L(theta) = -(1 / N) sum_i sum_t log pi_theta(a_{i,t} | s_{i,t}) Psi_{i,t},
///     grad L   = -(1 / N) sum_i sum_t grad log pi_theta(a_{i,t} | s_{i,t}) Psi_{i,t} = -g_hat,
///
/// where the weights Psi (returns, reward-to-go, either minus a baseline)
/// are constants. Minimising L climbs the expected return. Its value is no
/// measure of progress: it depends on the batch the policy itself sampled,
/// and on where the baseline sits (notes, section 6).
///
/// Entry k of `logProbabilities` goes with entry k of the weights read row
/// by row: one log-probability per step for reward-to-go, or one per
/// episode (log pi(tau_i), a row of one weight R(tau_i) - b) for the full
/// return. The number of rows of `weights` is N, the number of episodes.
///
/// - Parameters:
///   - logProbabilities: log pi_theta(a | s), `[steps]` (or `[episodes]`), differentiable.
///   - weights: Psi, one row per episode.
/// - Returns: L, a scalar tensor.
/// - Throws: `InvalidArgument` for no episode, an empty row, a non-finite
///   weight, log-probabilities that are not one list, or a number of
///   log-probabilities different from the number of weights.
public func surrogateLoss(logProbabilities: Tensor, weights: [[Double]]) throws -> Tensor {
    let function = "surrogateLoss(logProbabilities:weights:)"
    try validateEpisodes(weights, "weights", in: function)
    guard logProbabilities.rank == 1 else {
        throw InvalidArgument(function, "logProbabilities", "has shape \(logProbabilities.shape), expected [steps]")
    }
    let count = weights.reduce(0) { $0 + $1.count }
    guard logProbabilities.count == count else {
        throw InvalidArgument(function, "logProbabilities", "got \(logProbabilities.count) log-probabilities for "
                              + "\(count) weights, expected one per weight")
    }
    // BEGIN SOLUTION 5.5: -(1/N) sum_i sum_t log pi(a_t | s_t) Psi_t, the weights constants (notes, section 6)
    let psi = Tensor(weights.flatMap { $0 }.map(Float.init))       // constants: no gradient reaches them
    return -(logProbabilities * psi).sum() / Float(weights.count)
    // END SOLUTION
}
