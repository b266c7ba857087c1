import CourseKit
import Environments

/// What value iteration returns.
public struct ValueIterationResult: Sendable, Equatable {
    /// The last estimate V_k, one entry per state.
    public var values: [Double]
    /// The number of sweeps performed, k.
    public var sweeps: Int
    /// `deltas[i]` is the max-norm change ||V_{i+1} - V_i||_inf of sweep i + 1;
    /// there is one entry per sweep.
    public var deltas: [Double]
    /// True when the last change was below the tolerance (false when the
    /// sweep budget ran out first).
    public var converged: Bool

    /// Creates a result.
    public init(values: [Double], sweeps: Int, deltas: [Double], converged: Bool) {
        self.values = values
        self.sweeps = sweeps
        self.deltas = deltas
        self.converged = converged
    }
}

/// Value iteration with synchronous sweeps and the max-norm stopping rule.
///
/// Starting from V_0 (`initialValues`, or all zeros), each sweep computes
/// every state's Bellman optimality backup from the *previous* estimate,
///
///     V_{k+1}(s) = max_a sum_{s'} P(s'|s,a) (r + gamma V_k(s')),
///
/// (a fresh array per sweep, not an in-place update) and records
/// delta_{k+1} = max_s |V_{k+1}(s) - V_k(s)|. It stops after the first sweep
/// with delta < `tolerance`, or after `maxSweeps` sweeps.
///
/// Because the backup is a gamma-contraction in the max norm, the error
/// ||V_k - V*|| shrinks at least by a factor gamma per sweep, and when the
/// loop stops ||V_k - V*|| <= gamma * delta / (1 - gamma).
///
/// - Throws: `InvalidArgument` for a bad gamma, tolerance, sweep budget or
///   initial value count.
public func valueIteration(_ mdp: TabularMDP, gamma: Double, tolerance: Double = 1e-10,
                           maxSweeps: Int = 100_000, initialValues: [Double]? = nil) throws -> ValueIterationResult {
    let function = "valueIteration(_:gamma:tolerance:maxSweeps:initialValues:)"
    try checkDiscount(gamma, in: function)
    try checkPositive(tolerance, "tolerance", in: function)
    try checkAtLeastOne(maxSweeps, "maxSweeps", in: function)
    if let initialValues { try checkValues(initialValues, of: mdp, in: function, name: "initialValues") }
    // BEGIN SOLUTION 2.2: repeat the optimality backup until the max-norm stopping rule holds (notes, section 2)
    var values = initialValues ?? Array(repeating: 0, count: mdp.stateCount)
    var deltas: [Double] = []
    while deltas.count < maxSweeps {
        var next = values
        var delta = 0.0
        for s in 0..<mdp.stateCount {
            next[s] = try bellmanOptimalityBackup(mdp, values: values, state: s, gamma: gamma)
            delta = max(delta, abs(next[s] - values[s]))
        }
        values = next
        deltas.append(delta)
        if delta < tolerance {
            return ValueIterationResult(values: values, sweeps: deltas.count, deltas: deltas, converged: true)
        }
    }
    return ValueIterationResult(values: values, sweeps: deltas.count, deltas: deltas, converged: false)
    // END SOLUTION
}

/// What Q-value iteration returns.
public struct QValueIterationResult: Sendable, Equatable {
    /// `q[s][a]` for the actions legal in each state (`mdp.actionCount(in: s)` entries per row).
    public var q: [[Double]]
    /// The number of sweeps performed.
    public var sweeps: Int
    /// The max-norm change max_{s,a} |Q_{k+1}(s,a) - Q_k(s,a)| of each sweep.
    public var deltas: [Double]
    /// True when the last change was below the tolerance.
    public var converged: Bool

    /// Creates a result.
    public init(q: [[Double]], sweeps: Int, deltas: [Double], converged: Bool) {
        self.q = q
        self.sweeps = sweeps
        self.deltas = deltas
        self.converged = converged
    }
}

/// Q-value iteration: value iteration on action values, the tabular form of
/// fitted Q iteration.
///
///     Q_{k+1}(s, a) = sum_{s'} P(s'|s,a) ( r + gamma * max_{a'} Q_k(s', a') )
///
/// with no bootstrap term for outcomes that end the episode. Sweeps are
/// synchronous (each computed from the previous table), Q_0 = 0, and the
/// loop stops after the first sweep whose max-norm change over all (s, a) is
/// below `tolerance`, or after `maxSweeps`. Row s of the table has
/// `mdp.actionCount(in: s)` entries.
///
/// Since max_a Q*(s, a) = V*(s), the result's row maxima equal value
/// iteration's values.
///
/// - Throws: `InvalidArgument` for a bad gamma, tolerance or sweep budget.
public func qValueIteration(_ mdp: TabularMDP, gamma: Double, tolerance: Double = 1e-10,
                            maxSweeps: Int = 100_000) throws -> QValueIterationResult {
    let function = "qValueIteration(_:gamma:tolerance:maxSweeps:)"
    try checkDiscount(gamma, in: function)
    try checkPositive(tolerance, "tolerance", in: function)
    try checkAtLeastOne(maxSweeps, "maxSweeps", in: function)
    // BEGIN SOLUTION 2.3: Q-value iteration: the same fixed point on action values (notes, section 2)
    var q = (0..<mdp.stateCount).map { Array(repeating: 0.0, count: mdp.actionCount(in: $0)) }
    var deltas: [Double] = []
    while deltas.count < maxSweeps {
        let best = q.map { $0.max() ?? 0 }
        var next = q
        var delta = 0.0
        for s in 0..<mdp.stateCount {
            for a in 0..<q[s].count {
                var value = 0.0
                for outcome in mdp.transitions[s][a] {
                    let future = outcome.terminated ? 0 : gamma * best[outcome.nextState]
                    value += outcome.probability * (outcome.reward + future)
                }
                next[s][a] = value
                delta = max(delta, abs(value - q[s][a]))
            }
        }
        q = next
        deltas.append(delta)
        if delta < tolerance {
            return QValueIterationResult(q: q, sweeps: deltas.count, deltas: deltas, converged: true)
        }
    }
    return QValueIterationResult(q: q, sweeps: deltas.count, deltas: deltas, converged: false)
    // END SOLUTION
}
