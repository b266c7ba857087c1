import CourseKit
import RLKit

/// A data set of labelled states: row i is an observation, the action the
/// expert takes there (its label) and the episode the observation came from.
/// Observations and actions are stored flat, row after row, as the network
/// reads them (`[count, observationSize]` and `[count, actionSize]`); a
/// discrete action is stored as its index.
///
/// Behaviour cloning fits a policy to these rows (notes, section 1); DAgger
/// keeps appending rows labelled on the learner's own states (section 5).
public struct Demonstrations: Sendable, Equatable {
    /// The number of numbers in an observation.
    public let observationSize: Int
    /// The number of numbers in an action (1 for a discrete action).
    public let actionSize: Int
    /// The observations, `count * observationSize` numbers, row after row.
    public private(set) var observations: [Float] = []
    /// The expert's actions, `count * actionSize` numbers, row after row.
    public private(set) var actions: [Float] = []
    /// The episode of every row: rows of one episode share an id.
    public private(set) var episodes: [Int] = []

    /// An empty data set for observations and actions of the given sizes.
    ///
    /// - Throws: `InvalidArgument` for a size below 1.
    public init(observationSize: Int, actionSize: Int) throws {
        try Validate.count(observationSize, "observationSize", in: "Demonstrations")
        try Validate.count(actionSize, "actionSize", in: "Demonstrations")
        self.observationSize = observationSize
        self.actionSize = actionSize
    }

    /// The number of rows.
    public var count: Int { episodes.count }
    /// True when there is no row.
    public var isEmpty: Bool { episodes.isEmpty }
    /// The distinct episode ids, in the order they first appear.
    public var episodeIDs: [Int] {
        var seen = Set<Int>()
        return episodes.filter { seen.insert($0).inserted }
    }

    /// Appends one row.
    ///
    /// - Throws: `InvalidArgument` for an observation or action of the wrong
    ///   length, or a non-finite number in either.
    public mutating func append(observation: [Float], action: [Float], episode: Int) throws {
        let function = "Demonstrations.append"
        guard observation.count == observationSize else {
            throw InvalidArgument(function, "observation",
                                  "has \(observation.count) numbers, expected \(observationSize)")
        }
        guard action.count == actionSize else {
            throw InvalidArgument(function, "action", "has \(action.count) numbers, expected \(actionSize)")
        }
        try Validate.allFinite(observation, "observation", in: function)
        try Validate.allFinite(action, "action", in: function)
        observations += observation
        actions += action
        episodes.append(episode)
    }

    /// Appends every row of `other` (DAgger's aggregation), renumbering its
    /// episodes after this set's largest id so that no episode id is shared.
    ///
    /// - Throws: `InvalidArgument` when the sizes differ.
    public mutating func append(contentsOf other: Demonstrations) throws {
        guard other.observationSize == observationSize, other.actionSize == actionSize else {
            throw InvalidArgument("Demonstrations.append(contentsOf:)", "other",
                                  "holds observations of \(other.observationSize) and actions of \(other.actionSize) "
                                  + "numbers, this set \(observationSize) and \(actionSize)")
        }
        let offset = (episodes.max() ?? -1) + 1 - (other.episodes.min() ?? 0)
        observations += other.observations
        actions += other.actions
        episodes += other.episodes.map { $0 + offset }
    }

    /// The observation of row `i`.
    public func observation(at i: Int) -> [Float] {
        Array(observations[(i * observationSize)..<((i + 1) * observationSize)])
    }

    /// The action of row `i`.
    public func action(at i: Int) -> [Float] { Array(actions[(i * actionSize)..<((i + 1) * actionSize)]) }

    /// The rows at `indices`, in that order, with their episode ids.
    public func rows(_ indices: [Int]) -> Demonstrations {
        var subset = self
        subset.observations = []
        subset.actions = []
        subset.episodes = []
        subset.observations.reserveCapacity(indices.count * observationSize)
        for i in indices {
            subset.observations += observations[(i * observationSize)..<((i + 1) * observationSize)]
            subset.actions += actions[(i * actionSize)..<((i + 1) * actionSize)]
            subset.episodes.append(episodes[i])
        }
        return subset
    }

    /// The observations of the rows at `indices` (all rows when nil),
    /// `[rows, observationSize]`.
    public func observationTensor(_ indices: [Int]? = nil) -> Tensor {
        let subset = indices.map(rows) ?? self
        return Tensor(shape: [subset.count, observationSize], scalars: subset.observations)
    }

    /// The actions of the rows at `indices` (all rows when nil), `[rows, actionSize]`.
    public func actionTensor(_ indices: [Int]? = nil) -> Tensor {
        let subset = indices.map(rows) ?? self
        return Tensor(shape: [subset.count, actionSize], scalars: subset.actions)
    }

    /// Splits the rows into a training set and a validation set by whole
    /// episodes: k = round(validationFraction * E) of the E episodes (at
    /// least 1, at most E - 1), chosen uniformly at random with `generator`,
    /// go to validation with all their rows; every other episode goes to
    /// training. Rows keep their order within each set.
    ///
    /// Consecutive states of an episode are nearly identical, so a split by
    /// rows would put near-copies of every validation state in the training
    /// set and the validation loss would say nothing about new states
    /// (notes, section 3, Validation).
    ///
    /// - Throws: `InvalidArgument` for a fraction outside (0, 1) or fewer
    ///   than 2 episodes.
    public func splitByEpisode(validationFraction: Double, using generator: inout SeededGenerator) throws
        -> (training: Demonstrations, validation: Demonstrations) {
        let function = "Demonstrations.splitByEpisode"
        guard validationFraction > 0, validationFraction < 1 else {
            throw InvalidArgument(function, "validationFraction",
                                  "got \(validationFraction), expected a number in (0, 1)")
        }
        guard episodeIDs.count >= 2 else {
            throw InvalidArgument(function, "demonstrations",
                                  "hold \(episodeIDs.count) episode(s), expected at least 2 "
                                  + "(one to train on and one to hold out)")
        }
        // BEGIN SOLUTION 9.4: hold out round(fraction * E) whole episodes, chosen at random (notes, section 3)
        let ids = episodeIDs
        let held = Swift.min(Swift.max(Int((validationFraction * Double(ids.count)).rounded()), 1), ids.count - 1)
        let order = try generator.permutation(of: ids.count)
        let validationIDs = Set(order.prefix(held).map { ids[$0] })
        var training: [Int] = [], validation: [Int] = []
        for i in 0..<count {
            if validationIDs.contains(episodes[i]) { validation.append(i) } else { training.append(i) }
        }
        return (rows(training), rows(validation))
        // END SOLUTION
    }
}
