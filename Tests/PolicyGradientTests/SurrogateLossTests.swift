import Foundation
import PolicyGradient
import RLKit
import Testing

@Suite("5.5 surrogateLoss")
struct SurrogateLossTests {
    @Test func byHand() throws {
        // Two episodes: log pi = (-0.5, -1) with weights (2, 1), and (-2) with weight 3.
        let logProbabilities = Tensor([-0.5, -1, -2], requiresGradient: true)
        let loss = try surrogateLoss(logProbabilities: logProbabilities, weights: [[2, 1], [3]])
        let value = Double(loss.scalar)
        if Swift.abs(value - 4) > 1e-5 {
            let hint = Swift.abs(value + 4) < 1e-5 ? "the sign is flipped: optimisers minimise, so the loss is minus the weighted log-probabilities, and minimising it climbs the return"
                : Swift.abs(value - 8.0 / 3) < 1e-5 ? "divide by the number of episodes N = 2 (the rows of weights), not by the number of steps"
                : Swift.abs(value - 8) < 1e-5 ? "average over the N = 2 episodes: divide the sum by N"
                : Swift.abs(value - 3.5) < 1e-5 || Swift.abs(value - 5.25) < 1e-5
                    ? "log-probabilities are not paired with their own weights: multiply entry k of the log-probabilities by entry k of the weights, step by step"
                : "L = -(1/N) sum_i sum_t log pi(a_it | s_it) Psi_it"
            Issue.record("5.5: with log pi = (-0.5, -1 | -2) and weights [[2, 1], [3]] (N = 2 episodes) the loss is -(1/2)(-1 - 1 - 6) = 4, got \(rounded(value)); \(hint)")
        }
        loss.backward()
        let gradient = doubles(logProbabilities.gradient)
        #expect(maxError(gradient, [-1, -0.5, -1.5]) < 1e-6, "5.5: dL/d log pi_k = -Psi_k / N = (-1, -0.5, -1.5), got \(rounded(gradient))")
    }

    /// The linear policy as a network, its parameters as `[features][actions]` Doubles.
    static let w: [[Double]] = [[0.3, -0.2], [0.1, 0.4], [-1.5, 1.5], [-0.4, 0.6]]

    @Test("its gradient is minus the policy-gradient estimate, step by step (reward-to-go)") func gradientIsTheEstimator() throws {
        var rng = SeededGenerator(seed: 551)
        let policy = linearPolicy(SurrogateLossTests.w.map { $0.map(Float.init) })
        for round in 0..<3 {
            let episodes = try playCartPole(SurrogateLossTests.w, episodes: 4, using: &rng)
            let batch = try EpisodeBatch(episodes)
            var weights = scannedRewardsToGo(batch.rewards, gamma: 0.95)
            weights = weights.map { $0.map { $0 - 5 } }   // any baseline: the weights are plain numbers
            let logProbabilities = try Categorical(logits: policy(batch.observations)).logProbability(of: batch.actions)
            policy.zeroGradients()
            try surrogateLoss(logProbabilities: logProbabilities, weights: weights).backward()
            let autodiff = doubles(policy.layers[0].weight.gradient)
            let analytic = analyticEstimate(SurrogateLossTests.w, episodes, weights: weights).map { -$0 }
            let scale = 1 + analytic.map(Swift.abs).max()!
            guard maxError(autodiff, analytic) < 2e-4 * scale else {
                let flipped = maxError(autodiff, analytic.map { -$0 }) < 2e-4 * scale
                Issue.record("5.5 (batch \(round), \(batch.episodeCount) episodes, \(batch.stepCount) steps): the gradient of the loss with respect to W should be -(1/N) sum grad log pi(a|s) Psi = \(rounded(analytic, 3)), got \(rounded(autodiff, 3))\(flipped ? "; the sign is flipped: the loss is minus the weighted log-probabilities" : "")")
                return
            }
        }
    }

    @Test("with one log-probability per episode and its return, it is the original REINFORCE estimator") func trajectoryForm() throws {
        var rng = SeededGenerator(seed: 552)
        let policy = linearPolicy(SurrogateLossTests.w.map { $0.map(Float.init) })
        let episodes = try playCartPole(SurrogateLossTests.w, episodes: 5, using: &rng)
        let batch = try EpisodeBatch(episodes)
        let full = definitionEpisodeReturns(batch.rewards, gamma: 0.99)
        // log pi(tau_i), summed here over each episode's rows.
        let perStep = try Categorical(logits: policy(batch.observations)).logProbability(of: batch.actions)
        var start = 0, sums: [Tensor] = []
        for n in batch.lengths { sums.append(perStep.rows(Array(start..<(start + n))).sum().reshaped(to: [1])); start += n }
        policy.zeroGradients()
        try surrogateLoss(logProbabilities: Tensor.concatenate(sums), weights: full.map { [$0[0]] }).backward()
        let autodiff = doubles(policy.layers[0].weight.gradient)
        let analytic = analyticEstimate(SurrogateLossTests.w, episodes, weights: full).map { -$0 }
        #expect(maxError(autodiff, analytic) < 2e-4 * (1 + analytic.map(Swift.abs).max()!),
                "5.5: with log pi(tau_i) and one weight R(tau_i) per episode the gradient is -(1/N) sum_i R(tau_i) grad log pi(tau_i) = \(rounded(analytic, 3)), got \(rounded(autodiff, 3)); N is the number of rows of weights (5 here)")
    }

    @Test func badInputIsNamed() throws {
        let ok = try surrogateLoss(logProbabilities: Tensor([-1, -2]), weights: [[1], [1]])
        #expect(Swift.abs(ok.scalar - 1.5) < 1e-6, "5.5: log pi (-1, -2), weights 1 and 1 in two episodes: -(1/2)(-3) = 1.5, got \(ok.scalar)")
        expectError("5.5", "surrogateLoss(logProbabilities:weights:): invalid logProbabilities: got 3 log-probabilities for 2 weights, expected one per weight") { _ = try surrogateLoss(logProbabilities: Tensor([-1, -2, -3]), weights: [[1, 1]]) }
        expectError("5.5", "surrogateLoss(logProbabilities:weights:): invalid weights: is empty, expected at least one episode") { _ = try surrogateLoss(logProbabilities: Tensor([-1]), weights: []) }
        expectError("5.5", containing: "has shape [1, 1], expected [steps]") { _ = try surrogateLoss(logProbabilities: Tensor([[-1]]), weights: [[1]]) }
        expectError("5.5", containing: "expected finite numbers only") { _ = try surrogateLoss(logProbabilities: Tensor([-1]), weights: [[.infinity]]) }
    }
}
