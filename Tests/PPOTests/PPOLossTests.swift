import Foundation
import PPO
import RLKit
import Testing

@Suite("7.5 ppoLoss, ppoDiagnostics and explainedVariance")
struct PPOLossTests {
    let newValues: [Float] = [1, 2, 3]
    let oldValues: [Float] = [1.5, 1, 3]
    let returns: [Float] = [2, 2, 2]
    let entropy: [Float] = [0.5, 0.7, 0.6]

    func loss(clip: Float?, _ new: Tensor? = nil, _ entropy: Tensor? = nil, _ policy: Tensor? = nil) throws -> PPOLossTerms {
        try ppoLoss(policyLoss: policy ?? Tensor(scalar: 0.3), newValues: new ?? Tensor(newValues), oldValues: Tensor(oldValues),
                    returns: Tensor(returns), entropy: entropy ?? Tensor(self.entropy), valueCoefficient: 0.5,
                    entropyCoefficient: 0.01, valueClip: clip)
    }

    @Test func lossWithoutValueClippingByHand() throws {
        let terms = try loss(clip: nil)
        // valueLoss = 1/2 mean([1, 0, 1]) = 1/3; entropy 0.6; total = 0.3 - 0.01 x 0.6 + 0.5 / 3 = 0.460667.
        let value = Double(terms.valueLoss.scalars.first ?? .nan), total = Double(terms.total.scalars.first ?? .nan)
        #expect(Swift.abs(value - 2.0 / 3) > 1e-4, "7.5: the value loss is half the mean squared error, 1/2 mean((V - R)^2) = 0.3333 (CleanRL's form), got \(value)")
        #expect(Swift.abs(value - 1.0 / 3) < 1e-5, "7.5: valueLoss = 1/2 mean((V_new - R)^2) = 0.3333, got \(value)")
        #expect(Swift.abs(Double(terms.entropy.scalars.first ?? .nan) - 0.6) < 1e-6, "7.5: entropy is the mean entropy over the minibatch, 0.6, got \(terms.entropy.scalars)")
        #expect(Swift.abs(total - (0.3 + 0.006 + 0.5 / 3)) > 1e-5, "7.5: the entropy bonus is subtracted from the loss (it is added to the objective, rewarding exploration): total = policy - c2 H + c1 value = 0.460667, got \(total)")
        #expect(Swift.abs(total - (0.3 - 0.006 + 0.5 / 3)) < 1e-5, "7.5: total = policyLoss - 0.01 x entropy + 0.5 x valueLoss = 0.460667, got \(total)")
    }

    @Test func valueClippingByHand() throws {
        let terms = try loss(clip: 0.2)
        // V_clip = V_old + clip(V_new - V_old, -0.2, 0.2) = [1.3, 1.2, 3]; squared errors [0.49, 0.64, 1] against
        // the unclipped [1, 0, 1]; the max of each: [1, 0.64, 1]: valueLoss = 1/2 x 2.64 / 3 = 0.44.
        let value = Double(terms.valueLoss.scalars.first ?? .nan)
        let candidates: [(String, Double)] = [
            ("takes the min of the clipped and unclipped errors: value clipping is pessimistic like the policy's, the max of the two", 0.5 * 1.49 / 3),
            ("the clipped value is V_old + clip(V_new - V_old, -c, c): the critic's change is clipped around its old value, not around the return (or valueClip is ignored)", 1.0 / 3),
            ("clips the new value itself to [V_old - c, V_old + c] and drops the unclipped error: the loss keeps the max of both errors", 0.5 * 2.13 / 3),
        ]
        let wrong = Swift.abs(value - 0.44) > 1e-5 ? candidates.first { Swift.abs(value - $0.1) < 1e-4 }?.0 : nil
        #expect(Swift.abs(value - 0.44) < 1e-5, "7.5: \(wrong ?? "with value clipping, valueLoss = 1/2 mean(max((V_new - R)^2, (V_clip - R)^2)) = 0.44"): got \(value)")
        #expect(Swift.abs(Double(terms.total.scalars.first ?? .nan) - 0.514) < 1e-5, "7.5: total = 0.3 - 0.006 + 0.5 x 0.44 = 0.514, got \(terms.total.scalars)")
    }

    @Test func gradientsOfTheTotal() throws {
        let new = Tensor(newValues, requiresGradient: true)
        let entropy = Tensor(self.entropy, requiresGradient: true)
        let policy = Tensor(scalar: 0.3, requiresGradient: true)
        let terms = try loss(clip: 0.2, new, entropy, policy)
        terms.total.backward()
        // Sample 1's error is the clipped one and its change is clipped: no gradient; the others 0.5 x (V - R) / 3.
        let expected: [Double] = [-1.0 / 6, 0, 1.0 / 6]
        #expect(maxError(new.gradient?.scalars ?? [], expected) < 1e-5,
                "7.5: d total / d V_new = c1 (V - R) / B where the unclipped error is the max, 0 where the clipped one is and the change is clipped: expected \(rounded(expected, 4)), got \(rounded(new.gradient?.scalars ?? [], 4))")
        #expect(maxError(entropy.gradient?.scalars ?? [], [-0.01 / 3, -0.01 / 3, -0.01 / 3]) < 1e-7,
                "7.5: d total / d H_i = -c2 / B = -0.00333, got \(entropy.gradient?.scalars ?? [])")
        #expect(maxError(policy.gradient?.scalars ?? [], [1]) < 1e-7, "7.5: the policy loss enters the total with weight 1, got \(policy.gradient?.scalars ?? [])")
    }

    @Test func diagnosticsByHand() throws {
        // Log-ratios [0.19, 0.195, -0.1, 0, -0.25]: r - 1 = [0.209, 0.215, -0.095, 0, -0.221].
        let old: [Float] = [-1, -1, -1, -1, -1]
        let new: [Float] = [-0.81, -0.805, -1.1, -1, -1.25]
        let d = zip(new, old).map { Double($0) - Double($1) }
        let diagnostics = try ppoDiagnostics(newLogProbabilities: new, oldLogProbabilities: old, clipEpsilon: 0.2)
        #expect(Swift.abs(diagnostics.clipFraction - 0.2) > 1e-9,
                "7.5: the clip fraction counts ratios with |r - 1| > eps, not log-ratios with |log r| > eps: 3 of 5 here, got \(diagnostics.clipFraction)")
        #expect(Swift.abs(diagnostics.clipFraction - 0.4) > 1e-9,
                "7.5: the clip fraction counts both sides, |r - 1| > eps (r below 1 - eps too): 3 of 5 here, got \(diagnostics.clipFraction)")
        #expect(Swift.abs(diagnostics.clipFraction - 0.6) < 1e-9, "7.5: clipFraction = #{|r - 1| > 0.2} / 5 = 0.6, got \(diagnostics.clipFraction)")
        let kl = d.map { Foundation.expm1($0) - $0 }.reduce(0, +) / 5
        #expect(Swift.abs(diagnostics.approxKL - kl) < 1e-4 * kl,
                "7.5: approxKL = mean((r - 1) - log r) = \(kl), got \(diagnostics.approxKL)")
        let tiny: [Float] = [-0.9995, -1.0003, -1.00001, -0.99998, -1]
        var tinyKL = 0.0
        for (a, b) in zip(tiny, old) {
            let d = Double(a) - Double(b)
            tinyKL += (Foundation.expm1(d) - d) / 5
        }
        let small = try ppoDiagnostics(newLogProbabilities: tiny, oldLogProbabilities: old, clipEpsilon: 0.2)
        #expect(Swift.abs(small.approxKL - tinyKL) <= 1e-3 * tinyKL,
                "7.5: approxKL loses precision for small log-ratios: (r - 1) - log r is about d^2 / 2; compute each term in Double as expm1(d) - d: expected \(tinyKL), got \(small.approxKL)")
    }

    @Test func explainedVarianceByHand() throws {
        // Var(targets) = 1.8125, Var(targets - predictions) = 0.3125: 1 - 0.3125 / 1.8125 = 0.827586.
        let value = try explainedVariance(predictions: [1, 2, 3, 4], targets: [1.5, 2, 2.5, 5])
        #expect(Swift.abs(value - 1.25 / 1.8125) > 1e-4, "7.5: explained variance is 1 - Var(targets - predictions) / Var(targets), not Var(predictions) / Var(targets): got \(value)")
        #expect(Swift.abs(value - (1 - 0.3125 / 1.8125)) < 1e-5, "7.5: 1 - Var(R - V) / Var(R) = 1 - 0.3125 / 1.8125 = 0.827586, got \(value)")
        // The same around 10,000: E[x^2] - E[x]^2 cancels there, a two-pass variance does not.
        let shifted = try explainedVariance(predictions: [10_001, 10_002, 10_003, 10_004], targets: [10_001.5, 10_002, 10_002.5, 10_005])
        #expect(Swift.abs(shifted - (1 - 0.3125 / 1.8125)) < 1e-6,
                "7.5: explained variance loses precision when the returns are large (around 10,000 here): compute each variance around its mean in Double, not as E[x^2] - E[x]^2; expected 0.827586, got \(shifted)")
        let constant = try explainedVariance(predictions: [1, 2, 3], targets: [4, 4, 4])
        #expect(constant.isNaN, "7.5: when the returns do not vary, Var(R) = 0 and the explained variance is undefined: return NaN, got \(constant)")
    }

    @Test func badInputsAreNamed() throws {
        _ = try loss(clip: 0.2)  // valid: no error
        let function = "ppoLoss(policyLoss:newValues:oldValues:returns:entropy:valueCoefficient:entropyCoefficient:valueClip:)"
        #expect(errorText { _ = try loss(clip: 0) } == "\(function): invalid valueClip: got 0.0, expected a finite number > 0")
        #expect(errorText { _ = try loss(clip: nil, Tensor([1, 2])) }
            == "\(function): invalid oldValues: has shape [3], expected [2] like newValues (one entry per transition)")
        #expect(errorText { _ = try ppoDiagnostics(newLogProbabilities: [1, 2], oldLogProbabilities: [1], clipEpsilon: 0.2) }
            == "ppoDiagnostics(newLogProbabilities:oldLogProbabilities:clipEpsilon:): invalid oldLogProbabilities: got 1 values for 2 newLogProbabilities, expected equally long lists of at least one value")
        #expect(errorText { _ = try ppoDiagnostics(newLogProbabilities: [1], oldLogProbabilities: [1], clipEpsilon: 0) }
            .hasPrefix("ppoDiagnostics(newLogProbabilities:oldLogProbabilities:clipEpsilon:): invalid clipEpsilon: got 0.0"))
    }
}
