import CourseKit
import Environments

/// The greedy policy of a value function, by a one-step lookahead:
///
///     pi(s) = argmax_a sum_{s'} P(s'|s,a) ( r + gamma * V(s') ),
///
/// without the bootstrap term on outcomes that end the episode. Ties go to
/// the lowest action index (as numpy's `argmax` does), so terminal states,
/// where every action is worth 0, get action 0.
///
/// - Returns: one action per state.
/// - Throws: `InvalidArgument` for a bad gamma or value count.
public func greedyPolicy(_ mdp: TabularMDP, values: [Double], gamma: Double) throws -> [Int] {
    let function = "greedyPolicy(_:values:gamma:)"
    try checkDiscount(gamma, in: function)
    try checkValues(values, of: mdp, in: function)
    // BEGIN SOLUTION 2.4: the greedy policy of V through a one-step lookahead (notes, section 3)
    var policy = Array(repeating: 0, count: mdp.stateCount)
    for s in 0..<mdp.stateCount {
        var bestValue = -Double.infinity
        for a in 0..<mdp.actionCount(in: s) {
            var q = 0.0
            for outcome in mdp.transitions[s][a] {
                let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
                q += outcome.probability * (outcome.reward + future)
            }
            if q > bestValue {
                bestValue = q
                policy[s] = a
            }
        }
    }
    return policy
    // END SOLUTION
}

/// What policy iteration returns.
public struct PolicyIterationResult: Sendable, Equatable {
    /// The final (stable, hence optimal) deterministic policy: one action per state.
    public var policy: [Int]
    /// Its values V^pi, which equal V*.
    public var values: [Double]
    /// The number of evaluate-then-improve rounds, counting the last one
    /// that found the policy stable.
    public var iterations: Int
    /// The number of evaluation sweeps of each round.
    public var evaluationSweeps: [Int]
    /// The number of states whose action changed in each improvement. The
    /// first round starts from a stochastic policy, so it counts every
    /// state; the last entry is 0 (nothing changed: the policy is stable).
    public var changes: [Int]

    /// Creates a result.
    public init(policy: [Int], values: [Double], iterations: Int, evaluationSweeps: [Int], changes: [Int]) {
        self.policy = policy
        self.values = values
        self.iterations = iterations
        self.evaluationSweeps = evaluationSweeps
        self.changes = changes
    }
}

/// Policy iteration: alternate policy evaluation and greedy improvement until
/// the policy stops changing.
///
/// 1. Evaluation: iterate the Bellman *expectation* backup of the current
///    policy pi (a distribution per state),
///    V(s) <- sum_a pi(a|s) sum_{s'} P(s'|s,a) (r + gamma V(s')),
///    until the largest change of a sweep is below `evaluationTolerance`
///    (or after `maxEvaluationSweeps` sweeps).
/// 2. Improvement: in every state pick an action maximising the one-step
///    lookahead q(s, a) = sum P (r + gamma V(s')). Keep the current action
///    when it is within 1e-9 of the best (otherwise two equally good
///    actions can make the loop flip between them forever).
/// 3. Stop when no state changed its action: the policy is greedy with
///    respect to its own values, so it satisfies the Bellman optimality
///    equation.
///
/// The first policy is `initialPolicy` (rows of action probabilities) or
/// the equiprobable random policy. Outcomes that end the episode contribute
/// no bootstrap term.
///
/// - Throws: `InvalidArgument` for a bad gamma, tolerance, budget or policy.
public func policyIteration(_ mdp: TabularMDP, gamma: Double, evaluationTolerance: Double = 1e-10,
                            maxIterations: Int = 1_000, maxEvaluationSweeps: Int = 100_000,
                            initialPolicy: [[Double]]? = nil) throws -> PolicyIterationResult {
    let function = "policyIteration(_:gamma:evaluationTolerance:maxIterations:maxEvaluationSweeps:initialPolicy:)"
    try checkDiscount(gamma, in: function)
    try checkPositive(evaluationTolerance, "evaluationTolerance", in: function)
    try checkAtLeastOne(maxIterations, "maxIterations", in: function)
    try checkAtLeastOne(maxEvaluationSweeps, "maxEvaluationSweeps", in: function)
    if let initialPolicy {
        guard initialPolicy.count == mdp.stateCount else {
            throw InvalidArgument(function, "initialPolicy",
                                  "has \(initialPolicy.count) rows, expected one per state (\(mdp.stateCount))")
        }
        for (s, row) in initialPolicy.enumerated() {
            let sumsToOne = abs(row.reduce(0, +) - 1) < 1e-9
            guard row.count == mdp.actionCount(in: s), row.allSatisfy({ $0 >= 0 }), sumsToOne else {
                throw InvalidArgument(function, "initialPolicy", "row \(s) is \(row), expected "
                                      + "\(mdp.actionCount(in: s)) non-negative probabilities summing to 1")
            }
        }
    }
    // BEGIN SOLUTION 2.5: policy iteration: evaluate, improve, stop when stable (notes, section 4)
    var probabilities = initialPolicy
        ?? (0..<mdp.stateCount).map { s in
            Array(repeating: 1.0 / Double(mdp.actionCount(in: s)), count: mdp.actionCount(in: s))
        }
    var current: [Int]? = nil
    var values = Array(repeating: 0.0, count: mdp.stateCount)
    var evaluationSweeps: [Int] = []
    var changes: [Int] = []

    func lookahead(_ s: Int, _ a: Int) -> Double {
        var q = 0.0
        for outcome in mdp.transitions[s][a] {
            q += outcome.probability * (outcome.reward + (outcome.terminated ? 0 : gamma * values[outcome.nextState]))
        }
        return q
    }

    while evaluationSweeps.count < maxIterations {
        // Evaluation (in place: converges to the same fixed point, a little faster).
        var sweeps = 0
        while sweeps < maxEvaluationSweeps {
            sweeps += 1
            var delta = 0.0
            for s in 0..<mdp.stateCount {
                var v = 0.0
                for (a, p) in probabilities[s].enumerated() where p > 0 {
                    v += p * lookahead(s, a)
                }
                delta = max(delta, abs(v - values[s]))
                values[s] = v
            }
            if delta < evaluationTolerance { break }
        }
        evaluationSweeps.append(sweeps)

        // Improvement.
        var improved = Array(repeating: 0, count: mdp.stateCount)
        var changed = 0
        for s in 0..<mdp.stateCount {
            var best = 0
            var bestValue = -Double.infinity
            for a in 0..<mdp.actionCount(in: s) {
                let q = lookahead(s, a)
                if q > bestValue { bestValue = q; best = a }
            }
            if let old = current?[s], lookahead(s, old) >= bestValue - 1e-9 { best = old }
            improved[s] = best
            if current?[s] != best { changed += 1 }
        }
        changes.append(changed)
        if changed == 0 { break }
        current = improved
        probabilities = (0..<mdp.stateCount).map { s in
            (0..<mdp.actionCount(in: s)).map { $0 == improved[s] ? 1.0 : 0.0 }
        }
    }
    return PolicyIterationResult(policy: current ?? [], values: values, iterations: evaluationSweeps.count,
                                 evaluationSweeps: evaluationSweeps, changes: changes)
    // END SOLUTION
}
