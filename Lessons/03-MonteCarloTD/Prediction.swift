import CourseKit
import Environments

/// Monte Carlo prediction by sample averages.
///
/// For every episode compute the returns G_t = R_{t+1} + gamma R_{t+2} + ...
/// + gamma^{T-t-1} R_T (from the rewards alone: Monte Carlo never
/// bootstraps) and average them per state:
///
/// - first-visit: only the return after the *first* time step at which the
///   state appears in an episode counts;
/// - every-visit: the return after *every* occurrence counts.
///
///     V(s) = (sum of the counted returns from s) / (number of counted returns)
///
/// States that never count keep the value 0.
///
/// - Returns: one value per state, `stateCount` entries.
/// - Throws: `InvalidArgument` for a bad gamma, state count or episode.
public func monteCarloPrediction(_ episodes: [Episode], stateCount: Int, gamma: Double,
                                 firstVisit: Bool) throws -> [Double] {
    let function = "monteCarloPrediction(_:stateCount:gamma:firstVisit:)"
    try checkDiscount(gamma, in: function)
    guard stateCount >= 1 else {
        throw InvalidArgument(function, "stateCount", "got \(stateCount), expected at least 1")
    }
    for episode in episodes { try checkEpisode(episode, stateCount: stateCount, in: function) }
    // TODO(3.1): Monte Carlo prediction: average the returns after first or every visits (notes, section 2)
    throw ExerciseError.notImplemented("3.1", file: "Lessons/03-MonteCarloTD/Prediction.swift", hint: "Monte Carlo prediction: average the returns after first or every visits (notes, section 2)")
}

/// Constant-alpha (every-visit) Monte Carlo: after the episode, for
/// t = 0, 1, ..., T-1 in this order,
///
///     V(S_t) <- V(S_t) + alpha * (G_t - V(S_t)),
///
/// with G_t the discounted return from t computed from the rewards only.
/// This is n-step TD with n >= T: the target is the full return.
///
/// - Throws: `InvalidArgument` for a bad alpha, gamma or episode.
public func constantAlphaMonteCarlo(values: inout [Double], episode: Episode, alpha: Double, gamma: Double) throws {
    let function = "constantAlphaMonteCarlo(values:episode:alpha:gamma:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpisode(episode, stateCount: values.count, in: function)
    // TODO(3.1): constant-alpha MC: move each visited state towards its return (notes, section 2)
    throw ExerciseError.notImplemented("3.1", file: "Lessons/03-MonteCarloTD/Prediction.swift", hint: "constant-alpha MC: move each visited state towards its return (notes, section 2)")
}

/// TD(0) prediction over one episode, online: for t = 0, 1, ..., T-1,
///
///     V(S_t) <- V(S_t) + alpha * (R_{t+1} + gamma * V(S_{t+1}) - V(S_t)),
///
/// where each update already sees the earlier ones, and V(S_T) counts as 0
/// when the episode terminated (a terminal state has no future). When it was
/// truncated, S_T is an ordinary state and its estimate is used.
///
/// - Throws: `InvalidArgument` for a bad alpha, gamma or episode.
public func tdZero(values: inout [Double], episode: Episode, alpha: Double, gamma: Double) throws {
    let function = "tdZero(values:episode:alpha:gamma:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpisode(episode, stateCount: values.count, in: function)
    // TODO(3.2): TD(0): move V(s) towards r + gamma V(s') after every step (notes, section 3)
    throw ExerciseError.notImplemented("3.2", file: "Lessons/03-MonteCarloTD/Prediction.swift", hint: "TD(0): move V(s) towards r + gamma V(s') after every step (notes, section 3)")
}

/// n-step TD prediction over one episode (Sutton & Barto, Section 7.1).
///
/// For tau = 0, 1, ..., T-1 in this order (the update of tau happens at time
/// tau + n of the online algorithm, so it sees the updates of earlier taus):
///
///     G = sum_{i = tau+1}^{min(tau+n, T)} gamma^{i-tau-1} R_i
///     if tau + n < T:                      G += gamma^n V(S_{tau+n})
///     if tau + n >= T and not terminated:  G += gamma^{T-tau} V(S_T)   (truncated)
///     V(S_tau) <- V(S_tau) + alpha (G - V(S_tau))
///
/// n = 1 is TD(0); n >= T is constant-alpha Monte Carlo.
///
/// - Throws: `InvalidArgument` for a bad n, alpha, gamma or episode.
public func nStepTD(values: inout [Double], episode: Episode, n: Int, alpha: Double, gamma: Double) throws {
    let function = "nStepTD(values:episode:n:alpha:gamma:)"
    guard n >= 1 else { throw InvalidArgument(function, "n", "got \(n), expected at least 1 step") }
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpisode(episode, stateCount: values.count, in: function)
    // TODO(3.3): n-step TD: n rewards, then bootstrap (notes, section 4)
    throw ExerciseError.notImplemented("3.3", file: "Lessons/03-MonteCarloTD/Prediction.swift", hint: "n-step TD: n rewards, then bootstrap (notes, section 4)")
}
