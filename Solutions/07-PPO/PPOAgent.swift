import CourseKit
import Environments
import Foundation
import RLKit

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
