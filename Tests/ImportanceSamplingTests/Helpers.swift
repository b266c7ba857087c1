import CourseKit
import Environments
import Foundation
import Testing
import TensorCore

// Episode generators, exact enumerations and plain reference computations
// shared by the lesson 06 suites. Nothing here calls an exercise, so each
// suite depends on its own exercise only.

/// `x` with four decimals, for failure messages.
func f4(_ x: Double) -> String { String(format: "%.4f", x) }

/// A list with four decimals per entry.
func f4(_ xs: [Double]) -> String { "[" + xs.map(f4).joined(separator: ", ") + "]" }

/// A list of Floats with four decimals per entry.
func f4(_ xs: [Float]) -> String { f4(xs.map(Double.init)) }

/// True when a and b agree to `tolerance`, relative to max(1, |b|).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    if a == b { return true }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// True when two lists have the same length and agree entry by entry.
func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
}

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// True when `body` throws `InvalidArgument`.
func throwsInvalidArgument(_ body: () throws -> Void) -> Bool {
    do { try body(); return false } catch is InvalidArgument { return true } catch { return false }
}

// MARK: - Example 5.4: Blackjack

/// Sutton & Barto's value of the Example 5.4 state under the target policy
/// (their simulation; the exact value of the course's model is -0.277316).
let example54TrueValue = -0.27726

/// The Example 5.4 start: player sum 13 with a usable ace, dealer shows 2.
let example54Start = BlackjackState(playerSum: 13, dealerCard: 2, usableAce: true)

/// The target policy of Example 5.4: stick on 20 or 21, hit otherwise.
func example54TargetAction(_ s: BlackjackState) -> Int { s.playerSum >= 20 ? Blackjack.stick : Blackjack.hit }

/// One Example 5.4 episode under the uniformly random behaviour policy,
/// with its importance ratio computed here (pi is deterministic, b = 1/2:
/// the ratio is 2^T when every action agrees with pi, else 0).
func example54Episode(_ game: inout Blackjack, _ generator: inout SeededGenerator) throws -> (ratio: Double, g: Double) {
    var s = try game.reset(to: example54Start)
    var ratio = 1.0
    while true {
        let action = generator.nextInt(below: 2)
        ratio *= action == example54TargetAction(s) ? 2 : 0
        let step = try game.step(action)
        s = step.observation
        if step.done { return (ratio, step.reward) }
    }
}

// MARK: - Example 5.5: one state, infinite variance

/// One Example 5.5 episode under the 50/50 behaviour policy: "right" ends
/// with 0; "left" ends with +1 (probability 0.1) or returns to the state.
/// The target always goes left, so the ratio is 2^T for an all-left episode
/// and 0 as soon as "right" is taken.
func example55Episode(_ generator: inout SeededGenerator) -> (ratio: Double, g: Double) {
    var ratio = 1.0
    while true {
        if generator.nextDouble() < 0.5 { return (0, 0) }  // right: pi(right) = 0
        ratio *= 2
        if generator.nextDouble() < 0.1 { return (ratio, 1) }
    }
}

// MARK: - Tabular softmax policies

/// The softmax of each row of a table of logits.
func softmaxRows(_ logits: [[Double]]) -> [[Double]] {
    logits.map { row in
        let m = row.max()!
        let e = row.map { Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
}

/// log softmax of one row, computed stably in Double.
func logSoftmaxRow(_ row: [Double]) -> [Double] {
    let m = row.max()!
    let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
    return row.map { $0 - lse }
}

/// The rewards-to-go of one episode.
func rewardsToGo(_ rewards: [Double], gamma: Double) -> [Double] {
    var g = 0.0
    var out = [Double](repeating: 0, count: rewards.count)
    for t in stride(from: rewards.count - 1, through: 0, by: -1) {
        g = rewards[t] + gamma * g
        out[t] = g
    }
    return out
}

/// The reference coefficients min(rho_{0:t}, c) G_t of the off-policy
/// surrogate, from per-step log pi and log b, in Double.
func surrogateCoefficients(logPi: [Double], logB: [Double], rewards: [Double], gamma: Double, clip: Double) -> [Double] {
    let g = rewardsToGo(rewards, gamma: gamma)
    var logRatio = 0.0
    return (0..<rewards.count).map { t in
        logRatio += logPi[t] - logB[t]
        return Swift.min(Foundation.exp(logRatio), clip) * g[t]
    }
}
