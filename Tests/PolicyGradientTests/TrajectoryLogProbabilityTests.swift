import Foundation
import PolicyGradient
import RLKit
import Testing

@Suite("5.2 trajectoryLogProbabilities")
struct TrajectoryLogProbabilityTests {
    /// logits = s (ln 3, 0): pi(. | 0) = (1/2, 1/2), pi(. | 1) = (3/4, 1/4), pi(. | 2) = (9/10, 1/10).
    static func policy() -> MLP { linearPolicy([[Float(Foundation.log(3.0)), 0]]) }

    static func batch() throws -> EpisodeBatch {
        try handBatch([(observations: [[1], [0], [2]], actions: [0, 1, 1], rewards: [0, 0, 0]),
                       (observations: [[1]], actions: [1], rewards: [0])])
    }

    @Test func byHand() throws {
        let result = try trajectoryLogProbabilities(policy: TrajectoryLogProbabilityTests.policy(), batch: TrajectoryLogProbabilityTests.batch())
        let got = result.scalars.map(Double.init)
        let expected = [Foundation.log(0.75 * 0.5 * 0.1), Foundation.log(0.25)]
        guard result.shape == [2] else {
            Issue.record("5.2: two episodes give two log-probabilities, shape [2], got shape \(result.shape): one sum per episode, not one per step or one for the batch")
            return
        }
        if maxError(got, expected) > 1e-5 {
            let total = expected.reduce(0, +)
            let hint = maxError(got, [expected[0], total]) < 1e-4 || maxError(got, [total, expected[1]]) < 1e-4
                ? "log-probabilities are not summed per trajectory: a running sum carries over from one episode into the next; start every episode's sum from 0"
                : maxError(got, [total, total]) < 1e-4 ? "log-probabilities are not summed per trajectory: that is the sum over the whole batch, once per episode"
                : maxError(got, [expected[0] / 3, expected[1]]) < 1e-4 ? "that is the mean; log pi(tau) is the sum of log pi(a_t | s_t) over the episode's steps (the log of a product)"
                : maxError(got, [0.0375, 0.25]) < 1e-4 ? "that is the probability pi(tau); return its logarithm, the sum of the log-probabilities"
                : maxError(got, [Foundation.log(3.0), 0]) < 1e-4 ? "those are the raw logits of the actions taken; log pi(a | s) = logit - log sum_b exp(logit_b)"
                : "log pi(tau_i) = sum_t log pi(a_t | s_t) over episode i's own steps"
            Issue.record("5.2: the episodes (s, a) = (1, 0), (0, 1), (2, 1) and (1, 1) under pi(. | s) = softmax(s ln 3, 0) have log-probabilities log(3/4 x 1/2 x 1/10) = \(rounded(expected[0])) and log(1/4) = \(rounded(expected[1])), got \(rounded(got)); \(hint)")
        }
    }

    @Test("its gradient is the sum of the episode's scores (no dynamics term)") func gradientIsTheSumOfScores() throws {
        var rng = SeededGenerator(seed: 521)
        let w: [[Double]] = [[0.2, -0.1], [0.3, 0.2], [-1.5, 1.5], [-0.5, 0.5]]
        let policy = linearPolicy(w.map { $0.map(Float.init) })
        let episodes = try playCartPole(w, episodes: 3, using: &rng)
        let sums = try trajectoryLogProbabilities(policy: policy, batch: try EpisodeBatch(episodes))
        try #require(sums.shape == [3], "5.2: three episodes give shape [3], got \(sums.shape)")
        for i in 0..<3 {
            policy.zeroGradients()
            sums.rows([i]).sum().backward()
            guard let gradient = policy.layers[0].weight.gradient else {
                Issue.record("5.2: no gradient reached the policy's parameters: log pi(tau) must stay differentiable (no withoutGradients, no copies of the scalars)")
                return
            }
            let autodiff = doubles(gradient)
            var analytic = [Double](repeating: 0, count: 8)
            for t in 0..<episodes[i].count {
                let score = linearSoftmaxScore(w, episodes[i].observations[t].map(Double.init), episodes[i].actions[t])
                for j in analytic.indices { analytic[j] += score[j] }
            }
            #expect(maxError(autodiff, analytic) < 1e-3 * (1 + analytic.map(Swift.abs).max()!),
                    "5.2: grad log pi(tau_\(i)) must be the sum of grad log pi(a_t | s_t) over episode \(i)'s \(episodes[i].count) steps only, \(rounded(analytic, 3)); got \(rounded(autodiff, 3))")
        }
    }

    @Test("each episode on its own: the other episodes of the batch change nothing") func episodesAreIndependent() throws {
        let policy = TrajectoryLogProbabilityTests.policy()
        let alone = try trajectoryLogProbabilities(policy: policy, batch: try handBatch([(observations: [[2], [1]], actions: [0, 0], rewards: [1, 1])]))
        let withOthers = try trajectoryLogProbabilities(policy: policy, batch: try handBatch([
            (observations: [[0], [0]], actions: [1, 0], rewards: [1, 1]),
            (observations: [[2], [1]], actions: [0, 0], rewards: [1, 1]),
            (observations: [[1]], actions: [1], rewards: [1]),
        ]))
        let expected = Foundation.log(0.9 * 0.75)
        #expect(Swift.abs(Double(alone.scalars.first ?? .nan) - expected) < 1e-5 && withOthers.shape == [3]
                    && Swift.abs(Double(withOthers.scalars[1]) - expected) < 1e-5,
                "5.2: log pi(tau) of the episode (2, 0), (1, 0) is log(9/10 x 3/4) = \(rounded(expected)) alone and in the middle of a batch; got \(alone.scalars) alone and \(withOthers.scalars) in a batch of three: log-probabilities must be summed per trajectory")
    }

    @Test func badInputIsNamed() throws {
        let policy = TrajectoryLogProbabilityTests.policy()
        let one = try trajectoryLogProbabilities(policy: policy, batch: try handBatch([(observations: [[0]], actions: [0], rewards: [1])]))
        #expect(one.shape == [1] && Swift.abs(Double(one.scalars[0]) - Foundation.log(0.5)) < 1e-6, "5.2: one step with pi = 1/2: [log 1/2], got \(one)")
        expectError("5.2", "trajectoryLogProbabilities(policy:batch:): invalid batch: observations have 2 features, the policy reads 1") { _ = try trajectoryLogProbabilities(policy: policy, batch: try handBatch([(observations: [[0, 1]], actions: [0], rewards: [1])])) }
        expectError("5.2", "trajectoryLogProbabilities(policy:batch:): invalid batch: holds action 2, the policy has 2 outputs (actions 0..<2)") { _ = try trajectoryLogProbabilities(policy: policy, batch: try handBatch([(observations: [[0]], actions: [2], rewards: [1])])) }
        expectError("5.2", "EpisodeBatch: invalid episodes: is empty, expected at least one") { _ = try EpisodeBatch([]) }
        expectError("5.2", startingWith: "Episode: invalid rewards") { _ = try Episode(observations: [[0]], actions: [0, 1], rewards: [1]) }
    }
}
