import CourseKit
import RLKit

/// The two losses of one-step actor-critic and the constants they are built from.
public struct ActorCriticLoss {
    /// The actor's loss, -mean_i log pi(a_i | s_i) A_i: its gradient is the
    /// policy-gradient estimate with each advantage as a fixed weight.
    public var policyLoss: Tensor
    /// The critic's loss, mean_i (V(s_i) - y_i)^2: a regression onto fixed targets.
    public var valueLoss: Tensor
    /// The critic's targets y_i = r_i + gamma (1 - terminated_i) V(s'_i), `[batch]`, constants.
    public var targets: Tensor
    /// The advantages A_i = y_i - V(s_i) (the TD errors), `[batch]`, constants.
    public var advantages: Tensor

    /// Creates the losses.
    public init(policyLoss: Tensor, valueLoss: Tensor, targets: Tensor, advantages: Tensor) {
        self.policyLoss = policyLoss
        self.valueLoss = valueLoss
        self.targets = targets
        self.advantages = advantages
    }
}

/// The losses of one-step actor-critic on a batch of transitions
/// (s_i, a_i, r_i, s'_i):
///
///     y_i = r_i + gamma (1 - terminated_i) V(s'_i)         (the critic's target)
///     A_i = y_i - V(s_i)                                    (the one-step advantage, the TD error)
///     policyLoss = -(1/B) sum_i log pi(a_i | s_i) A_i
///     valueLoss  =  (1/B) sum_i (V(s_i) - y_i)^2
///
/// y and A are constants: no gradient flows through them, so the actor's
/// loss moves only the policy and the critic's loss only V(s_i) (a
/// semi-gradient, as in TD learning). A terminated transition does not
/// bootstrap; for a truncated one (a time limit) pass V of its real final
/// observation as `nextValues[i]` and `terminated[i] = 0`: it bootstraps.
///
/// - Parameters:
///   - logProbabilities: log pi(a_i | s_i), `[batch]`, differentiable.
///   - values: V(s_i), `[batch]`, differentiable.
///   - nextValues: V(s'_i), `[batch]` (gradients through it are ignored).
///   - rewards: r_i, `[batch]`.
///   - terminated: 1 where s'_i is terminal, else 0, `[batch]`.
///   - gamma: the discount factor.
/// - Throws: `InvalidArgument` for tensors of different shapes or a gamma outside [0, 1].
public func actorCriticLoss(logProbabilities: Tensor, values: Tensor, nextValues: Tensor, rewards: Tensor,
                            terminated: Tensor, gamma: Float) throws -> ActorCriticLoss {
    let function = "actorCriticLoss(logProbabilities:values:nextValues:rewards:terminated:gamma:)"
    try checkDiscount(Double(gamma), in: function)
    try checkBatch([("logProbabilities", logProbabilities), ("values", values), ("nextValues", nextValues),
                    ("rewards", rewards), ("terminated", terminated)], in: function)
    // BEGIN SOLUTION 7.1: constant targets and advantages, then the actor's and the critic's losses (notes, section 1)
    let targets = (rewards + gamma * (1 - terminated) * nextValues).stopGradient()
    let advantages = (targets - values).stopGradient()
    let policyLoss = -(logProbabilities * advantages).mean()
    let valueLoss = (values - targets).squared().mean()
    return ActorCriticLoss(policyLoss: policyLoss, valueLoss: valueLoss, targets: targets, advantages: advantages)
    // END SOLUTION
}

/// Checks that every named tensor is one-dimensional with the first one's
/// length (one entry per transition of a batch of at least one).
///
/// - Throws: `InvalidArgument` naming `function` and the first tensor that differs.
public func checkBatch(_ tensors: [(name: String, tensor: Tensor)], in function: String) throws {
    guard let first = tensors.first else { return }
    guard first.tensor.rank == 1, first.tensor.count >= 1 else {
        throw InvalidArgument(function, first.name, "has shape \(first.tensor.shape), expected [batch] with batch >= 1")
    }
    for (name, tensor) in tensors.dropFirst() where tensor.shape != first.tensor.shape {
        throw InvalidArgument(function, name, "has shape \(tensor.shape), expected \(first.tensor.shape) like "
                              + "\(first.name) (one entry per transition)")
    }
}
