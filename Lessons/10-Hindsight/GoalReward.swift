import CourseKit
import RLKit

/// The reward and the end of a goal-conditioned task written as functions of
/// two goals: the goal the new state achieves and the goal of the episode,
///
///     r = r(g_achieved, g),   terminated = reached(g_achieved, g).
///
/// Hindsight relabelling needs exactly this: it changes g after the fact and
/// recomputes both from the goal the state actually achieved. It is only valid
/// for tasks whose reward is such a function (notes, section 6).
public protocol GoalReward: Sendable {
    /// The reward of a step whose new state achieves `achieved` when the goal is `desired`.
    func reward(achieved: [Float], desired: [Float]) throws -> Double
    /// True when a state that achieves `achieved` has reached `desired` (a terminal state).
    func isReached(achieved: [Float], desired: [Float]) throws -> Bool
}

/// The sparse reward of the HER paper: a goal counts as reached when the
/// achieved goal lies within `tolerance` of it in Euclidean distance,
///
///     reached = ||g_achieved - g||_2 <= tolerance
///     r       = 0 if reached, else -1
///
/// so every step that misses the goal costs 1 and the step that reaches it
/// costs nothing (and ends the episode). Bit flipping uses tolerance 0: the
/// bits must be equal. The distance must be right for any finite goals: a
/// difference of 1e-30 is not 0 (its square underflows in `Float`), and one of
/// 1e20 is not infinite (its square overflows).
public struct SparseGoalReward: GoalReward {
    /// The largest distance that still counts as reaching the goal (>= 0).
    public let tolerance: Float

    /// Creates the reward.
    ///
    /// - Throws: `InvalidArgument` for a negative or non-finite tolerance.
    public init(tolerance: Float = 0) throws {
        try Validate.nonNegative(tolerance, "tolerance", in: "SparseGoalReward")
        self.tolerance = tolerance
    }

    /// True when `||achieved - desired||_2 <= tolerance`.
    ///
    /// - Throws: `InvalidArgument` for goals of different or zero length, or
    ///   a value that is not finite.
    public func isReached(achieved: [Float], desired: [Float]) throws -> Bool {
        try checkGoals(achieved, desired, in: "SparseGoalReward.isReached(achieved:desired:)")
        // TODO(10.1): reached when the Euclidean distance of the goals is <= tolerance (notes, section 2)
        throw ExerciseError.notImplemented("10.1", file: "Lessons/10-Hindsight/GoalReward.swift", hint: "reached when the Euclidean distance of the goals is <= tolerance (notes, section 2)")
    }

    /// 0 when the goal is reached (`isReached`), -1 otherwise.
    ///
    /// - Throws: `InvalidArgument` as `isReached` does.
    public func reward(achieved: [Float], desired: [Float]) throws -> Double {
        try checkGoals(achieved, desired, in: "SparseGoalReward.reward(achieved:desired:)")
        // TODO(10.1): the sparse reward: 0 when the goal is reached, -1 for every miss (notes, section 2)
        throw ExerciseError.notImplemented("10.1", file: "Lessons/10-Hindsight/GoalReward.swift", hint: "the sparse reward: 0 when the goal is reached, -1 for every miss (notes, section 2)")
    }
}

/// Checks that two goals can be compared: the same positive length, finite values.
///
/// - Throws: `InvalidArgument` naming `function`.
public func checkGoals(_ achieved: [Float], _ desired: [Float], in function: String) throws {
    guard !achieved.isEmpty, achieved.count == desired.count else {
        let problem = "got lengths \(achieved.count) and \(desired.count), expected two goals of the same length >= 1"
        throw InvalidArgument(function, "goals", problem)
    }
    try Validate.allFinite(achieved, "achieved", in: function)
    try Validate.allFinite(desired, "desired", in: function)
}
