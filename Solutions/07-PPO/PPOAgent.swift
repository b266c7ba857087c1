import CourseKit
import Environments
import Foundation
import RLKit

// MARK: - Configuration

/// The policy objective PPO optimises.
public enum PPOObjective: Sendable, Equatable {
    /// The clipped surrogate (exercise 7.3), with `PPOConfig.clipEpsilon`.
    case clipped
    /// The KL-penalised surrogate (exercise 7.4): the coefficient starts at
    /// `initialBeta` and adapts after every iteration toward a KL of `target`.
    case klPenalty(target: Double, initialBeta: Double)
}

/// Every setting of a PPO run. The defaults (the demo's CartPole agent)
/// are rl-baselines3-zoo's tuned CartPole-v1 settings: 8 environments x 32
/// steps, one minibatch of 256, 20 epochs, Adam 1e-3 and clip 0.2 both
/// annealed to 0, gamma 0.98, lambda 0.8, no entropy bonus;
/// docs/BENCHMARKS.md has what they reach.
public struct PPOConfig: Sendable {
    /// The seed of every random number: networks, actions, minibatches and environment resets.
    public var seed: UInt64 = 0
    /// Environment steps to train for, over all environments (the run stops earlier when solved).
    public var totalSteps = 100_000
    /// N, the environments stepped together.
    public var environments = 8
    /// T, the steps each environment takes per rollout (a rollout is N x T transitions).
    public var stepsPerRollout = 32
    /// The minibatches each epoch cuts the rollout into (they must divide N x T).
    public var minibatches = 1
    /// The passes over each rollout.
    public var epochs = 20
    /// Adam's learning rate at the start.
    public var learningRate: Float = 1e-3
    /// Anneal the learning rate linearly to 0 over the budget's iterations.
    public var annealLearningRate = true
    /// The discount factor gamma.
    public var gamma: Float = 0.98
    /// GAE's lambda.
    public var lambda: Float = 0.8
    /// The clipped objective's epsilon (and the clip fraction's threshold).
    public var clipEpsilon: Float = 0.2
    /// Anneal clipEpsilon linearly to 0 over the budget's iterations, as the learning rate.
    public var annealClipEpsilon = true
    /// Clip the critic's change per iteration to this (nil: no value clipping).
    public var valueClip: Float? = nil
    /// The entropy bonus's coefficient.
    public var entropyCoefficient: Float = 0
    /// The value loss's coefficient.
    public var valueCoefficient: Float = 0.5
    /// The global gradient-norm limit of every update.
    public var maxGradientNorm: Float = 0.5
    /// Standardise the advantages of each minibatch (mean 0, standard deviation 1).
    public var normalizeAdvantages = true
    /// The hidden layer widths of the actor and of the critic (tanh).
    public var hiddenSizes = [64, 64]
    /// The Gaussian policy's initial log standard deviation (box actions only).
    public var initialLogStd: Float = 0
    /// The clipped surrogate or the adaptive KL penalty.
    public var objective = PPOObjective.clipped
    /// Bootstrap from V(final observation) when a time limit truncates an
    /// episode (false: treat truncation like termination, as CleanRL's ppo.py does).
    public var bootstrapAtTruncation = true
    /// When the deterministic policy is evaluated and what counts as solved
    /// (the interval must be a multiple of N x T: the policy changes once per rollout).
    public var evaluation = EvaluationSettings(interval: 1_024, episodes: 10, confirmationEpisodes: 100, threshold: 475)

    /// The defaults: the demo's CartPole agent.
    public init() {}

    /// N x T, the transitions of one rollout.
    public var batchSize: Int { environments * stepsPerRollout }
    /// The transitions of one minibatch.
    public var minibatchSize: Int { batchSize / Swift.max(minibatches, 1) }
    /// The iterations (rollout, then epochs of updates) the budget allows.
    public var iterations: Int { totalSteps / Swift.max(batchSize, 1) }

    /// CleanRL's ppo.py defaults for CartPole-v1: 4 environments x 128
    /// steps, 4 minibatches, 4 epochs, Adam 2.5e-4 annealed, gamma 0.99,
    /// lambda 0.95, clip 0.2 (values clipped too), entropy 0.01, 500,000
    /// steps, and a time limit treated as a terminal state.
    public static var cleanRL: PPOConfig {
        var c = PPOConfig()
        (c.totalSteps, c.environments, c.stepsPerRollout, c.minibatches, c.epochs) = (500_000, 4, 128, 4, 4)
        (c.learningRate, c.gamma, c.lambda, c.annealClipEpsilon) = (2.5e-4, 0.99, 0.95, false)
        (c.valueClip, c.entropyCoefficient, c.bootstrapAtTruncation) = (0.2, 0.01, false)
        return c
    }

    /// The adaptive-KL variant of the defaults: the surrogate penalised by
    /// beta KL, beta adapted toward a KL of 0.01 per iteration.
    public static var adaptiveKL: PPOConfig {
        var c = PPOConfig()
        c.objective = .klPenalty(target: 0.01, initialBeta: 1)
        return c
    }

    /// The Gaussian agent for Pendulum-v1 (rl-baselines3-zoo's tuned
    /// settings without gSDE): 4 environments x 1,024 steps, minibatches of
    /// 64, 10 epochs, Adam 1e-3, gamma 0.9, lambda 0.95, no entropy bonus,
    /// 300,000 steps; solved at a mean deterministic return of -300.
    public static var pendulum: PPOConfig {
        var c = PPOConfig()
        (c.totalSteps, c.environments, c.stepsPerRollout, c.minibatches, c.epochs) = (300_000, 4, 1_024, 64, 10)
        (c.learningRate, c.annealLearningRate, c.gamma, c.lambda) = (1e-3, false, 0.9, 0.95)
        c.annealClipEpsilon = false
        c.evaluation = EvaluationSettings(interval: 4_096, episodes: 10, confirmationEpisodes: 50, threshold: -300)
        return c
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "PPOConfig"
        for (name, value) in [("totalSteps", totalSteps), ("environments", environments),
                              ("stepsPerRollout", stepsPerRollout), ("minibatches", minibatches), ("epochs", epochs)] {
            try Validate.count(value, name, in: function)
        }
        guard batchSize % minibatches == 0, minibatches <= batchSize else {
            throw InvalidArgument(function, "minibatches", "got \(minibatches): a rollout of \(environments) x "
                                  + "\(stepsPerRollout) = \(batchSize) transitions does not divide into \(minibatches) "
                                  + "equal minibatches")
        }
        guard totalSteps >= batchSize else {
            throw InvalidArgument(function, "totalSteps", "got \(totalSteps), expected at least one rollout of "
                                  + "\(environments) x \(stepsPerRollout) = \(batchSize) steps")
        }
        try checkClipEpsilon(clipEpsilon, in: function)
        try checkDiscount(Double(gamma), in: function)
        try checkLambda(Double(lambda), in: function)
        try Validate.nonNegative(learningRate, "learningRate", in: function)
        try Validate.nonNegative(entropyCoefficient, "entropyCoefficient", in: function)
        try Validate.nonNegative(valueCoefficient, "valueCoefficient", in: function)
        try Validate.positive(maxGradientNorm, "maxGradientNorm", in: function)
        if let valueClip { try Validate.positive(valueClip, "valueClip", in: function) }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        try checkLogStandardDeviation([initialLogStd], in: function)
        if case .klPenalty(let target, let beta) = objective {
            try Validate.positive(target, "objective's target", in: function)
            try Validate.positive(beta, "objective's initialBeta", in: function)
        }
        try evaluation.validate(in: function)
        guard evaluation.interval % batchSize == 0 else {
            throw InvalidArgument(function, "evaluation.interval", "got \(evaluation.interval), expected a multiple of "
                                  + "the rollout's \(batchSize) steps (the policy changes once per rollout)")
        }
    }
}

/// The networks PPO trains: the policy (actor) and the critic V(s).
public struct PPONetworks<Policy: PPOPolicy> {
    /// The policy.
    public var policy: Policy
    /// The critic, `[batch, observationSize]` to `[batch, 1]`.
    public var critic: MLP
}

// MARK: - The agent

/// A PPO agent (Schulman et al., 2017) with the options of `PPOConfig`:
/// vectorised rollouts, GAE, several epochs of minibatch updates of an actor
/// and a critic. `init` sets everything up; `train` is the loop (exercise 7.7).
public struct PPOAgent<E: Environment, Policy: PPOPolicy>
where E.Observation: ObservationVector, Policy.Action == E.Action {
    /// The settings.
    public let config: PPOConfig
    /// The policy being trained.
    public let policy: Policy
    /// The critic V(s).
    public let critic: MLP
    var environments: VectorEnvironment<E>
    var rng: SeededGenerator
    let optimizer: Adam
    var rollout: RolloutBuffer
    var evaluation: EvaluationSchedule<E>
    var episodes: EpisodeTracker
    /// The KL penalty's coefficient (adaptive-KL objective only).
    public private(set) var klBeta: Double
    /// The run's log so far.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Environment steps taken so far, over all environments.
    public private(set) var step = 0
    /// Gradient steps taken so far.
    public private(set) var updates = 0

    /// Sets up a run: N environments `make(config.seed)` (reset with seeds
    /// seed, seed + 1, ...), the policy `makePolicy` builds for them, a
    /// critic, Adam over both, the rollout storage and the evaluation schedule.
    init(_ config: PPOConfig, make: @escaping (UInt64) throws -> E,
         makePolicy: (E, inout SeededGenerator) throws -> Policy) throws {
        try config.validate()
        self.config = config
        var rng = SeededGenerator(seed: config.seed)
        environments = try VectorEnvironment(count: config.environments) { _ in try make(config.seed) }
        policy = try makePolicy(environments.environments[0], &rng)
        let dimension = E.Observation.dimension
        guard policy.observationSize == dimension else {
            throw InvalidArgument("PPOAgent", "policy", "reads observations of \(policy.observationSize) values, the "
                                  + "environment's have \(dimension)")
        }
        critic = MLP([dimension] + config.hiddenSizes + [1], activation: .tanh, using: &rng)
        self.rng = rng
        optimizer = try Adam(parameters: policy.parameters + critic.parameters, learningRate: config.learningRate,
                             epsilon: 1e-5)
        rollout = try RolloutBuffer(steps: config.stepsPerRollout, environments: config.environments,
                                    observationSize: dimension, actionSize: policy.actionSize)
        evaluation = EvaluationSchedule(config.evaluation, seed: config.seed, make: make)
        episodes = try EpisodeTracker(slots: config.environments)
        if case .klPenalty(_, let beta) = config.objective { klBeta = beta } else { klBeta = 0 }
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.episodicLength, Metric.learningRate,
                                   Metric.policyLoss, Metric.valueLoss, Metric.entropy, Metric.approxKL,
                                   Metric.clipFraction, Metric.explainedVariance, Metric.klCoefficient,
                                   Metric.stepsPerSecond, Metric.evaluationReturn])
    }

    /// Trains for `config.iterations` iterations of N x T steps, or until the
    /// evaluation schedule says the task is solved (notes, section 10, The
    /// agent, has the loop in pseudocode).
    ///
    /// - Parameter progress: called with the step count after every iteration.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // BEGIN SOLUTION 7.7: rollouts of N environments, GAE, epochs of minibatch updates, evaluation (section 10)
        let (policy, critic) = (self.policy, self.critic)
        let (n, dimension) = (config.environments, E.Observation.dimension)
        var observations = environments.reset(seed: config.seed).flatMap(\.floats)
        for iteration in 0..<config.iterations {
            // Anneal the learning rate (and the clip) linearly to 0 over the budget.
            let remaining = 1 - Float(iteration) / Float(config.iterations)
            let learningRate = config.annealLearningRate ? config.learningRate * remaining : config.learningRate
            try optimizer.setLearningRate(learningRate)
            let clipEpsilon = config.annealClipEpsilon ? config.clipEpsilon * remaining : config.clipEpsilon

            // 1. A rollout: T steps of the N environments with the current policy.
            rollout.reset()
            for _ in 0..<config.stepsPerRollout {
                let states = Tensor(shape: [n, dimension], scalars: observations)
                let sample = try policy.act(states, using: &rng)
                let values = withoutGradients { critic(states) }.scalars
                let result = try environments.step(sample.actions)
                step += n
                // A time limit is not a terminal state: bootstrap from V(final observation).
                var truncationValues = [Float](repeating: 0, count: n)
                let cut = (0..<n).filter { result.truncated[$0] && !result.terminated[$0] }
                if config.bootstrapAtTruncation && !cut.isEmpty {
                    let finals = Tensor(shape: [cut.count, dimension],
                                        scalars: cut.flatMap { result.finalObservations[$0]!.floats })
                    let v = withoutGradients { critic(finals) }.scalars
                    for (k, i) in cut.enumerated() { truncationValues[i] = v[k] }
                }
                // CleanRL's convention instead (bootstrapAtTruncation false): every episode end is a terminal state.
                let terminated = config.bootstrapAtTruncation ? result.terminated : (0..<n).map(result.done)
                let truncated = config.bootstrapAtTruncation ? result.truncated : Array(repeating: false, count: n)
                try rollout.append(observations: observations, actions: sample.stored,
                                   logProbabilities: sample.logProbabilities, values: values, rewards: result.rewards,
                                   terminated: terminated, truncated: truncated, truncationValues: truncationValues)
                for i in 0..<n {
                    if let episode = episodes.record(reward: result.rewards[i], done: result.done(i), slot: i) {
                        try log.record(step: step, [Metric.episodicReturn: episode.return,
                                                    Metric.episodicLength: Double(episode.length)])
                    }
                }
                observations = result.observations.flatMap(\.floats)
            }

            // 2. Advantages and returns, bootstrapping from the states the next rollout starts from.
            let lastValues = withoutGradients { critic(Tensor(shape: [n, dimension], scalars: observations)) }.scalars
            let estimates = try generalizedAdvantages(rollout, lastValues: lastValues, gamma: Double(config.gamma),
                                                      lambda: Double(config.lambda))
            let batch = rollout.flattened()
            let (advantages, returns) = (Tensor(estimates.advantages), Tensor(estimates.returns))

            // 3. Epochs of minibatch updates against the policy that collected the rollout.
            var last: (terms: PPOLossTerms, diagnostics: PPODiagnostics)?
            var clipFractions: [Double] = []
            for _ in 0..<config.epochs {
                for indices in try rng.minibatches(of: config.batchSize, into: config.minibatches) {
                    let minibatch = batch.rows(indices)
                    let evaluated = try policy.evaluate(minibatch.observations, actions: minibatch.actions)
                    let newValues = critic(minibatch.observations).reshaped(to: [-1])
                    let raw = advantages.rows(indices)
                    let weights = config.normalizeAdvantages ? raw.standardized() : raw
                    let policyLoss = config.objective == .clipped
                        ? try clippedSurrogateLoss(newLogProbabilities: evaluated.logProbabilities,
                                                   oldLogProbabilities: minibatch.logProbabilities, advantages: weights,
                                                   clipEpsilon: clipEpsilon)
                        : try klPenaltyLoss(newLogProbabilities: evaluated.logProbabilities,
                                            oldLogProbabilities: minibatch.logProbabilities, advantages: weights,
                                            beta: Float(klBeta))
                    let terms = try ppoLoss(policyLoss: policyLoss, newValues: newValues, oldValues: minibatch.values,
                                            returns: returns.rows(indices), entropy: evaluated.entropy,
                                            valueCoefficient: config.valueCoefficient,
                                            entropyCoefficient: config.entropyCoefficient, valueClip: config.valueClip)
                    optimizer.zeroGradients()
                    terms.total.backward()
                    try optimizer.step(clippingGradientNorm: config.maxGradientNorm)
                    updates += 1
                    let diagnostics = try ppoDiagnostics(newLogProbabilities: evaluated.logProbabilities.scalars,
                                                         oldLogProbabilities: minibatch.logProbabilities.scalars,
                                                         clipEpsilon: Double(clipEpsilon))
                    clipFractions.append(diagnostics.clipFraction)
                    last = (terms, diagnostics)
                }
            }

            // 4. Adaptive KL: compare the new policy with the old one on the whole rollout, then adapt beta.
            if case .klPenalty(let target, _) = config.objective {
                let after = try withoutGradients { try policy.evaluate(batch.observations, actions: batch.actions) }
                let kl = try klEstimate(newLogProbabilities: after.logProbabilities,
                                        oldLogProbabilities: batch.logProbabilities).scalar
                klBeta = try adaptiveKLCoefficient(beta: klBeta, kl: Double(kl), target: target)
            }

            // 5. Log what the updates saw, report progress, evaluate on schedule.
            if let last {
                var row = [Metric.learningRate: Double(optimizer.learningRate),
                           Metric.policyLoss: Double(last.terms.policyLoss.scalar),
                           Metric.valueLoss: Double(last.terms.valueLoss.scalar),
                           Metric.entropy: Double(last.terms.entropy.scalar),
                           Metric.approxKL: last.diagnostics.approxKL,
                           Metric.clipFraction: clipFractions.reduce(0, +) / Double(clipFractions.count),
                           Metric.stepsPerSecond: clock.stepsPerSecond(step)]
                let explained = try explainedVariance(predictions: batch.values.scalars, targets: estimates.returns)
                if explained.isFinite { row[Metric.explainedVariance] = explained }
                if case .klPenalty = config.objective { row[Metric.klCoefficient] = klBeta }
                try log.record(step: step, row)
            }
            progress?(step)
            let solved = try evaluation.isSolved(afterStep: step, log: &log) { try policy.deterministicActions($0) }
            if solved { break }
        }
        // END SOLUTION
    }

    /// The run's result so far.
    public var run: TrainingRun<PPONetworks<Policy>> {
        TrainingRun(agent: PPONetworks(policy: policy, critic: critic), log: log, steps: step, updates: updates,
                    solvedAtStep: evaluation.solvedAtStep, lastEvaluation: evaluation.last, seconds: clock.seconds)
    }
}

extension PPOAgent where E: DiscreteActionEnvironment, Policy == CategoricalPolicy {
    /// Sets up a run with a new categorical policy for the environment's actions.
    ///
    /// - Throws: `InvalidArgument` for a bad setting.
    public init(_ config: PPOConfig, make: @escaping (UInt64) throws -> E) throws {
        try self.init(config, make: make) { environment, rng in
            try CategoricalPolicy(observationSize: E.Observation.dimension, actionSpace: environment.actionSpace,
                                  hiddenSizes: config.hiddenSizes, using: &rng)
        }
    }

    /// Sets up a run that trains `policy`.
    ///
    /// - Throws: `InvalidArgument` for a bad setting, or a policy whose
    ///   actions or observations are not the environment's.
    public init(_ config: PPOConfig, policy: CategoricalPolicy, make: @escaping (UInt64) throws -> E) throws {
        try self.init(config, make: make) { environment, _ in
            guard policy.actionSpace == environment.actionSpace else {
                throw InvalidArgument("PPOAgent", "policy", "acts in \(policy.actionSpace), the environment's "
                                      + "actions are \(environment.actionSpace)")
            }
            return policy
        }
    }
}

extension PPOAgent where E: BoxActionEnvironment, Policy == GaussianPolicy<E.Action> {
    /// Sets up a run with a new Gaussian policy for the environment's box of actions.
    ///
    /// - Throws: `InvalidArgument` for a bad setting.
    public init(_ config: PPOConfig, make: @escaping (UInt64) throws -> E) throws {
        try self.init(config, make: make) { environment, rng in
            try GaussianPolicy(for: environment, observationSize: E.Observation.dimension,
                               hiddenSizes: config.hiddenSizes, initialLogStd: config.initialLogStd, using: &rng)
        }
    }

    /// Sets up a run that trains `policy`.
    ///
    /// - Throws: `InvalidArgument` for a bad setting, or a policy whose
    ///   actions or observations are not the environment's.
    public init(_ config: PPOConfig, policy: GaussianPolicy<E.Action>, make: @escaping (UInt64) throws -> E) throws {
        try self.init(config, make: make) { environment, _ in
            guard policy.actionSpace == environment.actionSpace else {
                throw InvalidArgument("PPOAgent", "policy", "acts in \(policy.actionSpace), the environment's "
                                      + "actions are \(environment.actionSpace)")
            }
            return policy
        }
    }
}

/// Trains a PPO agent with a categorical policy on `make`'s environment
/// (built from a seed: the training copies and the evaluation ones).
///
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainPPO<E: DiscreteActionEnvironment>(
    _ config: PPOConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<PPONetworks<CategoricalPolicy>> where E.Observation: ObservationVector {
    var agent = try PPOAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains a PPO agent with a diagonal Gaussian policy on `make`'s environment.
///
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainPPO<E: BoxActionEnvironment>(
    _ config: PPOConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<PPONetworks<GaussianPolicy<E.Action>>> where E.Observation: ObservationVector {
    var agent = try PPOAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains a PPO agent on CartPole-v1 (500-step limit).
public func trainPPO(_ config: PPOConfig, progress: ((Int) -> Void)? = nil)
throws -> TrainingRun<PPONetworks<CategoricalPolicy>> {
    try trainPPO(config, progress: progress) { CartPole(seed: $0) }
}
