/// What an agent sees in a goal-conditioned task (Gymnasium-Robotics' `GoalEnv`
/// dictionary with its keys `observation`, `achieved_goal` and `desired_goal`):
/// the state, the goal that state achieves, and the goal of the episode.
///
/// The sizes depend on the task (n bits in bit flipping), so an observation is
/// three arrays rather than an `ObservationVector`, whose size is fixed per type;
/// agents read the sizes from the environment (`GoalEnvironment.stateSize`,
/// `goalSize`). Hindsight relabelling replaces `desiredGoal` by a goal some later
/// state achieved and recomputes the reward from the two goals.
public struct GoalObservation: Sendable, Equatable {
    /// The state, `stateSize` numbers (the bits, as 0 and 1, in bit flipping).
    public var state: [Float]
    /// The goal the state achieves, `goalSize` numbers (the bits again in bit
    /// flipping, where goals and states are the same thing).
    public var achievedGoal: [Float]
    /// The goal of the episode, `goalSize` numbers.
    public var desiredGoal: [Float]

    /// Creates an observation.
    public init(state: [Float], achievedGoal: [Float], desiredGoal: [Float]) {
        self.state = state
        self.achievedGoal = achievedGoal
        self.desiredGoal = desiredGoal
    }
}

/// An environment whose observations carry a goal: the goal-conditioned tasks
/// of hindsight experience replay. Its reward depends only on the achieved and
/// the desired goal of the state it reaches, which is what makes relabelling an
/// episode with another goal valid.
public protocol GoalEnvironment: Environment where Observation == GoalObservation {
    /// The length of `GoalObservation.state`.
    var stateSize: Int { get }
    /// The length of `GoalObservation.achievedGoal` and `desiredGoal`.
    var goalSize: Int { get }
}
