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
        // TODO(7.7): rollouts of N environments, GAE, epochs of minibatch updates, evaluation (section 10)
        throw ExerciseError.notImplemented("7.7", file: "Lessons/07-PPO/PPOAgent.swift", hint: "rollouts of N environments, GAE, epochs of minibatch updates, evaluation (section 10)")
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
