import CourseKit

/// Off-policy Monte Carlo estimates of one value, v_pi(s), from returns the
/// behaviour policy b produced, kept as running sums so that each episode
/// costs O(1) time and memory (Sutton & Barto, Section 5.6).
///
/// Episode i brings its return G_i from s and its importance ratio
/// W_i = rho_i (the product of pi / b over its steps from s on). After n
/// episodes:
///
///     ordinary:  V_n = (W_1 G_1 + ... + W_n G_n) / n
///     weighted:  V_n = (W_1 G_1 + ... + W_n G_n) / (W_1 + ... + W_n)
///
/// Both as incremental updates, with C_n = W_1 + ... + W_n:
///
///     ordinary:  V_n = V_{n-1} + (W_n G_n - V_{n-1}) / n
///     weighted:  V_n = V_{n-1} + (W_n / C_n) (G_n - V_{n-1})   (when C_n > 0)
///
/// Every episode counts in n, including those with W = 0 (the target policy
/// would not have produced them). The weighted estimate stays 0 until the
/// first episode with W > 0; the ordinary one is 0 before any episode.
public struct OffPolicyEstimate: Sendable, Equatable {
    /// n, the number of episodes added (with any ratio, 0 included).
    public internal(set) var episodes = 0
    /// C_n, the sum of the ratios added so far.
    public internal(set) var weightSum = 0.0
    /// The ordinary importance-sampling estimate: unbiased, but its variance
    /// grows with the ratios' (infinite in Example 5.5).
    public internal(set) var ordinary = 0.0
    /// The weighted importance-sampling estimate: biased towards the first
    /// returns (after one episode it is that return), bias shrinking as 1/n,
    /// and its variance stays bounded when the returns are.
    public internal(set) var weighted = 0.0

    /// An estimate with no episodes.
    public init() {}

    /// Adds one episode: its importance ratio W = rho and its return G.
    ///
    /// - Throws: `InvalidArgument` for a ratio that is negative or not
    ///   finite, or a return that is not finite.
    public mutating func add(ratio: Double, return episodeReturn: Double) throws {
        let function = "OffPolicyEstimate.add(ratio:return:)"
        try Validate.nonNegative(ratio, "ratio", in: function)
        try Validate.finite(episodeReturn, "return", in: function)
        // TODO(6.2): update n, C and both estimates incrementally with one episode (notes, section 2)
        throw ExerciseError.notImplemented("6.2", file: "Lessons/06-ImportanceSampling/Estimators.swift", hint: "update n, C and both estimates incrementally with one episode (notes, section 2)")
    }
}

/// The per-decision importance-sampling return of one episode from its
/// first state (Sutton & Barto, Section 5.9): each reward is weighted only
/// by the ratios of the actions up to the one that earned it,
///
///     G~ = rho_0 R_1 + gamma rho_0 rho_1 R_2 + ... + gamma^{T-1} rho_0 ... rho_{T-1} R_T
///        = sum_k gamma^k rho_{0:k} R_{k+1},      rho_k = pi(A_k | S_k) / b(A_k | S_k),
///
/// where `rewards[k]` is R_{k+1}, the reward for the action at step k. An
/// action taken after R_{k+1} cannot change it, so its ratio (mean 1 under
/// b, but random) is left out: the average of G~ over episodes from b is
/// still an unbiased estimate of v_pi, with lower variance than the
/// ordinary one (whose W G multiplies every reward by all T ratios).
/// Backwards: G~_T = 0, G~_k = rho_k (R_{k+1} + gamma G~_{k+1}), G~ = G~_0.
///
/// - Returns: G~ (0 for an empty episode).
/// - Throws: `InvalidArgument` for lists of different lengths, probabilities
///   outside [0, 1], a behaviour probability of 0, a reward that is not
///   finite, or gamma outside [0, 1].
public func perDecisionReturn(rewards: [Double], targetProbabilities: [Double], behaviourProbabilities: [Double],
                              gamma: Double) throws -> Double {
    let function = "perDecisionReturn(rewards:targetProbabilities:behaviourProbabilities:gamma:)"
    try checkDiscount(gamma, in: function)
    try checkSameLength(rewards.count, "rewards", targetProbabilities.count, "targetProbabilities", in: function)
    try checkSameLength(rewards.count, "rewards", behaviourProbabilities.count, "behaviourProbabilities", in: function)
    try Validate.allFinite(rewards, "rewards", in: function)
    try checkProbabilities(targetProbabilities, "targetProbabilities", in: function)
    try checkProbabilities(behaviourProbabilities, "behaviourProbabilities", in: function)
    try checkBehaviourCovers(behaviourProbabilities, "behaviourProbabilities", in: function)
    // TODO(6.3): the per-decision return: reward k weighted by the ratios of steps 0...k (notes, section 4)
    throw ExerciseError.notImplemented("6.3", file: "Lessons/06-ImportanceSampling/Estimators.swift", hint: "the per-decision return: reward k weighted by the ratios of steps 0...k (notes, section 4)")
}
