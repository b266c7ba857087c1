import CourseKit
import Environments
import Foundation
import Imitation
import RLKit
import Testing

// Hand-made environments, data sets and plain reference computations shared
// by the lesson 09 suites. Nothing here calls an exercise.

/// `x` with four decimals, for failure messages.
func f4(_ x: Double) -> String { String(format: "%.4f", x) }

/// `x` with one decimal.
func f1(_ x: Double) -> String { String(format: "%.1f", x) }

/// True when a and b agree to `tolerance`, relative to max(1, |b|).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    if a == b { return true }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// `steps` labelled states of `expert` playing in `env` from `reset(seed:)`,
/// recorded here (not with exercise 9.1), episode ids 0, 1, ...
func expertData<E: ImitationEnvironment>(_ env: E, steps: Int, seed: UInt64,
                                         expert: (E.Observation) -> E.Action) throws -> Demonstrations {
    let rollout = try referenceRollout(env, steps: steps, seed: seed, act: expert, label: expert)
    var data = try Demonstrations(observationSize: E.Observation.dimension, actionSize: env.actionKind.rowWidth)
    for i in 0..<steps {
        try data.append(observation: rollout.observations[i], action: rollout.labels[i], episode: rollout.episodes[i])
    }
    return data
}

/// A position on a line: the one feature of `Line`'s observations.
struct LinePosition: ObservationVector {
    static let dimension = 1
    var x: Double
    init() { x = 0 }
    init(x: Double) { self.x = x }
    subscript(index: Int) -> Double {
        get { x }
        set { x = newValue }
    }
}

/// Why a `Line` refused a step.
enum LineError: Error, CustomStringConvertible {
    /// A step after an episode ended (by termination or truncation) without a reset.
    case stepAfterEnd(how: String)
    /// An action other than 0 or 1.
    case badAction(Int)
    var description: String {
        switch self {
        case .stepAfterEnd(let how): return "Line: step after the episode ended (\(how)) without a reset"
        case .badAction(let a): return "Line: invalid action \(a), expected 0 or 1"
        }
    }
}

/// A deterministic test environment: a point on a line moved by 0.1 left
/// (action 0) or right (action 1). The n-th reset (counting from the last
/// reset with a seed s, which is reset 0) starts at x = start(s, n); reward
/// -|x| after each step; terminated when |x| > 0.75, truncated after
/// `limit` steps. Every state and step is computable by hand.
struct Line: ImitationEnvironment {
    var limit = 5
    var x = 0.0, t = 0, ended: String? = "never started", seed: UInt64 = 0, resets = 0

    static func start(seed: UInt64, reset n: Int) -> Double {
        // Starts spread over [-0.6, 0.6]: 0.05 * ((seed + 5 n) mod 25) - 0.6.
        0.05 * Double((Int(seed % 25) + 5 * n) % 25) - 0.6
    }

    init(limit: Int = 5) { self.limit = limit }

    mutating func reset(seed: UInt64?) -> LinePosition {
        if let seed { (self.seed, resets) = (seed, 0) } else { resets += 1 }
        (x, t, ended) = (Line.start(seed: self.seed, reset: resets), 0, nil)
        return LinePosition(x: x)
    }

    mutating func step(_ action: Int) throws -> Step<LinePosition> {
        if let ended { throw LineError.stepAfterEnd(how: ended) }
        guard action == 0 || action == 1 else { throw LineError.badAction(action) }
        x += action == 1 ? 0.1 : -0.1
        t += 1
        let terminated = Swift.abs(x) > 0.75, truncated = !terminated && t >= limit
        if terminated { ended = "terminated" } else if truncated { ended = "truncated" }
        return Step(observation: LinePosition(x: x), reward: -Swift.abs(x), terminated: terminated, truncated: truncated)
    }

    var actionKind: ActionKind { .discrete(count: 2) }
    func row(of action: Int) -> [Float] { [Float(action)] }
    func action(from row: [Float]) -> Int { Int(row[0]) }
}

/// What a correct `recordDemonstrations` returns, computed here: the rows
/// (observation, label, episode) and the finished episodes' returns and lengths.
func referenceRollout<E: ImitationEnvironment>(_ env: E, steps: Int, seed: UInt64?, act: (E.Observation) -> E.Action,
                                               label: (E.Observation) -> E.Action) throws
    -> (observations: [[Float]], labels: [[Float]], episodes: [Int], returns: [Double], lengths: [Int]) {
    var env = env
    var result: (observations: [[Float]], labels: [[Float]], episodes: [Int], returns: [Double], lengths: [Int])
        = ([], [], [], [], [])
    var observation = env.reset(seed: seed)
    var (episode, total, length) = (0, 0.0, 0)
    for _ in 0..<steps {
        result.observations.append(observation.floats)
        result.labels.append(env.row(of: label(observation)))
        result.episodes.append(episode)
        let step = try env.step(act(observation))
        total += step.reward
        length += 1
        if step.done {
            result.returns.append(total)
            result.lengths.append(length)
            (total, length, episode) = (0, 0, episode + 1)
            observation = env.reset(seed: nil)
        } else {
            observation = step.observation
        }
    }
    return result
}

/// A data set written row by row: (observation, action, episode).
func handData(_ rows: [([Float], [Float], Int)]) throws -> Demonstrations {
    var data = try Demonstrations(observationSize: rows[0].0.count, actionSize: rows[0].1.count)
    for (observation, action, episode) in rows { try data.append(observation: observation, action: action, episode: episode) }
    return data
}

/// The rows of a tensor as Doubles.
func doubles(_ t: Tensor) -> [Double] { t.scalars.map(Double.init) }
