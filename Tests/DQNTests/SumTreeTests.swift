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
