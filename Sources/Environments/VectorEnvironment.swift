import Diagnostics
/// What one step of a `VectorEnvironment` returns: one entry per copy.
///
/// Autoreset is *same-step* (Gymnasium's `AutoresetMode.SAME_STEP`): when copy
/// `i` ends an episode on this step, `observations[i]` is already the first
/// observation of its next episode, and the last observation of the finished
/// episode is kept aside in `finalObservations[i]` (nil for copies that did
/// not finish). `rewards`, `terminated` and `truncated` describe the step that
/// ended the episode. For GAE/PPO: bootstrap a truncated copy from
/// `finalObservations[i]`, never from `observations[i]`.
public struct VectorStep<Observation> {
    /// The observation each copy continues from (a fresh episode's first
    /// observation for copies that just finished).
    public var observations: [Observation]
    /// The reward of each copy.
    public var rewards: [Double]
    /// True where the copy reached a terminal state.
    public var terminated: [Bool]
    /// True where the copy hit a time limit.
    public var truncated: [Bool]
    /// The last observation of each episode that ended on this step.
    public var finalObservations: [Observation?]

    /// True when copy `index` ended an episode on this step.
    public func done(_ index: Int) -> Bool { terminated[index] || truncated[index] }
}

extension VectorStep: Sendable where Observation: Sendable {}

/// N copies of an environment stepped together with automatic reset, for
/// on-policy methods such as PPO (4 copies x 128 steps in the peer setup).
///
/// `reset(seed:)` resets copy i with seed `seed + i` (or continues each copy's
/// stream when `seed` is nil). See `VectorStep` for the autoreset rule. The
/// returns and lengths of finished episodes, across all copies and in the
/// order they finished, are in `episodes` (one `EpisodeTracker` slot per copy).
public struct VectorEnvironment<Base: Environment> {
    /// The copies.
    public private(set) var environments: [Base]
    /// The episodes of every copy: the finished ones in the order they
    /// finished, and the one under way in each copy.
    public private(set) var episodes: EpisodeTracker

    /// Creates `count` copies; `make(i)` builds copy i.
    ///
    /// - Throws: `InvalidArgument` for a count below 1, and what `make` throws.
    public init(count: Int, make: (Int) throws -> Base) throws {
        try Validate.count(count, "count", in: "VectorEnvironment")
        environments = try (0..<count).map(make)
        episodes = try EpisodeTracker(slots: count)
    }

    /// The number of copies.
    public var count: Int { environments.count }

    /// The return of every finished episode, in the order they finished.
    public var episodeReturns: [Double] { episodes.returns }
    /// The length of every finished episode, in the order they finished.
    public var episodeLengths: [Int] { episodes.lengths }

    /// Resets every copy (copy i with seed `seed + i`) and returns their first
    /// observations.
    public mutating func reset(seed: UInt64? = nil) -> [Base.Observation] {
        for i in 0..<count { episodes.discardCurrent(slot: i) }
        return (0..<count).map { i in environments[i].reset(seed: seed.map { $0 &+ UInt64(i) }) }
    }

    /// Steps every copy with its action and resets the copies that finished.
    ///
    /// - Throws: `EnvironmentError.invalidAction` when `actions.count` is not
    ///   the number of copies, and any copy's error (for example a step
    ///   before `reset`).
    public mutating func step(_ actions: [Base.Action]) throws -> VectorStep<Base.Observation> {
        guard actions.count == count else {
            throw EnvironmentError.invalidAction(environment: "VectorEnvironment", action: "\(actions.count) actions",
                                                 expected: "\(count) actions, one per copy")
        }
        var observations: [Base.Observation] = []
        observations.reserveCapacity(count)
        var result = VectorStep<Base.Observation>(
            observations: [], rewards: Array(repeating: 0, count: count),
            terminated: Array(repeating: false, count: count), truncated: Array(repeating: false, count: count),
            finalObservations: Array(repeating: nil, count: count))
        for i in 0..<count {
            let step = try environments[i].step(actions[i])
            result.rewards[i] = step.reward
            result.terminated[i] = step.terminated
            result.truncated[i] = step.truncated
            episodes.record(reward: step.reward, done: step.done, slot: i)
            if step.done {
                result.finalObservations[i] = step.observation
                observations.append(environments[i].reset(seed: nil))
            } else {
                observations.append(step.observation)
            }
        }
        result.observations = observations
        return result
    }
}

extension VectorEnvironment: Sendable where Base: Sendable {}
