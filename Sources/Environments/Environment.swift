import TensorCore

/// What one call to `step(_:)` returns, with Gymnasium's meaning.
///
/// - `terminated`: the episode reached a terminal state of the MDP. Its value
///   is zero, so learning targets must not bootstrap from `observation`.
/// - `truncated`: the episode was cut short (a time limit). The state is not
///   terminal, so learning targets should bootstrap from `observation`.
public struct Step<Observation> {
    /// The observation after the action.
    public var observation: Observation
    /// The reward for the transition.
    public var reward: Double
    /// True when the new state is terminal (no bootstrapping from it).
    public var terminated: Bool
    /// True when a time limit ended the episode (bootstrap from it).
    public var truncated: Bool

    /// Creates a step result.
    public init(observation: Observation, reward: Double, terminated: Bool, truncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// True when the episode is over for either reason.
    public var done: Bool { terminated || truncated }
}

extension Step: Sendable where Observation: Sendable {}
extension Step: Equatable where Observation: Equatable {}

/// An environment with Gymnasium semantics.
///
/// Call `reset(seed:)` before the first `step(_:)` and after every step whose
/// result is `done`. Passing a seed re-seeds the environment's generator;
/// passing `nil` continues its random stream.
public protocol Environment {
    /// What the agent sees.
    associatedtype Observation
    /// What the agent does.
    associatedtype Action

    /// Starts a new episode and returns its first observation.
    mutating func reset(seed: UInt64?) -> Observation

    /// Applies `action` and advances one time step.
    ///
    /// - Throws: `EnvironmentError` for an action outside the action space or
    ///   a step after the episode ended without a reset.
    mutating func step(_ action: Action) throws -> Step<Observation>
}

/// An environment whose states and actions are integers `0..<stateCount` and
/// `0..<actionCount`: everything the tabular lessons (01 to 03) run on.
public protocol DiscreteEnvironment: Environment where Observation == Int, Action == Int {
    /// The number of states.
    var stateCount: Int { get }
    /// The number of actions: the size of the action space.
    var actionCount: Int { get }
    /// The number of actions available in `state`: actions `0..<n` are legal
    /// there. Most environments allow every action everywhere (the default);
    /// the maximisation-bias MDP allows 2 in state A and more in state B.
    func actionCount(in state: Int) -> Int
}

extension DiscreteEnvironment {
    /// Every action is legal in every state.
    public func actionCount(in state: Int) -> Int { actionCount }
}

/// Errors an environment raises for bad input. Each message names what was
/// wrong and what was expected.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// An action outside the action space.
    case invalidAction(environment: String, action: String, expected: String)
    /// `step` was called after the episode ended, before `reset`.
    case episodeFinished(environment: String)
    /// `step` was called before the first `reset`.
    case notReset(environment: String)
    /// A map, model or configuration that cannot describe a valid environment.
    case invalidConfiguration(environment: String, problem: String)

    public var description: String {
        switch self {
        case let .invalidAction(environment, action, expected):
            return "\(environment): invalid action \(action); expected \(expected)"
        case let .episodeFinished(environment):
            return "\(environment): step(_:) called after the episode ended (terminated or truncated); call reset(seed:) first"
        case let .notReset(environment):
            return "\(environment): step(_:) called before reset(seed:); call reset(seed:) first"
        case let .invalidConfiguration(environment, problem):
            return "\(environment): \(problem)"
        }
    }
}
