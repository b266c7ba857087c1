import Environments

/// One transition of experience, as replay storage keeps it:
///
///     (s, a, r, s', terminated, truncated, discount)
///
/// `terminated` means s' is terminal (its value is 0: targets must not
/// bootstrap); `truncated` means a time limit ended the episode (s' is an
/// ordinary state: targets still bootstrap from it). `discount` is the factor
/// the bootstrap term gets: gamma for one environment step, gamma^k for a
/// transition that folds k rewards together (n-step returns). The action is
/// a vector of values; a discrete action is its index as one value.
public struct Transition: Sendable, Equatable {
    /// s, the observation the action was taken in.
    public var observation: [Float]
    /// a: the action's values (one value, the index, for a discrete action).
    public var action: [Float]
    /// r, or the folded sum of discounted rewards.
    public var reward: Double
    /// s', the observation after the action (the last one of the episode
    /// when it ended, never the next episode's first).
    public var nextObservation: [Float]
    /// True when s' is terminal.
    public var terminated: Bool
    /// True when a time limit ended the episode at s'.
    public var truncated: Bool
    /// The factor of the bootstrap term: gamma, or gamma^k after k folded steps.
    public var discount: Float

    /// A transition with a vector action.
    public init(observation: [Float], action: [Float], reward: Double, nextObservation: [Float],
                terminated: Bool, truncated: Bool, discount: Float) {
        self.observation = observation
        self.action = action
        self.reward = reward
        self.nextObservation = nextObservation
        self.terminated = terminated
        self.truncated = truncated
        self.discount = discount
    }

    /// A transition with a discrete action (stored as one value).
    public init(observation: [Float], action: Int, reward: Double, nextObservation: [Float],
                terminated: Bool, truncated: Bool, discount: Float) {
        self.init(observation: observation, action: [Float(action)], reward: reward, nextObservation: nextObservation,
                  terminated: terminated, truncated: truncated, discount: discount)
    }

    /// The transition of one environment step from `observation` with
    /// `action`: the step's reward, observation and end flags, discount gamma.
    public init<O: ObservationVector>(from observation: O, action: Int, step: Step<O>, gamma: Float) {
        self.init(observation: observation.floats, action: action, reward: step.reward,
                  nextObservation: step.observation.floats, terminated: step.terminated, truncated: step.truncated,
                  discount: gamma)
    }

    /// The discrete action: the index stored as the action's one value.
    public var actionIndex: Int { Int(action[0]) }

    /// True when the episode ended with this transition (either flag).
    public var done: Bool { terminated || truncated }
}

extension ReplayBuffer {
    /// Stores `transition`, overwriting the oldest when full.
    ///
    /// - Throws: `InvalidArgument` for an observation or action of the wrong
    ///   length, a non-finite number anywhere, or a discount outside [0, 1].
    public mutating func add(_ transition: Transition) throws {
        try add(observation: transition.observation, action: transition.action, reward: transition.reward,
                nextObservation: transition.nextObservation, terminated: transition.terminated,
                truncated: transition.truncated, discount: transition.discount)
    }
}
