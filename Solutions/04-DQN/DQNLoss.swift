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
    // BEGIN SOLUTION 4.1: The DQN target is a constant regression label, the reward plus the discounted best next value from the target network, and the loss regresses Q(s, a) on it (notes, section 1, From a table to a network, on the target being a constant and on terminated or truncated; section 3 for the Huber loss).
    // HINT 2: Targets: one pass of the target network over the next observations without recording a graph, a max over the action axis, masked by terminated (not by truncated) and scaled by each transition's own discount, plus the reward, returned as a constant. Loss: pick each row's taken action out of the online network's [batch, actions] output so that predictions and targets are both [batch]; a weighted squared or Huber loss; TD errors are target minus prediction. Section 1's worked example gives a squared loss of 1.43.
    // HINT 3: dqnTargets: compute Q_target(s', .) without recording a graph (withoutGradients), take the max over actions (axis 1), multiply by batch.discounts and by (1 - batch.terminated), add batch.rewards, and return the result through stopGradient(). tdLoss: gather Q(s, a) from the online network's output with batch.actionIndices; the loss is mseLoss or huberLoss (from TensorCore, as kind says) of those predictions against the targets, with the weights; the TD errors are targets - predictions.
    let nextQ = try withoutGradients { try target(batch.nextObservations) }  // Q_target(s', .), [batch, actions]
    let bootstrap = nextQ.max(alongAxis: 1) * batch.discounts * (1 - batch.terminated)
    return (batch.rewards + bootstrap).stopGradient()
    // END SOLUTION
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
        throw InvalidArgument(function, "targets", "has shape \(targets.shape), expected [\(batch.count)] (one target per transition)")
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
    // BEGIN SOLUTION 4.1: Regress Q(s, a) of the actions taken on the constant targets, with the squared or the Huber loss (notes, sections 1 and 3; deeprl hint 4.1 shows more).
    let q = try online(batch.observations).gather(batch.actionIndices)  // Q(s_i, a_i), [batch]
    let loss: Tensor
    switch kind {
    case .squared: loss = mseLoss(q, targets, weights: weights)
    case .huber(let delta): loss = huberLoss(q, targets, delta: delta, weights: weights)
    }
    let errors = zip(targets.scalars, q.scalars).map { $0 - $1 }
    return TDLossResult(loss: loss, predictions: q, tdErrors: errors)
    // END SOLUTION
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
    // BEGIN SOLUTION 4.2: Double DQN splits the max into choosing and evaluating, and gives each job to a different network (notes, section 4, Overestimation and Double DQN).
    // HINT 2: Two forward passes over the next observations, neither recording a graph: the online network chooses the action of each row, the target network's value at that action is read off; then the same reward, discount and terminated mask as in dqnTargets, returned as a constant. The worked example gives 1.08 where DQN gives 1.35.
    // HINT 3: Without recording a graph, pick a* = argmax over axis 1 of the online network's Q(s', .), read the target network's Q(s', a*) with gather, and combine as in dqnTargets (rewards + discounts * (1 - terminated) * value, through stopGradient()).
    let (nextOnline, nextTarget) = try withoutGradients {
        (try online(batch.nextObservations), try target(batch.nextObservations))
    }
    let chosen = nextOnline.argmax(alongAxis: 1)   // selected by the online network
    let value = nextTarget.gather(chosen)          // evaluated by the target network
    return (batch.rewards + batch.discounts * (1 - batch.terminated) * value).stopGradient()
    // END SOLUTION
}
