import CourseKit
import Environments

/// When a run evaluates its policy, and what counts as solved: every
/// `interval` environment steps, `episodes` seeded episodes of the policy
/// without exploration; a mean return at `threshold` is confirmed with
/// `confirmationEpisodes` fresh episodes before the run counts as solved
/// (CartPole-v1's criterion: a mean of 475 over 100 episodes).
public struct EvaluationSettings: Sendable, Equatable {
    /// Environment steps between evaluations (0: never evaluate).
    public var interval: Int
    /// Episodes of a routine evaluation.
    public var episodes: Int
    /// Episodes of the confirming evaluation (the solved criterion).
    public var confirmationEpisodes: Int
    /// The mean return that counts as solved (nil: never stop early).
    public var threshold: Double?

    /// Creates settings.
    public init(interval: Int, episodes: Int, confirmationEpisodes: Int, threshold: Double?) {
        self.interval = interval
        self.episodes = episodes
        self.confirmationEpisodes = confirmationEpisodes
        self.threshold = threshold
    }

    /// CartPole-v1: 10 episodes every 1,000 steps; solved at a mean of 475
    /// over 100 confirming episodes.
    public static let cartPole = EvaluationSettings(interval: 1_000, episodes: 10, confirmationEpisodes: 100,
                                                    threshold: 475)

    /// No evaluation at all (the run trains for its whole budget).
    public static let never = EvaluationSettings(interval: 0, episodes: 1, confirmationEpisodes: 1, threshold: nil)

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming `function` and the first bad one.
    public func validate(in function: String) throws {
        try Validate.count(interval, "evaluation.interval", atLeast: 0, in: function)
        try Validate.count(episodes, "evaluation.episodes", in: function)
        try Validate.count(confirmationEpisodes, "evaluation.confirmationEpisodes", in: function)
        if let threshold { try Validate.finite(threshold, "evaluation.threshold", in: function) }
    }
}

/// Evaluates a policy on schedule during training and says when the run is
/// solved: the plumbing every agent's loop shares (one call per step).
///
///     var evaluation = EvaluationSchedule(config.evaluation, seed: config.seed, after: config.learningStarts,
///                                         make: make)
///     for step in 1...config.totalSteps {
///         ...
///         if try evaluation.isSolved(afterStep: step, log: &log, policy: greedy) { break }
///     }
///
/// Evaluation episodes run in environments of their own, seeded apart from
/// training, so evaluating changes nothing in the training run.
public struct EvaluationSchedule<E: Environment> where E.Observation: ObservationVector {
    /// The schedule and the criterion.
    public let settings: EvaluationSettings
    /// The run's seed (evaluation seeds are derived from it and the step).
    public let seed: UInt64
    /// No evaluation at or before this step (the agent has not learned yet).
    public let firstStep: Int
    let make: (UInt64) throws -> E
    /// The evaluations so far: the step and the mean return.
    public private(set) var evaluations: [(step: Int, meanReturn: Double)] = []
    /// The last evaluation (the confirming one when there was one).
    public private(set) var last: EvaluationResult?
    /// The step at which the run was solved, if it was.
    public private(set) var solvedAtStep: Int?

    /// Creates a schedule; `make(seed)` builds an evaluation environment.
    public init(_ settings: EvaluationSettings, seed: UInt64, after firstStep: Int = 0,
                make: @escaping (UInt64) throws -> E) {
        self.settings = settings
        self.seed = seed
        self.firstStep = firstStep
        self.make = make
    }

    /// Call after every environment step (`step` counts the steps taken):
    /// evaluates `policy` when one is due, logs `Metric.evaluationReturn`,
    /// and returns true once the run is solved (stop training then).
    ///
    /// - Parameter policy: the deterministic policy, one action per row of
    ///   a `[running, observation]` batch.
    public mutating func isSolved(afterStep step: Int, log: inout RunLog,
                                  policy: (Tensor) throws -> [E.Action]) throws -> Bool {
        guard settings.interval > 0, step % settings.interval == 0, step > firstStep else { return false }
        var result = try evaluate(episodes: settings.episodes, seed: seed &+ 1_000_000 &+ UInt64(step), policy: policy)
        if let threshold = settings.threshold, result.meanReturn >= threshold {
            result = try evaluate(episodes: settings.confirmationEpisodes, seed: seed &+ 2_000_000 &+ UInt64(step),
                                  policy: policy)
            if result.meanReturn >= threshold { solvedAtStep = step }
        }
        last = result
        evaluations.append((step, result.meanReturn))
        try log.record(step: step, [Metric.evaluationReturn: result.meanReturn])
        return solvedAtStep != nil
    }

    /// The policy's returns over `episodes` episodes, episode i in `make(seed + i)` reset with seed `seed + i`.
    public func evaluate(episodes: Int, seed: UInt64, policy: (Tensor) throws -> [E.Action]) throws -> EvaluationResult {
        try evaluatePolicy(episodes: episodes, seed: seed, make: { try make(seed &+ UInt64($0)) }, act: policy)
    }
}
