import Environments
import Foundation
import PPO
import RLKit
import Testing

@Suite("7.6 CategoricalPolicy and GaussianPolicy")
struct PolicyTests {
    /// Logits [0, 1, 2] in every state (the weights are 0): pi = softmax = [0.090, 0.245, 0.665]; actions 1, 2, 3.
    func categorical() throws -> CategoricalPolicy {
        try CategoricalPolicy(actor: linear([[0, 0, 0], [0, 0, 0]], bias: [0, 1, 2]), actionSpace: DiscreteSpace(3, start: 1))
    }

    @Test func categoricalSamplesFromThePolicy() throws {
        let policy = try categorical()
        var rng = SeededGenerator(seed: 76)
        let rows = 4_000
        let sample = try policy.act(Tensor(shape: [rows, 2], scalars: [Float](repeating: 1, count: rows * 2)), using: &rng)
        try #require(sample.actions.count == rows && sample.stored.count == rows && sample.logProbabilities.count == rows,
                     "7.6: one action, one stored value and one log-probability per row (\(rows)), got \(sample.actions.count), \(sample.stored.count), \(sample.logProbabilities.count)")
        let p = [0.0900306, 0.2447285, 0.6652410]
        let frequencies = (0..<3).map { k in Double(sample.stored.filter { $0 == Float(k) }.count) / Double(rows) }
        #expect(frequencies[2] < 0.9, "7.6: the rollout's actions are samples from pi, not its most likely action (PPO explores by sampling): index 2 came up \(Int(frequencies[2] * 100))% of the time, pi gives it 67%")
        #expect(maxError(frequencies.map(Float.init), p) < 0.03,
                "7.6: sampled indices should follow pi = softmax(logits) = \(rounded(p)), their frequencies were \(rounded(frequencies))")
        #expect(zip(sample.actions, sample.stored).allSatisfy { $0 == Int($1) + 1 },
                "7.6: the rollout stores the index (0..<K) and the environment gets index + actionSpace.start (here 1, 2, 3): got actions \(Array(sample.actions.prefix(5))) for indices \(Array(sample.stored.prefix(5)))")
        let logs = sample.stored.map { Float(Foundation.log(p[Int($0)])) }
        #expect(maxError(sample.logProbabilities, logs.map(Double.init)) < 1e-5,
                "7.6: logProbabilities are log pi(a | s) of the sampled indices, got \(rounded(Array(sample.logProbabilities.prefix(4)))) for indices \(Array(sample.stored.prefix(4)))")
    }

    @Test func categoricalEvaluatesStoredActions() throws {
        let policy = try CategoricalPolicy(actor: linear([[1, 0, -1], [0, 2, 0]], bias: [0, 0, 0.5]), actionSpace: DiscreteSpace(3))
        let evaluation = try policy.evaluate(Tensor([[1, 0], [0, 1]]), actions: Tensor([[2], [0]]))
        // Logits [1, 0, -0.5] and [0, 2, 0.5].
        func logSoftmax(_ z: [Double]) -> [Double] { let m = Foundation.log(z.map(Foundation.exp).reduce(0, +)); return z.map { $0 - m } }
        let (first, second) = (logSoftmax([1, 0, -0.5]), logSoftmax([0, 2, 0.5]))
        #expect(maxError(evaluation.logProbabilities.scalars, [first[2], second[0]]) < 1e-5,
                "7.6: evaluate gives log pi(a_i | s_i) of each row's stored action: expected \(rounded([first[2], second[0]], 4)), got \(rounded(evaluation.logProbabilities.scalars, 4))")
        let entropies = [first, second].map { row in -row.map { Foundation.exp($0) * $0 }.reduce(0, +) }
        #expect(maxError(evaluation.entropy.scalars, entropies) < 1e-5,
                "7.6: the entropy of each row is -sum_a pi(a) log pi(a) = \(rounded(entropies, 4)), got \(rounded(evaluation.entropy.scalars, 4))")
        #expect(evaluation.logProbabilities.requiresGradient && evaluation.entropy.requiresGradient,
                "7.6: evaluate's log-probabilities and entropies must keep their graph: the PPO loss differentiates them")
    }

    /// Means 3 in every state (outside the box [-2, 2]), sigma 0.5.
    func gaussian() throws -> GaussianPolicy<[Double]> {
        try GaussianPolicy(actor: linear([[0], [0]], bias: [3]), logStandardDeviation: [Float(Foundation.log(0.5))],
                           actionSpace: BoxSpace(low: [-2], high: [2]), makeAction: { $0 })
    }

    @Test func gaussianStoresTheSampleAndClipsOnlyTheEnvironmentsCopy() throws {
        let policy = try gaussian()
        var rng = SeededGenerator(seed: 77)
        let rows = 4_000
        let sample = try policy.act(Tensor(shape: [rows, 2], scalars: [Float](repeating: 1, count: rows * 2)), using: &rng)
        try #require(sample.actions.count == rows && sample.stored.count == rows && sample.logProbabilities.count == rows,
                     "7.6: one action, one stored sample and one log-probability per row (\(rows)), got \(sample.actions.count), \(sample.stored.count), \(sample.logProbabilities.count)")
        let mean = sample.stored.map(Double.init).reduce(0, +) / Double(rows)
        let std = (sample.stored.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(rows)).squareRoot()
        #expect(Swift.abs(mean - 3) < 0.05 && Swift.abs(std - 0.5) < 0.05,
                "7.6: the rollout stores the sample as drawn from N(mu, sigma^2) = N(3, 0.25), before any clipping (clip only the environment's copy): stored values have mean \(rounded([mean])[0]) and standard deviation \(rounded([std])[0])")
        let clipped = sample.stored.map { [Swift.min(Swift.max(Double($0), -2), 2)] }
        #expect(sample.actions == clipped,
                "7.6: the environment's action is the sample clipped to the box [-2, 2] (clip only the environment's copy): got \(Array(sample.actions.prefix(3))) for samples \(Array(sample.stored.prefix(3)))")
        let densities = sample.stored.map { x -> Double in
            let z = (Double(x) - 3) / 0.5
            return -0.5 * z * z - Foundation.log(0.5) - 0.5 * Foundation.log(2 * Double.pi)
        }
        #expect(maxError(sample.logProbabilities, densities) < 1e-4,
                "7.6: the log-probability is the density of the raw sample, log N(a | mu, sigma^2), not of the clipped action (the clipped one is not what the policy drew): expected \(rounded(Array(densities.prefix(3)))), got \(rounded(Array(sample.logProbabilities.prefix(3))))")
    }

    @Test func gaussianEvaluatesStoredSamples() throws {
        let policy = try GaussianPolicy(actor: linear([[1, 0], [0, -1]], bias: [0.5, 0]), logStandardDeviation: [0.1, -0.2],
                                        actionSpace: BoxSpace(low: [-1, -1], high: [1, 1]), makeAction: { $0 })
        let evaluation = try policy.evaluate(Tensor([[1, 2], [0, 0]]), actions: Tensor([[2, -1], [0.3, 5]]))
        // Means [1.5, -2] and [0.5, 0]; log N summed over the two coordinates, at the stored (unclipped) samples.
        let sigma = [Foundation.exp(0.1), Foundation.exp(-0.2)]
        func logDensity(_ x: [Double], _ mu: [Double]) -> Double {
            (0..<2).map { d in let z = (x[d] - mu[d]) / sigma[d]; return -0.5 * z * z - Foundation.log(sigma[d]) - 0.5 * Foundation.log(2 * Double.pi) }
                .reduce(0, +)
        }
        let expected = [logDensity([2, -1], [1.5, -2]), logDensity([0.3, 5], [0.5, 0])]
        #expect(maxError(evaluation.logProbabilities.scalars, expected) < 1e-4,
                "7.6: evaluate gives the log-density of each stored sample, summed over the coordinates: expected \(rounded(expected, 4)), got \(rounded(evaluation.logProbabilities.scalars, 4))")
        let entropy = (0.1 - 0.2) + Foundation.log(2 * Double.pi * M_E)
        #expect(maxError(evaluation.entropy.scalars, [entropy, entropy]) < 1e-4,
                "7.6: the entropy of a diagonal Gaussian is sum_d (log sigma_d + log(2 pi e) / 2) = \(rounded([entropy], 4)), got \(rounded(evaluation.entropy.scalars, 4))")
        evaluation.logProbabilities.sum().backward()
        #expect((policy.logStandardDeviation.gradient?.scalars.map { Swift.abs($0) }.max() ?? 0) > 0,
                "7.6: the log standard deviation is trained too: evaluate's log-probabilities must depend on it with their graph")
    }

    @Test func badPoliciesAreNamed() throws {
        var rng = SeededGenerator(seed: 1)
        _ = try categorical().act(Tensor([[1, 1]]), using: &rng)  // valid: no error
        #expect(errorText { _ = try CategoricalPolicy(actor: linear([[0, 0, 0], [0, 0, 0]], bias: [0, 0, 0]), actionSpace: DiscreteSpace(2)) }
            == "CategoricalPolicy: invalid actor: outputs 3 logits, but the action space Discrete(2) has 2 actions: one logit per action")
        #expect(errorText { _ = try GaussianPolicy(actor: linear([[0], [0]], bias: [0]), logStandardDeviation: [-200],
                                                   actionSpace: BoxSpace(low: [-2], high: [2]), makeAction: { $0 }) }
            .hasPrefix("GaussianPolicy: invalid logStandardDeviation: coordinate 0 is -200.0: sigma = exp(-200.0) = 0.0 in Float"))
        #expect(errorText { _ = try GaussianPolicy(actor: linear([[0, 0], [0, 0]], bias: [0, 0]), logStandardDeviation: [0],
                                                   actionSpace: BoxSpace(low: [-2], high: [2]), makeAction: { $0 }) }
            .hasPrefix("GaussianPolicy: invalid actor: outputs 2 means and has 1 log standard deviations, but the action space"))
        #expect(errorText { _ = try categorical().act(Tensor([[1, 1, 1]]), using: &rng) }
            == "CategoricalPolicy: invalid observations: has shape [1, 3], expected [batch, 2]")
    }
}
