import Foundation
import RLKit
import SAC
import Testing

@Suite("8.1 softBellmanTargets")
struct SoftBellmanTargetTests {
    // Four transitions: an ordinary one, a terminal one, a truncated one (time limit) and one with its own discount.
    static let s: [[Float]] = [[1, 0], [0.5, -1], [2, 1], [-1, 0.5]]
    static let a: [[Float]] = [[0.9], [-0.8], [0.1], [0.6]]
    static let r: [Float] = [1, -0.5, 2, 0.3]
    static let next: [[Float]] = [[2, 1], [1, -2], [-1, 3], [0, 1]]
    static let terminated = [false, true, false, false], truncated = [false, false, true, false]
    static let discounts: [Float] = [0.9, 0.9, 0.8, 0.5]
    static var batch: ReplayBatch { handBatch(observations: s, actions: a, rewards: r, nextObservations: next, terminated: terminated,
                                 truncated: truncated, discounts: discounts) }
    static let w1: [Float] = [1, -1, 2], b1: Float = 0.5, w2: [Float] = [0.5, 0, -1], b2: Float = 1
    static let alpha: Float = 0.4

    /// The test's policy: a'(s) = s_0 / 4, log pi(a' | s) = -0.5 + 0.2 s_1.
    static func policy() -> ScriptedPolicy {
        ScriptedPolicy(observationSize: 2, actionSize: 1) { s in ([s[0] / 4], -0.5 + 0.2 * s[1]) }
    }

    static func q(_ w: [Float], _ b: Float, _ s: [Float], _ a: Float) -> Double {
        Double(w[0]) * Double(s[0]) + Double(w[1]) * Double(s[1]) + Double(w[2]) * Double(a) + Double(b)
    }

    /// The targets under a variant of the formula (the correct one by default), in Double.
    static func targets(action: (Int) -> Float = { Float(next[$0][0] / 4) }, combine: (Double, Double) -> Double = { Swift.min($0, $1) },
                        entropySign: Double = -1, mask: (Int) -> Double = { terminated[$0] ? 0 : 1 },
                        discount: (Int) -> Double = { Double(discounts[$0]) }) -> [Double] {
        (0..<4).map { i in
            let a2 = action(i)
            let logPi = -0.5 + 0.2 * Double(next[i][1])
            let soft = combine(q(w1, b1, next[i], a2), q(w2, b2, next[i], a2)) + entropySign * Double(alpha) * logPi
            return Double(r[i]) + discount(i) * mask(i) * soft
        }
    }

    static func diagnosis(_ got: [Double]) -> String {
        func matches(_ y: [Double]) -> Bool { got.count == y.count && zip(got, y).allSatisfy { Swift.abs($0 - $1) < 1e-4 } }
        if matches(targets(action: { a[$0][0] })) {
            return "a' must be sampled from the current policy at s' (policy.sample on the next observations), not taken from the buffer: the stored action was chosen at s, by an older policy"
        }
        if matches(targets(combine: { Swift.max($0, $1) })) { return "the target takes the min of the two target critics, not the max: the min counters overestimation" }
        if matches(targets(combine: { a, _ in a })) || matches(targets(combine: { _, b in b })) {
            return "the target uses both target critics, min_j Q'_j(s', a'), not one of them"
        }
        if matches(targets(combine: { ($0 + $1) / 2 })) { return "the target takes the min of the two target critics, not their mean" }
        if matches(targets(entropySign: 0)) { return "the target has no entropy term: the soft value of s' is min_j Q'_j(s', a') - alpha log pi(a' | s')" }
        if matches(targets(entropySign: 1)) { return "the entropy term is subtracted: - alpha log pi(a' | s') (a bonus for unlikely, that is uncertain, actions)" }
        if matches(targets(mask: { _ in 1 })) { return "bootstraps from a terminal state: multiply the soft value by (1 - terminated)" }
        if matches(targets(mask: { terminated[$0] || truncated[$0] ? 0 : 1 })) {
            return "treats truncation as termination: a time limit is not a terminal state, the target still bootstraps"
        }
        if matches(targets(discount: { _ in 0.99 })) || matches(targets(discount: { _ in 0.9 })) {
            return "ignores the transition's own discount: use batch.discounts"
        }
        return "y = r + discount (1 - terminated) (min_j Q'_j(s', a') - alpha log pi(a' | s')) with a' ~ pi(. | s')"
    }

    func compute(alpha: Float = SoftBellmanTargetTests.alpha, policy: ScriptedPolicy = SoftBellmanTargetTests.policy()) throws -> Tensor {
        let critics = linearTwin(Self.w1, Self.b1, Self.w2, Self.b2, observationSize: 2)
        var rng = SeededGenerator(seed: 1)
        return try softBellmanTargets(batch: Self.batch, policy: policy, targetCritics: critics, alpha: alpha, using: &rng)
    }

    @Test("a' is sampled from the current policy at the next observations s'")
    func samplesAtTheNextObservations() throws {
        let policy = Self.policy()
        _ = try compute(policy: policy)
        #expect(!policy.seen.isEmpty, "8.1: sample a' from the current policy (policy.sample at s'); the action in the buffer was chosen at s, by an older policy")
        #expect(policy.seen.allSatisfy { $0 == Self.next }, "8.1: a' is sampled at s' (batch.nextObservations), the state the target bootstraps from, not at s; the policy was asked about \(policy.seen)")
    }

    @Test("the target is a constant: no gradient reaches the target critics or the policy")
    func targetIsConstant() throws {
        let y = try compute()
        #expect(y.shape == [4], "8.1: one target per transition, shape [4], got \(y.shape)")
        #expect(!y.requiresGradient, "8.1: the target must be a constant of the critics' loss: compute it inside withoutGradients { } (or end with stopGradient()), so no gradient reaches the target critics")
    }

    @Test("hand-computed targets: min of the target critics, the entropy bonus, the terminal mask, each transition's discount")
    func handValues() throws {
        let got = try compute().scalars.map(Double.init)
        let expected = Self.targets()
        #expect(got.count == 4 && zip(got, expected).allSatisfy { Swift.abs($0 - $1) < 1e-4 },
                "8.1: \(Self.diagnosis(got)); expected y = \(rounded(expected)), got \(rounded(got))")
    }

    @Test("alpha = 0 drops the entropy term")
    func alphaZero() throws {
        let got = try compute(alpha: 0).scalars.map(Double.init)
        let expected = (0..<4).map { i -> Double in
            let a2 = Float(Self.next[i][0] / 4)
            let soft = Swift.min(Self.q(Self.w1, Self.b1, Self.next[i], a2), Self.q(Self.w2, Self.b2, Self.next[i], a2))
            return Double(Self.r[i]) + Double(Self.discounts[i]) * (Self.terminated[i] ? 0 : 1) * soft
        }
        #expect(got.count == 4 && zip(got, expected).allSatisfy { Swift.abs($0 - $1) < 1e-4 },
                "8.1: with alpha = 0 the target is r + discount (1 - terminated) min_j Q'_j(s', a'): expected \(rounded(expected)), got \(rounded(got))")
    }

    @Test("a' is drawn with the generator it is given")
    func usesTheGenerator() throws {
        let policy = ToyGaussianPolicy(weight: [[0.3], [-0.2]], logStd: [0])
        let critics = linearTwin(Self.w1, Self.b1, Self.w2, Self.b2, observationSize: 2)
        func targets(_ seed: UInt64) throws -> [Float] {
            var rng = SeededGenerator(seed: seed)
            return try softBellmanTargets(batch: Self.batch, policy: policy, targetCritics: critics, alpha: 0.2, using: &rng).scalars
        }
        #expect(try targets(3) == targets(3) && targets(3) != targets(4),
                "8.1: draw a' with the generator passed in (using: &generator): the same seed must give the same targets and another seed other ones")
    }

    @Test func badInputIsNamed() throws {
        let critics = linearTwin(Self.w1, Self.b1, Self.w2, Self.b2, observationSize: 2)
        var rng = SeededGenerator(seed: 1)
        #expect(errorText { _ = try softBellmanTargets(batch: Self.batch, policy: Self.policy(), targetCritics: critics, alpha: -1, using: &rng) }
                == "softBellmanTargets(batch:policy:targetCritics:alpha:using:): invalid alpha: got -1.0, expected a finite number >= 0")
        let wide = ScriptedPolicy(observationSize: 3, actionSize: 1) { _ in ([0], 0) }
        #expect(errorText { _ = try softBellmanTargets(batch: Self.batch, policy: wide, targetCritics: critics, alpha: 0.1, using: &rng) }
            .hasPrefix("softBellmanTargets(batch:policy:targetCritics:alpha:using:): invalid policy"))
        #expect(try compute().count == 4, "8.1: one target per transition")
    }
}
