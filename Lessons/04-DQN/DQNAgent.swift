import CourseKit
import Environments
import Foundation
import RLKit

/// Every setting of a DQN run. The defaults (Double DQN targets, the dueling
/// head, 3-step returns: the demo's agent) solve CartPole-v1 (mean greedy
/// return >= 475 over 100 episodes) in a few tens of thousands of steps;
/// docs/BENCHMARKS.md has the measured figures. `DQNConfig.vanilla` is the
/// same run with every improvement off.
public struct DQNConfig: Sendable {
    /// The seed of every random number: network initialisation,
    /// exploration, replay sampling and environment resets.
    public var seed: UInt64 = 0
    /// Environment steps to train for (the run may stop earlier when solved).
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
    /// The target update: 1 copies the online network (hard update); below
    /// 1, theta_target <- tau theta + (1 - tau) theta_target (Polyak).
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
    /// Environment steps between evaluations of the greedy policy (0: never).
    public var evaluationInterval = 1_000
    /// Episodes of a routine evaluation; a mean at the threshold is then
    /// confirmed with `solveEpisodes` episodes.
    public var evaluationEpisodes = 10
    /// Episodes of the confirming evaluation (the solved criterion).
    public var solveEpisodes = 100
    /// The mean greedy return that counts as solved (nil: never stop early).
    public var solveThreshold: Double? = 475

    /// The defaults.
    public init() {}

    /// The defaults with every improvement off: the max target, an MLP,
    /// one-step transitions, uniform replay.
    public static var vanilla: DQNConfig {
        var config = DQNConfig()
        config.double = false
        config.dueling = false
        config.nSteps = 1
        config.prioritized = false
        return config
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "DQNConfig"
        for (name, value) in [("totalSteps", totalSteps), ("bufferSize", bufferSize), ("batchSize", batchSize),
                              ("targetUpdateInterval", targetUpdateInterval), ("trainFrequency", trainFrequency),
                              ("gradientSteps", gradientSteps), ("nSteps", nSteps),
                              ("evaluationEpisodes", evaluationEpisodes), ("solveEpisodes", solveEpisodes)] {
            try Validate.count(value, name, in: function)
        }
        try Validate.count(learningStarts, "learningStarts", atLeast: 0, in: function)
        try Validate.count(evaluationInterval, "evaluationInterval", atLeast: 0, in: function)
        guard batchSize <= bufferSize else {
            throw InvalidArgument(function, "batchSize",
                                  "got \(batchSize), larger than bufferSize \(bufferSize): a batch could never be "
                                  + "drawn")
        }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes",
                                  "got \(hiddenSizes), expected at least one layer, all sizes >= 1")
        }
        try Validate.nonNegative(learningRate, "learningRate", in: function)
        try Validate.inClosedRange(gamma, 0, 1, "gamma", in: function)
        try Validate.inClosedRange(tau, 0, 1, "tau", in: function)
        try Validate.inClosedRange(epsilonStart, 0, 1, "epsilonStart", in: function)
        try Validate.inClosedRange(epsilonEnd, 0, 1, "epsilonEnd", in: function)
        try Validate.inClosedRange(explorationFraction, 0, 1, "explorationFraction", in: function)
        try Validate.inClosedRange(priorityAlpha, 0, 1, "priorityAlpha", in: function)
        try Validate.inClosedRange(priorityBetaStart, 0, 1, "priorityBetaStart", in: function)
        try Validate.positive(priorityEpsilon, "priorityEpsilon", in: function)
        guard maxGradientNorm > 0 else { throw InvalidArgument(function, "maxGradientNorm",
                                                               "got \(maxGradientNorm), expected a number > 0") }
    }
}

/// What a training run produced.
public struct DQNRun {
    /// The trained online network.
    public var online: any QNetwork
    /// The target network at the end of the run.
    public var target: any QNetwork
    /// Episode returns, losses, Q-values, epsilon and evaluations by step
    /// (the `Metric` names).
    public var log: TrainingLog
    /// The step after which the solve criterion was first met, if it was.
    public var solvedAtStep: Int?
    /// The last evaluation of the greedy policy, if any.
    public var lastEvaluation: EvaluationResult?
    /// Environment steps taken.
    public var steps: Int
    /// Gradient steps taken.
    public var updates: Int
}

/// The replay memory of a run: uniform or prioritised (plumbing).
public enum DQNMemory {
    case uniform(ReplayBuffer)
    case prioritized(PrioritizedReplay<SumTree>)

    /// Creates the memory `config` asks for.
    public init(_ config: DQNConfig, observationSize: Int) throws {
        if config.prioritized {
            self = .prioritized(try PrioritizedReplay(capacity: config.bufferSize, observationSize: observationSize,
                                                      alpha: config.priorityAlpha, epsilon: config.priorityEpsilon,
                                                      tree: SumTree(capacity: config.bufferSize)))
        } else {
            self = .uniform(try ReplayBuffer(capacity: config.bufferSize, observationSize: observationSize))
        }
    }

    /// How many transitions are stored.
    public var count: Int {
        switch self {
        case .uniform(let buffer): return buffer.count
        case .prioritized(let replay): return replay.buffer.count
        }
    }

    /// Stores a transition.
    public mutating func add(_ t: FoldedTransition) throws {
        switch self {
        case .uniform(var buffer):
            try buffer.add(observation: t.observation, action: t.action, reward: t.reward,
                           nextObservation: t.nextObservation, terminated: t.terminated, truncated: t.truncated,
                           discount: t.discount)
            self = .uniform(buffer)
        case .prioritized(var replay):
            try replay.add(t)
            self = .prioritized(replay)
        }
    }

    /// A minibatch and its importance weights (nil for uniform sampling).
    public func sample(batchSize: Int, beta: Double,
                       using generator: inout SeededGenerator) throws -> (batch: ReplayBatch, weights: Tensor?) {
        switch self {
        case .uniform(let buffer): return (try buffer.sample(batchSize: batchSize, using: &generator), nil)
        case .prioritized(let replay):
            let (batch, weights) = try replay.sample(batchSize: batchSize, beta: beta, using: &generator)
            return (batch, weights)
        }
    }

    /// Writes back new priorities (nothing for uniform sampling).
    public mutating func updatePriorities(indices: [Int], tdErrors: [Float]) throws {
        guard case .prioritized(var replay) = self else { return }
        try replay.updatePriorities(indices: indices, tdErrors: tdErrors)
        self = .prioritized(replay)
    }
}

/// Evaluates the greedy policy on schedule and says when the run is solved
/// (plumbing): every `evaluationInterval` steps, `evaluationEpisodes`
/// episodes; a mean at the threshold is confirmed with `solveEpisodes`.
public struct SolveMonitor<E: Environment> where E.Observation: ObservationVector, E.Action == Int {
    let config: DQNConfig
    let make: (UInt64) throws -> E
    /// The evaluations so far: (step, mean return).
    public private(set) var evaluations: [(step: Int, mean: Double)] = []
    /// The last evaluation.
    public private(set) var last: EvaluationResult?
    /// The step at which the run was solved.
    public private(set) var solvedAtStep: Int?

    public init(_ config: DQNConfig, make: @escaping (UInt64) throws -> E) {
        self.config = config
        self.make = make
    }

    /// Call after every environment step (`step` counts steps taken);
    /// returns true when the run is solved and should stop.
    public mutating func shouldStop(afterStep step: Int, network: some QNetwork,
                                    log: inout TrainingLog) throws -> Bool {
        guard config.evaluationInterval > 0, step % config.evaluationInterval == 0,
              step > config.learningStarts else { return false }
        var result = try evaluate(network, episodes: config.evaluationEpisodes,
                                  seed: config.seed &+ 1_000_000 &+ UInt64(step))
        if let threshold = config.solveThreshold, result.meanReturn >= threshold {
            result = try evaluate(network, episodes: config.solveEpisodes,
                                  seed: config.seed &+ 2_000_000 &+ UInt64(step))
            if result.meanReturn >= threshold { solvedAtStep = step }
        }
        last = result
        evaluations.append((step, result.meanReturn))
        try log.record(step: step, [Metric.evaluationReturn: result.meanReturn])
        return solvedAtStep != nil
    }

    /// The greedy policy's returns over `episodes` seeded episodes.
    public func evaluate(_ network: some QNetwork, episodes: Int, seed: UInt64) throws -> EvaluationResult {
        try evaluatePolicy(episodes: episodes, seed: seed, make: { try make(seed &+ UInt64($0)) }) { observations in
            try withoutGradients { try network(observations) }.argmax(alongAxis: 1)
        }
    }
}

/// Trains a DQN agent on CartPole-v1 (500-step limit).
public func trainDQN(_ config: DQNConfig, progress: ((Int) -> Void)? = nil) throws -> DQNRun {
    try trainDQN(config, actionCount: 2, progress: progress) { CartPole(seed: $0) }
}

/// Trains a DQN agent (Mnih et al., 2015) with the options of `config`.
///
/// The loop, for every environment step t = 0, 1, ...:
/// 1. act epsilon-greedily on the online network (epsilon decays linearly
///    from `epsilonStart` to `epsilonEnd` over `explorationFraction` of the
///    run), step the environment, and store the transition (folded over
///    `nSteps` steps); when the episode ends, log its return and reset;
/// 2. from `learningStarts` on, every `trainFrequency` steps, take
///    `gradientSteps` gradient steps: sample a minibatch, compute the targets
///    (`dqnTargets`, or `doubleDQNTargets` with `double`), the loss
///    (`tdLoss`, weighted by the importance weights with `prioritized`),
///    backpropagate, clip the global gradient norm, step Adam, and write the
///    new priorities back;
/// 3. every `targetUpdateInterval` steps, update the target network (copy,
///    or Polyak with `tau` < 1);
/// 4. ask the monitor whether the greedy policy solves the task (stop if so).
///
/// - Parameters:
///   - actionCount: the number of discrete actions of the environment.
///   - progress: called with the step count every 1,000 steps.
///   - make: builds an environment from a seed (the training one and the
///     evaluation ones).
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainDQN<E: Environment>(_ config: DQNConfig, actionCount: Int, progress: ((Int) -> Void)? = nil,
                                     make: @escaping (UInt64) throws -> E) throws -> DQNRun
where E.Observation: ObservationVector, E.Action == Int {
    try config.validate()
    try Validate.count(actionCount, "actionCount", in: "trainDQN")
    // Set-up (given): the networks, the optimiser, the memory, the schedules, the log.
    var rng = SeededGenerator(seed: config.seed)
    let observationSize = E.Observation.dimension
    let online: any QNetwork = config.dueling
        ? try DuelingQNetwork(observationSize: observationSize, hiddenSizes: config.hiddenSizes,
                              actionCount: actionCount, using: &rng)
        : MLP([observationSize] + config.hiddenSizes + [actionCount], activation: .relu, using: &rng)
    let target = try online.copy()
    let optimizer = try Adam(parameters: online.parameters, learningRate: config.learningRate)
    var memory = try DQNMemory(config, observationSize: observationSize)
    var queue = try NStepQueue(n: config.nSteps, gamma: Double(config.gamma))
    let decaySteps = Swift.max(1, Int(Double(config.totalSteps) * config.explorationFraction))
    let epsilon = try LinearSchedule(from: config.epsilonStart, to: config.epsilonEnd, over: decaySteps)
    let beta = try LinearSchedule(from: Float(config.priorityBetaStart), to: 1, over: config.totalSteps)
    var monitor = SolveMonitor(config, make: make)
    var log = try TrainingLog(metrics: [Metric.episodeReturn, Metric.episodeLength, Metric.loss, Metric.qValue,
                                        Metric.epsilon, Metric.evaluationReturn])
    var env = try make(config.seed)
    var steps = 0, updates = 0
    // TODO(4.7): the DQN loop: act, store, learn, refresh the target, evaluate (notes, section 8)
    throw ExerciseError.notImplemented("4.7", file: "Lessons/04-DQN/DQNAgent.swift", hint: "the DQN loop: act, store, learn, refresh the target, evaluate (notes, section 8)")
    return DQNRun(online: online, target: target, log: log, solvedAtStep: monitor.solvedAtStep,
                  lastEvaluation: monitor.last,
                  steps: steps, updates: updates)
}
