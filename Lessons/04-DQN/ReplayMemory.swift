import CourseKit
import RLKit

/// The replay memory of a DQN run: uniform (`ReplayBuffer`) or prioritised
/// (exercises 4.5 and 4.6), behind one interface for the agent's loop.
public enum DQNMemory {
    case uniform(ReplayBuffer)
    case prioritized(PrioritizedReplay<SumTree>)

    /// Creates the memory `config` asks for.
    public init(_ config: DQNConfig, observationSize: Int) throws {
        if config.prioritized {
            self = .prioritized(try PrioritizedReplay(capacity: config.bufferSize, observationSize: observationSize,
                                                      alpha: config.priorityAlpha, epsilon: config.priorityEpsilon,
                                                      tree: SumTree(capacity: config.bufferSize)))
        } else {
            self = .uniform(try ReplayBuffer(capacity: config.bufferSize, observationSize: observationSize))
        }
    }

    /// How many transitions are stored.
    public var count: Int {
        switch self {
        case .uniform(let buffer): return buffer.count
        case .prioritized(let replay): return replay.buffer.count
        }
    }

    /// Stores a transition.
    public mutating func add(_ transition: Transition) throws {
        switch self {
        case .uniform(var buffer):
            try buffer.add(transition)
            self = .uniform(buffer)
        case .prioritized(var replay):
            try replay.add(transition)
            self = .prioritized(replay)
        }
    }

    /// A minibatch and its importance weights (nil for uniform sampling).
    public func sample(batchSize: Int, beta: Double,
                       using generator: inout SeededGenerator) throws -> (batch: ReplayBatch, weights: Tensor?) {
        switch self {
        case .uniform(let buffer): return (try buffer.sample(batchSize: batchSize, using: &generator), nil)
        case .prioritized(let replay):
            let (batch, weights) = try replay.sample(batchSize: batchSize, beta: beta, using: &generator)
            return (batch, weights)
        }
    }

    /// Writes back new priorities (nothing for uniform sampling).
    public mutating func updatePriorities(indices: [Int], tdErrors: [Float]) throws {
        guard case .prioritized(var replay) = self else { return }
        try replay.updatePriorities(indices: indices, tdErrors: tdErrors)
        self = .prioritized(replay)
    }
}
