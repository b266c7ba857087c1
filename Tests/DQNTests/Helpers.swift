import CourseKit
import DQN
import Environments
import Foundation
import RLKit
import Testing

// Hand-made networks, batches and environments shared by the lesson 04
// suites, and plain reference computations. Nothing here calls an exercise.

/// A one-layer Q-network Q(s, .) = s W + b with the given weight rows
/// (`[observations][actions]`) and bias.
func linearQ(_ weight: [[Float]], bias: [Float]) -> MLP {
    MLP(layers: [Linear(weight: Tensor(weight), bias: Tensor(bias))], activation: .identity)
}

/// A minibatch written out row by row.
func handBatch(observations: [[Float]], actions: [Int], rewards: [Float], nextObservations: [[Float]],
               terminated: [Bool], truncated: [Bool], discounts: [Float]) -> ReplayBatch {
    ReplayBatch(indices: Array(0..<actions.count), observations: Tensor(observations),
                actions: Tensor(shape: [actions.count, 1], scalars: actions.map(Float.init)),
                rewards: Tensor(rewards), nextObservations: Tensor(nextObservations),
                terminated: Tensor(terminated.map { $0 ? 1 : 0 }), truncated: Tensor(truncated.map { $0 ? 1 : 0 }),
                discounts: Tensor(discounts))
}

/// Q(s, .) of a plain network as rows of Doubles (test-side arithmetic).
func rows(_ q: Tensor) -> [[Double]] { q.arrayRows.map { $0.map(Double.init) } }

/// The largest absolute difference of two equally long lists.
func maxError(_ a: [Float], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { Swift.abs(Double($0) - $1) }.max() ?? 0
}

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// A priority tree by plain array scans: the reference for `SumTree` and
/// the tree the 4.6 tests use, so that 4.6 does not depend on 4.5.
struct ReferenceTree: PriorityTree {
    var values: [Double]
    init(capacity: Int) { values = [Double](repeating: 0, count: capacity) }
    var capacity: Int { values.count }
    var total: Double { values.reduce(0, +) }
    func priority(at index: Int) -> Double { values[index] }
    mutating func update(_ index: Int, priority: Double) throws { values[index] = priority }
    /// The smallest i with p_0 + ... + p_i > u, skipping zero priorities;
    /// u == total gives the last positive slot.
    func find(prefixSum u: Double) throws -> Int {
        var running = 0.0
        var last = 0
        for (i, p) in values.enumerated() where p > 0 {
            running += p
            last = i
            if u < running { return i }
        }
        return last
    }
}

/// A one-step task for the agent: every episode starts at s = (1, 0.5),
/// has two actions with rewards 1 and 0, and ends after one step at
/// s' = (10, -10). It ends by truncation (a time limit: targets must
/// bootstrap from s') or by termination (targets must not).
struct OneStepTask: DiscreteActionEnvironment {
    struct Observation: ObservationVector {
        static let dimension = 2
        var x = 0.0, y = 0.0
        init() {}
        init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
        subscript(index: Int) -> Double {
            get { index == 0 ? x : y }
            set { if index == 0 { x = newValue } else { y = newValue } }
        }
    }
    static let start = Observation(1, 0.5), end = Observation(10, -10)
    static let rewards = [1.0, 0.0]
    let terminates: Bool
    var running = false
    var actionSpace: DiscreteSpace { DiscreteSpace(2) }

    mutating func reset(seed: UInt64?) -> Observation { running = true; return OneStepTask.start }

    mutating func step(_ action: Int) throws -> Step<Observation> {
        guard running else { throw EnvironmentError.episodeFinished(environment: "OneStepTask") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "OneStepTask", action: "\(action)", expected: "0 or 1")
        }
        running = false
        return Step(observation: OneStepTask.end, reward: OneStepTask.rewards[action], terminated: terminates, truncated: !terminates)
    }
}
