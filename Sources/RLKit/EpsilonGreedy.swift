/// Epsilon-greedy exploration for Q-networks, the shared version of the idea
/// taught in lesson 03 (exercise 3.4, on tables). Lessons 01-03 do not depend
/// on RLKit, so this version is out of their reach; the deep lessons use it
/// as plumbing.
///
/// With probability epsilon the action is uniform over all actions (the
/// greedy one included); otherwise it is greedy, ties broken uniformly.
extension SeededGenerator {
    /// One epsilon-greedy action from the action values of one state.
    ///
    /// - Throws: `InvalidArgument` for no actions, epsilon outside [0, 1] or
    ///   a NaN action value.
    public mutating func epsilonGreedy(_ actionValues: [Float], epsilon: Float) throws -> Int {
        let function = "epsilonGreedy"
        try Validate.inClosedRange(epsilon, 0, 1, "epsilon", in: function)
        guard !actionValues.isEmpty else { throw InvalidArgument(function, "actionValues", "is empty, expected at least one action") }
        if let bad = actionValues.first(where: { $0.isNaN }) {
            throw InvalidArgument(function, "actionValues", "holds \(bad), expected numbers (a NaN Q-value: training diverged)")
        }
        if nextFloat() < epsilon { return nextInt(below: actionValues.count) }
        let best = actionValues.max()!
        let ties = actionValues.indices.filter { actionValues[$0] == best }
        return ties.count == 1 ? ties[0] : ties[nextInt(below: ties.count)]
    }

    /// One epsilon-greedy action per row of `qValues` `[batch, actions]`.
    public mutating func epsilonGreedy(_ qValues: Tensor, epsilon: Float) throws -> [Int] {
        check(qValues.rank == 2, "epsilonGreedy: Q-values must be [batch, actions], got shape \(qValues.shape)")
        let k = qValues.shape[1]
        return try (0..<qValues.shape[0]).map { row in
            try epsilonGreedy(Array(qValues.scalars[(row * k)..<((row + 1) * k)]), epsilon: epsilon)
        }
    }
}
