import CourseKit
import Foundation

/// The logarithm of an episode's importance-sampling ratio:
///
///     log rho = log prod_t pi(A_t | S_t) / b(A_t | S_t)
///             = sum_t [ log pi(A_t | S_t) - log b(A_t | S_t) ]
///
/// where `targetProbabilities[t]` is pi(A_t | S_t), the probability that the
/// target policy takes the action the behaviour policy actually took at
/// step t, and `behaviourProbabilities[t]` is b(A_t | S_t). The transition
/// probabilities p(S_{t+1} | S_t, A_t) appear in both trajectory
/// probabilities and cancel, so only the policies matter.
///
/// Summing logarithms keeps long episodes representable: 2,000 steps of
/// ratio 0.5 give rho = 2^-2000, which is 0 in `Double`, while its
/// logarithm, -2000 log 2 = -1386.29..., is an ordinary number. A target
/// probability of 0 gives -infinity (rho = 0: the target policy would never
/// produce this episode). An empty episode has log rho = 0.
///
/// - Returns: log rho (-infinity when some pi(A_t | S_t) = 0).
/// - Throws: `InvalidArgument` for lists of different lengths, an entry that
///   is not a probability, or a behaviour probability of 0 (the behaviour
///   policy cannot have taken that action; the ratio is undefined).
public func trajectoryLogRatio(targetProbabilities: [Double], behaviourProbabilities: [Double]) throws -> Double {
    let function = "trajectoryLogRatio(targetProbabilities:behaviourProbabilities:)"
    try checkSameLength(targetProbabilities.count, "targetProbabilities", behaviourProbabilities.count,
                        "behaviourProbabilities", in: function)
    try checkProbabilities(targetProbabilities, "targetProbabilities", in: function)
    try checkProbabilities(behaviourProbabilities, "behaviourProbabilities", in: function)
    try checkBehaviourCovers(behaviourProbabilities, "behaviourProbabilities", in: function)
    // TODO(6.1): the log of the episode's ratio, a sum of log pi - log b (notes, section 3)
    throw ExerciseError.notImplemented("6.1", file: "Lessons/06-ImportanceSampling/Ratios.swift", hint: "the log of the episode's ratio, a sum of log pi - log b (notes, section 3)")
}
