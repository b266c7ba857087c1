import CourseKit
import Environments

/// Action values from state values by a one-step lookahead.
///
/// ```math
/// Q(s, a) = \sum_{s'} p(s' \mid s, a)\,\bigl[r + \gamma\,(1 - \text{terminated})\, V(s')\bigr]
/// ```
/// A terminal outcome contributes its reward only: nothing follows it, so
/// V of a terminal state is never used (even if the array holds a nonzero
/// number there).
///
/// - Returns: `q[s][a]` for every state and action.
/// - Complexity: O(|S| * |A| * outcomes).
public func actionValues(from values: [Double], in mdp: TabularMDP, gamma: Double) throws -> [[Double]] {
    try checkDiscount(gamma, in: "actionValues")
    guard values.count == mdp.stateCount else {
        throw InvalidArgument("actionValues", "values",
                              "has \(values.count) entries, expected one per state (\(mdp.stateCount))")
    }
    // TODO(1.5): Q(s, a) from V by a one-step lookahead (notes, section 4)
    throw ExerciseError.notImplemented("1.5", file: "Lessons/01-MDPs/ActionValues.swift", hint: "Q(s, a) from V by a one-step lookahead (notes, section 4)")
}

/// The greedy policy of an action-value table: pi(s) = argmax_a Q(s, a),
/// ties broken toward the lowest action index.
///
/// - Returns: one action per state.
/// - Complexity: O(|S| * |A|).
public func greedyPolicy(from q: [[Double]]) throws -> [Int] {
    guard let width = q.first?.count, width > 0, q.allSatisfy({ $0.count == width }) else {
        throw InvalidArgument("greedyPolicy", "q",
                              "expected a non-empty table with the same number of actions in every row")
    }
    // TODO(1.6): the greedy action of every row of Q, ties to the lowest index (notes, section 5)
    throw ExerciseError.notImplemented("1.6", file: "Lessons/01-MDPs/ActionValues.swift", hint: "the greedy action of every row of Q, ties to the lowest index (notes, section 5)")
}

/// The advantage of every action: how much better it is than the policy's
/// average in that state.
///
/// ```math
/// A(s, a) = Q(s, a) - V(s)
/// ```
/// When V = sum_a pi(a|s) Q(s, a), the advantages average to zero under pi.
///
/// - Complexity: O(|S| * |A|).
public func advantages(q: [[Double]], v: [Double]) throws -> [[Double]] {
    guard q.count == v.count else {
        throw InvalidArgument("advantages", "v",
                              "has \(v.count) entries but q has \(q.count) rows; expected one value per state")
    }
    // TODO(1.7): A(s, a) = Q(s, a) - V(s) (notes, section 3)
    throw ExerciseError.notImplemented("1.7", file: "Lessons/01-MDPs/ActionValues.swift", hint: "A(s, a) = Q(s, a) - V(s) (notes, section 3)")
}
