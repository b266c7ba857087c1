import CourseKit
import Environments
import Foundation
import RLKit

// MARK: - Configuration

/// Every setting of a SAC run. The defaults (the demo's agent) reach a mean
/// evaluation return of -200 on Pendulum-v1 within 20,000 steps;
/// docs/BENCHMARKS.md has the measured figures and why the networks are
/// smaller than CleanRL's (`SACConfig.cleanRL`).
public struct SACConfig: Sendable {
    /// The seed of every random number: initialisation, actions, replay
    /// sampling, the policy's noise and environment resets.
    public var seed: UInt64 = 0
    /// Environment steps to train for (the run stops earlier when solved).
    public var totalSteps = 20_000
    /// How many transitions the replay buffer keeps.
    public var bufferSize = 100_000
    /// The discount factor gamma.
    public var gamma: Float = 0.99
    /// The Polyak rate of the target critics: Q' <- tau Q + (1 - tau) Q' after every critic update.
    public var tau: Float = 0.005
    /// Transitions per gradient step.
    public var batchSize = 128
    /// Steps of uniformly random actions before the first gradient step.
    public var learningStarts = 256
    /// Adam's learning rate for the actor.
    public var policyLearningRate: Float = 1e-3
    /// Adam's learning rate for the two critics.
    public var qLearningRate: Float = 1e-3
    /// Adam's learning rate for log alpha.
    public var alphaLearningRate: Float = 1e-3
    /// The hidden layer widths of the actor and of each critic.
    public var hiddenSizes = [64, 64]
    /// Environment steps between gradient steps.
    public var trainFrequency = 1
    /// Gradient steps (critic updates) each time.
    public var gradientSteps = 1
    /// Critic updates between actor updates; each time the actor (and the
    /// temperature) takes this many steps, so there is one actor step per
    /// critic step on average (CleanRL's delayed policy update; 1: every time).
    public var policyFrequency = 1
    /// Learn alpha (exercise 8.5) instead of keeping `initialAlpha`.
    public var autotune = true
    /// alpha at the start (log alpha = log initialAlpha), and all along without `autotune`.
    public var initialAlpha: Float = 1
    /// The entropy the temperature aims for, H-bar; nil: -(action size), SAC's choice.
    public var targetEntropy: Float? = nil
    /// The maximum-entropy objective; false is the ablation: alpha = 0 in
    /// the targets and the actor's loss, no temperature updates.
    public var entropyBonus = true
    /// The range of the actor's log standard deviation.
    public var logStandardDeviationRange: ClosedRange<Float> = -5...2
    /// When the deterministic policy tanh(mu(s)) is evaluated and what counts
    /// as solved: every 500 steps, a mean return of -200 over 10 episodes,
    /// confirmed over 50.
    public var evaluation = EvaluationSettings(interval: 500, episodes: 10, confirmationEpisodes: 50, threshold: -200)

    /// The defaults: the demo's agent.
    public init() {}

    /// CleanRL's sac_continuous_action.py on Pendulum: 256-256 networks,
    /// batch 256, 5,000 random steps, actor 3e-4, critics 1e-3, the actor
    /// updated twice every second step, a buffer of a million.
    public static var cleanRL: SACConfig {
        var config = SACConfig()
        config.hiddenSizes = [256, 256]
        config.batchSize = 256
        config.learningStarts = 5_000
        config.policyLearningRate = 3e-4
        config.policyFrequency = 2
        config.bufferSize = 1_000_000
        return config
    }

    /// The defaults without the entropy bonus (alpha = 0): the lecture's ablation.
    public static var noEntropy: SACConfig {
        var config = SACConfig()
        config.entropyBonus = false
        return config
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "SACConfig"
        for (name, value) in [("totalSteps", totalSteps), ("bufferSize", bufferSize), ("batchSize", batchSize),
                              ("trainFrequency", trainFrequency), ("gradientSteps", gradientSteps),
                              ("policyFrequency", policyFrequency)] {
            try Validate.count(value, name, in: function)
        }
        try Validate.count(learningStarts, "learningStarts", atLeast: 0, in: function)
        guard batchSize <= bufferSize else {
            throw InvalidArgument(function, "batchSize", "got \(batchSize), larger than bufferSize \(bufferSize)")
        }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        for (name, value) in [("policyLearningRate", policyLearningRate), ("qLearningRate", qLearningRate),
                              ("alphaLearningRate", alphaLearningRate)] {
            try Validate.nonNegative(value, name, in: function)
        }
        try Validate.inClosedRange(gamma, 0, 1, "gamma", in: function)
        try Validate.inClosedRange(tau, 0, 1, "tau", in: function)
        try Validate.positive(initialAlpha, "initialAlpha", in: function)
        if let targetEntropy { try Validate.finite(targetEntropy, "targetEntropy", in: function) }
        let (low, high) = (logStandardDeviationRange.lowerBound, logStandardDeviationRange.upperBound)
        guard low.isFinite, high.isFinite, low < high else {
            throw InvalidArgument(function, "logStandardDeviationRange", "got \(logStandardDeviationRange), expected "
                                  + "finite bounds, low < high")
        }
        try evaluation.validate(in: function)
    }
}

// MARK: - The agent

/// The networks of a SAC agent and its temperature.
public struct SACNetworks {
    /// pi, the tanh-Gaussian policy.
    public var actor: GaussianActor
    /// Q_1 and Q_2, trained on soft Bellman targets.
    public var critics: TwinCritics
    /// Q'_1 and Q'_2, Polyak averages of the critics, which the targets use.
    public var targetCritics: TwinCritics
    /// log alpha (trained with `autotune`).
    public var temperature: Temperature
}

/// A soft actor-critic agent (Haarnoja et al., 2018) with the options of
/// `SACConfig`, on an environment with a box of actions and vector
/// observations. `init` sets everything up; `train` is the loop (exercise 8.6).
public struct SACAgent<E: BoxActionEnvironment> where E.Observation: ObservationVector {
    /// The settings.
    public let config: SACConfig
    /// The actor, the critics, the target critics and the temperature.
    public let networks: SACNetworks
    /// The map from the policy's actions in (-1, 1) to the environment's bounds.
    public let scaling: ActionScaling
    var env: E, rng: SeededGenerator
    let actorOptimizer: Adam, criticOptimizer: Adam
    var buffer: ReplayBuffer
    var evaluation: EvaluationSchedule<E>
    var episodes = EpisodeTracker()
    /// The run's log so far.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Environment steps taken so far.
    public private(set) var step = 0
    /// Gradient steps (critic updates) taken so far.
    public private(set) var updates = 0

    /// Sets up a run on the environment `make(config.seed)` (evaluations make their own).
    ///
    /// - Throws: `InvalidArgument` for a bad setting or action bounds that
    ///   are not finite or not increasing.
    public init(_ config: SACConfig, make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        self.config = config
        rng = SeededGenerator(seed: config.seed)
        env = try make(config.seed)
        scaling = try ActionScaling(env.actionSpace)
        let (observationSize, actionSize) = (E.Observation.dimension, scaling.dimension)
        let actor = GaussianActor(observationSize: observationSize, actionSize: actionSize,
                                  hiddenSizes: config.hiddenSizes,
                                  logStandardDeviationRange: config.logStandardDeviationRange, using: &rng)
        let critics = TwinCritics(observationSize: observationSize, actionSize: actionSize,
                                  hiddenSizes: config.hiddenSizes, using: &rng)
        let temperature = try Temperature(initialAlpha: config.initialAlpha,
                                          targetEntropy: config.targetEntropy ?? -Float(actionSize),
                                          learningRate: config.alphaLearningRate)
        networks = SACNetworks(actor: actor, critics: critics, targetCritics: critics.copy(), temperature: temperature)
        actorOptimizer = try Adam(parameters: actor.parameters, learningRate: config.policyLearningRate)
        criticOptimizer = try Adam(parameters: critics.parameters, learningRate: config.qLearningRate)
        buffer = try ReplayBuffer(capacity: config.bufferSize, observationSize: observationSize, actionSize: actionSize)
        evaluation = EvaluationSchedule(config.evaluation, seed: config.seed, after: config.learningStarts, make: make)
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.episodicLength, Metric.qf1Loss, Metric.qf2Loss,
                                   Metric.qf1Values, Metric.qf2Values, Metric.actorLoss, Metric.alpha, Metric.alphaLoss,
                                   Metric.entropy, Metric.stepsPerSecond, Metric.evaluationReturn])
    }

    /// The temperature the losses use now: 0 without the entropy bonus,
    /// `initialAlpha` without autotuning, else exp(log alpha).
    public var alpha: Float {
        guard config.entropyBonus else { return 0 }
        return config.autotune ? networks.temperature.alpha : config.initialAlpha
    }

    /// Trains for `config.totalSteps` environment steps, or until the
    /// evaluation schedule says the task is solved (notes, section 7, The
    /// agent, has the loop in pseudocode).
    ///
    /// - Parameter progress: called with the step count every 1,000 steps.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // BEGIN SOLUTION 8.6: the SAC loop: act, store, critics, actor, temperature, Polyak (notes, section 7)
        let (actor, critics, targets) = (networks.actor, networks.critics, networks.targetCritics)
        let (scaling, template, observationSize) = (scaling, env, E.Observation.dimension)
        let deterministic: (Tensor) throws -> [E.Action] = { observations in
            try actor.deterministicActions(observations).arrayRows
                .map { template.action(scaling.environmentValues($0)) }
        }
        var observation = env.reset(seed: config.seed)
        while step < config.totalSteps {
            step += 1
            // Act: uniformly at random while the buffer fills, then a ~ pi(. | s).
            let action: [Float]
            if step <= config.learningStarts {
                action = (0..<scaling.dimension).map { _ in Float(rng.uniform(-1, 1)) }
            } else {
                let s = Tensor(shape: [1, observationSize], scalars: observation.floats)
                action = try withoutGradients { try actor.sample(s, using: &rng) }.action.scalars
            }
            let result = try env.step(template.action(scaling.environmentValues(action)))
            try buffer.add(Transition(observation: observation.floats, action: action, reward: result.reward,
                                      nextObservation: result.observation.floats, terminated: result.terminated,
                                      truncated: result.truncated, discount: config.gamma))
            if let episode = episodes.record(reward: result.reward, done: result.done) {
                try log.record(step: step, [Metric.episodicReturn: episode.return,
                                            Metric.episodicLength: Double(episode.length)])
                observation = env.reset(seed: nil)
            } else {
                observation = result.observation
            }

            // Learn: the critics on soft Bellman targets, then the actor and the temperature.
            if step > config.learningStarts && step % config.trainFrequency == 0 && buffer.count >= config.batchSize {
                for _ in 0..<config.gradientSteps {
                    let batch = try buffer.sample(batchSize: config.batchSize, using: &rng)
                    let y = try softBellmanTargets(batch: batch, policy: actor, targetCritics: targets, alpha: alpha,
                                                   using: &rng)
                    let critic = try twinCriticLoss(critics: critics, batch: batch, targets: y)
                    criticOptimizer.zeroGradients()
                    critic.loss.backward()
                    criticOptimizer.step()
                    updates += 1
                    var last: (actor: ActorLossResult, alphaLoss: Float?)?
                    if updates % config.policyFrequency == 0 {
                        for _ in 0..<config.policyFrequency {
                            critics.setRequiresGradient(false)  // the actor's loss reads the critics only
                            let result = try actorLoss(policy: actor, critics: critics,
                                                       observations: batch.observations, alpha: alpha, using: &rng)
                            actorOptimizer.zeroGradients()
                            result.loss.backward()
                            actorOptimizer.step()
                            critics.setRequiresGradient(true)
                            let alphaLoss = config.autotune && config.entropyBonus
                                ? try networks.temperature.update(logProbabilities: result.logProbabilities) : nil
                            last = (result, alphaLoss)
                        }
                    }
                    try targets.polyakUpdate(toward: critics, tau: config.tau)
                    if updates % 100 == 0, let last {
                        var row = [Metric.qf1Loss: Double(critic.q1Loss), Metric.qf2Loss: Double(critic.q2Loss),
                                   Metric.qf1Values: Double(critic.q1Values.mean().scalar),
                                   Metric.qf2Values: Double(critic.q2Values.mean().scalar),
                                   Metric.actorLoss: Double(last.actor.loss.scalar), Metric.alpha: Double(alpha),
                                   Metric.entropy: Double(last.actor.entropy),
                                   Metric.stepsPerSecond: clock.stepsPerSecond(step)]
                        if let alphaLoss = last.alphaLoss { row[Metric.alphaLoss] = Double(alphaLoss) }
                        try log.record(step: step, row)
                    }
                }
            }
            if step % 1_000 == 0 { progress?(step) }
            if try evaluation.isSolved(afterStep: step, log: &log, policy: deterministic) { break }
        }
        // END SOLUTION
    }

    /// The run's result so far.
    public var run: TrainingRun<SACNetworks> {
        TrainingRun(agent: networks, log: log, steps: step, updates: updates, solvedAtStep: evaluation.solvedAtStep,
                    lastEvaluation: evaluation.last, seconds: clock.seconds)
    }
}

/// Trains a SAC agent on `make`'s environment (built from a seed: the
/// training one and the evaluation ones).
///
/// - Throws: `InvalidArgument` for a bad setting or action space; errors of the pieces.
public func trainSAC<E: BoxActionEnvironment>(
    _ config: SACConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<SACNetworks> where E.Observation: ObservationVector {
    var agent = try SACAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains a SAC agent on Pendulum-v1 (200-step episodes).
public func trainSAC(_ config: SACConfig, progress: ((Int) -> Void)? = nil) throws -> TrainingRun<SACNetworks> {
    try trainSAC(config, progress: progress) { Pendulum(seed: $0) }
}
