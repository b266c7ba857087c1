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
        throw InvalidArgument("actionValues", "values", "has \(values.count) entries, expected one per state (\(mdp.stateCount))")
    }
    // BEGIN SOLUTION 1.5: Action values from state values by a one-step lookahead (notes, section 4, The Bellman expectation equation, the equation for Q).
    // HINT 2: The result has one row per state and one entry per action; each entry is an expectation over that action's outcomes of the reward plus the discounted value of the next state. The one edge case is a terminal outcome, which has nothing after it.
    // HINT 3: For each (s, a) sum probability * (reward + gamma * V(next)) over the outcomes of mdp.transitions[s][a], leaving out gamma * V(next) when the outcome is terminal.
    return (0..<mdp.stateCount).map { s in
        (0..<mdp.actionCount).map { a in
            mdp.transitions[s][a].reduce(0.0) { q, t in
                q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
            }
        }
    }
    // END SOLUTION
}

/// The greedy policy of an action-value table: pi(s) = argmax_a Q(s, a),
/// ties broken toward the lowest action index.
///
/// - Returns: one action per state.
/// - Complexity: O(|S| * |A|).
public func greedyPolicy(from q: [[Double]]) throws -> [Int] {
    guard let width = q.first?.count, width > 0, q.allSatisfy({ $0.count == width }) else {
        throw InvalidArgument("greedyPolicy", "q", "expected a non-empty table with the same number of actions in every row")
    }
    // BEGIN SOLUTION 1.6: The greedy policy takes the action with the largest Q in every state (notes, section 5, Greedy policies).
    // HINT 2: One argmax per row of Q, returned as one action index per state. The only subtlety is ties: they must go to the lowest action index, so that results are reproducible.
    // HINT 3: For each row, keep the index of the largest value; replace it only on a strictly larger value so ties go to the lowest index.
    return q.map { row in
        var best = 0
        for a in 1..<row.count where row[a] > row[best] { best = a }
        return best
    }
    // END SOLUTION
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
        throw InvalidArgument("advantages", "v", "has \(v.count) entries but q has \(q.count) rows; expected one value per state")
    }
    // BEGIN SOLUTION 1.7: The advantage: how much better an action is than what the policy does on average (notes, section 3, Policies and value functions).
    // HINT 2: The result has the shape of Q, one row per state and one entry per action; every entry of a row is compared with the same number, its own state's value. Under the policy, each row of a correct result averages to zero.
    // HINT 3: A(s, a) = Q(s, a) - V(s): subtract the state's value V(s) from every entry of row s of Q.
    return zip(q, v).map { row, value in row.map { $0 - value } }
    // END SOLUTION
}
