import CourseKit

/// The discounted return of a reward sequence.
///
/// For rewards r_0, r_1, ..., r_{T-1} observed from time 0,
/// ```math
/// G_0 = \sum_{k=0}^{T-1} \gamma^k r_k = r_0 + \gamma (r_1 + \gamma (r_2 + \dots))
/// ```
/// The nested form on the right gives a backward loop that needs no powers.
///
/// - Parameters:
///   - rewards: the rewards in the order they were received.
///   - gamma: the discount factor, in [0, 1].
/// - Returns: G_0; 0 for an empty list.
/// - Throws: `InvalidArgument` when gamma is outside [0, 1].
/// - Complexity: O(n).
public func discountedReturn(_ rewards: [Double], gamma: Double) throws -> Double {
    try checkDiscount(gamma, in: "discountedReturn")
    // TODO(1.1): the discounted return of the rewards (notes, section 2, Returns)
    throw ExerciseError.notImplemented("1.1", file: "Lessons/01-MDPs/Returns.swift", hint: "the discounted return of the rewards (notes, section 2, Returns)")
}

/// The return from every time step of one episode: `G_t` for each t.
///
/// ```math
/// G_t = r_t + \gamma G_{t+1}, \qquad G_T = 0
/// ```
/// This is a helper for the demos and later lessons (reward-to-go in
/// Lesson 05); it is not graded.
public func returnsToGo(_ rewards: [Double], gamma: Double) throws -> [Double] {
    try checkDiscount(gamma, in: "returnsToGo")
    var result = Array(repeating: 0.0, count: rewards.count)
    var g = 0.0
    for t in stride(from: rewards.count - 1, through: 0, by: -1) {
        g = rewards[t] + gamma * g
        result[t] = g
    }
    return result
}
