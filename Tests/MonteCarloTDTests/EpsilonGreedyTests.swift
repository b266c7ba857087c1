import CourseKit
import Environments
import Testing
import MonteCarloTD
import TensorCore

@Suite("3.4 epsilonGreedy")
struct EpsilonGreedyTests {
    func frequencies(_ q: [Double], epsilon: Double, draws: Int, seed: UInt64) throws -> [Double] {
        var g = SeededGenerator(seed: seed)
        var counts = Array(repeating: 0.0, count: q.count)
        for _ in 0..<draws {
            let a = try epsilonGreedy(q, epsilon: epsilon, using: &g)
            guard q.indices.contains(a) else { Issue.record("3.4: returned action \(a) outside 0..<\(q.count)"); return counts }
            counts[a] += 1
        }
        return counts.map { $0 / Double(draws) }
    }

    @Test func greedyWhenEpsilonIsZero() throws {
        let f = try frequencies([0, 5, 1, 2], epsilon: 0, draws: 200, seed: 1)
        #expect(f == [0, 1, 0, 0], "3.4: with epsilon 0 the unique best action 1 must always be chosen, got frequencies \(f) — epsilon is the probability of a random action: explore only when u < epsilon")
    }

    @Test func breaksTiesAtRandom() throws {
        let f = try frequencies([1, 3, 3, 0], epsilon: 0, draws: 8000, seed: 2)
        #expect(f[0] == 0 && f[3] == 0 && abs(f[1] - 0.5) < 0.03 && abs(f[2] - 0.5) < 0.03, "3.4: actions 1 and 2 tie for the maximum and should each be chosen about half the time, got \(f) — always taking the first maximum makes a zero-initialised agent repeat action 0")
    }

    @Test func exploresOverAllActions() throws {
        // P(greedy) = 1 - 0.4 + 0.4 / 4 = 0.7, every other action 0.1.
        let f = try frequencies([0, 5, 1, 2], epsilon: 0.4, draws: 40000, seed: 3)
        #expect(maxError(f, [0.1, 0.7, 0.1, 0.1]) < 0.015, "3.4: with epsilon 0.4 and 4 actions expected frequencies [0.1, 0.7, 0.1, 0.1], got \(f) — the random choice is over all actions, greedy one included (0.6 means you excluded it)")
        let uniform = try frequencies([0, 5, 1, 2], epsilon: 1, draws: 40000, seed: 4)
        #expect(maxError(uniform, [0.25, 0.25, 0.25, 0.25]) < 0.015, "3.4: epsilon 1 is uniformly random, got \(uniform)")
    }

    @Test func drawsFromTheGeneratorPassedIn() throws {
        var g1 = SeededGenerator(seed: 11), g2 = SeededGenerator(seed: 11)
        let q = [1.0, 3, 3, 0]
        let first = try (0..<100).map { _ in try epsilonGreedy(q, epsilon: 0.5, using: &g1) }
        let second = try (0..<100).map { _ in try epsilonGreedy(q, epsilon: 0.5, using: &g2) }
        #expect(first == second, "3.4: two generators with the same seed must give the same actions, got \(first.prefix(12)) and \(second.prefix(12)) — use the generator passed in for every random choice (not Double.random(in:), Int.random(in:) or randomElement())")
    }

    @Test func rejectsBadArguments() throws {
        var g = SeededGenerator(seed: 5)
        #expect(throws: InvalidArgument.self, "3.4: epsilon 1.5 must be rejected") {
            _ = try epsilonGreedy([1, 2], epsilon: 1.5, using: &g)
        }
        #expect(throws: InvalidArgument.self, "3.4: an empty row must be rejected") {
            _ = try epsilonGreedy([], epsilon: 0.1, using: &g)
        }
        let a = try epsilonGreedy([1, 2], epsilon: 0, using: &g)
        #expect(a == 1, "3.4: the greedy action of [1, 2] is 1, got \(a)")
    }
}
