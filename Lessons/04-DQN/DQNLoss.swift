import CourseKit
import RLKit

/// The TD target of DQN for every transition of a minibatch:
///
///     y_i = r_i + d_i (1 - terminated_i) max_a' Q_target(s'_i, a')
///
/// where d_i = `batch.discounts[i]` is the transition's bootstrap discount
/// (gamma for a one-step transition, gamma^K for one that folds K rewards).
/// A terminated transition does not bootstrap (its next state is worth 0);
/// a truncated one does (a time limit is not a terminal state). The target
/// is a constant of the loss: no gradient may reach the target network.
///
/// - Returns: y, `[batch]`, recorded in no graph.
/// - Throws: `InvalidArgument` when the network does not fit the batch.
public func dqnTargets(target: some QNetwork, batch: ReplayBatch) throws -> Tensor {
    try validate(target, batch: batch, in: "dqnTargets(target:batch:)")
    // TODO(4.1): the constant target r + discount (1 - terminated) max Q_target(s', .) (notes, section 1)
    throw ExerciseError.notImplemented("4.1", file: "Lessons/04-DQN/DQNLoss.swift", hint: "the constant target r + discount (1 - terminated) max Q_target(s', .) (notes, section 1)")
}

/// The loss of one DQN update and what prioritised replay needs from it.
public struct TDLossResult {
    /// The mean (weighted) loss over the batch, a scalar to differentiate.
    public var loss: Tensor
    /// Q(s_i, a_i) for every transition, `[batch]` (differentiable).
    public var predictions: Tensor
    /// The TD errors y_i - Q(s_i, a_i) (new priorities come from these).
    public var tdErrors: [Float]
}

/// The TD loss of the online network on a minibatch:
///
///     L = mean_i w_i l(Q(s_i, a_i) - y_i)
///
/// where Q(s_i, a_i) is the online network's value of the action actually
/// taken (gathered from its `[batch, actions]` output), y the targets, l the
/// squared error or the Huber loss, and w_i the importance weights (all 1
/// when `weights` is nil).
///
/// - Parameters:
///   - targets: y, `[batch]` (constants).
///   - weights: per-transition weights, `[batch]`, or nil.
/// - Throws: `InvalidArgument` for targets or weights of the wrong shape,
///   negative or non-finite weights, or a network that does not fit the batch.
public func tdLoss(online: some QNetwork, batch: ReplayBatch, targets: Tensor, kind: TDLossKind = .huber(delta: 1),
                   weights: Tensor? = nil) throws -> TDLossResult {
    let function = "tdLoss(online:batch:targets:kind:weights:)"
    try validate(online, batch: batch, in: function)
    guard targets.shape == [batch.count] else {
        throw InvalidArgument(function, "targets",
                              "has shape \(targets.shape), expected [\(batch.count)] (one target per transition)")
    }
    if let weights {
        guard weights.shape == [batch.count] else {
            throw InvalidArgument(function, "weights", "has shape \(weights.shape), expected [\(batch.count)]")
        }
        if let bad = weights.scalars.first(where: { !($0 >= 0 && $0.isFinite) }) {
            throw InvalidArgument(function, "weights", "holds \(bad), expected finite weights >= 0")
        }
    }
    if case .huber(let delta) = kind { try Validate.positive(delta, "delta", in: function) }
    // TODO(4.1): regress Q(s, a) of the actions taken on the targets (notes, sections 1 and 3)
    throw ExerciseError.notImplemented("4.1", file: "Lessons/04-DQN/DQNLoss.swift", hint: "regress Q(s, a) of the actions taken on the targets (notes, sections 1 and 3)")
}

/// The Double DQN target (van Hasselt, Guez and Silver, 2016): the online
/// network chooses the next action, the target network evaluates it,
///
///     a*_i = argmax_a' Q_online(s'_i, a')
///     y_i  = r_i + d_i (1 - terminated_i) Q_target(s'_i, a*_i)
///
/// so that the noise that makes one action's estimate look best is not the
/// noise that values it, which removes most of max's upward bias.
///
/// - Returns: y, `[batch]`, recorded in no graph.
/// - Throws: `InvalidArgument` when a network does not fit the batch or the
///   two networks differ in architecture.
public func doubleDQNTargets(online: some QNetwork, target: some QNetwork, batch: ReplayBatch) throws -> Tensor {
    try validate(online, target: target, batch: batch, in: "doubleDQNTargets(online:target:batch:)")
    // TODO(4.2): Double DQN: the online network chooses, the target network evaluates (notes, section 4)
    throw ExerciseError.notImplemented("4.2", file: "Lessons/04-DQN/DQNLoss.swift", hint: "Double DQN: the online network chooses, the target network evaluates (notes, section 4)")
}
