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
        // BEGIN SOLUTION 4.5: The sum tree: leaves hold the priorities and every inner node the sum of its two children, so both update and prefix-sum search take O(log N) (notes, section 7, Prioritised experience replay, the paragraph on the sum tree and its worked example).
        // HINT 2: The nodes are stored heap-style: the root at 1, the children of node i at 2i and 2i + 1, leaf k at leafCount + k. Update: set the leaf, then recompute each ancestor on the way up to the root. Find: walk down from the root comparing what is left of the prefix sum with the left child's sum, subtracting that sum when you go right, and never walk into an empty right subtree.
        // HINT 3: update: set the leaf nodes[leafCount + index]; then walk up (node /= 2) to the root, setting each node to the sum of its two children. find: start at the root (node 1) with u = prefixSum; while the node is not a leaf (node < leafCount): if u is below the left child's sum (or the right subtree is empty), go left; otherwise subtract the left sum from u and go right. Return node - leafCount.
        var node = leafCount + index
        nodes[node] = priority
        node /= 2
        while node >= 1 {
            nodes[node] = nodes[2 * node] + nodes[2 * node + 1]
            node /= 2
        }
        // END SOLUTION
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
            throw InvalidArgument("SumTree.find", "prefixSum", "the tree holds no priority yet (total 0): there is nothing to find")
        }
        guard prefixSum >= 0 && prefixSum <= total else {
            throw InvalidArgument("SumTree.find", "prefixSum", "got \(prefixSum), expected a number in [0, total = \(total)]")
        }
        // BEGIN SOLUTION 4.5: Prefix-sum search: walk down from the root, choosing left or right by the left child's sum (notes, section 7, the sum tree; deeprl hint 4.5 shows more).
        var node = 1
        var u = prefixSum
        while node < leafCount {
            let left = nodes[2 * node]
            if u < left || nodes[2 * node + 1] == 0 {
                node = 2 * node
            } else {
                u -= left
                node = 2 * node + 1
            }
        }
        return node - leafCount
        // END SOLUTION
    }
}
