import CourseKit
import Environments
import TensorCore

/// One time step of a trajectory: (s_t, a_t, r_{t+1}, s_{t+1}).
public struct TrajectoryStep: Equatable, Sendable {
    /// The state the action was taken in.
    public var state: Int
    /// The action taken.
    public var action: Int
    /// The reward received.
    public var reward: Double
    /// The state reached.
    public var nextState: Int
    /// True when `nextState` is terminal.
    public var terminated: Bool

    /// Creates a step.
    public init(state: Int, action: Int, reward: Double, nextState: Int, terminated: Bool) {
        self.state = state
        self.action = action
        self.reward = reward
        self.nextState = nextState
        self.terminated = terminated
    }
}

/// A sampled episode, or its first `maxSteps` steps.
public struct Trajectory: Equatable, Sendable {
    /// The steps in order.
    public var steps: [TrajectoryStep]

    /// Creates a trajectory.
    public init(steps: [TrajectoryStep]) {
        self.steps = steps
    }

    /// The rewards in order.
    public var rewards: [Double] { steps.map(\.reward) }
    /// True when the last step reached a terminal state.
    public var terminated: Bool { steps.last?.terminated ?? false }
}

/// Samples a trajectory by following `policy` in the model `mdp`.
///
/// From state s_t, draw a_t ~ pi(. | s_t), then draw one outcome of
/// `mdp.transitions[s_t][a_t]` with its probability, giving r_{t+1} and
/// s_{t+1}. Stop when an outcome is terminal or after `maxSteps` steps. A
/// trajectory that starts in a terminal state has no steps.
///
/// - Parameters:
///   - mdp: the model to sample from.
///   - policy: pi(a | s), one row per state.
///   - start: the first state.
///   - maxSteps: the most steps to take (a time limit).
///   - generator: the random number generator (use
///     `generator.categorical(_:)` for both draws).
/// - Complexity: O(maxSteps * (|A| + outcomes)).
public func sampleTrajectory(
    in mdp: TabularMDP, policy: TabularPolicy, from start: Int, maxSteps: Int,
    using generator: inout SeededGenerator
) throws -> Trajectory {
    try checkPolicy(policy, for: mdp, in: "sampleTrajectory")
    guard (0..<mdp.stateCount).contains(start) else {
        throw InvalidArgument("sampleTrajectory", "start", "state \(start) is outside 0..<\(mdp.stateCount)")
    }
    guard maxSteps >= 0 else {
        throw InvalidArgument("sampleTrajectory", "maxSteps",
                              "got \(maxSteps), expected a non-negative number of steps")
    }
    // TODO(1.2): roll out the policy in the model: draw an action, then an outcome (notes, sections 1 and 3)
    throw ExerciseError.notImplemented("1.2", file: "Lessons/01-MDPs/Trajectory.swift", hint: "roll out the policy in the model: draw an action, then an outcome (notes, sections 1 and 3)")
}
