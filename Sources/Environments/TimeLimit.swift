import Diagnostics
/// Ends episodes after a fixed number of steps by truncation (Gymnasium's
/// `TimeLimit` wrapper).
///
/// The step that reaches `maxEpisodeSteps` reports `truncated == true` (also
/// when the base environment terminated on that same step, as in Gymnasium).
/// Truncation means the state is not terminal: learning targets should still
/// bootstrap from the observation. CartPole, Pendulum and MountainCar have
/// the registered limit built in; use this wrapper for any other environment.
public struct TimeLimit<Base: Environment>: Environment {
    /// The wrapped environment.
    public var base: Base
    /// The number of steps after which an episode is truncated.
    public let maxEpisodeSteps: Int
    /// Steps since the last reset.
    public private(set) var elapsedSteps = 0
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted

    /// Wraps `base`.
    ///
    /// - Throws: `InvalidArgument` for a limit below 1.
    public init(_ base: Base, maxEpisodeSteps: Int) throws {
        try Validate.count(maxEpisodeSteps, "maxEpisodeSteps", in: "TimeLimit")
        self.base = base
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Resets the base environment and the step counter.
    public mutating func reset(seed: UInt64?) -> Base.Observation {
        elapsedSteps = 0
        status = .running
        return base.reset(seed: seed)
    }

    /// Steps the base environment; truncates at the limit.
    ///
    /// - Throws: the base's errors, and `.notReset` / `.episodeFinished` when
    ///   stepping outside an episode (including after a truncation).
    public mutating func step(_ action: Base.Action) throws -> Step<Base.Observation> {
        try status.checkCanStep("TimeLimit(\(Base.self))")
        var result = try base.step(action)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps { result.truncated = true }
        if result.done { status = .ended }
        return result
    }
}

extension TimeLimit: Sendable where Base: Sendable {}

extension TimeLimit: DiscreteEnvironment where Base: DiscreteEnvironment {
    /// The base's number of states.
    public var stateCount: Int { base.stateCount }
    /// The base's number of actions.
    public var actionCount: Int { base.actionCount }
    /// The base's legal actions in `state`.
    public func actionCount(in state: Int) -> Int { base.actionCount(in: state) }
}
