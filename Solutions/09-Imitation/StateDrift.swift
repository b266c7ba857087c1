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
    // BEGIN SOLUTION 9.6: the mean distance to the nearest expert state, in the expert's standard deviations (s. 4)
    let (m, n, d) = (states.shape[0], expertStates.shape[0], states.shape[1])
    let x = states.scalars.map(Double.init), e = expertStates.scalars.map(Double.init)
    var scale = [Double](repeating: 1, count: d)
    for k in 0..<d {
        var mean = 0.0, variance = 0.0
        for i in 0..<n { mean += e[i * d + k] / Double(n) }
        for i in 0..<n { variance += (e[i * d + k] - mean) * (e[i * d + k] - mean) / Double(n) }
        if variance > 0 { scale[k] = variance.squareRoot() }
    }
    var total = 0.0
    for j in 0..<m {
        var nearest = Double.infinity
        for i in 0..<n {
            var squared = 0.0
            for k in 0..<d {
                let z = (x[j * d + k] - e[i * d + k]) / scale[k]
                squared += z * z
            }
            nearest = Swift.min(nearest, squared)
        }
        total += nearest.squareRoot()
    }
    return total / Double(m)
    // END SOLUTION
}
