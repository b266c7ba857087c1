import Environments

/// Experience replay storage: a ring buffer of transitions with uniform
/// minibatches (Lin, 1992; the replay memory of DQN).
///
/// Each transition keeps Gymnasium's two end flags and a bootstrap discount:
///
///     (s, a, r, s', terminated, truncated, discount)
///
/// `terminated` means s' is terminal (its value is 0: targets must not
/// bootstrap); `truncated` means a time limit ended the episode (s' is an
/// ordinary state: targets still bootstrap from it). `discount` is the factor
/// the bootstrap term gets: gamma for a one-step transition, gamma^k for a
/// transition that folds k rewards together (n-step returns).
///
/// Once `capacity` transitions are stored, each new one overwrites the
/// oldest. Storage is flat `Float` arrays allocated once, so adding a
/// transition allocates nothing.
///
///     var replay = try ReplayBuffer(capacity: 10_000, observationSize: 4)
///     try replay.add(observation: s, action: a, reward: r, nextObservation: next,
///                    terminated: step.terminated, truncated: step.truncated, discount: 0.99)
///     let batch = try replay.sample(batchSize: 128, using: &rng)
public struct ReplayBuffer: Sendable {
    /// The most transitions it holds.
    public let capacity: Int
    /// The length of one observation.
    public let observationSize: Int
    /// The length of one action (1 for a discrete action index).
    public let actionSize: Int
    /// How many transitions it holds now (at most `capacity`).
    public private(set) var count = 0
    /// Where the next transition goes.
    public private(set) var nextIndex = 0
    /// How many transitions were ever added.
    public private(set) var totalAdded = 0

    var observations: [Float]
    var nextObservations: [Float]
    var actions: [Float]
    var rewards: [Float]
    var terminatedFlags: [Float]
    var truncatedFlags: [Float]
    var discounts: [Float]

    /// Creates an empty buffer.
    ///
    /// - Throws: `InvalidArgument` for a capacity, observation size or action
    ///   size below 1, or a capacity times a size that overflows `Int`.
    public init(capacity: Int, observationSize: Int, actionSize: Int = 1) throws {
        try Validate.count(capacity, "capacity", in: "ReplayBuffer")
        try Validate.count(observationSize, "observationSize", in: "ReplayBuffer")
        try Validate.count(actionSize, "actionSize", in: "ReplayBuffer")
        _ = try Validate.product([("capacity", capacity), ("observationSize", observationSize)], in: "ReplayBuffer")
        _ = try Validate.product([("capacity", capacity), ("actionSize", actionSize)], in: "ReplayBuffer")
        self.capacity = capacity
        self.observationSize = observationSize
        self.actionSize = actionSize
        observations = [Float](repeating: 0, count: capacity * observationSize)
        nextObservations = observations
        actions = [Float](repeating: 0, count: capacity * actionSize)
        rewards = [Float](repeating: 0, count: capacity)
        terminatedFlags = rewards
        truncatedFlags = rewards
        discounts = rewards
    }

    /// True when it holds no transition.
    public var isEmpty: Bool { count == 0 }

    /// Stores one transition with a vector action, overwriting the oldest when full.
    ///
    /// - Throws: `InvalidArgument` for an observation or action of the wrong
    ///   length, a non-finite number anywhere, or a discount outside [0, 1].
    public mutating func add(observation: [Float], action: [Float], reward: Double, nextObservation: [Float],
                             terminated: Bool, truncated: Bool, discount: Float) throws {
        let function = "ReplayBuffer.add"
        guard observation.count == observationSize, nextObservation.count == observationSize else {
            throw InvalidArgument(function, "observation", "got lengths \(observation.count) and \(nextObservation.count), expected \(observationSize)")
        }
        guard action.count == actionSize else {
            throw InvalidArgument(function, "action", "got \(action.count) values, expected \(actionSize)")
        }
        try Validate.allFinite(observation, "observation", in: function)
        try Validate.allFinite(nextObservation, "nextObservation", in: function)
        try Validate.allFinite(action, "action", in: function)
        try Validate.finite(reward, "reward", in: function)
        try Validate.inClosedRange(discount, 0, 1, "discount", in: function)
        let i = nextIndex
        for k in 0..<observationSize {
            observations[i * observationSize + k] = observation[k]
            nextObservations[i * observationSize + k] = nextObservation[k]
        }
        for k in 0..<actionSize { actions[i * actionSize + k] = action[k] }
        rewards[i] = Float(reward)
        terminatedFlags[i] = terminated ? 1 : 0
        truncatedFlags[i] = truncated ? 1 : 0
        discounts[i] = discount
        nextIndex = (nextIndex + 1) % capacity
        count = Swift.min(count + 1, capacity)
        totalAdded += 1
    }

    /// Stores one transition with a discrete action index.
    public mutating func add(observation: [Float], action: Int, reward: Double, nextObservation: [Float],
                             terminated: Bool, truncated: Bool, discount: Float) throws {
        guard actionSize == 1 else {
            throw InvalidArgument("ReplayBuffer.add", "action", "got one action index, the buffer stores actions of \(actionSize) values")
        }
        guard action >= 0 else { throw InvalidArgument("ReplayBuffer.add", "action", "got \(action), expected an index >= 0") }
        try add(observation: observation, action: [Float(action)], reward: reward, nextObservation: nextObservation,
                terminated: terminated, truncated: truncated, discount: discount)
    }

    /// `batchSize` transitions drawn uniformly with replacement.
    ///
    /// - Throws: `InvalidArgument` when `batchSize` is below 1 or larger than
    ///   what the buffer holds (wait until it holds enough: `learningStarts`).
    /// - Complexity: O(batchSize x (observationSize + actionSize)).
    public func sample(batchSize: Int, using generator: inout SeededGenerator) throws -> ReplayBatch {
        try Validate.count(batchSize, "batchSize", in: "ReplayBuffer.sample")
        guard batchSize <= count else {
            throw InvalidArgument("ReplayBuffer.sample", "batchSize",
                                  "asked for \(batchSize) transitions but the buffer holds \(count); start sampling once it holds at least a batch")
        }
        let indices = (0..<batchSize).map { _ in generator.nextInt(below: count) }
        return try batch(at: indices)
    }

    /// The transitions at `indices` (each in `0..<count`), in that order.
    ///
    /// - Throws: `InvalidArgument` for an index outside `0..<count`.
    public func batch(at indices: [Int]) throws -> ReplayBatch {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw InvalidArgument("ReplayBuffer.batch", "indices", "index \(bad) is outside 0..<\(count)")
        }
        let b = indices.count, o = observationSize, a = actionSize
        var obs = [Float](repeating: 0, count: b * o), next = obs
        var act = [Float](repeating: 0, count: b * a)
        var rew = [Float](repeating: 0, count: b), term = rew, trunc = rew, disc = rew
        for (row, i) in indices.enumerated() {
            for k in 0..<o {
                obs[row * o + k] = observations[i * o + k]
                next[row * o + k] = nextObservations[i * o + k]
            }
            for k in 0..<a { act[row * a + k] = actions[i * a + k] }
            rew[row] = rewards[i]
            term[row] = terminatedFlags[i]
            trunc[row] = truncatedFlags[i]
            disc[row] = discounts[i]
        }
        return ReplayBatch(indices: indices,
                           observations: Tensor(shape: [b, o], scalars: obs),
                           actions: Tensor(shape: [b, a], scalars: act),
                           rewards: Tensor(shape: [b], scalars: rew),
                           nextObservations: Tensor(shape: [b, o], scalars: next),
                           terminated: Tensor(shape: [b], scalars: term),
                           truncated: Tensor(shape: [b], scalars: trunc),
                           discounts: Tensor(shape: [b], scalars: disc))
    }
}

/// A minibatch of transitions as tensors (constants: no gradient).
public struct ReplayBatch {
    /// Where each row came from in the buffer (prioritised replay writes
    /// priorities back to these).
    public var indices: [Int]
    /// s, `[batch, observationSize]`.
    public var observations: Tensor
    /// a, `[batch, actionSize]`; see `actionIndices` for discrete actions.
    public var actions: Tensor
    /// r, `[batch]`.
    public var rewards: Tensor
    /// s', `[batch, observationSize]`.
    public var nextObservations: Tensor
    /// 1 where s' is terminal, else 0, `[batch]`.
    public var terminated: Tensor
    /// 1 where a time limit ended the episode at s', else 0, `[batch]`.
    public var truncated: Tensor
    /// The bootstrap discount of each transition (gamma, or gamma^k), `[batch]`.
    public var discounts: Tensor

    /// Creates a batch from its columns (tests build small ones by hand).
    ///
    /// - Precondition: every column has `indices.count` rows (a trap with a
    ///   message otherwise).
    public init(indices: [Int], observations: Tensor, actions: Tensor, rewards: Tensor, nextObservations: Tensor,
                terminated: Tensor, truncated: Tensor, discounts: Tensor) {
        let b = indices.count
        for (name, tensor) in [("observations", observations), ("actions", actions), ("nextObservations", nextObservations)] {
            check(tensor.rank == 2 && tensor.shape[0] == b, "ReplayBatch: \(name) has shape \(tensor.shape), expected [\(b), features]")
        }
        for (name, tensor) in [("rewards", rewards), ("terminated", terminated), ("truncated", truncated), ("discounts", discounts)] {
            check(tensor.shape == [b], "ReplayBatch: \(name) has shape \(tensor.shape), expected [\(b)]")
        }
        self.indices = indices
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.nextObservations = nextObservations
        self.terminated = terminated
        self.truncated = truncated
        self.discounts = discounts
    }

    /// The number of transitions.
    public var count: Int { indices.count }

    /// The discrete action of every row (the single action value as an index).
    public var actionIndices: [Int] { actions.scalars.map { Int($0) } }
}
