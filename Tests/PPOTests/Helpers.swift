import CourseKit
import Environments
import Foundation
import PPO
import RLKit
import Testing

// Hand-made rollouts, networks and environments shared by the lesson 07
// suites, and plain reference computations. Nothing here calls an exercise.

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// The largest absolute difference of two equally long lists.
func maxError(_ a: [Float], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { Swift.abs(Double($0) - $1) }.max() ?? 0
}

/// `values` rounded to `digits` decimals, for messages.
func rounded(_ values: [Float], _ digits: Int = 3) -> [Double] {
    let scale = Foundation.pow(10, Double(digits))
    return values.map { (Double($0) * scale).rounded() / scale }
}

/// `values` rounded to `digits` decimals, for messages.
func rounded(_ values: [Double], _ digits: Int = 3) -> [Double] {
    let scale = Foundation.pow(10, Double(digits))
    return values.map { ($0 * scale).rounded() / scale }
}

/// A one-layer network x W + b with the given weight rows (`[inputs][outputs]`) and bias.
func linear(_ weight: [[Float]], bias: [Float]) -> MLP {
    MLP(layers: [Linear(weight: Tensor(weight), bias: Tensor(bias))], activation: .identity)
}

/// One step of N environments, written out for a hand-made rollout.
struct HandStep {
    var rewards: [Double]
    var values: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var truncationValues: [Float]

    init(rewards: [Double], values: [Float], terminated: [Bool]? = nil, truncated: [Bool]? = nil,
         truncationValues: [Float]? = nil) {
        let n = rewards.count
        self.rewards = rewards
        self.values = values
        self.terminated = terminated ?? Array(repeating: false, count: n)
        self.truncated = truncated ?? Array(repeating: false, count: n)
        self.truncationValues = truncationValues ?? Array(repeating: 0, count: n)
    }
}

/// A rollout of N environments holding `steps` (observations and actions 0,
/// log-probabilities -0.69).
func handRollout(_ steps: [HandStep]) throws -> RolloutBuffer {
    let n = steps[0].rewards.count
    var rollout = try RolloutBuffer(steps: steps.count, environments: n, observationSize: 1)
    for s in steps {
        try rollout.append(observations: Array(repeating: 0, count: n), actions: Array(repeating: 0, count: n),
                           logProbabilities: Array(repeating: -0.69, count: n), values: s.values, rewards: s.rewards,
                           terminated: s.terminated, truncated: s.truncated, truncationValues: s.truncationValues)
    }
    return rollout
}

/// GAE by the definition, in Double: for every (t, e), the sum over l >= 0
/// of (gamma lambda)^l delta_{t+l}, walking forward until the episode ends
/// or the rollout does (a double loop, no recursion).
func bruteForceGAE(_ rollout: RolloutBuffer, lastValues: [Float], gamma: Double, lambda: Double) -> [Double] {
    let (steps, n) = (rollout.count, rollout.environments)
    func delta(_ t: Int, _ e: Int) -> Double {
        let i = t * n + e
        let next: Double = rollout.truncated[i] == 1 ? Double(rollout.truncationValues[i])
            : t == steps - 1 ? Double(lastValues[e]) : Double(rollout.values[i + n])
        return Double(rollout.rewards[i]) + gamma * (1 - Double(rollout.terminated[i])) * next - Double(rollout.values[i])
    }
    var out = [Double](repeating: 0, count: steps * n)
    for t in 0..<steps {
        for e in 0..<n {
            var sum = 0.0, weight = 1.0
            for u in t..<steps {
                sum += weight * delta(u, e)
                let i = u * n + e
                if rollout.terminated[i] == 1 || rollout.truncated[i] == 1 { break }
                weight *= gamma * lambda
            }
            out[t * n + e] = sum
        }
    }
    return out
}

/// A random rollout of `n` environments and `steps` steps with episode ends.
func randomRollout(steps: Int, n: Int, using rng: inout SeededGenerator, ends: Double = 0.15) throws -> RolloutBuffer {
    var rollout = try RolloutBuffer(steps: steps, environments: n, observationSize: 1)
    for _ in 0..<steps {
        let terminated = (0..<n).map { _ in rng.nextDouble() < ends }
        let truncated = (0..<n).map { _ in rng.nextDouble() < ends }
        try rollout.append(observations: Array(repeating: 0, count: n), actions: Array(repeating: 0, count: n),
                           logProbabilities: Array(repeating: -0.69, count: n),
                           values: (0..<n).map { _ in Float(rng.uniform(-3, 3)) },
                           rewards: (0..<n).map { _ in rng.uniform(-1, 2) }, terminated: terminated, truncated: truncated,
                           truncationValues: (0..<n).map { _ in Float(rng.uniform(-3, 3)) })
    }
    return rollout
}

/// A two-dimensional observation for the small test environments.
struct Point: ObservationVector {
    static let dimension = 2
    var x = 0.0, y = 0.0
    init() {}
    init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    subscript(index: Int) -> Double {
        get { index == 0 ? x : y }
        set { if index == 0 { x = newValue } else { y = newValue } }
    }
}

/// Two states visited in turn, A = (1, 0), B = (0, 1), reward 1 on every
/// step whatever the action (two actions), for `length` steps. The episode
/// then ends by a time limit (truncated: the state goes on, the value of
/// both states is 1 / (1 - gamma)) or by termination (a real end: the value
/// depends on the steps left, below `length`).
struct Alternating: DiscreteActionEnvironment {
    static let a = Point(1, 0), b = Point(0, 1)
    let length: Int
    let terminates: Bool
    var t = 0
    var running = false
    var actionSpace: DiscreteSpace { DiscreteSpace(2) }

    mutating func reset(seed: UInt64?) -> Point { t = 0; running = true; return Alternating.a }

    mutating func step(_ action: Int) throws -> Step<Point> {
        guard running else { throw EnvironmentError.episodeFinished(environment: "Alternating") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "Alternating", action: "\(action)", expected: "0 or 1")
        }
        t += 1
        let end = t >= length
        if end { running = false }
        return Step(observation: t % 2 == 0 ? Alternating.a : Alternating.b, reward: 1, terminated: end && terminates,
                    truncated: end && !terminates)
    }
}

/// A one-step bandit: every episode starts at (1, 1) and ends (terminates)
/// after one step with reward 1 for action 0 and 0 for action 1.
struct Bandit: DiscreteActionEnvironment {
    static let start = Point(1, 1)
    var running = false
    var actionSpace: DiscreteSpace { DiscreteSpace(2) }

    mutating func reset(seed: UInt64?) -> Point { running = true; return Bandit.start }

    mutating func step(_ action: Int) throws -> Step<Point> {
        guard running else { throw EnvironmentError.episodeFinished(environment: "Bandit") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "Bandit", action: "\(action)", expected: "0 or 1")
        }
        running = false
        return Step(observation: Bandit.start, reward: action == 0 ? 1 : 0, terminated: true, truncated: false)
    }
}
