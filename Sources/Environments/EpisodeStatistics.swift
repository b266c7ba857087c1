/// Records the return (undiscounted sum of rewards) and the length of every
/// finished episode (Gymnasium's `RecordEpisodeStatistics`).
///
/// An episode counts as finished on the step that reports terminated or
/// truncated. Steps and resets pass through unchanged.
public struct EpisodeStatistics<Base: Environment>: Environment {
    /// The wrapped environment.
    public var base: Base
    /// The return of each finished episode, oldest first.
    public private(set) var returns: [Double] = []
    /// The length (number of steps) of each finished episode, oldest first.
    public private(set) var lengths: [Int] = []
    /// The return so far of the episode under way.
    public private(set) var currentReturn = 0.0
    /// The number of steps so far of the episode under way.
    public private(set) var currentLength = 0

    /// Wraps `base`.
    public init(_ base: Base) { self.base = base }

    /// The number of finished episodes.
    public var episodeCount: Int { returns.count }

    /// The mean return of the last `count` finished episodes (all if fewer);
    /// `nil` before the first episode ends.
    public func meanReturn(last count: Int = 100) -> Double? {
        guard !returns.isEmpty else { return nil }
        let recent = returns.suffix(count)
        return recent.reduce(0, +) / Double(recent.count)
    }

    /// Resets the base environment and the running counters (an unfinished
    /// episode is discarded).
    public mutating func reset(seed: UInt64?) -> Base.Observation {
        currentReturn = 0
        currentLength = 0
        return base.reset(seed: seed)
    }

    /// Steps the base environment and records the episode when it ends.
    public mutating func step(_ action: Base.Action) throws -> Step<Base.Observation> {
        let result = try base.step(action)
        currentReturn += result.reward
        currentLength += 1
        if result.done {
            returns.append(currentReturn)
            lengths.append(currentLength)
            currentReturn = 0
            currentLength = 0
        }
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
