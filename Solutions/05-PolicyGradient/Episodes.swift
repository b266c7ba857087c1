import CourseKit
import RLKit

// Whole episodes and batches of them: what a REINFORCE update learns from.
// Plumbing, not an exercise: the exercises read `EpisodeBatch`.

/// The steps of one episode, s_0, a_0, r_0, ..., s_{T-1}, a_{T-1}, r_{T-1}:
/// r_t is the reward that followed action a_t in state s_t.
public struct Episode: Sendable, Equatable {
    /// The observations s_t, one list of features per step.
    public private(set) var observations: [[Float]] = []
    /// The actions a_t (indices of a discrete action space).
    public private(set) var actions: [Int] = []
    /// The rewards r_t.
    public private(set) var rewards: [Double] = []

    /// An empty episode (append its steps as they happen).
    public init() {}

    /// An episode from its steps (three lists of equal length).
    ///
    /// - Throws: `InvalidArgument` for lists of different lengths.
    public init(observations: [[Float]], actions: [Int], rewards: [Double]) throws {
        guard observations.count == actions.count, actions.count == rewards.count else {
            throw InvalidArgument("Episode", "rewards", "got \(observations.count) observations, \(actions.count) "
                                  + "actions and \(rewards.count) rewards, expected one of each per step")
        }
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
    }

    /// Appends one step: the observation acted on, the action, the reward that followed.
    public mutating func append(observation: [Float], action: Int, reward: Double) {
        observations.append(observation)
        actions.append(action)
        rewards.append(reward)
    }

    /// T, the number of steps.
    public var count: Int { actions.count }
}

/// A batch of finished episodes, their steps concatenated in order: the
/// rows of episode 0, then those of episode 1, and so on. One REINFORCE
/// update learns from one batch.
public struct EpisodeBatch {
    /// s_t of every step of every episode, `[steps, observationSize]`.
    public let observations: Tensor
    /// a_t of every step, in the same order.
    public let actions: [Int]
    /// The rewards, one list per episode (their lengths are the episodes' lengths).
    public let rewards: [[Double]]

    /// Concatenates `episodes`.
    ///
    /// - Throws: `InvalidArgument` for no episode, an empty episode,
    ///   observations of different sizes, a negative action or a
    ///   non-finite number.
    public init(_ episodes: [Episode]) throws {
        let function = "EpisodeBatch"
        guard !episodes.isEmpty else { throw InvalidArgument(function, "episodes", "is empty, expected at least one") }
        if let empty = episodes.firstIndex(where: { $0.count == 0 }) {
            throw InvalidArgument(function, "episodes", "episode \(empty) has no step, expected at least one")
        }
        let size = episodes[0].observations[0].count
        var features: [Float] = []
        features.reserveCapacity(episodes.reduce(0) { $0 + $1.count } * size)
        for (i, episode) in episodes.enumerated() {
            for observation in episode.observations {
                guard observation.count == size, size > 0 else {
                    let problem = "episode \(i) has an observation of \(observation.count) features, expected \(size)"
                    throw InvalidArgument(function, "episodes", problem + " (the first one's) and at least 1")
                }
                features += observation
            }
            try Validate.allFinite(episode.rewards, "episode \(i)'s rewards", in: function)
            if let bad = episode.actions.first(where: { $0 < 0 }) {
                throw InvalidArgument(function, "episodes", "episode \(i) holds action \(bad), expected indices >= 0")
            }
        }
        try Validate.allFinite(features, "observations", in: function)
        observations = Tensor(shape: [features.count / size, size], scalars: features)
        actions = episodes.flatMap(\.actions)
        rewards = episodes.map(\.rewards)
    }

    /// N, the number of episodes.
    public var episodeCount: Int { rewards.count }
    /// The total number of steps, sum_i T_i.
    public var stepCount: Int { actions.count }
    /// T_i for every episode.
    public var lengths: [Int] { rewards.map(\.count) }

    /// A list with one value per step cut into one list per episode (the
    /// layout of `rewards`), for example V(s_t) from one pass of a critic.
    ///
    /// - Throws: `InvalidArgument` when `values` has not one value per step.
    public func perEpisode(_ values: [Double]) throws -> [[Double]] {
        guard values.count == stepCount else {
            throw InvalidArgument("EpisodeBatch.perEpisode", "values", "got \(values.count), expected \(stepCount) "
                                  + "(one per step)")
        }
        var start = 0
        return lengths.map { length in
            defer { start += length }
            return Array(values[start..<(start + length)])
        }
    }
}

/// Checks a batch of per-episode lists (rewards, returns, weights): at
/// least one episode, none empty, every number finite.
///
/// - Throws: `InvalidArgument` naming `function` and `name`.
public func validateEpisodes(_ values: [[Double]], _ name: String, in function: String) throws {
    guard !values.isEmpty else { throw InvalidArgument(function, name, "is empty, expected at least one episode") }
    if let empty = values.firstIndex(where: \.isEmpty) {
        throw InvalidArgument(function, name, "episode \(empty) has no step, expected at least one")
    }
    for (i, episode) in values.enumerated() { try Validate.allFinite(episode, "\(name) of episode \(i)", in: function) }
}

/// Standardises weights over every step of a batch: (w - mean) / (std + 1e-8),
/// with the population standard deviation (one learning rate then suits
/// returns of any scale; a shift by the mean acts as a constant baseline).
public func normalizedWeights(_ weights: [[Double]]) -> [[Double]] {
    let flat = weights.flatMap { $0 }
    guard !flat.isEmpty else { return weights }
    let mean = flat.reduce(0, +) / Double(flat.count)
    let variance = flat.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(flat.count)
    let scale = 1 / (variance.squareRoot() + 1e-8)
    return weights.map { $0.map { ($0 - mean) * scale } }
}
