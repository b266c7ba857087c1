import CourseKit
import Environments
import RLKit

// MARK: - Configuration

/// Every setting of a behaviour-cloning run. The defaults clone
/// `CartPoleExpert` with a categorical policy; `.pendulum` clones
/// `PendulumExpert` by regression (docs/BENCHMARKS.md, "Lesson 09", has the
/// measured figures).
public struct BehaviourCloningConfig: Sendable {
    /// The seed of every random number: the validation split, network
    /// initialisation, minibatch order.
    public var seed: UInt64 = 0
    /// Regression (continuous actions) or maximum likelihood.
    public var loss = BCLoss.maximumLikelihood
    /// The hidden layer widths of the policy network.
    public var hiddenSizes = [64, 64]
    /// The activation after every hidden layer.
    public var activation = Activation.tanh
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3
    /// Rows per gradient step (the last minibatch of an epoch may be smaller).
    public var batchSize = 64
    /// Passes over the training set.
    public var epochs = 30
    /// The fraction of the episodes held out for validation, in (0, 1).
    public var validationFraction = 0.25
    /// Standardise observations with the training set's mean and standard deviation.
    public var standardiseObservations = true
    /// Greedy episodes to evaluate the final policy on (0: none), seeded
    /// from `seed + 1,000,000`.
    public var evaluationEpisodes = 10

    /// The defaults: CartPole, a categorical policy.
    public init() {}

    /// Pendulum: regression of the torque, longer training.
    public static var pendulum: BehaviourCloningConfig {
        var config = BehaviourCloningConfig()
        config.loss = .regression
        config.epochs = 150
        config.standardiseObservations = false
        return config
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "BehaviourCloningConfig"
        try Validate.count(batchSize, "batchSize", in: function)
        try Validate.count(epochs, "epochs", in: function)
        try Validate.count(evaluationEpisodes, "evaluationEpisodes", atLeast: 0, in: function)
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        try Validate.positive(learningRate, "learningRate", in: function)
        guard validationFraction > 0, validationFraction < 1 else {
            throw InvalidArgument(function, "validationFraction",
                                  "got \(validationFraction), expected a number in (0, 1)")
        }
    }
}

// MARK: - The learner

/// Behaviour cloning: supervised learning of the expert's actions from its
/// demonstrations, with whole episodes held out for validation and the
/// epoch of lowest validation loss kept. `init` sets everything up (the
/// split, the policy, Adam, the log); `train` is the loop (exercise 9.5).
public struct BehaviourCloning<E: ImitationEnvironment> {
    /// The settings.
    public let config: BehaviourCloningConfig
    /// The policy being trained.
    public let policy: ImitationPolicy
    /// The rows it trains on and the rows it holds out (whole episodes).
    public let training: Demonstrations, validation: Demonstrations
    let make: (UInt64) throws -> E
    var rng: SeededGenerator
    let optimizer: Adam
    /// The run's log so far: one row per epoch.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Epochs done so far.
    public private(set) var epoch = 0
    /// Gradient steps taken so far.
    public private(set) var updates = 0
    /// The epoch whose parameters the policy holds after training (lowest validation loss).
    public private(set) var bestEpoch = 0
    /// The validation loss of that epoch.
    public private(set) var bestValidationLoss = Double.infinity

    /// Sets up a run on `demonstrations`; `make(seed)` builds the environment
    /// they come from (its action kind, and the evaluation episodes).
    ///
    /// - Throws: `InvalidArgument` for a bad setting, empty demonstrations,
    ///   demonstrations whose observations or actions do not fit the
    ///   environment, or fewer than 2 episodes to split.
    public init(_ config: BehaviourCloningConfig, demonstrations: Demonstrations,
                make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        let actionKind = try make(config.seed).actionKind
        try checkDemonstrations(demonstrations, observationSize: E.Observation.dimension, actionKind: actionKind,
                                in: "BehaviourCloning")
        self.config = config
        self.make = make
        rng = SeededGenerator(seed: config.seed)
        (training, validation) = try demonstrations.splitByEpisode(validationFraction: config.validationFraction,
                                                                   using: &rng)
        let standardisation = config.standardiseObservations ? featureStatistics(training) : nil
        policy = try ImitationPolicy(observationSize: E.Observation.dimension, actionKind: actionKind,
                                     loss: config.loss, hiddenSizes: config.hiddenSizes, activation: config.activation,
                                     standardisation: standardisation, using: &rng)
        optimizer = try Adam(parameters: policy.trainableParameters, learningRate: config.learningRate)
        log = try RunLog(metrics: [Metric.behaviourCloningLoss, Metric.validationLoss, Metric.validationActionError])
    }

    /// Trains for `config.epochs` passes over the training rows, in shuffled
    /// minibatches, measures the validation loss after every epoch, and ends
    /// with the parameters of the epoch whose validation loss was lowest
    /// (notes, section 3, has the loop in pseudocode).
    ///
    /// - Parameter progress: called with the epoch count after every epoch.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // BEGIN SOLUTION 9.5: epochs of shuffled minibatches; validate each epoch; keep the best epoch (section 3)
        let (observations, actions) = (training.observationTensor(), training.actionTensor())
        let (heldOut, heldOutActions) = (validation.observationTensor(), validation.actionTensor())
        var best = policy.parameters.map(\.scalars)
        while epoch < config.epochs {
            epoch += 1
            let order = try rng.permutation(of: training.count)
            var (total, batches) = (0.0, 0)
            for start in stride(from: 0, to: order.count, by: config.batchSize) {
                let rows = Array(order[start..<Swift.min(start + config.batchSize, order.count)])
                optimizer.zeroGradients()
                let loss = try policy.loss(observations: observations.rows(rows), actions: actions.rows(rows))
                loss.backward()
                optimizer.step()
                (total, batches, updates) = (total + Double(loss.scalar), batches + 1, updates + 1)
            }
            let validationLoss = try withoutGradients {
                try policy.loss(observations: heldOut, actions: heldOutActions)
            }.scalar
            if Double(validationLoss) < bestValidationLoss {
                (bestValidationLoss, bestEpoch) = (Double(validationLoss), epoch)
                best = policy.parameters.map(\.scalars)
            }
            try log.record(step: epoch, [Metric.behaviourCloningLoss: total / Double(batches),
                                         Metric.validationLoss: Double(validationLoss),
                                         Metric.validationActionError: try policy.actionError(on: validation)])
            progress?(epoch)
        }
        for (parameter, values) in zip(policy.parameters, best) { parameter.assign(values) }
        // END SOLUTION
    }

    /// The trained policy's greedy returns over `episodes` episodes seeded
    /// from `seed` (`evaluateGreedy`).
    public func evaluate(episodes: Int, seed: UInt64) throws -> EvaluationResult {
        try evaluateGreedy(policy, episodes: episodes, seed: seed, make: make)
    }

    /// The run's result so far: `steps` counts the expert's labels it learned from.
    public var run: TrainingRun<ImitationPolicy> {
        TrainingRun(agent: policy, log: log, steps: training.count + validation.count, updates: updates,
                    solvedAtStep: nil, lastEvaluation: nil, seconds: clock.seconds)
    }
}

/// The mean and (population) standard deviation of every observation
/// feature of `data`.
func featureStatistics(_ data: Demonstrations) -> (mean: [Float], deviation: [Float]) {
    let (n, d) = (data.count, data.observationSize)
    var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
    for i in 0..<n {
        for k in 0..<d { mean[k] += Double(data.observations[i * d + k]) / Double(n) }
    }
    for i in 0..<n {
        for k in 0..<d {
            let x = Double(data.observations[i * d + k]) - mean[k]
            square[k] += x * x / Double(n)
        }
    }
    return (mean.map(Float.init), square.map { Float($0.squareRoot()) })
}

/// Clones the expert of `demonstrations` on `make`'s environment, and
/// evaluates the result greedily on `config.evaluationEpisodes` episodes.
///
/// - Throws: `InvalidArgument` for a bad setting or bad demonstrations;
///   errors of the pieces.
public func trainBehaviourCloning<E: ImitationEnvironment>(
    _ config: BehaviourCloningConfig, demonstrations: Demonstrations, progress: ((Int) -> Void)? = nil,
    make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<ImitationPolicy> {
    var cloning = try BehaviourCloning(config, demonstrations: demonstrations, make: make)
    try cloning.train(progress: progress)
    var run = cloning.run
    if config.evaluationEpisodes > 0 {
        run.lastEvaluation = try cloning.evaluate(episodes: config.evaluationEpisodes, seed: config.seed &+ 1_000_000)
    }
    return run
}
