import CourseKit
import Foundation
import RLKit

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
