import CourseKit
import Environments
import TensorCore

/// One recorded episode: S_0, A_0, R_1, S_1, A_1, R_2, ..., S_T.
///
/// `states` has T + 1 entries (the last, S_T, is where the episode ended),
/// `rewards` has T entries (`rewards[t]` is R_{t+1}, the reward for leaving
/// `states[t]`), and `actions` is either empty (prediction of a Markov reward
/// process) or has T entries. `terminated` tells whether S_T is terminal
/// (its value is 0) or the episode was cut short by a step limit (then
/// S_T has a value and bootstrapping methods use it).
public struct Episode: Sendable, Equatable {
    /// S_0, ..., S_T.
    public var states: [Int]
    /// A_0, ..., A_{T-1}, or empty.
    public var actions: [Int]
    /// R_1, ..., R_T.
    public var rewards: [Double]
    /// True when S_T is terminal; false when the episode was truncated.
    public var terminated: Bool

    /// Creates an episode.
    public init(states: [Int], actions: [Int] = [], rewards: [Double], terminated: Bool = true) {
        self.states = states
        self.actions = actions
        self.rewards = rewards
        self.terminated = terminated
    }

    /// The number of steps T.
    public var length: Int { rewards.count }

    /// The undiscounted sum of rewards (the "return" of the learning curves).
    public var totalReward: Double { rewards.reduce(0, +) }
}

/// A Q table with one row per state and `env.actionCount(in: s)` entries in
/// row s, every entry `initialValue`.
public func makeQTable<E: DiscreteEnvironment>(for env: E, initialValue: Double = 0) -> [[Double]] {
    (0..<env.stateCount).map { Array(repeating: initialValue, count: env.actionCount(in: $0)) }
}

/// Plays one episode with a given policy (not an exercise; prediction
/// experiments use it to generate episodes).
///
/// Calls `env.reset(seed: nil)` (seed the environment once beforehand), then
/// steps with `policy(state, &generator)` until the episode terminates,
/// the environment truncates it, or `maxSteps` steps were taken.
public func sampleEpisode<E: DiscreteEnvironment>(
    _ env: inout E, maxSteps: Int = 100_000, using generator: inout SeededGenerator,
    policy: (Int, inout SeededGenerator) -> Int
) throws -> Episode {
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let action = policy(state, &generator)
        let step = try env.step(action)
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(step.observation)
        state = step.observation
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
    }
    return episode
}

// MARK: - Argument checks (not exercises)

func checkEpisode(_ episode: Episode, stateCount: Int, in function: String) throws {
    guard episode.states.count == episode.rewards.count + 1 else {
        throw InvalidArgument(function, "episode",
                              "has \(episode.states.count) states and \(episode.rewards.count) rewards, expected "
                              + "one more state than rewards (S_0 ... S_T)")
    }
    guard episode.actions.isEmpty || episode.actions.count == episode.rewards.count else {
        throw InvalidArgument(function, "episode",
                              "has \(episode.actions.count) actions for \(episode.rewards.count) rewards, expected "
                              + "none or one per step")
    }
    if let bad = episode.states.first(where: { !(0..<stateCount).contains($0) }) {
        throw InvalidArgument(function, "episode", "visits state \(bad), expected states in 0..<\(stateCount)")
    }
}

func checkStepSize(_ alpha: Double, in function: String) throws {
    guard alpha > 0, alpha <= 1 else {
        throw InvalidArgument(function, "alpha", "got \(alpha), expected a step size in (0, 1]")
    }
}

func checkEpsilon(_ epsilon: Double, in function: String) throws {
    guard epsilon >= 0, epsilon <= 1 else {
        throw InvalidArgument(function, "epsilon", "got \(epsilon), expected an exploration rate in [0, 1]")
    }
}

func checkQTable<E: DiscreteEnvironment>(_ q: [[Double]], for env: E, name: String = "q", in function: String) throws {
    guard q.count == env.stateCount else {
        throw InvalidArgument(function, name,
                              "has \(q.count) rows, expected one per state (\(env.stateCount)); makeQTable(for:) "
                              + "builds one")
    }
    for s in 0..<env.stateCount where q[s].count != env.actionCount(in: s) {
        throw InvalidArgument(function, name,
                              "row \(s) has \(q[s].count) entries, expected env.actionCount(in: \(s)) = "
                              + "\(env.actionCount(in: s))")
    }
}

func checkMaxSteps(_ maxSteps: Int, in function: String) throws {
    guard maxSteps >= 1 else {
        throw InvalidArgument(function, "maxSteps", "got \(maxSteps), expected at least 1")
    }
}
