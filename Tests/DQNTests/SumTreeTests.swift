import Foundation
import DQN
import RLKit
import Testing

@Suite("4.5 SumTree")
struct SumTreeTests {
    func tree(_ priorities: [Double]) throws -> SumTree {
        var tree = try SumTree(capacity: priorities.count)
        for (i, p) in priorities.enumerated() { try tree.update(i, priority: p) }
        return tree
    }

    /// Every inner node holds the sum of its two children.
    func sumsHold(_ tree: SumTree) -> Bool {
        (1..<tree.leafCount).allSatisfy { Swift.abs(tree.nodes[$0] - tree.nodes[2 * $0] - tree.nodes[2 * $0 + 1]) < 1e-9 }
    }

    @Test func updateSetsALeafAndEverySumAboveIt() throws {
        var t = try tree([1, 2, 3, 4])
        #expect(t.total == 10, "4.5: the root holds the total of the priorities, 10, got \(t.total)")
        #expect(t.nodes[2] == 3 && t.nodes[3] == 7, "4.5: the root's children hold 1 + 2 and 3 + 4, got \(t.nodes[2]) and \(t.nodes[3]) (node j's children are 2j and 2j + 1)")
        try t.update(2, priority: 0.5)
        #expect(t.total != 10.5, "4.5: update adds to the priority instead of setting it: the slot's new priority replaces the old one")
        #expect(t.total == 7.5 && t.priority(at: 2) == 0.5, "4.5: after setting slot 2 to 0.5 the total is 7.5, got \(t.total)")
        #expect(sumsHold(t), "4.5: every inner node must hold the sum of its children after an update (walk up to the root), nodes \(t.nodes)")
        let five = try tree([0.25, 0, 3, 1, 2])  // 5 slots: 8 leaves
        #expect(five.leafCount == 8 && five.total == 6.25 && sumsHold(five), "4.5: a capacity that is not a power of two, total 6.25, nodes \(five.nodes)")
    }

    @Test func findByHand() throws {
        let t = try tree([1, 2, 3, 4])  // intervals [0, 1), [1, 3), [3, 6), [6, 10)
        let cases: [(Double, Int)] = [(0, 0), (0.999, 0), (1, 1), (2.5, 1), (3, 2), (5.99, 2), (6, 3), (9.999, 3), (10, 3)]
        for (u, slot) in cases {
            let found = try t.find(prefixSum: u)
            #expect(found == slot, "4.5: find(prefixSum: \(u)) in priorities [1, 2, 3, 4] is slot \(slot) (go left when u < the left sum, else subtract the left sum and go right), got \(found)")
        }
        let gaps = try tree([0, 3, 0, 2])
        for (u, slot) in [(0.0, 1), (2.99, 1), (3, 3), (5, 3)] {
            let found = try gaps.find(prefixSum: u)
            #expect(found == slot && gaps.priority(at: found) > 0,
                    "4.5: a slot with priority 0 is never found: find(prefixSum: \(u)) in [0, 3, 0, 2] is \(slot), got \(found)")
        }
        let padded = try tree([0, 3, 0, 2, 0])  // 5 slots on 8 leaves: slots 4 to 7 are 0
        let last = try padded.find(prefixSum: padded.total)
        #expect(last == 3, "4.5: a slot with priority 0 is never found: at u = total the last positive slot (3) is the answer, got \(last); do not walk into a subtree whose sum is 0")
        #expect(errorText { _ = try SumTree(capacity: 3).find(prefixSum: 0) }.hasPrefix("SumTree.find: invalid prefixSum: the tree holds no priority yet"))
        #expect(errorText { _ = try t.find(prefixSum: 10.5) }.hasPrefix("SumTree.find: invalid prefixSum: got 10.5"))
    }

    @Test func agreesWithAPrefixScanUnderRandomUpdates() throws {
        var rng = SeededGenerator(seed: 45)
        var t = try SumTree(capacity: 13)
        var reference = ReferenceTree(capacity: 13)
        for round in 0..<2_000 {
            let slot = rng.nextInt(below: 13), p = rng.nextDouble() < 0.15 ? 0 : rng.uniform(0, 5)
            try t.update(slot, priority: p)
            try reference.update(slot, priority: p)
            guard Swift.abs(t.total - reference.total) < 1e-9 else {
                Issue.record("4.5: after \(round + 1) updates the total is \(t.total), the priorities sum to \(reference.total)"); return
            }
            guard reference.total > 0 else { continue }
            let u = rng.uniform(0, reference.total)
            // Skip draws within 1e-9 of an interval boundary (rounding may go either way).
            var running = 0.0, nearBoundary = false
            for v in reference.values { running += v; if Swift.abs(running - u) < 1e-9 { nearBoundary = true } }
            if nearBoundary { continue }
            let found = try t.find(prefixSum: u), expected = try reference.find(prefixSum: u)
            guard found == expected else {
                Issue.record("4.5: find(prefixSum: \(u)) with priorities \(reference.values) is slot \(expected), got \(found)"); return
            }
        }
        #expect(sumsHold(t), "4.5: the inner nodes must hold the sums of their children")
    }

    @Test func uniformPrefixSumsSampleInProportionToPriority() throws {
        let priorities: [Double] = [1, 0, 2, 5, 0.5, 1.5]
        let t = try tree(priorities)
        var rng = SeededGenerator(seed: 46)
        var counts = [Int](repeating: 0, count: priorities.count)
        let draws = 40_000
        for _ in 0..<draws { counts[try t.find(prefixSum: rng.uniform(0, t.total))] += 1 }
        #expect(counts[1] == 0, "4.5: a slot with priority 0 was sampled \(counts[1]) times")
        // Chi-square over the 5 positive slots (4 degrees of freedom); 18.5 is the 0.999 quantile.
        var chiSquare = 0.0
        for (c, p) in zip(counts, priorities) where p > 0 {
            let expected = Double(draws) * p / 10
            chiSquare += (Double(c) - expected) * (Double(c) - expected) / expected
        }
        #expect(chiSquare < 18.5, "4.5: sampling frequencies \(counts) should be proportional to \(priorities): chi-square \(chiSquare)")
    }

    @Test func rejectsBadArguments() throws {
        #expect(errorText { _ = try SumTree(capacity: 0) } == "SumTree: invalid capacity: got 0, expected an integer >= 1")
        var t = try SumTree(capacity: 2)
        #expect(errorText { try t.update(2, priority: 1) } == "SumTree.update: invalid index: got 2, expected a slot in 0..<2")
        #expect(errorText { try t.update(0, priority: -1) } == "SumTree.update: invalid priority: got -1.0, expected a finite number >= 0")
        try t.update(1, priority: 2)
        let found = try t.find(prefixSum: 1)
        #expect(t.total == 2 && found == 1, "4.5: one positive slot: total 2 and every prefix sum finds it")
    }
}

@Suite("4.6 PrioritizedReplay")
struct PrioritizedReplayTests {
    /// Four transitions whose rewards are their slots, in a replay around the reference tree.
    func replay(alpha: Double, epsilon: Double = 0.01) throws -> PrioritizedReplay<ReferenceTree> {
        var replay = try PrioritizedReplay(capacity: 8, observationSize: 1, alpha: alpha, epsilon: epsilon, tree: ReferenceTree(capacity: 8))
        for i in 0..<4 {
            try replay.add(FoldedTransition(observation: [Float(i)], action: 0, reward: Double(i), nextObservation: [0],
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
        try r.add(FoldedTransition(observation: [9], action: 0, reward: 9, nextObservation: [0], terminated: false, truncated: false, discount: 0.9))
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
