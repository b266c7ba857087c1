import CourseKit
import Environments
import Foundation
import RLKit

/// What a policy does when the agent acts on a batch of observations.
public struct PolicySample<Action> {
    /// The action of every row, as the environment takes it (a Gaussian
    /// policy's sample clipped to the action space's bounds).
    public var actions: [Action]
    /// What the rollout stores for every row, `actionSize` values each: the
    /// action index, or the Gaussian sample before clipping.
    public var stored: [Float]
    /// log pi(stored action | s) of every row, under the policy that acted.
    public var logProbabilities: [Float]

    /// Creates a sample.
    public init(actions: [Action], stored: [Float], logProbabilities: [Float]) {
        self.actions = actions
        self.stored = stored
        self.logProbabilities = logProbabilities
    }
}

/// A policy's log-probabilities of stored actions and its entropies, both
/// `[batch]` and differentiable (what the PPO loss needs).
public struct PolicyEvaluation {
    /// log pi(a_i | s_i).
    public var logProbabilities: Tensor
    /// The entropy of pi(. | s_i).
    public var entropy: Tensor

    /// Creates an evaluation.
    public init(logProbabilities: Tensor, entropy: Tensor) {
        self.logProbabilities = logProbabilities
        self.entropy = entropy
    }
}

/// A stochastic policy PPO can train: it samples actions for the
/// environment, and gives the log-probability of stored actions as a
/// differentiable tensor.
public protocol PPOPolicy: Module {
    /// The environment's action type.
    associatedtype Action
    /// The observation width the policy reads.
    var observationSize: Int { get }
    /// The values stored per action (1 for an action index, D for a D-dimensional box).
    var actionSize: Int { get }
    /// Samples one action per row of `observations` `[batch, observationSize]`, recording no graph.
    func act(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample<Action>
    /// log pi(a_i | s_i) of stored actions `[batch, actionSize]`, and the entropies, differentiable.
    func evaluate(_ observations: Tensor, actions: Tensor) throws -> PolicyEvaluation
    /// The deterministic action of every row (the most likely one, or the mean clipped to the bounds).
    func deterministicActions(_ observations: Tensor) throws -> [Action]
}

/// The actor network of a policy: tanh hidden layers, and an output layer
/// whose initial weights and bias are scaled by `outputScale` (CleanRL
/// initialises it small, 0.01, so that the first policy is nearly uniform or
/// centred at 0 whatever the observation).
func actorNetwork(_ sizes: [Int], outputScale: Float, using rng: inout SeededGenerator) -> MLP {
    let network = MLP(sizes, activation: .tanh, using: &rng)
    var layers = network.layers
    let last = layers[layers.count - 1]
    let weight = Tensor(shape: last.weight.shape, scalars: last.weight.scalars.map { $0 * outputScale })
    let bias = Tensor(shape: last.bias.shape, scalars: last.bias.scalars.map { $0 * outputScale })
    layers[layers.count - 1] = Linear(weight: weight, bias: bias)
    return MLP(layers: layers, activation: .tanh)
}

/// Checks that `observations` is `[batch, width]` with at least one row.
func checkObservations(_ observations: Tensor, width: Int, in function: String) throws {
    guard observations.rank == 2, observations.shape[0] >= 1, observations.shape[1] == width else {
        throw InvalidArgument(function, "observations", "has shape \(observations.shape), expected [batch, \(width)]")
    }
}

// MARK: - Discrete actions

/// A categorical policy over a discrete action space: the actor maps an
/// observation to K logits, pi(a | s) = softmax(logits)_a. The rollout
/// stores the action's index (0..<K); the environment gets index + start.
public final class CategoricalPolicy: PPOPolicy {
    /// The network from observations to logits, `[batch, K]`.
    public let actor: MLP
    /// The actions: `actionSpace.count` of them, from `actionSpace.start`.
    public let actionSpace: DiscreteSpace

    /// A policy with the given actor.
    ///
    /// - Throws: `InvalidArgument` when the actor's output width is not the number of actions.
    public init(actor: MLP, actionSpace: DiscreteSpace) throws {
        let outputs = actor.sizes[actor.sizes.count - 1]
        guard outputs == actionSpace.count else {
            throw InvalidArgument("CategoricalPolicy", "actor", "outputs \(outputs) logits, but the action space "
                                  + "\(actionSpace) has \(actionSpace.count) actions: one logit per action")
        }
        self.actor = actor
        self.actionSpace = actionSpace
    }

    /// A policy with a new tanh actor `[observationSize] + hiddenSizes + [K]` (output layer scaled by 0.01).
    ///
    /// - Throws: `InvalidArgument` for an empty action space, a size below 1, or no hidden layer.
    public convenience init(observationSize: Int, actionSpace: DiscreteSpace, hiddenSizes: [Int],
                            using rng: inout SeededGenerator) throws {
        try checkSizes(observationSize, hiddenSizes, outputs: actionSpace.count, in: "CategoricalPolicy")
        try self.init(actor: actorNetwork([observationSize] + hiddenSizes + [actionSpace.count], outputScale: 0.01,
                                          using: &rng), actionSpace: actionSpace)
    }

    public var observationSize: Int { actor.sizes[0] }
    public var actionSize: Int { 1 }
    public var namedParameters: [(name: String, tensor: Tensor)] { actor.namedParameters }

    /// pi(. | s) for every row of `observations`.
    ///
    /// - Throws: `InvalidArgument` for observations of the wrong width or logits that are not finite.
    public func distribution(_ observations: Tensor) throws -> Categorical {
        try checkObservations(observations, width: observationSize, in: "CategoricalPolicy")
        return try Categorical(logits: actor(observations))
    }

    /// Samples a ~ pi(. | s) for every row; stores the index and log pi(a | s) (no graph).
    public func act(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample<Int> {
        // TODO(7.6): sample an index per row, its log-probability, and the environment's action (section 9)
        throw ExerciseError.notImplemented("7.6", file: "Lessons/07-PPO/Policies.swift", hint: "sample an index per row, its log-probability, and the environment's action (section 9)")
    }

    /// log pi(a_i | s_i) of stored indices `[batch, 1]` and the entropy of every row.
    public func evaluate(_ observations: Tensor, actions: Tensor) throws -> PolicyEvaluation {
        guard actions.shape == [observations.shape[0], 1] else {
            throw InvalidArgument("CategoricalPolicy.evaluate", "actions", "has shape \(actions.shape), expected "
                                  + "[\(observations.shape[0]), 1] (one stored index per observation)")
        }
        let count = Float(actionSpace.count)
        if let bad = actions.scalars.first(where: { !($0 >= 0 && $0 < count) || $0 != $0.rounded() }) {
            throw InvalidArgument("CategoricalPolicy.evaluate", "actions", "holds \(bad), expected indices "
                                  + "0..<\(actionSpace.count)")
        }
        // TODO(7.6): the log-probabilities of the stored indices and the entropies, with a graph (section 9)
        throw ExerciseError.notImplemented("7.6", file: "Lessons/07-PPO/Policies.swift", hint: "the log-probabilities of the stored indices and the entropies, with a graph (section 9)")
    }

    /// The most likely action of every row.
    public func deterministicActions(_ observations: Tensor) throws -> [Int] {
        try withoutGradients { try distribution(observations) }.mode.map { $0 + actionSpace.start }
    }
}

// MARK: - Continuous actions

/// A diagonal Gaussian policy over a box of actions: the actor maps an
/// observation to the mean mu(s) of each of the D coordinates, and one
/// trainable log standard deviation per coordinate, the same in every
/// state: a ~ N(mu(s), diag(exp(logStd))^2). The rollout stores the sample
/// as drawn; the environment gets it clipped to the box's bounds.
public final class GaussianPolicy<Action>: PPOPolicy {
    /// The network from observations to means, `[batch, D]`.
    public let actor: MLP
    /// log sigma, `[D]`, trainable, independent of the state.
    public let logStandardDeviation: Tensor
    /// The box the environment's actions must lie in.
    public let actionSpace: BoxSpace
    let makeAction: ([Double]) -> Action

    /// A policy with the given actor and initial log standard deviations.
    ///
    /// - Parameter makeAction: the environment's action from D coordinates.
    /// - Throws: `InvalidArgument` when the actor's output width is not the
    ///   box's dimension, or a log standard deviation makes sigma 0 or infinite.
    public init(actor: MLP, logStandardDeviation: [Float], actionSpace: BoxSpace,
                makeAction: @escaping ([Double]) -> Action) throws {
        let outputs = actor.sizes[actor.sizes.count - 1]
        guard outputs == actionSpace.dimension, logStandardDeviation.count == actionSpace.dimension else {
            throw InvalidArgument("GaussianPolicy", "actor", "outputs \(outputs) means and has "
                                  + "\(logStandardDeviation.count) log standard deviations, but the action space "
                                  + "\(actionSpace) has \(actionSpace.dimension) coordinates: one of each per "
                                  + "coordinate")
        }
        try checkLogStandardDeviation(logStandardDeviation, in: "GaussianPolicy")
        self.actor = actor
        self.logStandardDeviation = Tensor(shape: [actionSpace.dimension], scalars: logStandardDeviation,
                                           requiresGradient: true)
        self.actionSpace = actionSpace
        self.makeAction = makeAction
    }

    /// A policy for `environment`'s action space with a new tanh actor
    /// `[observationSize] + hiddenSizes + [D]` (output layer scaled by 0.01:
    /// the first means are near 0) and log sigma = `initialLogStd` everywhere.
    ///
    /// - Throws: `InvalidArgument` for a size below 1, no hidden layer, or a log-std that makes sigma 0.
    public convenience init<E: BoxActionEnvironment>(for environment: E, observationSize: Int, hiddenSizes: [Int],
                                                     initialLogStd: Float, using rng: inout SeededGenerator) throws
    where E.Action == Action {
        let dimension = environment.actionSpace.dimension
        try checkSizes(observationSize, hiddenSizes, outputs: dimension, in: "GaussianPolicy")
        let actor = actorNetwork([observationSize] + hiddenSizes + [dimension], outputScale: 0.01, using: &rng)
        try self.init(actor: actor,
                      logStandardDeviation: [Float](repeating: initialLogStd, count: dimension),
                      actionSpace: environment.actionSpace, makeAction: { environment.action($0) })
    }

    public var observationSize: Int { actor.sizes[0] }
    public var actionSize: Int { actionSpace.dimension }
    public var namedParameters: [(name: String, tensor: Tensor)] {
        actor.namedParameters + [("log standard deviation", logStandardDeviation)]
    }

    /// pi(. | s) for every row of `observations`.
    ///
    /// - Throws: `InvalidArgument` for observations of the wrong width, means
    ///   that are not finite, or a log standard deviation that has made sigma 0 or infinite.
    public func distribution(_ observations: Tensor) throws -> DiagonalGaussian {
        try checkObservations(observations, width: observationSize, in: "GaussianPolicy")
        try checkLogStandardDeviation(logStandardDeviation.scalars, in: "GaussianPolicy")
        return try DiagonalGaussian(mean: actor(observations), logStandardDeviation: logStandardDeviation)
    }

    /// The environment's action for one row of coordinates, each clipped to the box.
    func environmentAction(_ row: ArraySlice<Float>) -> Action {
        makeAction(row.enumerated().map { d, x in
            Swift.min(Swift.max(Double(x), actionSpace.low[d]), actionSpace.high[d])
        })
    }

    /// Samples a ~ N(mu(s), sigma^2) for every row; stores a as drawn and
    /// log pi(a | s) of it, and gives the environment a clipped to the box (no graph).
    public func act(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample<Action> {
        // TODO(7.6): sample, keep the raw sample and its log-probability, clip only the environment's copy
        throw ExerciseError.notImplemented("7.6", file: "Lessons/07-PPO/Policies.swift", hint: "sample, keep the raw sample and its log-probability, clip only the environment's copy")
    }

    /// log pi(a_i | s_i) of stored samples `[batch, D]` and the entropy of every row.
    public func evaluate(_ observations: Tensor, actions: Tensor) throws -> PolicyEvaluation {
        guard actions.shape == [observations.shape[0], actionSpace.dimension] else {
            throw InvalidArgument("GaussianPolicy.evaluate", "actions", "has shape \(actions.shape), expected "
                                  + "[\(observations.shape[0]), \(actionSpace.dimension)] (one stored sample per "
                                  + "observation)")
        }
        // TODO(7.6): the log-density of the stored samples and the entropies, with their graph (section 9)
        throw ExerciseError.notImplemented("7.6", file: "Lessons/07-PPO/Policies.swift", hint: "the log-density of the stored samples and the entropies, with their graph (section 9)")
    }

    /// The mean of every row, clipped to the box.
    public func deterministicActions(_ observations: Tensor) throws -> [Action] {
        let means = try withoutGradients { try distribution(observations) }.mean.scalars
        let d = actionSpace.dimension
        return (0..<observations.shape[0]).map { environmentAction(means[($0 * d)..<(($0 + 1) * d)]) }
    }
}

/// Checks that every log standard deviation gives a sigma = exp(log sigma)
/// that is a normal, finite Float (above about 1.2e-38: log sigma in
/// [-87.3, 88.7]); below, sigma rounds to 0 and every log-density is infinite.
func checkLogStandardDeviation(_ values: [Float], in function: String) throws {
    for (d, value) in values.enumerated() {
        let sigma = Foundation.exp(value)
        guard sigma.isFinite, sigma >= Float.leastNormalMagnitude else {
            throw InvalidArgument(function, "logStandardDeviation", "coordinate \(d) is \(value): sigma = "
                                  + "exp(\(value)) = \(sigma) in Float, expected a log-std in [-87, 88] so that sigma "
                                  + "is a finite number > 0")
        }
    }
}

/// Checks the sizes of a new actor.
func checkSizes(_ observationSize: Int, _ hiddenSizes: [Int], outputs: Int, in function: String) throws {
    try Validate.count(observationSize, "observationSize", in: function)
    try Validate.count(outputs, "actions", in: function)
    guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
        throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
    }
}
