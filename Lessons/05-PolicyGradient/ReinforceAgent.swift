import CourseKit
import Environments
import Foundation
import RLKit

// MARK: - Configuration

/// What the REINFORCE agent subtracts from the returns.
public enum BaselineKind: String, Sendable, CaseIterable {
    /// Nothing: the returns themselves weigh the log-probabilities.
    case none
    /// The batch's mean return (exercise 5.4, `meanReturnBaseline`).
    case meanReturn
    /// A learned V(s) (exercise 5.4, `ValueBaseline`), fitted after each update.
    case value
}

/// Every setting of a REINFORCE run. The defaults (reward-to-go, a learned
/// value baseline, normalised weights: the demo's agent) solve CartPole-v1
/// (mean greedy return >= 475 over 100 episodes) within 200,000 steps;
/// docs/BENCHMARKS.md has the measured figures.
public struct ReinforceConfig: Sendable {
    /// The seed of every random number: network initialisation, action
    /// sampling and environment resets.
    public var seed: UInt64 = 0
    /// Environment steps to train for (the run stops earlier when solved).
    public var totalSteps = 200_000
    /// Adam's learning rate for the policy.
    public var learningRate: Float = 1e-2
    /// The discount factor gamma of the returns.
    public var gamma = 0.99
    /// The hidden layer widths of the policy network (tanh).
    public var hiddenSizes = [64]
    /// Steps per update: the batch is the episodes finished since the last
    /// update, taken as soon as they hold at least this many steps.
    public var stepsPerBatch = 250
    /// Weight each action by the rewards that followed it (G_t) instead of
    /// the whole episode's return R(tau).
    public var rewardToGo = true
    /// The baseline subtracted from the returns.
    public var baseline = BaselineKind.value
    /// Standardise the weights over the batch (mean 0, standard deviation 1).
    public var normalizeAdvantages = true
    /// Adam's learning rate for the value baseline's critic.
    public var valueLearningRate: Float = 3e-2
    /// The hidden layer widths of the critic (tanh).
    public var valueHiddenSizes = [64]
    /// Regression steps of the critic on each batch.
    public var valueSteps = 10
    /// When the greedy policy is evaluated and what counts as solved.
    public var evaluation = EvaluationSettings.cartPole

    /// The defaults: the demo's agent.
    public init() {}

    /// REINFORCE as first published: every action weighted by its episode's
    /// whole return, no baseline, no normalisation.
    public static var vanilla: ReinforceConfig {
        var config = ReinforceConfig()
        (config.rewardToGo, config.baseline, config.normalizeAdvantages) = (false, .none, false)
        return config
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "ReinforceConfig"
        for (name, value) in [("totalSteps", totalSteps), ("stepsPerBatch", stepsPerBatch),
                              ("valueSteps", valueSteps)] {
            try Validate.count(value, name, in: function)
        }
        for (name, sizes) in [("hiddenSizes", hiddenSizes), ("valueHiddenSizes", valueHiddenSizes)]
        where !sizes.allSatisfy({ $0 > 0 }) {
            throw InvalidArgument(function, name, "got \(sizes), expected widths >= 1")
        }
        try Validate.nonNegative(learningRate, "learningRate", in: function)
        try Validate.nonNegative(valueLearningRate, "valueLearningRate", in: function)
        try checkDiscount(gamma, in: function)
        try evaluation.validate(in: function)
    }
}

// MARK: - The agent

/// The networks of a REINFORCE agent.
public struct ReinforceNetworks {
    /// pi_theta: observations to action logits.
    public let policy: MLP
    /// The value baseline (its critic is trained only with `BaselineKind.value`).
    public let baseline: ValueBaseline
}

/// A REINFORCE agent (Williams, 1992) with the options of `ReinforceConfig`,
/// on an environment with discrete actions and vector observations. `init`
/// sets everything up; `train` is the loop (exercise 5.6).
public struct ReinforceAgent<E: DiscreteActionEnvironment> where E.Observation: ObservationVector {
    /// The settings.
    public let config: ReinforceConfig
    /// The policy and the value baseline.
    public let networks: ReinforceNetworks
    var env: E, rng: SeededGenerator
    let optimizer: Adam
    var evaluation: EvaluationSchedule<E>
    var episodes = EpisodeTracker()
    /// The run's log so far.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Environment steps taken so far.
    public private(set) var step = 0
    /// Policy updates made so far.
    public private(set) var updates = 0

    /// Sets up a run on the environment `make(config.seed)` (evaluations make their own).
    ///
    /// - Throws: `InvalidArgument` for a bad setting.
    public init(_ config: ReinforceConfig, make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        self.config = config
        rng = SeededGenerator(seed: config.seed)
        env = try make(config.seed)
        let policy = MLP([E.Observation.dimension] + config.hiddenSizes + [env.actionSpace.count], activation: .tanh,
                         using: &rng)
        let baseline = try ValueBaseline(observationSize: E.Observation.dimension, hiddenSizes: config.valueHiddenSizes,
                                         learningRate: config.valueLearningRate, using: &rng)
        networks = ReinforceNetworks(policy: policy, baseline: baseline)
        optimizer = try Adam(parameters: policy.parameters, learningRate: config.learningRate)
        evaluation = EvaluationSchedule(config.evaluation, seed: config.seed, make: make)
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.episodicLength, Metric.policyLoss, Metric.valueLoss,
                                   Metric.entropy, Metric.stepsPerSecond, Metric.evaluationReturn])
    }

    /// Trains for `config.totalSteps` environment steps, or until the
    /// evaluation schedule says the task is solved (notes, section 7, has
    /// the loop in pseudocode).
    ///
    /// - Parameter progress: called with the step count every 1,000 steps.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // TODO(5.6): REINFORCE: sample episodes, weight log pi by return - baseline, update (notes, section 7)
        throw ExerciseError.notImplemented("5.6", file: "Lessons/05-PolicyGradient/ReinforceAgent.swift", hint: "REINFORCE: sample episodes, weight log pi by return - baseline, update (notes, section 7)")
    }

    /// The run's result so far.
    public var run: TrainingRun<ReinforceNetworks> {
        TrainingRun(agent: networks, log: log, steps: step, updates: updates, solvedAtStep: evaluation.solvedAtStep,
                    lastEvaluation: evaluation.last, seconds: clock.seconds)
    }
}

/// The most likely action argmax_a pi(a | s) of every row of
/// `observations`, computed without recording a graph: the policy that
/// evaluations play.
public func greedyActions(_ policy: MLP, _ observations: Tensor) -> [Int] {
    withoutGradients { policy(observations) }.argmax(alongAxis: 1)
}

/// Trains a REINFORCE agent on `make`'s environment (built from a seed: the
/// training one and the evaluation ones).
///
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainReinforce<E: DiscreteActionEnvironment>(
    _ config: ReinforceConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<ReinforceNetworks> where E.Observation: ObservationVector {
    var agent = try ReinforceAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains a REINFORCE agent on CartPole-v1 (500-step limit).
public func trainReinforce(_ config: ReinforceConfig, progress: ((Int) -> Void)? = nil)
    throws -> TrainingRun<ReinforceNetworks> {
    try trainReinforce(config, progress: progress) { CartPole(seed: $0) }
}
