import CourseKit
import RLKit

/// A soft Q-network Q(s, a): an MLP on the concatenation [s, a] with one output.
public final class SoftQNetwork: Module {
    /// The network: `observationSize + actionSize` inputs, one output.
    public let network: MLP
    /// The number of observation features (the first inputs).
    public let observationSize: Int

    /// A ReLU network with the given hidden widths and PyTorch's default initialisation.
    public init(observationSize: Int, actionSize: Int, hiddenSizes: [Int], using generator: inout SeededGenerator) {
        network = MLP([observationSize + actionSize] + hiddenSizes + [1], activation: .relu, using: &generator)
        self.observationSize = observationSize
    }

    /// A network you made: it reads `observationSize` observation features
    /// followed by the action and has one output.
    ///
    /// - Throws: `InvalidArgument` when it has more than one output or no input left for the action.
    public init(network: MLP, observationSize: Int) throws {
        guard network.sizes.last == 1 else {
            throw InvalidArgument("SoftQNetwork", "network",
                                  "has \(network.sizes.last ?? 0) outputs, expected 1: Q(s, a)")
        }
        guard observationSize >= 1, network.sizes[0] > observationSize else {
            throw InvalidArgument("SoftQNetwork", "observationSize",
                                  "got \(observationSize), expected 1 to \(network.sizes[0] - 1) (the network reads "
                                  + "\(network.sizes[0]) features: the observation, then the action)")
        }
        self.network = network
        self.observationSize = observationSize
    }

    /// The number of action coordinates (the inputs after the observation).
    public var actionSize: Int { network.sizes[0] - observationSize }

    /// Q(s_i, a_i) for every row, `[batch]`.
    public func callAsFunction(_ observations: Tensor, _ actions: Tensor) -> Tensor {
        network(Tensor.concatenate([observations, actions], alongAxis: 1)).reshaped(to: [-1])
    }

    /// An independent network with the same values (a target network).
    public func copy() -> SoftQNetwork {
        // The architecture is the same, so the throwing init's checks hold.
        (try? SoftQNetwork(network: network.copy(), observationSize: observationSize))!
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { network.namedParameters }
}

/// SAC's two critics, Q_1 and Q_2, trained on the same targets from
/// different initialisations; targets and the actor use their minimum.
public final class TwinCritics: Module {
    /// Q_1.
    public let q1: SoftQNetwork
    /// Q_2.
    public let q2: SoftQNetwork

    /// Two independently initialised ReLU networks.
    public init(observationSize: Int, actionSize: Int, hiddenSizes: [Int], using generator: inout SeededGenerator) {
        q1 = SoftQNetwork(observationSize: observationSize, actionSize: actionSize, hiddenSizes: hiddenSizes,
                          using: &generator)
        q2 = SoftQNetwork(observationSize: observationSize, actionSize: actionSize, hiddenSizes: hiddenSizes,
                          using: &generator)
    }

    /// Two networks you made.
    ///
    /// - Throws: `InvalidArgument` when they read different observation or action sizes.
    public init(q1: SoftQNetwork, q2: SoftQNetwork) throws {
        guard q1.observationSize == q2.observationSize, q1.actionSize == q2.actionSize else {
            throw InvalidArgument("TwinCritics", "q2", "reads \(q2.observationSize) + \(q2.actionSize) features, q1 "
                                  + "\(q1.observationSize) + \(q1.actionSize)")
        }
        self.q1 = q1
        self.q2 = q2
    }

    /// The number of observation features.
    public var observationSize: Int { q1.observationSize }
    /// The number of action coordinates.
    public var actionSize: Int { q1.actionSize }

    /// An independent pair with the same values (the target critics).
    public func copy() -> TwinCritics { (try? TwinCritics(q1: q1.copy(), q2: q2.copy()))! }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        q1.namedParameters.map { ("q1 \($0.name)", $0.tensor) }
            + q2.namedParameters.map { ("q2 \($0.name)", $0.tensor) }
    }
}

/// The SAC actor: a ReLU trunk with two linear heads, the mean and the log
/// standard deviation of a `TanhGaussian` for every observation. The
/// log-std head's output goes through tanh and is stretched onto
/// `logStandardDeviationRange` (CleanRL's [-5, 2]), so sigma stays in
/// [0.0067, 7.4] and the log-probabilities finite.
public final class GaussianActor: Module, StochasticPolicy {
    /// The hidden layers (ReLU after each).
    public let trunk: MLP
    /// The mean head.
    public let meanHead: Linear
    /// The log standard deviation head (before the squash onto the range).
    public let logStandardDeviationHead: Linear
    /// The range of log sigma.
    public let logStandardDeviationRange: ClosedRange<Float>

    /// An actor with the given hidden widths (at least one).
    public init(observationSize: Int, actionSize: Int, hiddenSizes: [Int],
                logStandardDeviationRange: ClosedRange<Float> = -5...2, using generator: inout SeededGenerator) {
        trunk = MLP([observationSize] + hiddenSizes, activation: .relu, outputActivation: .relu, using: &generator)
        let width = hiddenSizes.last ?? observationSize
        meanHead = Linear(inputs: width, outputs: actionSize, using: &generator)
        logStandardDeviationHead = Linear(inputs: width, outputs: actionSize, using: &generator)
        self.logStandardDeviationRange = logStandardDeviationRange
    }

    /// The number of observation features.
    public var observationSize: Int { trunk.sizes[0] }
    /// The number of action coordinates.
    public var actionSize: Int { meanHead.outputs }

    /// pi(. | s) for every row of `observations`, `[batch, observationSize]`.
    public func distribution(_ observations: Tensor) throws -> TanhGaussian {
        let h = trunk(observations)
        let (low, high) = (logStandardDeviationRange.lowerBound, logStandardDeviationRange.upperBound)
        let logStd = low + 0.5 * (high - low) * (logStandardDeviationHead(h).tanh() + 1)
        return try TanhGaussian(mean: meanHead(h), logStandardDeviation: logStd)
    }

    /// a ~ pi(. | s), reparameterised, and log pi(a | s) (exercise 8.2's sampler).
    public func sample(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample {
        try distribution(observations).sample(using: &generator)
    }

    /// tanh(mu(s)) for every row, recorded in no graph: the policy evaluations play.
    public func deterministicActions(_ observations: Tensor) throws -> Tensor {
        try withoutGradients { try distribution(observations).mode }
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        trunk.namedParameters + meanHead.namedParameters.map { ("mean \($0.name)", $0.tensor) }
            + logStandardDeviationHead.namedParameters.map { ("log std \($0.name)", $0.tensor) }
    }
}

/// Checks that `policy` and `critics` read `observations` and agree on the action size.
///
/// - Throws: `InvalidArgument` naming `function` and what was expected.
func validate(policy: (any StochasticPolicy)?, critics: TwinCritics, observations: Tensor, in function: String) throws {
    guard observations.rank == 2, observations.shape[1] == critics.observationSize else {
        throw InvalidArgument(function, "observations", "have shape \(observations.shape), the critics read "
                              + "[batch, \(critics.observationSize)]")
    }
    if let policy {
        guard policy.observationSize == critics.observationSize, policy.actionSize == critics.actionSize else {
            throw InvalidArgument(function, "policy", "reads \(policy.observationSize) features and writes "
                                  + "\(policy.actionSize) actions; the critics read \(critics.observationSize) + "
                                  + "\(critics.actionSize)")
        }
    }
}

/// Checks that `batch` fits the critics (and the policy): observation and action widths.
func validate(policy: (any StochasticPolicy)?, critics: TwinCritics, batch: ReplayBatch, in function: String) throws {
    try validate(policy: policy, critics: critics, observations: batch.observations, in: function)
    guard batch.actions.shape[1] == critics.actionSize else {
        throw InvalidArgument(function, "batch", "holds actions of \(batch.actions.shape[1]) values, the critics read "
                              + "\(critics.actionSize)")
    }
}
