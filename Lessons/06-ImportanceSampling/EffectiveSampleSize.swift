import CourseKit
import Foundation

/// Kish's effective sample size of n importance weights, given as their
/// logarithms l_i = log w_i (as `trajectoryLogRatio` returns them):
///
///     ESS = (w_1 + ... + w_n)^2 / (w_1^2 + ... + w_n^2)
///
/// It lies between 1 (one weight carries everything) and n (all weights
/// equal), and it does not change when every weight is multiplied by the
/// same constant. Use that: with m = max_i l_i, compute it from
/// w_i = exp(l_i - m) <= 1, so that log-weights such as 800 or -800 (whose
/// exponentials overflow to infinity or underflow to 0 in `Double`) still
/// give the right answer. A log-weight of -infinity is a weight of 0; when
/// every weight is 0 the result is 0.
///
/// - Returns: the effective sample size, in [1, n] (0 if all weights are 0).
/// - Throws: `InvalidArgument` for an empty list or a log-weight that is
///   NaN or +infinity.
public func effectiveSampleSize(logWeights: [Double]) throws -> Double {
    let function = "effectiveSampleSize(logWeights:)"
    guard !logWeights.isEmpty else {
        throw InvalidArgument(function, "logWeights", "is empty, expected at least one weight")
    }
    if let i = logWeights.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
        throw InvalidArgument(function, "logWeights",
                              "entry \(i) is \(logWeights[i]), expected a finite number or -infinity")
    }
    // TODO(6.4): Kish's (sum w)^2 / sum w^2 from log-weights, shifted by their max (notes, section 5)
    throw ExerciseError.notImplemented("6.4", file: "Lessons/06-ImportanceSampling/EffectiveSampleSize.swift", hint: "Kish's (sum w)^2 / sum w^2 from log-weights, shifted by their max (notes, section 5)")
}
