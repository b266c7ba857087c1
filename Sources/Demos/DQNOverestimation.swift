import DQN
import Environments
import RLKit
import TensorCore

/// A chain of noisy rewards: states 0...9 (one-hot), 8 actions that all
/// move one state to the right with reward ~ N(0, 1); the episode ends after
/// state 9. Every state and action is worth exactly 0, so any positive
/// estimate is overestimation: each max over noisy next-state estimates adds
/// to it, and bootstrapping carries it down the chain.
struct NoisyChain: DiscreteActionEnvironment {
    struct Observation: ObservationVector {
        static let dimension = 10
        var values = [Double](repeating: 0, count: 10)
        init() {}
        subscript(index: Int) -> Double {
            get { values[index] }
            set { values[index] = newValue }
        }
    }
    static let length = 10, actionCount = 8
    var actionSpace: DiscreteSpace { DiscreteSpace(NoisyChain.actionCount) }
    var position = 0
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    var observation: Observation { var o = Observation(); if position < NoisyChain.length { o[position] = 1 }; return o }
    mutating func reset(seed: UInt64?) -> Observation {
        if let seed { generator = SeededGenerator(seed: seed) }
        position = 0
        return observation
    }
    mutating func step(_ action: Int) throws -> Step<Observation> {
        guard (0..<NoisyChain.actionCount).contains(action) else {
            throw EnvironmentError.invalidAction(environment: "NoisyChain", action: "\(action)", expected: "0..<\(NoisyChain.actionCount)")
        }
        guard position < NoisyChain.length else { throw EnvironmentError.episodeFinished(environment: "NoisyChain") }
        position += 1
        return Step(observation: observation, reward: generator.normal(), terminated: position == NoisyChain.length, truncated: false)
    }
}

extension DQNDemo {
    /// Mean predicted Q(s, a) along greedy episodes against the discounted
    /// return that followed, for any environment with vector observations.
    static func valueGap<E: Environment>(_ network: any QNetwork, gamma: Double, episodes: Int, seed: UInt64, maxSteps: Int,
                                         make: (UInt64) throws -> E) throws -> (predicted: Double, actual: Double)
    where E.Observation: ObservationVector, E.Action == Int {
        var predictedSum = 0.0, actualSum = 0.0, count = 0.0
        for e in 0..<episodes {
            var env = try make(seed &+ UInt64(e))
            var observation = env.reset(seed: seed &+ UInt64(e))
            var predicted: [Double] = [], rewards: [Double] = []
            while rewards.count < maxSteps {
                let q = try withoutGradients { try network(Tensor(shape: [1, E.Observation.dimension], scalars: observation.floats)) }
                let action = q.argmax(alongAxis: 1)[0]
                predicted.append(Double(q.scalars[action]))
                let step = try env.step(action)
                rewards.append(step.reward)
                observation = step.observation
                if step.done { break }
            }
            var g = 0.0
            for t in rewards.indices.reversed() {
                g = rewards[t] + gamma * g
                predictedSum += predicted[t]; actualSum += g; count += 1
            }
        }
        return (predictedSum / count, actualSum / count)
    }
}
