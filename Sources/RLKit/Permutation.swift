@_exported import TensorCore

/// Shuffling that gives the same order on every toolchain.
///
/// The standard library's `shuffled(using:)` promises a uniformly random
/// order, not a particular algorithm: a new Swift release may draw the random
/// numbers differently, and every seeded run that shuffles minibatches would
/// change. These functions fix the algorithm: Fisher-Yates (Durstenfeld's
/// version), drawing `generator.nextInt(below: i + 1)` for i from n - 1 down
/// to 1, which is itself fixed by the course's own `SeededGenerator`.
extension SeededGenerator {
    /// Shuffles `values` in place, uniformly at random.
    ///
    /// - Complexity: O(n), n - 1 draws.
    public mutating func shuffle<T>(_ values: inout [T]) {
        var i = values.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            values.swapAt(i, j)
            i -= 1
        }
    }

    /// A uniformly random ordering of `0..<count`: the minibatch order of
    /// one epoch.
    ///
    /// - Throws: `InvalidArgument` for a negative count.
    public mutating func permutation(of count: Int) throws -> [Int] {
        try Validate.count(count, "count", atLeast: 0, in: "permutation(of:)")
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }
}
