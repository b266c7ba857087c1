import CourseKit
import Environments
import RLKit

/// The input of a goal-conditioned Q-network Q(s, a, g): the state followed by
/// the goal, one vector of `state.count + goal.count` numbers,
///
///     x = (s_1, ..., s_n, g_1, ..., g_m),
///
/// the simplest universal value function approximator (one network for every
/// goal; notes, section 3). Acting, storing and evaluating all use it, so
/// the network always reads the same layout.
///
/// - Throws: `InvalidArgument` for an empty state or goal.
public func goalConditionedInput(state: [Float], goal: [Float]) throws -> [Float] {
    guard !state.isEmpty, !goal.isEmpty else {
        let problem = "got a state of \(state.count) and a goal of \(goal.count) values, expected at least one of each"
        throw InvalidArgument("goalConditionedInput(state:goal:)", "state", problem)
    }
    // BEGIN SOLUTION 10.3: the network's input: the state, then the goal, in one vector (notes, section 3)
    return state + goal
    // END SOLUTION
}

extension GoalTransition {
    /// The transition as the shared replay storage keeps it: the inputs
    /// (s, goal) and (s', goal) of `goalConditionedInput`, the action index,
    /// the reward and both flags, and the bootstrap discount gamma.
    public func replayTransition(gamma: Float) throws -> RLKit.Transition {
        Transition(observation: try goalConditionedInput(state: state, goal: goal), action: action, reward: reward,
                   nextObservation: try goalConditionedInput(state: nextState, goal: goal), terminated: terminated,
                   truncated: truncated, discount: gamma)
    }
}

/// What one loss computation on a minibatch gives.
public struct GoalTDLoss {
    /// The mean squared TD error, a scalar to differentiate.
    public var loss: Tensor
    /// Q(s_i || g_i, a_i) of the online network, `[batch]` (differentiable).
    public var predictions: Tensor
    /// The targets y_i, `[batch]` (constants).
    public var targets: Tensor
}

/// DQN's loss on a minibatch of relabelled transitions, whose rows are
/// goal-conditioned inputs (state, goal) and (next state, goal):
///
///     y_i = clip(r_i + d_i (1 - terminated_i) max_a' Q_target(s'_i || g_i, a'), lo, hi)
///     L   = mean_i (Q(s_i || g_i, a_i) - y_i)^2
///
/// with d_i the transition's discount and [lo, hi] = `targetRange` (the HER
/// paper clips to the returns a -1-per-step task can have,
/// [-1 / (1 - gamma), 0]; nil: no clipping). A transition whose goal was
/// reached does not bootstrap; the targets are constants (no gradient reaches
/// the target network).
///
/// - Throws: `InvalidArgument` when a network does not read the batch's rows,
///   the networks differ in shape, or an action is outside the outputs.
public func goalTDLoss(online: MLP, target: MLP, batch: ReplayBatch,
                       targetRange: ClosedRange<Float>? = nil) throws -> GoalTDLoss {
    let function = "goalTDLoss(online:target:batch:targetRange:)"
    guard online.sizes == target.sizes else {
        throw InvalidArgument(function, "target", "has layer sizes \(target.sizes), the online network \(online.sizes)")
    }
    guard batch.observations.shape[1] == online.sizes[0] else {
        throw InvalidArgument(function, "batch", "rows have \(batch.observations.shape[1]) values, the network reads "
                              + "\(online.sizes[0]) (state and goal)")
    }
    let actions = online.sizes[online.sizes.count - 1]
    if let bad = batch.actionIndices.first(where: { $0 < 0 || $0 >= actions }) {
        throw InvalidArgument(function, "batch", "holds action \(bad), the network has \(actions) outputs")
    }
    // BEGIN SOLUTION 10.3: DQN's TD loss on the relabelled batch, the targets clipped to targetRange (notes, section 5)
    let nextQ = withoutGradients { target(batch.nextObservations) }  // Q_target(s' || g, .)
    var targets = batch.rewards + batch.discounts * (1 - batch.terminated) * nextQ.max(alongAxis: 1)
    if let range = targetRange { targets = targets.clamped(min: range.lowerBound, max: range.upperBound) }
    targets = targets.stopGradient()
    let predictions = online(batch.observations).gather(batch.actionIndices)  // Q(s || g, a)
    return GoalTDLoss(loss: mseLoss(predictions, targets), predictions: predictions, targets: targets)
    // END SOLUTION
}

/// The greedy action argmax_a Q(s || g, a) for each observation (its state
/// and desired goal), computed without recording a graph.
public func greedyGoalActions(_ network: MLP, _ observations: [GoalObservation]) throws -> [Int] {
    guard !observations.isEmpty else { return [] }
    var rows: [Float] = []
    for observation in observations {
        rows += try goalConditionedInput(state: observation.state, goal: observation.desiredGoal)
    }
    let q = withoutGradients { network(Tensor(shape: [observations.count, rows.count / observations.count],
                                              scalars: rows)) }
    return q.argmax(alongAxis: 1)
}
