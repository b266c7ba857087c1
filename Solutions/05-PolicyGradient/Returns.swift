import CourseKit
import RLKit

/// The discounted return of each whole episode, repeated at every step of it:
///
///     R(tau_i) = sum_{t=0}^{T_i - 1} gamma^t r_{i,t}
///
/// the weight that the original REINFORCE estimator gives every action of
/// episode i, including the actions taken after the rewards it counts
/// (notes, section 4).
///
/// - Parameters:
///   - rewards: one list of rewards per episode; the episodes may differ in length.
///   - gamma: the discount factor, in [0, 1].
/// - Returns: a list shaped like `rewards`: every entry of row i is R(tau_i).
/// - Throws: `InvalidArgument` for gamma outside [0, 1], no episode, an
///   empty episode or a non-finite reward.
public func episodeReturns(_ rewards: [[Double]], gamma: Double) throws -> [[Double]] {
    let function = "episodeReturns(_:gamma:)"
    try checkDiscount(gamma, in: function)
    try validateEpisodes(rewards, "rewards", in: function)
    // BEGIN SOLUTION 5.3: R(tau) = sum_t gamma^t r_t of each episode, at every one of its steps (notes, section 4)
    return rewards.map { episode in
        var total = 0.0, discount = 1.0
        for reward in episode {
            total += discount * reward
            discount *= gamma
        }
        return [Double](repeating: total, count: episode.count)
    }
    // END SOLUTION
}

/// Reward-to-go: the discounted sum of the rewards from step t to the end
/// of its own episode,
///
///     G_{i,t} = sum_{t'=t}^{T_i - 1} gamma^(t' - t) r_{i,t'} = r_{i,t} + gamma G_{i,t+1},   G_{i,T_i} = 0,
///
/// discounted from step t (not from the start of the episode), and starting
/// afresh in every episode: an action cannot change rewards that came before
/// it, nor those of another episode (notes, section 4).
///
/// - Parameters:
///   - rewards: one list of rewards per episode; the episodes may differ in length.
///   - gamma: the discount factor, in [0, 1].
/// - Returns: a list shaped like `rewards`: entry (i, t) is G_{i,t}.
/// - Throws: `InvalidArgument` for gamma outside [0, 1], no episode, an
///   empty episode or a non-finite reward.
public func rewardsToGo(_ rewards: [[Double]], gamma: Double) throws -> [[Double]] {
    let function = "rewardsToGo(_:gamma:)"
    try checkDiscount(gamma, in: function)
    try validateEpisodes(rewards, "rewards", in: function)
    // BEGIN SOLUTION 5.3: G_t = r_t + gamma G_{t+1} backwards through each episode, from 0 (notes, section 4)
    return rewards.map { episode in
        var returns = [Double](repeating: 0, count: episode.count)
        var future = 0.0                               // nothing follows the last step of an episode
        for t in episode.indices.reversed() {
            future = episode[t] + gamma * future
            returns[t] = future
        }
        return returns
    }
    // END SOLUTION
}
