import Diagnostics
import TensorCore

/// The bit-flipping task of hindsight experience replay (Andrychowicz et al.,
/// 2017, section 3.1): n bits, a random start and a random goal; action k
/// flips bit k. The reward is -1 for every step whose new state differs from
/// the goal and 0 for the step that reaches it, which ends the episode
/// (terminated); otherwise the episode is cut after n steps (truncated, as
/// Gymnasium's `TimeLimit` does: both flags are true when the n-th step reaches
/// the goal). Every goal is reachable in time: it takes as many flips as the
/// bits that differ, at most n.
///
/// Start and goal are drawn independently, n fair bits each (start first), so
/// they coincide with probability 2^-n; the episode then still needs a step
/// and can no longer succeed in one.
///
///     var env = try BitFlipping(bits: 4, seed: 0)
///     var observation = env.reset(seed: 0)        // state, achieved goal (= state), desired goal
///     let step = try env.step(2)                   // flips bit 2
public struct BitFlipping: GoalEnvironment, DiscreteActionEnvironment, Sendable {
    /// The most bits an environment can have (an observation holds three
    /// arrays of this many numbers; the paper's largest task has 50).
    public static let maxBits = 4_096

    /// The number of bits n (also the number of actions and the episode length).
    public let bitCount: Int
    /// The current state, n values 0 or 1.
    public private(set) var state: [Float]
    /// The goal of the episode, n values 0 or 1.
    public private(set) var goal: [Float]
    /// Steps since the last reset.
    public private(set) var elapsedSteps = 0
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The random stream (starts and goals).
    public var generator: SeededGenerator

    /// Creates the task with `bits` bits.
    ///
    /// - Throws: `InvalidArgument` for fewer than 1 or more than `maxBits` bits.
    public init(bits: Int, seed: UInt64 = 0) throws {
        try Validate.count(bits, "bits", in: "BitFlipping")
        guard bits <= BitFlipping.maxBits else {
            throw InvalidArgument("BitFlipping", "bits", "got \(bits), expected at most \(BitFlipping.maxBits)")
        }
        bitCount = bits
        state = [Float](repeating: 0, count: bits)
        goal = state
        generator = SeededGenerator(seed: seed)
    }

    /// `Discrete(n)`: action k flips bit k.
    public var actionSpace: DiscreteSpace { DiscreteSpace(bitCount) }
    /// n.
    public var stateSize: Int { bitCount }
    /// n: a goal is a state.
    public var goalSize: Int { bitCount }
    /// The time limit: n steps.
    public var maxEpisodeSteps: Int { bitCount }

    /// The observation of the current state.
    public var observation: GoalObservation { GoalObservation(state: state, achievedGoal: state, desiredGoal: goal) }

    /// Starts an episode: n random bits for the start, then n for the goal.
    public mutating func reset(seed: UInt64? = nil) -> GoalObservation {
        if let seed { generator = SeededGenerator(seed: seed) }
        for i in 0..<bitCount { state[i] = Float(generator.nextInt(below: 2)) }
        for i in 0..<bitCount { goal[i] = Float(generator.nextInt(below: 2)) }
        elapsedSteps = 0
        status = .running
        return observation
    }

    /// Starts an episode from a chosen state and goal (tests, teaching).
    ///
    /// - Throws: `InvalidArgument` for a state or goal that is not n values of 0 or 1.
    public mutating func reset(state start: [Float], goal target: [Float]) throws -> GoalObservation {
        for (name, bits) in [("state", start), ("goal", target)] {
            guard bits.count == bitCount, bits.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw InvalidArgument("BitFlipping.reset(state:goal:)", name,
                                      "got \(bits.count) values \(bits.prefix(8)), expected \(bitCount) values, each 0 or 1")
            }
        }
        state = start
        goal = target
        elapsedSteps = 0
        status = .running
        return observation
    }

    /// Flips bit `action`.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action outside
    ///   `0..<n`; `.notReset` / `.episodeFinished` outside an episode.
    public mutating func step(_ action: Int) throws -> Step<GoalObservation> {
        if status != .running { try status.checkCanStep("BitFlipping \(bitCount)") }
        guard action >= 0 && action < bitCount else {
            throw EnvironmentError.invalidAction(environment: "BitFlipping \(bitCount)", action: "\(action)",
                                                 expected: "an integer in 0..<\(bitCount) (the bit to flip)")
        }
        state[action] = 1 - state[action]
        elapsedSteps += 1
        let reached = state == goal
        let truncated = elapsedSteps >= bitCount
        if reached || truncated { status = .ended }
        return Step(observation: observation, reward: reached ? 0 : -1, terminated: reached, truncated: truncated)
    }
}
