import CourseKit
import Environments
import RLKit

// MARK: - Configuration

/// Every setting of a DAgger run (Ross, Gordon and Bagnell, 2011). The
/// defaults are the demo's: Pendulum, 400 expert labels to start and 200 more
/// on the learner's own states in each of 6 rounds, 1,600 in all.
public struct DAggerConfig: Sendable {
    /// The seed of every random number: rollouts, splits, networks.
    public var seed: UInt64 = 0
    /// Round 0: the expert's own demonstrations, in labelled states.
    public var initialLabels = 400
    /// Each later round: states the learner visits, labelled by the expert.
    public var labelsPerRound = 200
    /// Rounds after round 0.
    public var rounds = 6
    /// The probability that a rollout step of rounds 1... executes the
    /// expert's action instead of the learner's (DAgger's beta; 0 is the
    /// common choice: the learner's own states).
    public var beta = 0.0
    /// The behaviour cloning of every round (its seed is derived from `seed`
    /// and the round).
    public var training = BehaviourCloningConfig.pendulum
    /// Greedy episodes to evaluate each round's policy on, seeded from
    /// `seed + 1,000,000` (the same episodes every round).
    public var evaluationEpisodes = 10

    /// The defaults: the demo's run on Pendulum.
    public init() {}

    /// The expert labels a run collects: initialLabels + rounds * labelsPerRound.
    public var totalLabels: Int { initialLabels + rounds * labelsPerRound }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "DAggerConfig"
        try Validate.count(initialLabels, "initialLabels", in: function)
        try Validate.count(labelsPerRound, "labelsPerRound", in: function)
        try Validate.count(rounds, "rounds", atLeast: 0, in: function)
        try Validate.count(evaluationEpisodes, "evaluationEpisodes", in: function)
        try Validate.inClosedRange(beta, 0, 1, "beta", in: function)
        try training.validate()
    }
}

// MARK: - The learner

/// DAgger: behaviour cloning that keeps asking the expert. Round 0 clones the
/// expert's demonstrations; every later round rolls out the current learner,
/// has the expert label the states the learner visited, adds them to the data
/// set and clones again on everything so far. `init` sets up; `train` is the
/// loop (exercise 9.7).
public struct DAgger<E: ImitationEnvironment> {
    /// The settings.
    public let config: DAggerConfig
    let expert: (E.Observation) -> E.Action
    let make: (UInt64) throws -> E
    var rng: SeededGenerator
    /// Every labelled state so far (the aggregate data set D).
    public private(set) var data: Demonstrations
    /// The policy after each round (index 0: behaviour cloning on the expert's demonstrations).
    public private(set) var learners: [ImitationPolicy] = []
    /// The latest policy (an untrained one before `train`).
    public private(set) var policy: ImitationPolicy
    /// The evaluation of the latest policy.
    public private(set) var lastEvaluation: EvaluationResult?
    /// The run's log so far, by the number of expert labels.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Expert labels collected so far (the loop's step counter).
    public private(set) var labels = 0
    /// Gradient steps taken so far, over all rounds.
    public private(set) var updates = 0

    /// Sets up a run on the environment `make(seed)`, with an expert that can
    /// be asked for its action in any state.
    ///
    /// - Throws: `InvalidArgument` for a bad setting.
    public init(_ config: DAggerConfig, expert: @escaping (E.Observation) -> E.Action,
                make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        self.config = config
        self.expert = expert
        self.make = make
        rng = SeededGenerator(seed: config.seed)
        let actionKind = try make(config.seed).actionKind
        data = try Demonstrations(observationSize: E.Observation.dimension, actionSize: actionKind.rowWidth)
        policy = try ImitationPolicy(observationSize: E.Observation.dimension, actionKind: actionKind,
                                     loss: config.training.loss, hiddenSizes: config.training.hiddenSizes,
                                     activation: config.training.activation, using: &rng)
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.validationLoss, Metric.evaluationReturn])
    }

    /// Runs round 0 and `config.rounds` DAgger rounds (notes, section 5, has
    /// the loop in pseudocode).
    ///
    /// - Parameter progress: called with the number of labels after every round.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // TODO(9.7): roll out the learner, label its states with the expert, aggregate, retrain (section 5)
        throw ExerciseError.notImplemented("9.7", file: "Lessons/09-Imitation/DAgger.swift", hint: "roll out the learner, label its states with the expert, aggregate, retrain (section 5)")
    }

    /// The run's result so far: `steps` counts the expert's labels.
    public var run: TrainingRun<ImitationPolicy> {
        TrainingRun(agent: policy, log: log, steps: labels, updates: updates, solvedAtStep: nil,
                    lastEvaluation: lastEvaluation, seconds: clock.seconds)
    }
}

/// Runs DAgger on `make`'s environment with `expert` as the teacher.
///
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainDAgger<E: ImitationEnvironment>(
    _ config: DAggerConfig, expert: @escaping (E.Observation) -> E.Action, progress: ((Int) -> Void)? = nil,
    make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<ImitationPolicy> {
    var dagger = try DAgger(config, expert: expert, make: make)
    try dagger.train(progress: progress)
    return dagger.run
}
