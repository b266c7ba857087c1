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
        // BEGIN SOLUTION 5.6: REINFORCE: sample episodes, weight log pi by return - baseline, update (notes, section 7)
        let (policy, baseline) = (networks.policy, networks.baseline)
        var observation = env.reset(seed: config.seed)
        var current = Episode(), finished: [Episode] = [], finishedSteps = 0
        while step < config.totalSteps {
            step += 1
            // Act: sample a ~ pi(. | s) and keep the step in the episode under way.
            let logits = withoutGradients { policy(Tensor(shape: [1, E.Observation.dimension],
                                                          scalars: observation.floats)) }
            let action = try Categorical(logits: logits).sample(using: &rng)[0]
            let result = try env.step(action)
            current.append(observation: observation.floats, action: action, reward: result.reward)
            if let episode = episodes.record(reward: result.reward, done: result.done) {
                try log.record(step: step, [Metric.episodicReturn: episode.return,
                                            Metric.episodicLength: Double(episode.length)])
                finished.append(current)
                finishedSteps += current.count
                current = Episode()
                observation = env.reset(seed: nil)
            } else {
                observation = result.observation
            }

            // Learn from the finished episodes once they hold enough steps (whole episodes only).
            if finishedSteps >= config.stepsPerBatch {
                let batch = try EpisodeBatch(finished)
                let returns = config.rewardToGo ? try rewardsToGo(batch.rewards, gamma: config.gamma)
                                                : try episodeReturns(batch.rewards, gamma: config.gamma)
                // b(s_t), from the critic as it was before this batch: it must not depend on a_t.
                let baselines: [[Double]]
                switch config.baseline {
                case .none: baselines = returns.map { $0.map { _ in 0 } }
                case .meanReturn:
                    let b = try meanReturnBaseline(returns)
                    baselines = returns.map { $0.map { _ in b } }
                case .value: baselines = try batch.perEpisode(baseline.values(batch.observations))
                }
                var weights = zip(returns, baselines).map { zip($0, $1).map { $0 - $1 } }
                // The full return weighs the whole episode at once: one weight R(tau) - b(s_0) per episode.
                if !config.rewardToGo { weights = weights.map { [$0[0]] } }
                if config.normalizeAdvantages { weights = normalizedWeights(weights) }
                let logProbabilities = config.rewardToGo ? try stepLogProbabilities(policy: policy, batch: batch)
                                                         : try trajectoryLogProbabilities(policy: policy, batch: batch)
                let loss = try surrogateLoss(logProbabilities: logProbabilities, weights: weights)
                optimizer.zeroGradients()
                loss.backward()                                         // the gradient of L is -g_hat
                optimizer.step()
                updates += 1
                var valueLoss = 0.0
                if config.baseline == .value {
                    let targets = returns.flatMap { $0 }
                    for _ in 0..<config.valueSteps {
                        valueLoss = try baseline.fit(observations: batch.observations, returns: targets)
                    }
                }
                let entropy = try withoutGradients { try Categorical(logits: policy(batch.observations)).entropy() }
                try log.record(step: step, [Metric.policyLoss: Double(loss.scalar), Metric.valueLoss: valueLoss,
                                            Metric.entropy: Double(entropy.mean().scalar),
                                            Metric.stepsPerSecond: clock.stepsPerSecond(step)])
                finished = []
                finishedSteps = 0
            }

            if step % 1_000 == 0 { progress?(step) }
            if try evaluation.isSolved(afterStep: step, log: &log, policy: { greedyActions(policy, $0) }) { break }
        }
        // END SOLUTION
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
