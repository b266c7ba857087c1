/// Records the return (undiscounted sum of rewards) and the length of every
/// finished episode (Gymnasium's `RecordEpisodeStatistics`).
///
/// An episode counts as finished on the step that reports terminated or
/// truncated. Steps and resets pass through unchanged.
public struct EpisodeStatistics<Base: Environment>: Environment {
    /// The wrapped environment.
    public var base: Base
    /// The returns and lengths of the episodes so far.
    public private(set) var episodes = EpisodeTracker()

    /// Wraps `base`.
    public init(_ base: Base) { self.base = base }

    /// The return of each finished episode, oldest first.
    public var returns: [Double] { episodes.returns }
    /// The length (number of steps) of each finished episode, oldest first.
    public var lengths: [Int] { episodes.lengths }
    /// The return so far of the episode under way.
    public var currentReturn: Double { episodes.currentReturn() }
    /// The number of steps so far of the episode under way.
    public var currentLength: Int { episodes.currentLength() }
    /// The number of finished episodes.
    public var episodeCount: Int { episodes.finished.count }

    /// The mean return of the last `count` finished episodes (all if fewer);
    /// `nil` before the first episode ends.
    public func meanReturn(last count: Int = 100) -> Double? { episodes.meanReturn(last: count) }

    /// Resets the base environment and the running counters (an unfinished
    /// episode is discarded).
    public mutating func reset(seed: UInt64?) -> Base.Observation {
        episodes.discardCurrent()
        return base.reset(seed: seed)
    }

    /// Steps the base environment and records the episode when it ends.
    public mutating func step(_ action: Base.Action) throws -> Step<Base.Observation> {
        let result = try base.step(action)
        episodes.record(reward: result.reward, done: result.done)
        return result
    }
}

extension EpisodeStatistics: Sendable where Base: Sendable {}

extension EpisodeStatistics: DiscreteEnvironment where Base: DiscreteEnvironment {
    /// The base's number of states.
    public var stateCount: Int { base.stateCount }
    /// The base's number of actions.
    public var actionCount: Int { base.actionCount }
    /// The base's legal actions in `state`.
    public func actionCount(in state: Int) -> Int { base.actionCount(in: state) }
}
