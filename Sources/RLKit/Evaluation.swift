import Environments

/// The outcome of evaluating a policy on seeded episodes.
public struct EvaluationResult: Sendable, CustomStringConvertible {
    /// The undiscounted return of every episode, in episode order.
    public var returns: [Double]
    /// The length of every episode.
    public var lengths: [Int]

    /// Mean, standard deviation and range of the returns.
    public var summary: Summary { Summary(returns) }
    /// The mean return.
    public var meanReturn: Double { summary.mean }
    /// The population standard deviation of the returns.
    public var standardDeviation: Double { summary.standardDeviation }

    public var description: String { "return \(summary)" }
}

/// Plays `episodes` episodes of a policy, episode i in a fresh environment
/// `make(i)` reset with seed `seed + i`, all in lockstep: one batched call of
/// `act` per time step for the episodes still running (a network evaluates
/// them as one batch). An episode ends when it terminates or is truncated
/// (give the environment a time limit).
///
///     let result = try evaluatePolicy(episodes: 100, seed: 10_000, make: { _ in CartPole() }) { observations in
///         withoutGradients { q(observations) }.argmax()
///     }
///
/// - Parameters:
///   - act: receives the observations of the running episodes as a
///     `[running, dimension]` tensor and returns one action each.
///   - maxSteps: a safety cap on each episode's length.
/// - Throws: `InvalidArgument` for fewer than 1 episode or a wrong number of
///   actions; the environments' errors (an invalid action).
public func evaluatePolicy<E: Environment>(
    episodes: Int, seed: UInt64, maxSteps: Int = 100_000, make: (Int) throws -> E,
    act: (Tensor) throws -> [E.Action]
) throws -> EvaluationResult where E.Observation: ObservationVector {
    try Validate.count(episodes, "episodes", in: "evaluatePolicy")
    try Validate.count(maxSteps, "maxSteps", in: "evaluatePolicy")
    var environments = try (0..<episodes).map(make)
    let dimension = E.Observation.dimension
    var observations = [Float](repeating: 0, count: episodes * dimension)
    for i in 0..<episodes {
        environments[i].reset(seed: seed &+ UInt64(i)).write(into: &observations, at: i * dimension)
    }
    var tracker = try EpisodeTracker(slots: episodes)
    var running = Array(0..<episodes)
    var batch = [Float]()
    while !running.isEmpty {
        batch.removeAll(keepingCapacity: true)
        for i in running { batch.append(contentsOf: observations[(i * dimension)..<((i + 1) * dimension)]) }
        let actions = try act(Tensor(shape: [running.count, dimension], scalars: batch))
        guard actions.count == running.count else {
            throw InvalidArgument("evaluatePolicy", "act", "returned \(actions.count) actions for \(running.count) observations")
        }
        var stillRunning: [Int] = []
        for (k, i) in running.enumerated() {
            let step = try environments[i].step(actions[k])
            step.observation.write(into: &observations, at: i * dimension)
            let capped = tracker.currentLength(slot: i) + 1 >= maxSteps
            if tracker.record(reward: step.reward, done: step.done || capped, slot: i) == nil { stillRunning.append(i) }
        }
        running = stillRunning
    }
    let byEpisode = tracker.finished.sorted { $0.slot < $1.slot }
    return EvaluationResult(returns: byEpisode.map(\.return), lengths: byEpisode.map(\.length))
}
