import CourseKit
import Environments
import RLKit

/// One step of an episode of a goal-conditioned task, as it happened: the
/// state, the action, what the environment returned for the episode's goal,
/// and the goal the new state achieves (what relabelling reads).
public struct GoalStep: Sendable, Equatable {
    /// s_t.
    public var state: [Float]
    /// a_t.
    public var action: Int
    /// r_t, the environment's reward for the episode's own goal.
    public var reward: Double
    /// s_{t+1}.
    public var nextState: [Float]
    /// The goal s_{t+1} achieves.
    public var achievedGoal: [Float]
    /// True when s_{t+1} reached the episode's goal (a terminal state).
    public var terminated: Bool
    /// True when the time limit ended the episode at s_{t+1}.
    public var truncated: Bool

    /// Creates a step.
    public init(state: [Float], action: Int, reward: Double, nextState: [Float], achievedGoal: [Float],
                terminated: Bool, truncated: Bool) {
        self.state = state
        self.action = action
        self.reward = reward
        self.nextState = nextState
        self.achievedGoal = achievedGoal
        self.terminated = terminated
        self.truncated = truncated
    }

    /// The step taken with `action` from `observation`, which returned `step`.
    public init(from observation: GoalObservation, action: Int, step: Step<GoalObservation>) {
        self.init(state: observation.state, action: action, reward: step.reward, nextState: step.observation.state,
                  achievedGoal: step.observation.achievedGoal, terminated: step.terminated, truncated: step.truncated)
    }
}

/// One whole episode: the goal it was played for and its steps in order.
public struct GoalEpisode: Sendable, Equatable {
    /// g, the episode's own (desired) goal.
    public var goal: [Float]
    /// Its steps, t = 0, 1, ..., T - 1.
    public var steps: [GoalStep]

    /// Creates an episode.
    public init(goal: [Float], steps: [GoalStep]) {
        self.goal = goal
        self.steps = steps
    }
}

/// A transition stored for one goal: the episode's own, or a goal chosen in
/// hindsight, with the reward and the terminal flag that goal gives it.
public struct GoalTransition: Sendable, Equatable {
    /// s.
    public var state: [Float]
    /// a.
    public var action: Int
    /// r(g_achieved(s'), goal).
    public var reward: Double
    /// s'.
    public var nextState: [Float]
    /// The goal this copy of the transition is stored for.
    public var goal: [Float]
    /// True when s' reaches `goal` (targets must not bootstrap).
    public var terminated: Bool
    /// True when the time limit ended the episode at s' (whatever the goal).
    public var truncated: Bool

    /// Creates a transition.
    public init(state: [Float], action: Int, reward: Double, nextState: [Float], goal: [Float], terminated: Bool,
                truncated: Bool) {
        self.state = state
        self.action = action
        self.reward = reward
        self.nextState = nextState
        self.goal = goal
        self.terminated = terminated
        self.truncated = truncated
    }
}

/// Which extra goals an episode is stored with (the HER paper, section 4.5).
public enum GoalStrategy: Sendable, Equatable, CustomStringConvertible {
    /// None: only the episode's own goal (plain DQN with a goal in its input).
    case none
    /// One extra goal per transition: the goal achieved at the end of the episode.
    case final
    /// k extra goals per transition t, each the goal achieved by a state drawn
    /// uniformly from s_{t+1}, ..., s_T (the next states of steps t ..< T).
    case future(k: Int)

    /// "none", "final" or "future (k = 4)".
    public var description: String {
        switch self {
        case .none: return "none"
        case .final: return "final"
        case .future(let k): return "future (k = \(k))"
        }
    }

    /// How many copies of each transition the strategy stores (1 + extra goals).
    public var copiesPerTransition: Int {
        switch self {
        case .none: return 1
        case .final: return 2
        case .future(let k): return 1 + k
        }
    }
}

/// Hindsight relabelling of one episode (Andrychowicz et al., 2017): every
/// step t is stored with the episode's own goal g, unchanged, and once more
/// for each extra goal g' the strategy picks, with the reward and the end
/// recomputed for g' from the goal the step actually achieved:
///
///     r'   = reward.reward(achieved: g_achieved(s_{t+1}), desired: g')
///     term = reward.isReached(achieved: g_achieved(s_{t+1}), desired: g')
///
/// `.final` picks g' = g_achieved(s_T), the last state's goal; `.future(k)`
/// draws k goals g_achieved(s_j), j uniform in t + 1 ... T (with replacement),
/// so the last step's future goals are its own achieved goal. A relabelled
/// copy keeps the step's truncated flag (a time limit does not depend on the
/// goal).
///
/// - Returns: the transitions in step order, each step's own transition first,
///   then its relabelled copies.
/// - Throws: `InvalidArgument` for k < 1, steps whose goals differ in length
///   from the episode's goal, or the reward's errors.
public func relabel(_ episode: GoalEpisode, strategy: GoalStrategy, reward: some GoalReward,
                    using generator: inout SeededGenerator) throws -> [GoalTransition] {
    let function = "relabel(_:strategy:reward:using:)"
    if case .future(let k) = strategy { try Validate.count(k, "k", in: function) }
    if let bad = episode.steps.firstIndex(where: { $0.achievedGoal.count != episode.goal.count }) {
        let size = episode.steps[bad].achievedGoal.count, expected = episode.goal.count
        throw InvalidArgument(function, "episode",
                              "step \(bad) achieves a goal of \(size) values, the episode's goal has \(expected)")
    }
    // TODO(10.2): store each step for its goal and for the strategy's goals, reward recomputed (notes, sec. 4)
    throw ExerciseError.notImplemented("10.2", file: "Lessons/10-Hindsight/Relabelling.swift", hint: "store each step for its goal and for the strategy's goals, reward recomputed (notes, sec. 4)")
}
