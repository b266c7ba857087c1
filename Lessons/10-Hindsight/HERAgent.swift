import CourseKit
import Environments
import Foundation
import RLKit

// MARK: - Configuration

/// Every setting of a goal-conditioned DQN run, with or without hindsight
/// relabelling. The defaults (DQN + HER with the "future" strategy, k = 4: the
/// demo's agent) follow the HER paper's training scheme: epochs of cycles, each
/// cycle a batch of episodes and then a batch of gradient steps, the target
/// network moved a little after every cycle. docs/BENCHMARKS.md has the
/// measured figures.
public struct HERConfig: Sendable {
    /// The seed of every random number: network initialisation, exploration,
    /// relabelling, replay sampling and environment resets.
    public var seed: UInt64 = 0
    /// Epochs to train for; each ends with an evaluation of the greedy policy.
    public var epochs = 30
    /// Cycles per epoch.
    public var cyclesPerEpoch = 10
    /// Episodes played per cycle, before its gradient steps.
    public var episodesPerCycle = 16
    /// Gradient steps at the end of each cycle.
    public var updatesPerCycle = 40
    /// Transitions per gradient step.
    public var batchSize = 128
    /// How many transitions the replay buffer keeps (relabelled copies count).
    public var bufferSize = 100_000
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3
    /// The discount factor gamma.
    public var gamma: Float = 0.98
    /// The hidden layer widths of the Q-network (input: state and goal; one output per action).
    public var hiddenSizes = [256]
    /// After every cycle, theta_target <- tau theta + (1 - tau) theta_target
    /// (the paper's decay 0.95 is tau 0.05; 1 copies).
    public var tau: Float = 0.05
    /// The probability of a uniformly random action while training.
    public var epsilon: Float = 0.2
    /// Which goals each episode is stored with (`.none`: plain DQN).
    public var strategy = GoalStrategy.future(k: 4)
    /// The task's goal tolerance: relabelled rewards come from
    /// `SparseGoalReward(tolerance:)`, which must agree with the environment's
    /// reward (0 for bit flipping).
    public var goalTolerance: Float = 0
    /// Clip the TD targets to [-1 / (1 - gamma), 0], the returns a task with
    /// rewards -1 and 0 can have.
    public var clipTargets = true
    /// Episodes of each end-of-epoch evaluation of the greedy policy.
    public var evaluationEpisodes = 100
    /// Stop once an evaluation's success rate reaches this (nil: train every epoch).
    public var successThreshold: Double? = nil

    /// The defaults: DQN + HER, the demo's agent.
    public init() {}

    /// The same agent without hindsight relabelling: DQN with the goal in its input.
    public static var dqn: HERConfig {
        var config = HERConfig()
        config.strategy = .none
        return config
    }

    /// The number of episodes in an epoch.
    public var episodesPerEpoch: Int { cyclesPerEpoch * episodesPerCycle }

    /// The range the targets are clipped to, or nil.
    public var targetRange: ClosedRange<Float>? { clipTargets ? (-1 / (1 - gamma))...0 : nil }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad one.
    public func validate() throws {
        let function = "HERConfig"
        for (name, value) in [("epochs", epochs), ("cyclesPerEpoch", cyclesPerEpoch),
                              ("episodesPerCycle", episodesPerCycle), ("updatesPerCycle", updatesPerCycle),
                              ("batchSize", batchSize), ("bufferSize", bufferSize),
                              ("evaluationEpisodes", evaluationEpisodes)] {
            try Validate.count(value, name, in: function)
        }
        guard batchSize <= bufferSize else {
            throw InvalidArgument(function, "batchSize", "got \(batchSize), larger than bufferSize \(bufferSize)")
        }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        try Validate.nonNegative(learningRate, "learningRate", in: function)
        try Validate.inHalfOpenRange(gamma, 0, 1, "gamma", in: function)
        try Validate.inClosedRange(tau, 0, 1, "tau", in: function)
        try Validate.inClosedRange(epsilon, 0, 1, "epsilon", in: function)
        try Validate.nonNegative(goalTolerance, "goalTolerance", in: function)
        if case .future(let k) = strategy { try Validate.count(k, "strategy's k", in: function) }
        if let successThreshold { try Validate.inClosedRange(successThreshold, 0, 1, "successThreshold", in: function) }
    }
}

/// The networks of a goal-conditioned DQN agent.
public struct HERNetworks {
    /// Q_theta(s || g, .), trained by every gradient step.
    public var online: MLP
    /// Q_theta', moved toward the online network after every cycle.
    public var target: MLP
}

// MARK: - The agent

/// DQN on a goal-conditioned task, with hindsight experience replay
/// (Andrychowicz et al., 2017) when `config.strategy` is not `.none`.
/// `init` sets everything up; `train` is the loop (exercise 10.4).
public struct HERAgent<E: GoalEnvironment & DiscreteActionEnvironment> {
    /// The settings.
    public let config: HERConfig
    /// The online and target networks.
    public let networks: HERNetworks
    var env: E, rng: SeededGenerator
    let make: (UInt64) throws -> E
    let optimizer: Adam
    let reward: SparseGoalReward
    var memory: ReplayBuffer
    var episodes = EpisodeTracker()
    /// The run's log so far.
    public private(set) var log: RunLog
    let clock = RunClock()
    /// Environment steps taken so far.
    public private(set) var step = 0
    /// Episodes played so far.
    public private(set) var episodeCount = 0
    /// Gradient steps taken so far.
    public private(set) var updates = 0
    /// The end-of-epoch evaluations so far: the step, the epoch and the greedy success rate.
    public private(set) var evaluations: [(step: Int, epoch: Int, successRate: Double)] = []
    /// The step of the first evaluation at `config.successThreshold`, if any.
    public private(set) var solvedAtStep: Int?

    /// Transitions stored so far, relabelled copies included.
    public var storedTransitions: Int { memory.totalAdded }
    /// The replay storage: rows (state, goal) and (next state, goal) of every stored transition.
    public var replay: ReplayBuffer { memory }

    /// Sets up a run on the environment `make(config.seed)` (evaluations make their own).
    ///
    /// - Throws: `InvalidArgument` for a bad setting.
    public init(_ config: HERConfig, make: @escaping (UInt64) throws -> E) throws {
        try config.validate()
        self.config = config
        self.make = make
        rng = SeededGenerator(seed: config.seed)
        env = try make(config.seed)
        let inputSize = env.stateSize + env.goalSize
        let online = MLP([inputSize] + config.hiddenSizes + [env.actionSpace.count], activation: .relu, using: &rng)
        networks = HERNetworks(online: online, target: online.copy())
        optimizer = try Adam(parameters: online.parameters, learningRate: config.learningRate)
        reward = try SparseGoalReward(tolerance: config.goalTolerance)
        memory = try ReplayBuffer(capacity: config.bufferSize, observationSize: inputSize)
        log = try RunLog(metrics: [Metric.episodicReturn, Metric.episodicLength, Metric.successRate, Metric.tdLoss,
                                   Metric.qValues, Metric.stepsPerSecond, Metric.evaluationSuccessRate,
                                   Metric.evaluationReturn])
    }

    /// Trains for `config.epochs` epochs, or until an evaluation reaches
    /// `config.successThreshold` (notes, section 7, The agent, has the loop in
    /// pseudocode).
    ///
    /// - Parameter progress: called with the number of epochs done after each one.
    public mutating func train(progress: ((Int) -> Void)? = nil) throws {
        // TODO(10.4): play episodes, store them relabelled, learn after each cycle, evaluate (notes, sec. 7)
        throw ExerciseError.notImplemented("10.4", file: "Lessons/10-Hindsight/HERAgent.swift", hint: "play episodes, store them relabelled, learn after each cycle, evaluate (notes, sec. 7)")
    }

    /// The greedy policy (argmax_a Q(s || g, a) of the online network) on
    /// `episodes` episodes, episode i in `make(seed + i)` reset with seed `seed + i`.
    public func evaluate(episodes: Int, seed: UInt64) throws -> GoalEvaluation {
        let online = networks.online
        return try evaluateGoalPolicy(episodes: episodes, seed: seed, make: { try make(seed &+ UInt64($0)) }) {
            try greedyGoalActions(online, $0)
        }
    }

    /// The run's result so far.
    public var run: TrainingRun<HERNetworks> {
        TrainingRun(agent: networks, log: log, steps: step, updates: updates, solvedAtStep: solvedAtStep,
                    lastEvaluation: nil, seconds: clock.seconds)
    }
}

/// Trains a goal-conditioned DQN agent (with HER unless `config.strategy` is
/// `.none`) on `make`'s environment (built from a seed: the training one and
/// the evaluation ones).
///
/// - Throws: `InvalidArgument` for a bad setting; errors of the pieces.
public func trainHER<E: GoalEnvironment & DiscreteActionEnvironment>(
    _ config: HERConfig, progress: ((Int) -> Void)? = nil, make: @escaping (UInt64) throws -> E
) throws -> TrainingRun<HERNetworks> {
    var agent = try HERAgent(config, make: make)
    try agent.train(progress: progress)
    return agent.run
}

/// Trains on bit flipping with `bits` bits.
public func trainHER(_ config: HERConfig, bits: Int,
                     progress: ((Int) -> Void)? = nil) throws -> TrainingRun<HERNetworks> {
    try trainHER(config, progress: progress) { try BitFlipping(bits: bits, seed: $0) }
}
