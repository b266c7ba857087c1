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
    // TODO(2.4): the greedy policy of V through a one-step lookahead (notes, section 3)
    throw ExerciseError.notImplemented("2.4", file: "Lessons/02-ValueIteration/PolicyIteration.swift", hint: "the greedy policy of V through a one-step lookahead (notes, section 3)")
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
    // TODO(2.5): policy iteration: evaluate, improve, stop when stable (notes, section 4)
    throw ExerciseError.notImplemented("2.5", file: "Lessons/02-ValueIteration/PolicyIteration.swift", hint: "policy iteration: evaluate, improve, stop when stable (notes, section 4)")
}
