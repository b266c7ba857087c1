import Foundation
import DQN
import RLKit
import Testing

@Suite("4.6 PrioritizedReplay")
struct PrioritizedReplayTests {
    /// Four transitions whose rewards are their slots, in a replay around the reference tree.
    func replay(alpha: Double, epsilon: Double = 0.01) throws -> PrioritizedReplay<ReferenceTree> {
        var replay = try PrioritizedReplay(capacity: 8, observationSize: 1, alpha: alpha, epsilon: epsilon, tree: ReferenceTree(capacity: 8))
        for i in 0..<4 {
            try replay.add(Transition(observation: [Float(i)], action: 0, reward: Double(i), nextObservation: [0],
                                      terminated: false, truncated: false, discount: 0.9))
        }
        return replay
    }

    @Test func prioritiesWrittenBack() throws {
        var r = try replay(alpha: 0.5)
        #expect(r.tree.values[0..<4].allSatisfy { $0 == 1 }, "new transitions start at the largest priority so far (1)")
        try r.updatePriorities(indices: [1, 3], tdErrors: [-3, 0])
        let p1 = r.tree.priority(at: 1), p3 = r.tree.priority(at: 3)
        #expect(Swift.abs(p1 - 3.01.squareRoot()) < 1e-9,
                "4.6: slot 1's TD error -3 gives p = |delta| + epsilon = 3.01, stored as p^alpha = 3.01^0.5 = 1.7349, got \(p1) (use the absolute value, add epsilon, raise to alpha)")
        #expect(p3 > 0, "4.6: a TD error of 0 must keep a positive priority (add epsilon), or the transition is never replayed again")
        #expect(Swift.abs(p3 - 0.1) < 1e-9, "4.6: slot 3's TD error 0 gives (0 + 0.01)^0.5 = 0.1, got \(p3)")
        #expect(Swift.abs(r.maxPriority - 3.01) < 1e-9, "4.6: the largest p so far (3.01) is what new transitions get: update maxPriority, got \(r.maxPriority)")
        try r.add(Transition(observation: [9], action: 0, reward: 9, nextObservation: [0], terminated: false, truncated: false, discount: 0.9))
        #expect(Swift.abs(r.tree.priority(at: 4) - 3.01.squareRoot()) < 1e-9, "a new transition gets maxPriority^alpha")
        #expect(errorText { try r.updatePriorities(indices: [0, 1], tdErrors: [1]) } == "PrioritizedReplay.updatePriorities: invalid tdErrors: got 1 errors for 2 indices")
        #expect(errorText { try r.updatePriorities(indices: [7], tdErrors: [1]) }.hasPrefix("PrioritizedReplay.updatePriorities: invalid indices: slot 7 is outside"))
    }

    @Test func stratifiedSamplingCoversEverySegment() throws {
        // Equal priorities and a batch of 4 from 4 transitions: one draw per
        // quarter of [0, total) finds each transition exactly once.
        let r = try replay(alpha: 0.6)
        var rng = SeededGenerator(seed: 47)
        for _ in 0..<50 {
            let (batch, weights) = try r.sample(batchSize: 4, beta: 0.4, using: &rng)
            try #require(batch.count == 4 && weights.shape == [4], "4.6: a batch of 4 and 4 weights, got \(batch.count) and \(weights.shape)")
            #expect(batch.indices.sorted() == [0, 1, 2, 3],
                    "4.6: sampling is stratified: cut [0, total) into batchSize segments and draw one prefix sum in each (got slots \(batch.indices))")
            #expect(batch.rewards.scalars.map(Int.init) == batch.indices, "4.6: the batch holds the transitions of the sampled slots (buffer.batch(at:))")
            #expect(weights.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-6 }, "4.6: equal priorities give equal weights, all 1 after normalising, got \(weights.scalars)")
        }
    }

    @Test func samplesInProportionToPriorityToTheAlpha() throws {
        var r = try replay(alpha: 0.5, epsilon: 1e-9)
        try r.updatePriorities(indices: [0, 1, 2, 3], tdErrors: [1, 4, 9, 16])  // p^0.5 = 1, 2, 3, 4
        var rng = SeededGenerator(seed: 48)
        var counts = [0, 0, 0, 0]
        let batches = 10_000
        for _ in 0..<batches {
            for i in try r.sample(batchSize: 1, beta: 0.4, using: &rng).batch.indices { counts[i] += 1 }
        }
        let uniform = counts.map { Double($0) / Double(batches) }
        #expect(Swift.abs(uniform[0] - 1.0 / 30) > 0.02, "4.6: alpha is ignored: P(i) is proportional to p_i^alpha (stored in the tree), not to p_i")
        #expect(Swift.abs(uniform[0] - 0.25) > 0.05, "4.6: sampling ignores the priorities: draw prefix sums and find them in the tree")
        // Expected frequencies 0.1, 0.2, 0.3, 0.4; chi-square with 3 degrees of freedom, 16.3 is the 0.999 quantile.
        let chiSquare = zip(counts, [0.1, 0.2, 0.3, 0.4]).reduce(0.0) { total, pair in
            let expected = Double(batches) * pair.1
            return total + (Double(pair.0) - expected) * (Double(pair.0) - expected) / expected
        }
        #expect(chiSquare < 16.3, "4.6: frequencies \(uniform) should be p^alpha / total = [0.1, 0.2, 0.3, 0.4]: chi-square \(chiSquare)")
    }

    @Test func importanceWeightsByHand() throws {
        var r = try replay(alpha: 1, epsilon: 1e-9)
        try r.updatePriorities(indices: [0, 1, 2, 3], tdErrors: [1, 1, 2, 4])  // P = [0.125, 0.125, 0.25, 0.5], N = 4
        var rng = SeededGenerator(seed: 49)
        for beta in [0.5, 1.0] {
            for _ in 0..<20 {
                let (batch, weights) = try r.sample(batchSize: 2, beta: beta, using: &rng)
                let probabilities = batch.indices.map { [0.125, 0.125, 0.25, 0.5][$0] }
                let raw = probabilities.map { Foundation.pow(4 * $0, -beta) }
                let expected = raw.map { $0 / raw.max()! }
                #expect(weights.scalars.max()! <= 1 + 1e-6, "4.6: weights are normalised by the batch's largest, so they only scale updates down, got \(weights.scalars)")
                let wrong = probabilities.map { Foundation.pow(4 * $0, beta) }
                #expect(probabilities[0] == probabilities[1] || maxError(weights.scalars, wrong.map { $0 / wrong.max()! }) > 1e-3,
                        "4.6: the exponent is -beta: rarely sampled transitions get the larger weights, got \(weights.scalars) for P = \(probabilities)")
                #expect(maxError(weights.scalars, expected) < 1e-5,
                        "4.6: the weights are (N P(i))^-beta (the exponent is -beta), normalised by the batch's largest: for slots \(batch.indices) with P = \(probabilities), N = 4, beta = \(beta), expected \(expected), got \(weights.scalars)")
            }
        }
        #expect(errorText { _ = try r.sample(batchSize: 2, beta: 1.5, using: &rng) } == "PrioritizedReplay.sample: invalid beta: got 1.5, expected a number in [0.0, 1.0]")
        #expect(errorText { _ = try r.sample(batchSize: 5, beta: 0.5, using: &rng) } == "PrioritizedReplay.sample: invalid batchSize: asked for 5 transitions but the buffer holds 4")
        #expect(errorText { _ = try PrioritizedReplay(capacity: 4, observationSize: 1, alpha: 1.5, tree: ReferenceTree(capacity: 4)) }
            == "PrioritizedReplay: invalid alpha: got 1.5, expected a number in [0.0, 1.0]")
    }
}
