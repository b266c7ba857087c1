import CourseKit
import Foundation
import RLKit

/// What prioritised replay needs of its tree: set a slot's priority, the
/// total, and find a slot by a prefix sum. `SumTree` (exercise 4.5) is one;
/// the tests of 4.6 use a plain array scan, so that 4.6 is graded on its own.
public protocol PriorityTree {
    /// The number of slots.
    var capacity: Int { get }
    /// The sum of all priorities.
    var total: Double { get }
    /// The priority of one slot.
    func priority(at index: Int) -> Double
    /// Sets one slot's priority.
    mutating func update(_ index: Int, priority: Double) throws
    /// The slot whose running-sum interval contains `prefixSum`.
    func find(prefixSum: Double) throws -> Int
}

extension SumTree: PriorityTree {}

/// Prioritised experience replay (Schaul et al., 2016), proportional
/// variant: transition i is sampled with probability
///
///     P(i) = p_i^alpha / sum_k p_k^alpha,   p_i = |delta_i| + epsilon
///
/// (delta_i its last TD error; a new transition gets the largest p seen so
/// far, so it is replayed at least once soon). Sampling by priority changes
/// the distribution the loss averages over; the importance weights
///
///     w_i = (N P(i))^-beta / max_j (N P(j))^-beta
///
/// (N the number of stored transitions, the max over the minibatch) undo
/// that bias when beta = 1, and only ever scale updates down.
///
/// The tree stores p_i^alpha for every slot of the ring buffer `buffer`.
public struct PrioritizedReplay<Tree: PriorityTree> {
    /// The transitions (slot i of the tree is slot i of the buffer).
    public private(set) var buffer: ReplayBuffer
    /// p^alpha of every slot.
    public var tree: Tree
    /// How strongly priorities matter: 0 is uniform sampling, 1 fully proportional.
    public let alpha: Double
    /// Added to |delta| so that no transition's probability becomes 0.
    public let epsilon: Double
    /// The largest p = |delta| + epsilon seen so far (1 at the start); new
    /// transitions get it.
    public var maxPriority = 1.0

    /// Creates empty storage around `tree` (all priorities 0, capacity equal
    /// to the buffer's).
    ///
    /// - Throws: `InvalidArgument` for alpha outside [0, 1], an epsilon that
    ///   is not > 0, a tree whose capacity differs, or what `ReplayBuffer` refuses.
    public init(capacity: Int, observationSize: Int, alpha: Double, epsilon: Double = 1e-6, tree: Tree) throws {
        let function = "PrioritizedReplay"
        try Validate.inClosedRange(alpha, 0, 1, "alpha", in: function)
        try Validate.positive(epsilon, "epsilon", in: function)
        buffer = try ReplayBuffer(capacity: capacity, observationSize: observationSize)
        guard tree.capacity == capacity else {
            throw InvalidArgument(function, "tree",
                                  "has \(tree.capacity) slots, expected \(capacity) (one per buffer slot)")
        }
        self.tree = tree
        self.alpha = alpha
        self.epsilon = epsilon
    }

    /// Stores a transition with the largest priority so far.
    public mutating func add(_ transition: Transition) throws {
        let slot = buffer.nextIndex
        try buffer.add(transition)
        try tree.update(slot, priority: Foundation.pow(maxPriority, alpha))
    }

    /// A minibatch drawn by priority, with its importance weights.
    ///
    /// Stratified: [0, total) is cut into `batchSize` equal segments and one
    /// prefix sum is drawn uniformly in each (`generator.nextDouble()`, in
    /// segment order), so every part of the distribution is represented.
    ///
    /// - Returns: the transitions (their `indices` are the tree slots) and
    ///   the weights w_i, `[batchSize]`, largest 1.
    /// - Throws: `InvalidArgument` for beta outside [0, 1] or a batch larger
    ///   than what is stored.
    public func sample(batchSize: Int, beta: Double,
                       using generator: inout SeededGenerator) throws -> (batch: ReplayBatch, weights: Tensor) {
        let function = "PrioritizedReplay.sample"
        try Validate.inClosedRange(beta, 0, 1, "beta", in: function)
        try Validate.count(batchSize, "batchSize", in: function)
        guard batchSize <= buffer.count else {
            throw InvalidArgument(function, "batchSize",
                                  "asked for \(batchSize) transitions but the buffer holds \(buffer.count)")
        }
        // BEGIN SOLUTION 4.6: sample by priority, stratified, with importance weights (notes, section 7)
        let total = tree.total
        let segment = total / Double(batchSize)
        var slots: [Int] = []
        for i in 0..<batchSize {
            let u = (Double(i) + generator.nextDouble()) * segment
            slots.append(try tree.find(prefixSum: Swift.min(u, total)))
        }
        let n = Double(buffer.count)
        let raw = slots.map { Foundation.pow(n * tree.priority(at: $0) / total, -beta) }
        let largest = raw.max()!
        return (try buffer.batch(at: slots), Tensor(raw.map { Float($0 / largest) }))
        // END SOLUTION
    }

    /// Writes back the priorities of replayed transitions after an update:
    /// p = |delta| + epsilon, stored as p^alpha; the largest p so far is kept
    /// for new transitions.
    ///
    /// - Throws: `InvalidArgument` for lists of different lengths, a slot
    ///   outside the stored ones or a non-finite TD error.
    public mutating func updatePriorities(indices: [Int], tdErrors: [Float]) throws {
        let function = "PrioritizedReplay.updatePriorities"
        guard indices.count == tdErrors.count else {
            throw InvalidArgument(function, "tdErrors", "got \(tdErrors.count) errors for \(indices.count) indices")
        }
        try Validate.allFinite(tdErrors, "tdErrors", in: function)
        if let bad = indices.first(where: { $0 < 0 || $0 >= buffer.count }) {
            throw InvalidArgument(function, "indices", "slot \(bad) is outside the \(buffer.count) stored transitions")
        }
        // BEGIN SOLUTION 4.6: write the new priorities back from the TD errors (notes, section 7)
        for (slot, delta) in zip(indices, tdErrors) {
            let p = Double(Swift.abs(delta)) + epsilon
            maxPriority = Swift.max(maxPriority, p)
            try tree.update(slot, priority: Foundation.pow(p, alpha))
        }
        // END SOLUTION
    }
}
