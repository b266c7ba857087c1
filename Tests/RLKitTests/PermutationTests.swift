import RLKit
import Testing

@Suite("seeded permutations are fixed by the seed and uniform")
struct PermutationTests {
    @Test func fixedOrderForASeed() throws {
        var g = SeededGenerator(seed: 7)
        let order = try g.permutation(of: 10)
        #expect(order.sorted() == Array(0..<10), "a permutation holds every index once, got \(order)")
        var h = SeededGenerator(seed: 7)
        #expect(try h.permutation(of: 10) == order, "the same seed gives the same order")
        // The draws are Fisher-Yates from the back: replay them by hand.
        var replay = SeededGenerator(seed: 7)
        var expected = Array(0..<10)
        for i in stride(from: 9, to: 0, by: -1) { expected.swapAt(i, replay.nextInt(below: i + 1)) }
        #expect(order == expected)
    }

    @Test func everyOrderOfThreeIsEquallyLikely() throws {
        var g = SeededGenerator(seed: 11)
        var counts: [[Int]: Int] = [:]
        let draws = 60_000
        for _ in 0..<draws { counts[try g.permutation(of: 3), default: 0] += 1 }
        #expect(counts.count == 6)
        // Chi-square with 5 degrees of freedom; 20.5 is its 0.999 quantile.
        let expected = Double(draws) / 6
        let chiSquare = counts.values.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < 20.5, "the six orders of 3 items should be equally likely: chi-square \(chiSquare), counts \(counts)")
    }

    @Test func rejectsANegativeCount() throws {
        var g = SeededGenerator(seed: 1)
        #expect(throws: InvalidArgument.self) { _ = try g.permutation(of: -1) }
        #expect(try g.permutation(of: 0) == [])
    }
}
