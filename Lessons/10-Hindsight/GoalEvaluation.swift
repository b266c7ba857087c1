import CourseKit
import Environments
import RLKit

/// The outcome of playing a goal-conditioned policy on seeded episodes.
public struct GoalEvaluation: Sendable {
    /// Whether each episode reached its goal (ended terminated), in episode order.
    public var successes: [Bool]
    /// The undiscounted return of each episode.
    public var returns: [Double]
    /// The length of each episode.
    public var lengths: [Int]

    /// The fraction of episodes that reached their goal.
    public var successRate: Double {
        successes.isEmpty ? 0 : Double(successes.filter { $0 }.count) / Double(successes.count)
    }
    /// The mean return.
    public var meanReturn: Double { Summary(returns).mean }
}

/// Plays `episodes` episodes of a policy, episode i in `make(i)` reset with
/// seed `seed + i`, in lockstep: one call of `act` per time step with the
/// observations of the episodes still running. An episode succeeds when it
/// ends terminated (its goal reached) rather than truncated. The shared
/// `evaluatePolicy` needs fixed-size observations (`ObservationVector`); goal
/// observations are arrays whose size depends on the task, hence this version.
///
/// - Parameters:
///   - act: one action for each observation it receives.
///   - maxSteps: a safety cap on each episode's length.
/// - Throws: `InvalidArgument` for fewer than 1 episode or a wrong number of
///   actions; the environments' errors.
public func evaluateGoalPolicy<E: GoalEnvironment>(
    episodes: Int, seed: UInt64, maxSteps: Int = 100_000, make: (Int) throws -> E,
    act: ([GoalObservation]) throws -> [E.Action]
) throws -> GoalEvaluation {
    try Validate.count(episodes, "episodes", in: "evaluateGoalPolicy")
    var environments = try (0..<episodes).map(make)
    var observations = (0..<episodes).map { environments[$0].reset(seed: seed &+ UInt64($0)) }
    var tracker = try EpisodeTracker(slots: episodes)
    var successes = [Bool](repeating: false, count: episodes)
    var running = Array(0..<episodes)
    while !running.isEmpty {
        let actions = try act(running.map { observations[$0] })
        guard actions.count == running.count else {
            throw InvalidArgument("evaluateGoalPolicy", "act", "returned \(actions.count) actions for "
                                  + "\(running.count) observations")
        }
        var stillRunning: [Int] = []
        for (k, i) in running.enumerated() {
            let step = try environments[i].step(actions[k])
            observations[i] = step.observation
            successes[i] = step.terminated
            let capped = tracker.currentLength(slot: i) + 1 >= maxSteps
            if tracker.record(reward: step.reward, done: step.done || capped, slot: i) == nil { stillRunning.append(i) }
        }
        running = stillRunning
    }
    let byEpisode = tracker.finished.sorted { $0.slot < $1.slot }
    return GoalEvaluation(successes: successes, returns: byEpisode.map(\.return), lengths: byEpisode.map(\.length))
}
