import CourseKit
import Environments
import RLKit

// MARK: - Configuration

/// Every setting of a DQN run. The defaults (Double DQN targets, the dueling head, 3-step returns: the
/// demo's agent) solve CartPole-v1 (mean greedy return >= 475 over 100 episodes) in a few tens of
/// thousands of steps; docs/BENCHMARKS.md has the measured figures.
public struct DQNConfig: Sendable {
    /// The seed of every random number: initialisation, exploration, replay sampling, resets.
    public var seed: UInt64 = 0
    /// Environment steps to train for (the run stops earlier when solved).
    public var totalSteps = 50_000
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3
    /// How many transitions the replay buffer keeps.
    public var bufferSize = 50_000
    /// The discount factor gamma.
    public var gamma: Float = 0.99
    /// Transitions per gradient step.
    public var batchSize = 64
    /// The hidden layer widths of the Q-network.
    public var hiddenSizes = [120, 84]
    /// Environment steps between target-network updates (C).
    public var targetUpdateInterval = 250
    /// The target update: 1 copies the online network; below 1, theta' <- tau theta + (1 - tau) theta'.
    public var tau: Float = 1
    /// Epsilon at the first step.
    public var epsilonStart: Float = 1
    /// Epsilon after the decay.
    public var epsilonEnd: Float = 0.02
    /// The fraction of `totalSteps` over which epsilon decays linearly.
    public var explorationFraction = 0.2
    /// Steps of pure exploration before the first gradient step.
    public var learningStarts = 1_000
    /// Environment steps between gradient steps.
    public var trainFrequency = 2
    /// Gradient steps each time.
    public var gradientSteps = 1
    /// The TD loss.
    public var loss: TDLossKind = .huber(delta: 1)
    /// The global gradient-norm limit (`Float.infinity`: no clipping).
    public var maxGradientNorm: Float = 10
    /// Use the Double DQN target (exercise 4.2) instead of the max.
    public var double = true
    /// Use the dueling network (exercise 4.3) instead of an MLP.
    public var dueling = true
    /// Fold this many rewards into each transition (exercise 4.4; 1 is plain DQN).
    public var nSteps = 3
    /// Sample by priority (exercises 4.5 and 4.6) instead of uniformly.
    public var prioritized = false
    /// Prioritised replay's alpha.
    public var priorityAlpha = 0.6
    /// Prioritised replay's beta at the first step; it grows linearly to 1 at the last.
    public var priorityBetaStart = 0.4
    /// Prioritised replay's epsilon (added to |delta|).
    public var priorityEpsilon = 1e-6
    /// When the greedy policy is evaluated and what counts as solved.
    public var evaluation = EvaluationSettings.cartPole

    /// The defaults: the demo's agent.
    public init() {}

    /// The defaults with every improvement off: the max target, an MLP,
    /// one-step transitions, uniform replay.
    public static var vanilla: DQNConfig {
        var config = DQNConfig()
        (config.double, config.dueling, config.nSteps, config.prioritized) = (false, false, 1, false)
        return config
    }

    /// Checks every setting; throws `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "DQNConfig"
        for (name, value) in [("totalSteps", totalSteps), ("bufferSize", bufferSize), ("batchSize", batchSize),
                              ("targetUpdateInterval", targetUpdateInterval), ("trainFrequency", trainFrequency),
                              ("gradientSteps", gradientSteps), ("nSteps", nSteps)] {
            try Validate.count(value, name, in: function)
        }
        try Validate.count(learningStarts, "learningStarts", atLeast: 0, in: function)
        guard batchSize <= bufferSize else {
            throw InvalidArgument(function, "batchSize", "got \(batchSize), larger than bufferSize \(bufferSize)")
        }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        try Validate.nonNegative(learningRate, "learningRate", in: function)
        for (name, value) in [("gamma", Double(gamma)), ("tau", Double(tau)), ("epsilonStart", Double(epsilonStart)),
                              ("epsilonEnd", Double(epsilonEnd)), ("explorationFraction", explorationFraction),
                              ("priorityAlpha", priorityAlpha), ("priorityBetaStart", priorityBetaStart)] {
            try Validate.inClosedRange(value, 0, 1, name, in: function)
        }
        try Validate.positive(priorityEpsilon, "priorityEpsilon", in: function)
        guard maxGradientNorm > 0 else {
            throw InvalidArgument(function, "maxGradientNorm", "got \(maxGradientNorm), expected a number > 0")
        }
        try evaluation.validate(in: function)
    }
}

// MARK: - The agent

/// A DQN agent (Mnih et al., 2015) with the options of `DQNConfig`, on an environment with discrete
/// actions and vector observations. `init` sets everything up; `train` is the loop (exercise 4.7).
public struct DQNAgent<E: DiscreteActionEnvironment> where E.Observation: ObservationVector {
    /// The settings.
    public let config: DQNConfig
    /// The online and target networks.
    public let networks: DQNNetworks
    var env: E, rng: SeededGenerator
    let optimizer: Adam
    var memory: DQNMemory, queue: NStepQueue
    let epsilon: LinearSchedule, beta: LinearSchedule
    var evaluation: EvaluationSchedule<E>
    var episodes = EpisodeTracker()
    /// The run's log so far.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Environment steps and gradient steps taken so far.
    public private(set) var step = 0, updates = 0

    /// Sets up a run on the environment `make(config.seed)` (evaluations make their own); throws
    /// `InvalidArgument` for a bad setting.
    public init(_ config: DQNConfig, make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        self.config = config
        rng = SeededGenerator(seed: config.seed)
        env = try make(config.seed)
        networks = try DQNNetworks(config, observationSize: E.Observation.dimension,
                                   actionCount: env.actionSpace.count, using: &rng)
        optimizer = try Adam(parameters: networks.online.parameters, learningRate: config.learningRate)
        memory = try DQNMemory(config, observationSize: E.Observation.dimension)
        queue = try NStepQueue(n: config.nSteps, gamma: Double(config.gamma))
        let decaySteps = Swift.max(1, Int(Double(config.totalSteps) * config.explorationFraction))
        epsilon = try LinearSchedule(from: config.epsilonStart, to: config.epsilonEnd, over: decaySteps)
        beta = try LinearSchedule(from: Float(config.priorityBetaStart), to: 1, over: config.totalSteps)
        evaluation = EvaluationSchedule(config.evaluation, seed: config.seed, after: config.learningStarts, make: make)
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.episodicLength, Metric.epsilon, Metric.tdLoss,
                                   Metric.qValues, Metric.stepsPerSecond, Metric.evaluationReturn])
    }

    /// Trains for `config.totalSteps` environment steps or until the evaluation schedule says solved, calling
    /// `progress` with the step count every 1,000 steps (notes, section 8, The agent: the loop in pseudocode).
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // BEGIN SOLUTION 4.7: the DQN loop: act, store, learn, refresh the target, evaluate (notes, section 8)
        let (online, target) = (networks.online, networks.target)
        var observation = env.reset(seed: config.seed)
        while step < config.totalSteps {
            step += 1
            // Act epsilon-greedily and store what happened.
            let explore = epsilon.value(at: step - 1)
            let q = try withoutGradients { try online(Tensor(shape: [1, E.Observation.dimension],
                                                             scalars: observation.floats)) }
            let action = try rng.epsilonGreedy(q.scalars, epsilon: explore)
            let result = try env.step(action)
            let transition = Transition(from: observation, action: action, step: result, gamma: config.gamma)
            for folded in try queue.push(transition) { try memory.add(folded) }
            if let episode = episodes.record(reward: result.reward, done: result.done) {
                try log.record(step: step, [Metric.episodicReturn: episode.return, Metric.epsilon: Double(explore),
                                            Metric.episodicLength: Double(episode.length)])
                observation = env.reset(seed: nil)
            } else {
                observation = result.observation
            }

            // Learn from a minibatch of replayed transitions.
            if step > config.learningStarts && step % config.trainFrequency == 0 && memory.count >= config.batchSize {
                for _ in 0..<config.gradientSteps {
                    let (batch, weights) = try memory.sample(batchSize: config.batchSize,
                                                             beta: Double(beta.value(at: step - 1)), using: &rng)
                    let targets = config.double
                        ? try doubleDQNTargets(online: online, target: target, batch: batch)
                        : try dqnTargets(target: target, batch: batch)
                    let loss = try tdLoss(online: online, batch: batch, targets: targets, kind: config.loss,
                                          weights: weights)
                    optimizer.zeroGradients()
                    loss.loss.backward()
                    try clipGradientNorm(optimizer.parameters, maxNorm: config.maxGradientNorm)
                    optimizer.step()
                    try memory.updatePriorities(indices: batch.indices, tdErrors: loss.tdErrors)
                    updates += 1
                    if updates % 100 == 0 {
                        try log.record(step: step, [Metric.tdLoss: Double(loss.loss.scalar),
                                                    Metric.qValues: Double(loss.predictions.mean().scalar),
                                                    Metric.stepsPerSecond: clock.stepsPerSecond(step)])
                    }
                }
            }

            // Refresh the target network: a copy (tau 1) or a Polyak step.
            if step % config.targetUpdateInterval == 0 { try target.polyakUpdate(toward: online, tau: config.tau) }
            if step % 1_000 == 0 { progress?(step) }
            if try evaluation.isSolved(afterStep: step, log: &log, policy: { try greedyActions(online, $0) }) { break }
        }
        // END SOLUTION
    }

    /// The run's result so far.
    public var run: TrainingRun<DQNNetworks> {
        TrainingRun(agent: networks, log: log, steps: step, updates: updates, solvedAtStep: evaluation.solvedAtStep,
                    lastEvaluation: evaluation.last, seconds: clock.seconds)
    }
}

/// Trains a DQN agent on `make`'s environment (built from a seed: the
/// training one and the evaluation ones); throws `InvalidArgument` for a bad setting.
public func trainDQN<E: DiscreteActionEnvironment>(
    _ config: DQNConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<DQNNetworks> where E.Observation: ObservationVector {
    var agent = try DQNAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains a DQN agent on CartPole-v1 (500-step limit).
public func trainDQN(_ config: DQNConfig, progress: ((Int) -> Void)? = nil) throws -> TrainingRun<DQNNetworks> {
    try trainDQN(config, progress: progress) { CartPole(seed: $0) }
}
