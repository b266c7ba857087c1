import CourseKit
import RLKit

/// A network that maps a batch of observations `[batch, observationSize]`
/// to one Q-value per action, `[batch, actionCount]`: Q_theta(s, .).
///
/// `MLP` is one (`MLP([4, 120, 84, 2])`); `DuelingQNetwork` (exercise 4.3)
/// is another. The agent keeps two: the online network it trains and the
/// target network, a lagged copy, that its TD targets use.
public protocol QNetwork: Module {
    /// The number of observation features (the input width).
    var observationSize: Int { get }
    /// The number of actions (the output width).
    var actionCount: Int { get }
    /// Q(s, .) for every row of `observations`, `[batch, actionCount]`.
    func callAsFunction(_ observations: Tensor) throws -> Tensor
    /// An independent network with the same architecture and values.
    func copy() throws -> Self
}

extension MLP: QNetwork {
    /// The input width, `sizes.first`.
    public var observationSize: Int { sizes[0] }
    /// The output width, `sizes.last`.
    public var actionCount: Int { sizes[sizes.count - 1] }
}

/// Checks that `network` reads `batch`'s observations and outputs
/// `actionCount` values, and that `target` (if any) has the same
/// architecture, before a loss or a target is computed from them.
///
/// - Throws: `InvalidArgument` naming `function` and what was expected.
public func validate(_ network: some QNetwork, target: (any QNetwork)? = nil, batch: ReplayBatch,
                     in function: String) throws {
    guard batch.observations.shape[1] == network.observationSize else {
        throw InvalidArgument(function, "batch",
                              "observations have \(batch.observations.shape[1]) features, the network reads "
                              + "\(network.observationSize)")
    }
    guard batch.actions.shape[1] == 1 else {
        throw InvalidArgument(function, "batch",
                              "holds actions of \(batch.actions.shape[1]) values, expected one action index per "
                              + "transition")
    }
    if let bad = batch.actionIndices.first(where: { $0 < 0 || $0 >= network.actionCount }) {
        throw InvalidArgument(function, "batch",
                              "holds action \(bad), the network has \(network.actionCount) outputs (actions "
                              + "0..<\(network.actionCount))")
    }
    if let target {
        do {
            try network.validateCompatible(with: target, operation: function)
        } catch {
            throw InvalidArgument(function, "target", "has another architecture than the online network: \(error)")
        }
    }
}

/// How a TD error becomes a loss.
public enum TDLossKind: Sendable, Equatable {
    /// The squared error (the mean squared error over the batch).
    case squared
    /// The Huber loss with threshold delta: quadratic within delta, linear
    /// outside, so one bad target cannot make a huge gradient.
    case huber(delta: Float)
}

/// The networks of a DQN agent: the online network it trains and the target
/// network, a lagged copy that its TD targets use.
public struct DQNNetworks {
    /// Q_theta, trained by every gradient step.
    public var online: any QNetwork
    /// Q_theta', refreshed from the online network every C steps.
    public var target: any QNetwork

    /// The networks `config` asks for: a dueling network or an MLP with
    /// `config.hiddenSizes`, and a copy of it as the target.
    public init(_ config: DQNConfig, observationSize: Int, actionCount: Int, using rng: inout SeededGenerator) throws {
        online = config.dueling
            ? try DuelingQNetwork(observationSize: observationSize, hiddenSizes: config.hiddenSizes,
                                  actionCount: actionCount, using: &rng)
            : MLP([observationSize] + config.hiddenSizes + [actionCount], activation: .relu, using: &rng)
        target = try online.copy()
    }
}

/// The greedy action argmax_a Q(s, a) of every row of `observations`,
/// computed without recording a graph: the policy that evaluations play.
public func greedyActions(_ network: some QNetwork, _ observations: Tensor) throws -> [Int] {
    try withoutGradients { try network(observations) }.argmax(alongAxis: 1)
}
