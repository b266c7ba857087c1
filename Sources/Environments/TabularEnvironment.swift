import TensorCore

/// Where an environment stands in its episode; every environment checks it so
/// that a step before `reset` or after the end gets a clear error.
public enum EpisodeStatus: Sendable, Equatable {
    /// `reset(seed:)` has not been called yet.
    case notStarted
    /// An episode is under way: `step(_:)` is legal.
    case running
    /// The last step ended the episode (terminated or truncated).
    case ended
}

extension EpisodeStatus {
    /// Throws unless a step is legal now.
    func checkCanStep(_ environment: @autoclosure () -> String) throws {
        switch self {
        case .running: return
        case .notStarted: throw EnvironmentError.notReset(environment: environment())
        case .ended: throw EnvironmentError.episodeFinished(environment: environment())
        }
    }
}

/// A playable episode of any `TabularMDP`: each step samples the next state
/// from the model's outcome list P(. | s, a).
///
/// This is the engine of every tabular world (grid worlds, FrozenLake,
/// CliffWalking, random walks, ...). A step draws one uniform number u and
/// returns the first outcome whose cumulative probability exceeds u, exactly
/// as Gymnasium's `categorical_sample` does.
public struct TabularEnvironment: DiscreteEnvironment, Sendable {
    /// The model the episodes are sampled from.
    public let model: TabularMDP
    /// The current state (meaningful once `reset` has been called).
    public private(set) var state: Int
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The environment's random stream (start states and outcomes).
    public var generator: SeededGenerator

    /// Creates an environment that samples from `model`.
    ///
    /// - Parameters:
    ///   - model: the MDP to play.
    ///   - seed: the seed of the generator, used until `reset(seed:)` passes
    ///     another one.
    public init(model: TabularMDP, seed: UInt64 = 0) {
        self.model = model
        self.state = 0
        self.generator = SeededGenerator(seed: seed)
    }

    /// The number of states of the model.
    public var stateCount: Int { model.stateCount }
    /// The size of the action space.
    public var actionCount: Int { model.actionCount }
    /// The number of actions legal in `state`.
    public func actionCount(in state: Int) -> Int { model.actionCount(in: state) }

    /// Starts an episode in a state drawn from `model.initialDistribution`.
    public mutating func reset(seed: UInt64? = nil) -> Int {
        if let seed { generator = SeededGenerator(seed: seed) }
        state = generator.categorical(model.initialDistribution)
        status = model.isTerminal[state] ? .ended : .running
        return state
    }

    /// Starts an episode in a chosen state (exploring starts, teaching).
    ///
    /// - Throws: `EnvironmentError.invalidConfiguration` when `start` is not a
    ///   state of the model.
    public mutating func reset(to start: Int) throws -> Int {
        guard (0..<model.stateCount).contains(start) else {
            throw EnvironmentError.invalidConfiguration(
                environment: model.name, problem: "start state \(start) is outside 0..<\(model.stateCount)")
        }
        state = start
        status = model.isTerminal[start] ? .ended : .running
        return state
    }

    /// Takes `action` in the current state and samples the outcome.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action outside
    ///   `0..<actionCount(in: state)`; `.notReset` / `.episodeFinished` when no
    ///   episode is running.
    public mutating func step(_ action: Int) throws -> Step<Int> {
        try status.checkCanStep(model.name)
        let legal = model.availableActionCounts[state]
        guard action >= 0 && action < legal else {
            throw EnvironmentError.invalidAction(
                environment: model.name, action: "\(action)",
                expected: "an integer in 0..<\(legal) in state \(state)")
        }
        let outcome = sample(model.transitions[state][action])
        state = outcome.nextState
        if outcome.terminated { status = .ended }
        return Step(observation: outcome.nextState, reward: outcome.reward,
                    terminated: outcome.terminated, truncated: false)
    }

    /// Draws one outcome without allocating.
    private mutating func sample(_ outcomes: [Transition]) -> Transition {
        if outcomes.count == 1 { return outcomes[0] }
        let u = generator.nextDouble()
        var cumulative = 0.0
        for outcome in outcomes {
            cumulative += outcome.probability
            if u < cumulative { return outcome }
        }
        return outcomes[outcomes.count - 1]
    }
}

/// A tabular world: a named environment with a full model, played through a
/// `TabularEnvironment`. Conforming types only supply `simulator`; reset,
/// step and the counts come from this extension.
public protocol TabularWorld: DiscreteEnvironment {
    /// The engine that plays episodes of `model`.
    var simulator: TabularEnvironment { get set }
}

extension TabularWorld {
    /// The full model P(s'|s,a), rewards and terminal flags, for dynamic
    /// programming.
    public var model: TabularMDP { simulator.model }
    /// The current state.
    public var state: Int { simulator.state }
    /// Where the current episode stands.
    public var status: EpisodeStatus { simulator.status }
    /// The number of states.
    public var stateCount: Int { simulator.model.stateCount }
    /// The size of the action space.
    public var actionCount: Int { simulator.model.actionCount }
    /// The number of actions legal in `state`.
    public func actionCount(in state: Int) -> Int { simulator.model.actionCount(in: state) }

    /// Starts an episode (see `TabularEnvironment.reset(seed:)`).
    public mutating func reset(seed: UInt64? = nil) -> Int { simulator.reset(seed: seed) }

    /// Starts an episode in a chosen state.
    public mutating func reset(to start: Int) throws -> Int { try simulator.reset(to: start) }

    /// Takes one step (see `TabularEnvironment.step(_:)`).
    public mutating func step(_ action: Int) throws -> Step<Int> { try simulator.step(action) }
}
