import CourseKit
import Environments

/// The Bellman optimality backup of one state:
///
///     (T V)(s) = max_a  sum_{s'} P(s'|s,a) * ( r(s,a,s') + gamma * V(s') )
///
/// where the sum runs over the outcome list `mdp.transitions[s][a]` and the
/// bootstrap term `gamma * V(s')` is dropped for outcomes that end the
/// episode (`terminated == true`): a terminal state is worth 0 whatever
/// `values` says about it. The maximum runs over the actions legal in `s`,
/// `0..<mdp.actionCount(in: s)`.
///
/// - Parameters:
///   - mdp: the model.
///   - values: the current estimate V, one entry per state.
///   - state: the state s to back up.
///   - gamma: the discount factor in [0, 1].
/// - Returns: the backed-up value (T V)(s).
/// - Throws: `InvalidArgument` for a bad gamma, state or value count.
public func bellmanOptimalityBackup(_ mdp: TabularMDP, values: [Double], state: Int, gamma: Double) throws -> Double {
    let function = "bellmanOptimalityBackup(_:values:state:gamma:)"
    try checkDiscount(gamma, in: function)
    try checkValues(values, of: mdp, in: function)
    try checkState(state, of: mdp, in: function)
    // TODO(2.1): the Bellman optimality backup of one state (notes, section 1)
    throw ExerciseError.notImplemented("2.1", file: "Lessons/02-ValueIteration/Bellman.swift", hint: "the Bellman optimality backup of one state (notes, section 1)")
}
