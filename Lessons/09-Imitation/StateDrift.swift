import CourseKit
import RLKit

/// How far a learner's states are from the expert's: the mean, over the
/// learner's states x_j, of the distance to the nearest expert state e_i,
/// measured in the expert's standardised units,
///
///     drift = (1/M) sum_j min_i sqrt( sum_k ((x_jk - e_ik) / sigma_k)^2 ),
///
/// where sigma_k is the (population) standard deviation of feature k over
/// the expert's states (1 for a feature the expert never varies). 0 when
/// every learner state is one the expert visited; it grows as the learner
/// wanders where the demonstrations say nothing (notes, section 4).
///
/// - Parameters:
///   - states: the learner's states, `[M, D]`.
///   - expertStates: the expert's states, `[N, D]`.
/// - Returns: the drift, in standard deviations of the expert's states.
/// - Throws: `InvalidArgument` for an empty set, sets of different widths,
///   or a non-finite number.
public func stateDrift(from states: Tensor, to expertStates: Tensor) throws -> Double {
    let function = "stateDrift(from:to:)"
    try checkBatch(states, "states", in: function)
    try checkBatch(expertStates, "expertStates", in: function)
    guard states.shape[1] == expertStates.shape[1] else {
        throw InvalidArgument(function, "expertStates",
                              "have \(expertStates.shape[1]) features, states \(states.shape[1])")
    }
    try Validate.allFinite(states.scalars, "states", in: function)
    try Validate.allFinite(expertStates.scalars, "expertStates", in: function)
    // TODO(9.6): the mean distance to the nearest expert state, in the expert's standard deviations (s. 4)
    throw ExerciseError.notImplemented("9.6", file: "Lessons/09-Imitation/StateDrift.swift", hint: "the mean distance to the nearest expert state, in the expert's standard deviations (s. 4)")
}
