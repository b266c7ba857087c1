import PPO
import RLKit
import Testing

@Suite("7.1 actorCriticLoss")
struct ActorCriticTests {
    /// Three transitions, gamma 0.9: an ordinary one, a terminated one, and
    /// a truncated one (passed as not terminated, with V of its real final observation).
    let logProbabilities = Tensor([-0.5, -1, -2])
    let values = Tensor([2, 3, 1])
    let nextValues = Tensor([4, 5, 2])
    let rewards = Tensor([1, 1, 0.5])
    let terminated = Tensor([0, 1, 0])

    @Test func lossesByHand() throws {
        let loss = try actorCriticLoss(logProbabilities: logProbabilities, values: values, nextValues: nextValues,
                                       rewards: rewards, terminated: terminated, gamma: 0.9)
        // y = r + 0.9 (1 - terminated) V(s') = [4.6, 1, 2.3]; A = y - V(s) = [2.6, -2, 1.3].
        let y = loss.targets.scalars, a = loss.advantages.scalars
        try #require(y.count == 3 && a.count == 3, "7.1: one target and one advantage per transition, got \(y.count) and \(a.count)")
        #expect(Swift.abs(y[1] - 5.5) > 1e-4, "7.1: bootstraps from a terminal state: when terminated, y = r (V(s') counts as 0); got y = \(y[1]), expected 1")
        #expect(Swift.abs(y[0] - 5) > 1e-4 && Swift.abs(y[0] - 4) > 1e-4,
                "7.1: the bootstrap is discounted once: y = r + gamma V(s') = 1 + 0.9 x 4 = 4.6, got \(y[0])")
        #expect(maxError(y, [4.6, 1, 2.3]) < 1e-5, "7.1: targets y = r + gamma (1 - terminated) V(s') = [4.6, 1, 2.3], got \(rounded(y))")
        #expect(maxError(a, [-2.6, 2, -1.3]) > 1e-4, "7.1: the advantage is A = y - V(s) (how much better than expected), not V(s) - y; got \(rounded(a))")
        #expect(maxError(a, [2.6, -2, 1.3]) < 1e-5, "7.1: advantages A = y - V(s) = [2.6, -2, 1.3], got \(rounded(a))")
        // policyLoss = -(-0.5 x 2.6 + -1 x -2 + -2 x 1.3) / 3 = 0.6333; valueLoss = (2.6^2 + 2^2 + 1.3^2) / 3 = 4.15.
        let policy = loss.policyLoss.scalars, value = loss.valueLoss.scalars
        try #require(policy.count == 1 && value.count == 1, "7.1: each loss is one number (a mean over the batch), got shapes \(loss.policyLoss.shape) and \(loss.valueLoss.shape)")
        #expect(Swift.abs(policy[0] + 0.6333333) > 1e-4, "7.1: the policy loss is minus the objective: -mean(log pi(a | s) A) = 0.6333 (minimising it raises log pi where A > 0), got \(policy[0])")
        #expect(Swift.abs(policy[0] - 1.9) > 1e-4 && Swift.abs(value[0] - 12.45) > 1e-3,
                "7.1: the losses are means over the batch, not sums (expected 0.6333 and 4.15, got \(policy[0]) and \(value[0]))")
        #expect(Swift.abs(policy[0] - 0.6333333) < 1e-5, "7.1: policyLoss = -mean(log pi(a | s) A) = 0.6333, got \(policy[0])")
        #expect(Swift.abs(value[0] - 4.15) < 1e-4, "7.1: valueLoss = mean((V(s) - y)^2) = 4.15, got \(value[0])")
    }

    /// The critic V(s) = s w + b of a shared linear network, on s and s'.
    let observations = Tensor([[1, 0], [0, 1], [1, 1]])
    let nextObservations = Tensor([[0, 2], [1, -1], [2, 0]])

    @Test func advantagesAndTargetsAreConstants() throws {
        let critic = linear([[1], [2]], bias: [0.5])    // V(s) = [1.5, 2.5, 3.5], V(s') = [4.5, -0.5, 2.5]
        let logits = Tensor([-0.5, -1, -2], requiresGradient: true)
        let loss = try actorCriticLoss(logProbabilities: logits, values: critic(observations).reshaped(to: [-1]),
                                       nextValues: critic(nextObservations).reshaped(to: [-1]), rewards: rewards,
                                       terminated: terminated, gamma: 0.9)
        #expect(!loss.advantages.requiresGradient,
                "7.1: advantages not detached: A must be a constant weight in the actor's loss (stopGradient()), so that the actor's loss does not train the critic")
        #expect(!loss.targets.requiresGradient,
                "7.1: the critic's target must be a constant (stopGradient()): y is a regression label, not an expression to differentiate")
        loss.policyLoss.backward()
        let leaked = critic.parameters.compactMap(\.gradient).flatMap(\.scalars).map { Swift.abs($0) }.max() ?? 0
        #expect(leaked == 0, "7.1: advantages not detached: the actor's loss sent a gradient of size \(leaked) into the critic; the advantage must be a constant weight (stopGradient())")
        // d policyLoss / d log pi_i = -A_i / 3, with y = [5.05, 1, 2.75] and A = [3.55, -1.5, -0.75].
        let expected: [Double] = [-3.55 / 3, 1.5 / 3, 0.75 / 3]
        #expect(maxError(logits.gradient?.scalars ?? [], expected) < 1e-5,
                "7.1: d policyLoss / d log pi(a_i | s_i) = -A_i / B = \(rounded(expected)), got \(rounded(logits.gradient?.scalars ?? []))")
    }

    @Test func theCriticsTargetIsAConstant() throws {
        let critic = linear([[1], [2]], bias: [0.5])
        let loss = try actorCriticLoss(logProbabilities: logProbabilities, values: critic(observations).reshaped(to: [-1]),
                                       nextValues: critic(nextObservations).reshaped(to: [-1]), rewards: rewards,
                                       terminated: terminated, gamma: 0.9)
        loss.valueLoss.backward()
        // Semi-gradient: dL/dtheta = (2 / B) sum_i (V(s_i) - y_i) dV(s_i)/dtheta, with V(s) - y = [-3.55, 1.5, 0.75].
        let errors: [Double] = [-3.55, 1.5, 0.75]
        let s: [[Double]] = [[1, 0], [0, 1], [1, 1]]
        let weight = (0..<2).map { k in (0..<3).reduce(0.0) { $0 + 2.0 / 3 * errors[$1] * s[$1][k] } }
        let bias = errors.reduce(0, +) * 2 / 3
        let got = (critic.layers[0].weight.gradient?.scalars ?? []) + (critic.layers[0].bias.gradient?.scalars ?? [])
        #expect(maxError(got, weight + [bias]) < 1e-4,
                "7.1: the critic's target must be a constant (a semi-gradient): a gradient flowed through V(s') into the critic; expected dL/d(w, b) = \(rounded(weight + [bias])), got \(rounded(got))")
    }

    @Test func badInputsAreNamed() throws {
        _ = try actorCriticLoss(logProbabilities: logProbabilities, values: values, nextValues: nextValues, rewards: rewards,
                                terminated: terminated, gamma: 0.9)  // valid: no error
        let function = "actorCriticLoss(logProbabilities:values:nextValues:rewards:terminated:gamma:)"
        #expect(errorText { _ = try actorCriticLoss(logProbabilities: logProbabilities, values: values, nextValues: Tensor([1, 2]),
                                                    rewards: rewards, terminated: terminated, gamma: 0.9) }
            == "\(function): invalid nextValues: has shape [2], expected [3] like logProbabilities (one entry per transition)")
        #expect(errorText { _ = try actorCriticLoss(logProbabilities: logProbabilities, values: values, nextValues: nextValues,
                                                    rewards: rewards, terminated: terminated, gamma: 1.5) }
            == "\(function): invalid gamma: got 1.5, expected a discount factor in [0, 1]")
    }
}
