import CourseKit
import Environments

/// The values found by iterative policy evaluation and how many sweeps it took.
public struct IterativeEvaluation: Equatable, Sendable {
    /// v_k(s) after the last sweep.
    public var values: [Double]
    /// The number of sweeps performed.
    public var sweeps: Int
    /// True when the last sweep changed no value by `tolerance` or more;
    /// false when `maxSweeps` ran out first.
    public var converged: Bool

    /// Creates a result.
    public init(values: [Double], sweeps: Int, converged: Bool) {
        self.values = values
        self.sweeps = sweeps
        self.converged = converged
    }
}

/// Iterative policy evaluation with synchronous sweeps of the Bellman
/// expectation backup.
///
/// Starting from v_0 = 0, each sweep computes, for every state at once from
/// the previous sweep's values,
/// ```math
/// v_{k+1}(s) = \sum_a \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\,\bigl[r + \gamma\, v_k(s')\bigr]
/// ```
/// where the bootstrap term is dropped when the outcome is terminal. It
/// stops after the first sweep whose largest change
/// max_s |v_{k+1}(s) - v_k(s)| is below `tolerance`, or after `maxSweeps`.
///
/// - Parameters:
///   - policy: pi(a | s).
///   - mdp: the model.
///   - gamma: the discount factor in [0, 1].
///   - tolerance: the max-norm change that counts as converged.
///   - maxSweeps: the most sweeps to perform.
/// - Complexity: O(sweeps * |S| * |A| * outcomes).
public func evaluatePolicyIteratively(
    _ policy: TabularPolicy, in mdp: TabularMDP, gamma: Double,
    tolerance: Double = 1e-10, maxSweeps: Int = 100_000
) throws -> IterativeEvaluation {
    try checkPolicy(policy, for: mdp, in: "evaluatePolicyIteratively")
    try checkDiscount(gamma, in: "evaluatePolicyIteratively")
    try checkPositive(tolerance, "tolerance", in: "evaluatePolicyIteratively")
    guard maxSweeps >= 1 else {
        throw InvalidArgument("evaluatePolicyIteratively", "maxSweeps", "got \(maxSweeps), expected at least 1")
    }
    // TODO(1.3): sweep the Bellman expectation backup until the values settle (notes, section 4)
    throw ExerciseError.notImplemented("1.3", file: "Lessons/01-MDPs/PolicyEvaluation.swift", hint: "sweep the Bellman expectation backup until the values settle (notes, section 4)")
}

/// Exact policy evaluation: solves the Bellman expectation equation as a
/// linear system.
///
/// With P_pi(s, s') = sum_a pi(a|s) p(s'|s,a) restricted to non-terminal
/// outcomes and r_pi(s) = sum_a pi(a|s) sum_{s'} p(s'|s,a) r, the values
/// satisfy
/// ```math
/// (I - \gamma P_\pi)\, v_\pi = r_\pi
/// ```
/// Terminal states get the equation v(s) = 0. The system is solved by
/// Gaussian elimination with partial pivoting.
///
/// - Throws: `InvalidArgument` when the system is singular: with gamma = 1,
///   a policy that can loop forever without reaching a terminal state has
///   no finite value.
/// - Complexity: O(|S|^3).
public func evaluatePolicyExactly(_ policy: TabularPolicy, in mdp: TabularMDP, gamma: Double) throws -> [Double] {
    try checkPolicy(policy, for: mdp, in: "evaluatePolicyExactly")
    try checkDiscount(gamma, in: "evaluatePolicyExactly")
    // TODO(1.4): solve the linear system (I - gamma P_pi) v = r_pi (notes, section 4)
    throw ExerciseError.notImplemented("1.4", file: "Lessons/01-MDPs/PolicyEvaluation.swift", hint: "solve the linear system (I - gamma P_pi) v = r_pi (notes, section 4)")
}

/// Solves A x = b by Gaussian elimination with partial pivoting (a helper
/// for exercise 1.4, not graded on its own).
///
/// - Throws: `InvalidArgument` when A is singular (a pivot below 1e-12).
/// - Complexity: O(n^3).
public func solveLinearSystem(_ matrix: [[Double]], _ rhs: [Double]) throws -> [Double] {
    let n = rhs.count
    guard matrix.count == n, matrix.allSatisfy({ $0.count == n }) else {
        throw InvalidArgument("solveLinearSystem", "matrix", "expected \(n)x\(n) to match the right-hand side")
    }
    var a = matrix
    var b = rhs
    for column in 0..<n {
        let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
        guard abs(a[pivot][column]) > 1e-12 else {
            throw InvalidArgument("solveLinearSystem", "matrix",
                                  "is singular at column \(column): with gamma = 1 the policy may never reach "
                                  + "a terminal state, so its values are not finite")
        }
        a.swapAt(column, pivot)
        b.swapAt(column, pivot)
        for row in (column + 1)..<n {
            let factor = a[row][column] / a[column][column]
            if factor == 0 { continue }
            for k in column..<n { a[row][k] -= factor * a[column][k] }
            b[row] -= factor * b[column]
        }
    }
    var x = Array(repeating: 0.0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
        var sum = b[row]
        for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
        x[row] = sum / a[row][row]
    }
    return x
}
