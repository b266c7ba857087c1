import CourseKit
import Environments

/// A stochastic tabular policy: `policy[s][a]` is pi(a | s), and every row
/// is a probability distribution over the MDP's actions.
public typealias TabularPolicy = [[Double]]

/// The equiprobable random policy of an MDP: pi(a | s) = 1 / |A|.
public func uniformPolicy(for mdp: TabularMDP) -> TabularPolicy {
    Array(repeating: Array(repeating: 1.0 / Double(mdp.actionCount), count: mdp.actionCount), count: mdp.stateCount)
}

/// The deterministic policy that takes `actions[s]` in state `s`, as a
/// table of probabilities (one-hot rows).
public func deterministicPolicy(_ actions: [Int], actionCount: Int) -> TabularPolicy {
    actions.map { action in (0..<actionCount).map { $0 == action ? 1.0 : 0.0 } }
}

/// Checks that `policy` has one distribution over `mdp`'s actions per state.
///
/// - Throws: `InvalidArgument` naming `function`, the offending state and
///   what was expected.
public func checkPolicy(_ policy: TabularPolicy, for mdp: TabularMDP, in function: String) throws {
    guard policy.count == mdp.stateCount else {
        throw InvalidArgument(function, "policy",
                              "has \(policy.count) rows, expected one per state (\(mdp.stateCount))")
    }
    for (s, row) in policy.enumerated() {
        guard row.count == mdp.actionCount else {
            throw InvalidArgument(function, "policy",
                                  "row \(s) has \(row.count) entries, expected one per action (\(mdp.actionCount))")
        }
        let total = row.reduce(0, +)
        guard row.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(total - 1) < 1e-6 else {
            throw InvalidArgument(function, "policy",
                                  "row \(s) is \(row), expected non-negative probabilities that sum to 1")
        }
    }
}
