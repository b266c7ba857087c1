import CourseKit
import RLKit

/// The advantages of a rollout and the critic's targets, one entry per
/// (step, environment), time first like `RolloutBuffer` (entry `t * N + e`).
public struct AdvantageEstimates: Sendable, Equatable {
    /// A_t, the generalised advantage estimate of every entry.
    public var advantages: [Float]
    /// A_t + V(s_t), the lambda-return: what the critic regresses onto.
    public var returns: [Float]

    /// Creates estimates.
    public init(advantages: [Float], returns: [Float]) {
        self.advantages = advantages
        self.returns = returns
    }
}

/// Generalised advantage estimation (Schulman et al., 2016) over a rollout
/// of N environments stepped together for T steps:
///
///     delta_t = r_t + gamma (1 - terminated_t) V(next_t) - V(s_t)
///     A_t     = delta_t + gamma lambda (1 - done_t) A_{t+1}      (A_T = 0)
///     returns = A + V
///
/// per environment, backwards in time, where done_t = terminated_t or
/// truncated_t, and V(next_t), the value of the state after step t, is
///
/// - `rollout.truncationValues[t]` when step t was truncated (a time limit:
///   the episode's real final observation, which the environment replaced
///   by a new episode's first one);
/// - `lastValues[e]` at the rollout's last step T - 1 (the observation the
///   next rollout starts from);
/// - `rollout.values[t + 1]` otherwise.
///
/// A terminated step does not bootstrap, and no sum runs across an episode
/// end into the next episode. lambda = 0 gives the TD residual delta_t,
/// lambda = 1 the discounted return to the episode's (or the rollout's) end
/// minus V(s_t). The sums are taken in Double.
///
/// - Parameters:
///   - rollout: the stored steps (`rollout.count` of them are used).
///   - lastValues: V of each environment's observation after the last step, N values.
///   - gamma: the discount factor.
///   - lambda: GAE's lambda in [0, 1].
/// - Throws: `InvalidArgument` for a gamma or lambda outside [0, 1], an empty
///   rollout, or last values that are not N finite numbers.
public func generalizedAdvantages(_ rollout: RolloutBuffer, lastValues: [Float], gamma: Double,
                                  lambda: Double) throws -> AdvantageEstimates {
    let function = "generalizedAdvantages(_:lastValues:gamma:lambda:)"
    try checkDiscount(gamma, in: function)
    try checkLambda(lambda, in: function)
    guard rollout.count >= 1 else { throw InvalidArgument(function, "rollout", "is empty, expected at least one step") }
    guard lastValues.count == rollout.environments else {
        throw InvalidArgument(function, "lastValues", "got \(lastValues.count) values, expected "
                              + "\(rollout.environments) (one per environment)")
    }
    try Validate.allFinite(lastValues, "lastValues", in: function)
    // BEGIN SOLUTION 7.2: per environment, backwards: delta with the right bootstrap, then the sum (section 3)
    let (steps, n) = (rollout.count, rollout.environments)
    var advantages = [Float](repeating: 0, count: steps * n)
    var returns = advantages
    for e in 0..<n {
        var following = 0.0  // A_{t+1} of this environment's current episode
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let i = t * n + e
            let value = Double(rollout.values[i])
            let nextValue = rollout.truncated[i] == 1 ? Double(rollout.truncationValues[i])
                : t == steps - 1 ? Double(lastValues[e]) : Double(rollout.values[i + n])
            let delta = Double(rollout.rewards[i]) + gamma * (1 - Double(rollout.terminated[i])) * nextValue - value
            let continues = rollout.terminated[i] == 0 && rollout.truncated[i] == 0 ? 1.0 : 0.0
            following = delta + gamma * lambda * continues * following
            advantages[i] = Float(following)
            returns[i] = Float(following + value)
        }
    }
    return AdvantageEstimates(advantages: advantages, returns: returns)
    // END SOLUTION
}

/// Checks that GAE's lambda lies in [0, 1].
///
/// - Throws: `InvalidArgument` naming `function` otherwise.
public func checkLambda(_ lambda: Double, in function: String) throws {
    guard lambda >= 0, lambda <= 1 else {
        throw InvalidArgument(function, "lambda", "got \(lambda), expected a number in [0, 1] (0: the TD residual, "
                              + "1: the Monte Carlo advantage)")
    }
}
