import CourseKit
import RLKit

/// A sum tree: a complete binary tree whose leaves hold one non-negative
/// priority per slot and whose inner nodes hold the sum of their children,
/// so the root is the total. Both operations walk one root-to-leaf path:
///
/// - `update(i, priority:)` sets leaf i and fixes the sums above it;
/// - `find(prefixSum: u)` returns the slot i whose interval
///   [p_0 + ... + p_{i-1}, p_0 + ... + p_i) contains u, by going down from
///   the root: left if u is below the left child's sum, otherwise right
///   with u reduced by the left sum.
///
/// Drawing u uniformly from [0, total) and finding it samples slot i with
/// probability p_i / total: prioritised replay in O(log N).
///
/// Layout (kept as it is: the tests only use the public API): `nodes[1]` is
/// the root, the children of node j are 2j and 2j + 1, and slot i's leaf is
/// `nodes[leafCount + i]`, where `leafCount` is the smallest power of two
/// >= capacity. Leaves past the capacity stay 0; `nodes[0]` is unused.
public struct SumTree: Sendable {
    /// The number of slots.
    public let capacity: Int
    /// The number of leaves, a power of two >= capacity.
    public let leafCount: Int
    /// The tree, 2 x leafCount sums (see the layout above).
    public internal(set) var nodes: [Double]

    /// An empty tree (every priority 0).
    ///
    /// - Throws: `InvalidArgument` for a capacity below 1.
    public init(capacity: Int) throws {
        try Validate.count(capacity, "capacity", in: "SumTree")
        self.capacity = capacity
        var leaves = 1
        while leaves < capacity { leaves *= 2 }
        leafCount = leaves
        nodes = [Double](repeating: 0, count: 2 * leaves)
    }

    /// The sum of all priorities (the root).
    public var total: Double { nodes[1] }

    /// The priority of slot `index`.
    public func priority(at index: Int) -> Double {
        check(index >= 0 && index < capacity, "SumTree.priority(at:): slot \(index) is outside 0..<\(capacity)")
        return nodes[leafCount + index]
    }

    /// Sets slot `index` to `priority` and updates the sums on the path to
    /// the root.
    ///
    /// - Complexity: O(log capacity).
    /// - Throws: `InvalidArgument` for a slot outside `0..<capacity` or a
    ///   priority that is negative or not finite.
    public mutating func update(_ index: Int, priority: Double) throws {
        guard index >= 0 && index < capacity else {
            throw InvalidArgument("SumTree.update", "index", "got \(index), expected a slot in 0..<\(capacity)")
        }
        try Validate.nonNegative(priority, "priority", in: "SumTree.update")
        // TODO(4.5): set a leaf's priority and fix the sums above it (notes, section 7)
        throw ExerciseError.notImplemented("4.5", file: "Lessons/04-DQN/SumTree.swift", hint: "set a leaf's priority and fix the sums above it (notes, section 7)")
    }

    /// The slot whose interval of the running sum contains `prefixSum`: the
    /// smallest i with p_0 + ... + p_i > prefixSum. A slot with priority 0
    /// is never returned; `prefixSum == total` returns the last slot with a
    /// positive priority.
    ///
    /// - Complexity: O(log capacity).
    /// - Throws: `InvalidArgument` when every priority is 0, or `prefixSum`
    ///   is outside [0, total].
    public func find(prefixSum: Double) throws -> Int {
        guard total > 0 else {
            throw InvalidArgument("SumTree.find", "prefixSum",
                                  "the tree holds no priority yet (total 0): there is nothing to find")
        }
        guard prefixSum >= 0 && prefixSum <= total else {
            throw InvalidArgument("SumTree.find", "prefixSum",
                                  "got \(prefixSum), expected a number in [0, total = \(total)]")
        }
        // TODO(4.5): walk down from the root to the leaf that holds the prefix sum (notes, section 7)
        throw ExerciseError.notImplemented("4.5", file: "Lessons/04-DQN/SumTree.swift", hint: "walk down from the root to the leaf that holds the prefix sum (notes, section 7)")
    }
}
