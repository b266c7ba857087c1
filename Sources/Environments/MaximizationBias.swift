import Diagnostics
import TensorCore

/// The maximisation-bias MDP of Sutton & Barto (Example 6.7).
///
/// States: 0 = A (start), 1 = B, 2 = the end (terminal). In A there are two
/// actions: 0 "left" moves to B with reward 0, 1 "right" ends the episode
/// with reward 0. In B there are `actionsInB` actions (10 by default), each
/// ending the episode with a reward drawn from N(-0.1, 1). Use
/// `actionCount(in:)`: 2 in A, `actionsInB` in B.
///
/// The optimal policy goes right (value 0 > -0.1), but the maximum of noisy
/// estimates in B is biased upward, so Q-learning goes left far more often
/// than the 5% an epsilon-greedy (epsilon 0.1) optimal agent would.
///
/// The `model` replaces B's random reward by its mean -0.1 (enough for
/// dynamic programming); A's actions `2..<actionsInB` are placeholders that
/// copy action "right" and are unavailable (`model.actionCount(in: 0) == 2`).
public struct MaximizationBias: TabularWorld, Sendable {
    /// State A, the start.
    public static let stateA = 0
    /// State B.
    public static let stateB = 1
    /// The terminal state.
    public static let end = 2
    /// Action 0 in A: go left to B.
    public static let left = 0
    /// Action 1 in A: go right to the end.
    public static let right = 1

    /// The number of actions in B.
    public let actionsInB: Int
    /// The mean of B's rewards (-0.1).
    public let meanRewardInB: Double
    /// The standard deviation of B's rewards (1).
    public let rewardStandardDeviation: Double
    /// The engine that plays episodes (B's rewards are re-drawn from the normal).
    public var simulator: TabularEnvironment

    /// Creates the MDP.
    ///
    /// - Parameters:
    ///   - actionsInB: the number of actions in B (at least 2; 10 in the book).
    ///   - meanRewardInB: the mean reward in B (-0.1).
    ///   - rewardStandardDeviation: its standard deviation (1).
    ///   - seed: the seed of the generator.
    /// - Throws: `InvalidArgument` for fewer than 2 actions in B, a
    ///   non-finite mean, or a standard deviation that is negative or not finite.
    public init(actionsInB: Int, meanRewardInB: Double = -0.1, rewardStandardDeviation: Double = 1,
                seed: UInt64 = 0) throws {
        try Validate.count(actionsInB, "actionsInB", atLeast: 2, in: "MaximizationBias")
        try Validate.finite(meanRewardInB, "meanRewardInB", in: "MaximizationBias")
        try Validate.nonNegative(rewardStandardDeviation, "rewardStandardDeviation", in: "MaximizationBias")
        let count = actionsInB
        let toB = Transition(probability: 1, nextState: 1, reward: 0, terminated: false)
        let toEnd = Transition(probability: 1, nextState: 2, reward: 0, terminated: true)
        let fromB = Transition(probability: 1, nextState: 2, reward: meanRewardInB, terminated: true)
        let transitions: [[[Transition]]] = [
            [[toB]] + Array(repeating: [toEnd], count: count - 1),
            Array(repeating: [fromB], count: count),
            Array(repeating: [Transition(probability: 1, nextState: 2, reward: 0, terminated: true)], count: count),
        ]
        let names = ["left", "right"] + (2..<count).map { "b\($0)" }
        let model = try! TabularMDP(name: "MaximizationBias", stateCount: 3, actionCount: count,
                                    transitions: transitions, isTerminal: [false, false, true],
                                    initialDistribution: [1, 0, 0], actionNames: names,
                                    availableActionCounts: [2, count, count])
        self.actionsInB = count
        self.meanRewardInB = meanRewardInB
        self.rewardStandardDeviation = rewardStandardDeviation
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }

    /// Creates the book's MDP: 10 actions in B with rewards N(-0.1, 1).
    public init(seed: UInt64 = 0) {
        // The book's values pass every check of the throwing initialiser.
        self = checked { try MaximizationBias(actionsInB: 10, seed: seed) }
    }

    /// Takes one step; in B the reward is drawn from N(mean, sd^2).
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action outside
    ///   `0..<actionCount(in: state)`, or a step outside an episode.
    public mutating func step(_ action: Int) throws -> Step<Int> {
        let before = simulator.state
        var result = try simulator.step(action)
        if before == MaximizationBias.stateB && simulator.status == .ended {
            result.reward = simulator.generator.normal(mean: meanRewardInB, standardDeviation: rewardStandardDeviation)
        }
        return result
    }
}

/// The one-state MDP with infinite-variance importance sampling (Sutton &
/// Barto, Example 5.5).
///
/// States: 0 = s (start), 1 = the end (terminal). Action 0 "left" returns to
/// s with probability 0.9 (reward 0) or ends with reward +1 with probability
/// 0.1; action 1 "right" ends with reward 0. The target policy "always left"
/// has value 1; under a 50/50 behaviour policy the ordinary
/// importance-sampling estimate has infinite variance.
public struct InfiniteVariance: TabularWorld, Sendable {
    /// The non-terminal state s.
    public static let start = 0
    /// The terminal state.
    public static let end = 1
    /// Action 0: back to s (p = 0.9) or end with +1 (p = 0.1).
    public static let left = 0
    /// Action 1: end with 0.
    public static let right = 1

    /// The engine that plays episodes.
    public var simulator: TabularEnvironment

    /// Creates the MDP.
    public init(seed: UInt64 = 0) {
        let terminal = [Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]
        let model = try! TabularMDP(
            name: "InfiniteVariance", stateCount: 2, actionCount: 2,
            transitions: [
                [[Transition(probability: 0.9, nextState: 0, reward: 0, terminated: false),
                  Transition(probability: 0.1, nextState: 1, reward: 1, terminated: true)],
                 [Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]],
                [terminal, terminal],
            ],
            isTerminal: [false, true], initialDistribution: [1, 0], actionNames: ["left", "right"])
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }
}
