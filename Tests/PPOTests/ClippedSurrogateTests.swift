import Foundation
import PPO
import RLKit
import Testing

@Suite("7.3 clippedSurrogateLoss")
struct ClippedSurrogateTests {
    /// Ratios [1.5, 0.5, 1.1, 0.7, 1.3] against advantages [1, 1, -2, -1, -2], eps 0.2.
    static let ratios: [Double] = [1.5, 0.5, 1.1, 0.7, 1.3]
    static let advantages: [Float] = [1, 1, -2, -1, -2]
    static let old: [Float] = [-1, -0.5, -2, -0.3, -1.2]
    static var new: [Float] { zip(old, ratios).map { Float(Double($0) + Foundation.log($1)) } }

    /// -mean(f(r A, clip(r) A)) for a combination f, in Double.
    static func surrogate(_ ratios: [Double], _ f: (Double, Double) -> Double, eps: Double = 0.2) -> Double {
        -zip(ratios, advantages).map { r, a in f(r * Double(a), Swift.min(Swift.max(r, 1 - eps), 1 + eps) * Double(a)) }
            .reduce(0, +) / Double(ratios.count)
    }

    @Test func lossByHand() throws {
        let loss = try clippedSurrogateLoss(newLogProbabilities: Tensor(Self.new), oldLogProbabilities: Tensor(Self.old),
                                            advantages: Tensor(Self.advantages), clipEpsilon: 0.2)
        try #require(loss.count == 1, "7.3: the loss is one number (the mean over the batch), got shape \(loss.shape)")
        let got = Double(loss.scalars[0])
        // min terms: [1.2, 0.5, -2.2, -0.8, -2.6]: loss = 3.9 / 5 = 0.78.
        let expected = Self.surrogate(Self.ratios, Swift.min)
        let candidates: [(String, Double)] = [
            ("takes the max of the two terms: PPO's objective is the pessimistic min(r A, clip(r, 1 - eps, 1 + eps) A)",
             Self.surrogate(Self.ratios, Swift.max)),
            ("the ratio is inverted: r = pi_new / pi_old = exp(log pi_new - log pi_old)",
             Self.surrogate(Self.ratios.map { 1 / $0 }, Swift.min)),
            ("the loss to minimise is minus the objective: -mean(min(r A, clip(r) A))", -expected),
            ("clips the ratio alone: the objective is min(r A, clip(r) A), and the min keeps the unclipped term where it is smaller",
             Self.surrogate(Self.ratios, { _, clipped in clipped })),
            ("drops the clip: the objective is min(r A, clip(r, 1 - eps, 1 + eps) A)",
             Self.surrogate(Self.ratios, { unclipped, _ in unclipped })),
            ("the loss is the mean over the batch, not the sum", expected * 5),
        ]
        let wrong = Swift.abs(got - expected) > 1e-5 ? candidates.first { Swift.abs(got - $0.1) < 1e-4 }?.0 : nil
        #expect(Swift.abs(got - expected) < 1e-5,
                "7.3: \(wrong ?? "the clipped surrogate of ratios [1.5, 0.5, 1.1, 0.7, 1.3] and advantages [1, 1, -2, -1, -2] with eps 0.2 is 0.78"): expected \(expected), got \(got)")
    }

    @Test func theGradientIsZeroWhereTheClipBinds() throws {
        let new = Tensor(Self.new, requiresGradient: true)
        let old = Tensor(Self.old, requiresGradient: true)
        let loss = try clippedSurrogateLoss(newLogProbabilities: new, oldLogProbabilities: old,
                                            advantages: Tensor(Self.advantages), clipEpsilon: 0.2)
        loss.backward()
        // d loss / d log pi_new_i = -r_i A_i / 5 where the unclipped term is the min, 0 where the clip binds
        // (r > 1.2 with A > 0: sample 0; r < 0.8 with A < 0: sample 3).
        let expected: [Double] = [0, -0.5 / 5, 2.2 / 5, 0, 2.6 / 5]
        let got = new.gradient?.scalars ?? []
        #expect(got.count == 5 && Swift.abs(got[0]) < 1e-6 && Swift.abs(got[3]) < 1e-6,
                "7.3: the gradient must be zero where the clip binds (r > 1 + eps with A > 0, r < 1 - eps with A < 0), so those samples stop pushing the policy: got \(rounded(got, 4)) for samples 0 and 3")
        #expect(maxError(got, expected) < 1e-5,
                "7.3: d loss / d log pi_new = -r A / B where the unclipped term is the min, 0 where the clip binds: expected \(rounded(expected, 4)), got \(rounded(got, 4))")
        let oldGradient = old.gradient?.scalars.map { Swift.abs($0) }.max() ?? 0
        #expect(oldGradient == 0, "7.3: pi_old's log-probabilities are constants (the policy that collected the data): no gradient may reach them, got one of size \(oldGradient)")
    }

    @Test func agreesWithTheDefinitionOnRandomBatches() throws {
        var rng = SeededGenerator(seed: 73)
        for _ in 0..<30 {
            let count = 1 + rng.nextInt(below: 20)
            let old = (0..<count).map { _ in Float(rng.uniform(-4, -0.01)) }
            let new = old.map { $0 + Float(rng.uniform(-0.6, 0.6)) }
            let advantages = (0..<count).map { _ in Float(rng.uniform(-2, 2)) }
            let eps = [0.1, 0.2, 0.3][rng.nextInt(below: 3)]
            let newTensor = Tensor(new, requiresGradient: true)
            let loss = try clippedSurrogateLoss(newLogProbabilities: newTensor, oldLogProbabilities: Tensor(old),
                                                advantages: Tensor(advantages), clipEpsilon: Float(eps))
            loss.backward()
            var value = 0.0
            var gradient: [Double] = []
            for i in 0..<count {
                let r = Foundation.exp(Double(new[i]) - Double(old[i])), a = Double(advantages[i])
                let clipped = Swift.min(Swift.max(r, 1 - eps), 1 + eps) * a
                value += Swift.min(r * a, clipped)
                gradient.append(r * a <= clipped ? -r * a / Double(count) : 0)
            }
            value = -value / Double(count)
            guard Swift.abs(Double(loss.scalars[0]) - value) < 1e-5 * (1 + Swift.abs(value)),
                  maxError(newTensor.gradient?.scalars ?? [], gradient) < 1e-5 else {
                Issue.record("7.3: for ratios \(rounded(zip(new, old).map { Foundation.exp(Double($0) - Double($1)) })), advantages \(rounded(advantages)) and eps \(eps): expected the loss \(value) and gradient \(rounded(gradient, 4)), got \(loss.scalars[0]) and \(rounded(newTensor.gradient?.scalars ?? [], 4))")
                return
            }
        }
    }

    @Test func veryUnlikelyActionsStayFinite() throws {
        // log-probabilities far below -87, where exp(log pi) is 0 in Float: the ratio is still e^1 = 2.718.
        let loss = try clippedSurrogateLoss(newLogProbabilities: Tensor([-119, -121]), oldLogProbabilities: Tensor([-120, -120]),
                                            advantages: Tensor([1, -1]), clipEpsilon: 0.2)
        // min(2.718, 1.2) = 1.2 and min(-0.368, -0.8) = -0.8: loss = -(1.2 - 0.8) / 2 = -0.2.
        #expect(Swift.abs(loss.scalars[0] + 0.2) < 1e-5,
                "7.3: take the ratio as exp(log pi_new - log pi_old): exp(log pi) alone underflows to 0 in Float below about -87 (log-probabilities -119 and -121 against -120 give ratios 2.718 and 0.368, loss -0.2), got \(loss.scalars[0])")
    }

    @Test func badInputsAreNamed() throws {
        let function = "clippedSurrogateLoss(newLogProbabilities:oldLogProbabilities:advantages:clipEpsilon:)"
        let x = Tensor([-1, -2])
        _ = try clippedSurrogateLoss(newLogProbabilities: x, oldLogProbabilities: x, advantages: Tensor([1, 2]), clipEpsilon: 0.2)
        #expect(errorText { _ = try clippedSurrogateLoss(newLogProbabilities: x, oldLogProbabilities: x, advantages: Tensor([1, 2]), clipEpsilon: 0) }
            == "\(function): invalid clipEpsilon: got 0.0, expected a finite number > 0 (the ratio is clipped to [1 - eps, 1 + eps])")
        #expect(errorText { _ = try clippedSurrogateLoss(newLogProbabilities: x, oldLogProbabilities: x, advantages: Tensor([1, 2]), clipEpsilon: -0.2) }
            .hasPrefix("\(function): invalid clipEpsilon: got -0.2"))
        #expect(errorText { _ = try clippedSurrogateLoss(newLogProbabilities: x, oldLogProbabilities: x, advantages: Tensor([1]), clipEpsilon: 0.2) }
            == "\(function): invalid advantages: has shape [1], expected [2] like newLogProbabilities (one entry per transition)")
    }
}
