import Environments
import Foundation
import RLKit
import SAC
import Testing

// Hand-made networks, policies, batches and tasks shared by the lesson 08
// suites, and float64 reference computations. Nothing here calls an exercise.

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// `x` with `digits` digits after the point, for messages.
func rounded(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

/// `values` rounded for messages.
func rounded(_ values: [Double], _ digits: Int = 3) -> String { "[" + values.map { rounded($0, digits) }.joined(separator: ", ") + "]" }

/// A linear soft Q-network Q(s, a) = [s, a] . weights + bias.
func linearCritic(_ weights: [Float], bias: Float, observationSize: Int) -> SoftQNetwork {
    let layer = Linear(weight: Tensor(shape: [weights.count, 1], scalars: weights), bias: Tensor([bias]))
    return try! SoftQNetwork(network: MLP(layers: [layer], activation: .identity), observationSize: observationSize)
}

/// Two linear critics.
func linearTwin(_ w1: [Float], _ b1: Float, _ w2: [Float], _ b2: Float, observationSize: Int) -> TwinCritics {
    try! TwinCritics(q1: linearCritic(w1, bias: b1, observationSize: observationSize),
                     q2: linearCritic(w2, bias: b2, observationSize: observationSize))
}

/// A minibatch written out row by row, actions as vectors.
func handBatch(observations: [[Float]], actions: [[Float]], rewards: [Float], nextObservations: [[Float]],
               terminated: [Bool], truncated: [Bool], discounts: [Float]) -> ReplayBatch {
    ReplayBatch(indices: Array(0..<actions.count), observations: Tensor(observations), actions: Tensor(actions),
                rewards: Tensor(rewards), nextObservations: Tensor(nextObservations),
                terminated: Tensor(terminated.map { $0 ? 1 : 0 }), truncated: Tensor(truncated.map { $0 ? 1 : 0 }),
                discounts: Tensor(discounts))
}

/// log(1 - tanh(u)^2) in Double, in the stable form 2 (log 2 - u - softplus(-2u)).
func logOneMinusTanhSquared(_ u: Double) -> Double {
    let v = -2 * u
    let softplus = Swift.max(v, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(v)))
    return 2 * (Foundation.log(2.0) - u - softplus)
}

/// log pi(tanh(u)) of a one-dimensional tanh-Gaussian, in Double.
func referenceLogProbability(u: Double, mean: Double, logStd: Double) -> Double {
    let z = (u - mean) / Foundation.exp(logStd)
    return -0.5 * z * z - logStd - 0.5 * Foundation.log(2 * Double.pi) - logOneMinusTanhSquared(u)
}

/// A deterministic policy written by the test: the action and log pi of each
/// row are functions of the observation. It remembers every batch it was
/// asked about (to tell s from s').
final class ScriptedPolicy: StochasticPolicy {
    let observationSize: Int, actionSize: Int
    let rule: ([Float]) -> (action: [Float], logProbability: Float)
    private(set) var seen: [[[Float]]] = []

    init(observationSize: Int, actionSize: Int, rule: @escaping ([Float]) -> (action: [Float], logProbability: Float)) {
        self.observationSize = observationSize
        self.actionSize = actionSize
        self.rule = rule
    }

    func sample(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample {
        let rows = observations.arrayRows
        seen.append(rows)
        let out = rows.map(rule)
        let action = Tensor(out.map(\.action))
        return PolicySample(action: action, logProbability: Tensor(out.map(\.logProbability)), preSquash: action)
    }
}

/// A small tanh-Gaussian policy written by the test, independent of
/// exercise 8.2: mean = s W, log sigma = b (trainable), u = mean + sigma
/// epsilon with epsilon from the generator, a = tanh(u), log pi in the
/// stable form.
final class ToyGaussianPolicy: StochasticPolicy, Module {
    let weight: Tensor, logStd: Tensor
    init(weight: [[Float]], logStd: [Float]) {
        self.weight = Tensor(weight, requiresGradient: true)
        self.logStd = Tensor(logStd, requiresGradient: true)
    }
    var observationSize: Int { weight.shape[0] }
    var actionSize: Int { weight.shape[1] }
    var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("log std", logStd)] }

    func sample(_ observations: Tensor, using generator: inout SeededGenerator) throws -> PolicySample {
        let mean = observations.matmul(weight)
        let epsilon = Tensor.normal(mean.shape, using: &generator)
        let sigma = logStd.exp()
        let u = mean + sigma * epsilon
        let z = (u - mean) / sigma
        let logJacobian = (Float(Foundation.log(2.0)) - u - (u * -2).softplus()) * 2
        let logProbability = (z.squared() * -0.5 - logStd - Float(0.5 * Foundation.log(2 * Double.pi)) - logJacobian)
            .sum(alongAxis: 1)
        return PolicySample(action: u.tanh(), logProbability: logProbability, preSquash: u)
    }
}

/// Two features.
struct Pair: ObservationVector {
    static let dimension = 2
    var x = 0.0, y = 0.0
    init() {}
    init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    subscript(index: Int) -> Double {
        get { index == 0 ? x : y }
        set { if index == 0 { x = newValue } else { y = newValue } }
    }
}

/// A one-step task: every episode starts at s = (1, 0.5), takes one action
/// in [-1, 1] with reward 1, and ends at s' = (8, -8), truncated (the target
/// bootstraps from s') or terminated (it does not).
struct OneStepTask: BoxActionEnvironment {
    static let start = Pair(1, 0.5), end = Pair(8, -8)
    let terminates: Bool
    var running = false
    var actionSpace: BoxSpace { BoxSpace(low: [-1], high: [1]) }
    func action(_ values: [Double]) -> Double { values[0] }

    mutating func reset(seed: UInt64?) -> Pair { running = true; return OneStepTask.start }

    mutating func step(_ action: Double) throws -> Step<Pair> {
        guard running else { throw EnvironmentError.episodeFinished(environment: "OneStepTask") }
        guard action >= -1 && action <= 1 else {
            throw EnvironmentError.invalidAction(environment: "OneStepTask", action: "\(action)", expected: "[-1, 1]")
        }
        running = false
        return Step(observation: OneStepTask.end, reward: 1, terminated: terminates, truncated: !terminates)
    }
}

/// One state s = (1, 0) that never changes, reward 1 whatever the action
/// in [-1, 1], episodes truncated after 10 steps (never terminated): the
/// soft Q-value is the same for every action and has a closed form.
struct ConstantRewardTask: BoxActionEnvironment {
    static let state = Pair(1, 0)
    var t = 0
    var actionSpace: BoxSpace { BoxSpace(low: [-1], high: [1]) }
    func action(_ values: [Double]) -> Double { values[0] }
    mutating func reset(seed: UInt64?) -> Pair { t = 0; return ConstantRewardTask.state }
    mutating func step(_ action: Double) throws -> Step<Pair> {
        t += 1
        return Step(observation: ConstantRewardTask.state, reward: 1, terminated: false, truncated: t >= 10)
    }
}

/// An environment whose action space is whatever the test says (bad bounds).
struct BoundsTask: BoxActionEnvironment {
    var actionSpace: BoxSpace
    func action(_ values: [Double]) -> Double { values[0] }
    mutating func reset(seed: UInt64?) -> Pair { Pair(0, 0) }
    mutating func step(_ action: Double) throws -> Step<Pair> {
        Step(observation: Pair(0, 0), reward: 0, terminated: false, truncated: true)
    }
}

/// A midpoint grid over u ~ N(mean, exp(logStd)^2) within 10 standard
/// deviations: the points and their probabilities (summing to 1 within 1e-15),
/// for expectations over a tanh-Gaussian by quadrature (Double).
func gaussianGrid(mean: Double, logStd: Double, points n: Int = 4_000) -> (u: [Double], weight: [Double]) {
    let sigma = Foundation.exp(logStd)
    let (low, width) = (mean - 10 * sigma, 20 * sigma / Double(n))
    var u: [Double] = [], weight: [Double] = []
    for k in 0..<n {
        let x = low + (Double(k) + 0.5) * width
        let z = (x - mean) / sigma
        u.append(x)
        weight.append(Foundation.exp(-0.5 * z * z) / (sigma * Foundation.sqrt(2 * Double.pi)) * width)
    }
    return (u, weight)
}

/// E[f(u, log pi(tanh u))] for u ~ N(mean, exp(logStd)^2), by quadrature (Double).
func tanhGaussianExpectation(mean: Double, logStd: Double, _ f: (Double, Double) -> Double) -> Double {
    let grid = gaussianGrid(mean: mean, logStd: logStd, points: 20_000)
    return zip(grid.u, grid.weight).map { u, w in w * f(u, referenceLogProbability(u: u, mean: mean, logStd: logStd)) }.reduce(0, +)
}

/// A two-step task: from s_0 = (1, 0.5) any action leads, with reward 0, to
/// s_1 = (8, -8); there the action a in [-1, 1] earns 3a and the episode
/// ends (terminated). So Q(s_1, a) = 3a, and Q(s_0, a) = gamma V(s_1) for
/// every a: the soft value of s_1 under the policy there, whatever was done at s_0.
struct TwoStepTask: BoxActionEnvironment {
    static let start = Pair(1, 0.5), middle = Pair(8, -8), end = Pair(0, 0)
    var t = 0
    var actionSpace: BoxSpace { BoxSpace(low: [-1], high: [1]) }
    func action(_ values: [Double]) -> Double { values[0] }
    mutating func reset(seed: UInt64?) -> Pair { t = 0; return TwoStepTask.start }
    mutating func step(_ action: Double) throws -> Step<Pair> {
        guard t < 2 else { throw EnvironmentError.episodeFinished(environment: "TwoStepTask") }
        t += 1
        return t == 1 ? Step(observation: TwoStepTask.middle, reward: 0, terminated: false, truncated: false)
            : Step(observation: TwoStepTask.end, reward: 3 * action, terminated: true, truncated: false)
    }
}
