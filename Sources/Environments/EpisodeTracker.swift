import Diagnostics

/// The return and length of the episodes under way in one or more slots
/// (environment copies, or evaluation episodes run in lockstep), and of every
/// episode that has finished: the one place the course adds up rewards per
/// episode (Gymnasium's `RecordEpisodeStatistics`).
///
///     var episodes = EpisodeTracker()
///     let step = try env.step(action)
///     if let finished = episodes.record(reward: step.reward, done: step.done) {
///         try log.record(step: t, [Metric.episodicReturn: finished.return])
///     }
///
/// An episode counts as finished on the step that reports terminated or
/// truncated; the undiscounted return is the sum of its rewards.
public struct EpisodeTracker: Sendable, Equatable {
    /// An episode that ended: its slot, undiscounted return and length.
    public struct Episode: Sendable, Equatable {
        /// The slot (environment copy) it ran in.
        public var slot: Int
        /// The sum of its rewards.
        public var `return`: Double
        /// Its number of steps.
        public var length: Int

        /// Creates an episode's record.
        public init(slot: Int, return: Double, length: Int) {
            self.slot = slot
            self.return = `return`
            self.length = length
        }
    }

    /// Every finished episode, in the order they finished.
    public private(set) var finished: [Episode] = []
    private var runningReturns: [Double]
    private var runningLengths: [Int]

    /// Creates a tracker for `slots` episodes running side by side.
    ///
    /// - Throws: `InvalidArgument` for fewer than 1 slot.
    public init(slots: Int) throws {
        try Validate.count(slots, "slots", in: "EpisodeTracker")
        runningReturns = Array(repeating: 0, count: slots)
        runningLengths = Array(repeating: 0, count: slots)
    }

    /// Creates a tracker for one environment.
    public init() {
        runningReturns = [0]
        runningLengths = [0]
    }

    /// The number of slots.
    public var slots: Int { runningReturns.count }

    /// Adds one step's reward to the episode in `slot`; when `done`, that
    /// episode is finished, recorded and returned, and the slot starts over.
    ///
    /// - Precondition: `slot` in `0..<slots` (a trap with a message).
    @discardableResult
    public mutating func record(reward: Double, done: Bool, slot: Int = 0) -> Episode? {
        check(slot >= 0 && slot < slots, "EpisodeTracker.record: slot \(slot) is outside 0..<\(slots)")
        runningReturns[slot] += reward
        runningLengths[slot] += 1
        guard done else { return nil }
        let episode = Episode(slot: slot, return: runningReturns[slot], length: runningLengths[slot])
        finished.append(episode)
        discardCurrent(slot: slot)
        return episode
    }

    /// Forgets the unfinished episode in `slot` (call it on a reset that
    /// abandons an episode).
    public mutating func discardCurrent(slot: Int = 0) {
        check(slot >= 0 && slot < slots, "EpisodeTracker.discardCurrent: slot \(slot) is outside 0..<\(slots)")
        runningReturns[slot] = 0
        runningLengths[slot] = 0
    }

    /// The return so far of the episode under way in `slot`.
    public func currentReturn(slot: Int = 0) -> Double { runningReturns[slot] }

    /// The steps so far of the episode under way in `slot`.
    public func currentLength(slot: Int = 0) -> Int { runningLengths[slot] }

    /// The returns of the finished episodes, in the order they finished.
    public var returns: [Double] { finished.map(\.return) }

    /// The lengths of the finished episodes, in the order they finished.
    public var lengths: [Int] { finished.map(\.length) }

    /// The mean return of the last `count` finished episodes (all if fewer);
    /// nil before the first episode ends.
    public func meanReturn(last count: Int = 100) -> Double? {
        guard !finished.isEmpty else { return nil }
        let recent = finished.suffix(count)
        return recent.reduce(0) { $0 + $1.return } / Double(recent.count)
    }
}
