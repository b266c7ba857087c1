import Foundation
import PPO
import RLKit
import Testing

@Suite("7.4 klEstimate, klPenaltyLoss and adaptiveKLCoefficient")
struct KLPenaltyTests {
    /// log pi_new - log pi_old = [0.5, -0.3, 0].
    let old: [Float] = [-1, -0.7, -2]
    let new: [Float] = [-0.5, -1, -2]

    /// (1/B) sum (exp(d) - 1) - d in Double for the Floats given.
    func reference(_ new: [Float], _ old: [Float]) -> Double {
        var total = 0.0
        for (a, b) in zip(new, old) {
            let d = Double(a) - Double(b)
            total += Foundation.expm1(d) - d
        }
        return total / Double(new.count)
    }

    @Test func estimateByHand() throws {
        let kl = try klEstimate(newLogProbabilities: Tensor(new), oldLogProbabilities: Tensor(old))
        try #require(kl.count == 1, "7.4: the estimate is one number (a mean over the batch), got shape \(kl.shape)")
        let got = Double(kl.scalars[0])
        // ((e^0.5 - 1) - 0.5 + (e^-0.3 - 1) + 0.3 + 0) / 3 = (0.148721 + 0.040818) / 3 = 0.063180.
        #expect(Swift.abs(got + 0.2 / 3) > 1e-4 && Swift.abs(got - 0.2 / 3) > 1e-4,
                "7.4: the estimate is (r - 1) - log r per sample, not the mean of -log r (whose samples can be negative and whose mean is noisier): expected 0.063180, got \(got)")
        #expect(got >= 0, "7.4: (r - 1) - log r >= 0 for every r (the tangent line of log lies above it): a KL estimate cannot be negative, got \(got)")
        #expect(Swift.abs(got - 0.0631798) < 1e-6, "7.4: mean((r - 1) - log r) for log-ratios [0.5, -0.3, 0] is 0.063180, got \(got)")
    }

    @Test func smallLogRatiosKeepTheirDigits() throws {
        // Log-ratios of 0.001 and less: (r - 1) - log r is about d^2 / 2, a few 1e-7, which Float arithmetic on r loses.
        let old: [Float] = [-0.7, -1.2, -0.4, -2.5]
        let new: [Float] = [-0.699, -1.202, -0.3995, -2.49999]
        let want = reference(new, old)
        let kl = try klEstimate(newLogProbabilities: Tensor(new), oldLogProbabilities: Tensor(old))
        let got = Double(kl.scalars.first ?? .nan)
        #expect(Swift.abs(got - want) <= 1e-3 * want,
                "7.4: loses precision for small log-ratios: r - 1 and log r agree in their first digits and their difference, about d^2 / 2, is lost in Float; compute each term in Double as expm1(d) - d: expected \(want), got \(got)")
    }

    @Test func theEstimateIsDifferentiable() throws {
        let newTensor = Tensor(new, requiresGradient: true)
        let kl = try klEstimate(newLogProbabilities: newTensor, oldLogProbabilities: Tensor(old))
        #expect(kl.requiresGradient, "7.4: klEstimate must be differentiable in the new log-probabilities: the penalty's gradient flows through it (record it with Tensor.record and its derivative)")
        kl.backward()
        // d/d log pi_new_i = (r_i - 1) / B.
        let expected = zip(new, old).map { Foundation.expm1(Double($0) - Double($1)) / 3 }
        #expect(maxError(newTensor.gradient?.scalars ?? [], expected) < 1e-6,
                "7.4: the derivative of mean((r - 1) - log r) with respect to log pi_new_i is (r_i - 1) / B = \(rounded(expected, 5)), got \(rounded(newTensor.gradient?.scalars ?? [], 5))")
    }

    @Test func penaltyLossByHand() throws {
        let newTensor = Tensor(new, requiresGradient: true)
        let loss = try klPenaltyLoss(newLogProbabilities: newTensor, oldLogProbabilities: Tensor(old),
                                     advantages: Tensor([1, -1, 2]), beta: 0.5)
        // -mean(r A) + beta KL = -(1.648721 - 0.740818 + 2) / 3 + 0.5 x 0.063180 = -0.937711.
        let got = Double(loss.scalars.first ?? .nan)
        #expect(Swift.abs(got - (-0.9693010 - 0.0315899)) > 1e-4, "7.4: the penalty is added to the loss (it is subtracted from the objective): L = -mean(r A) + beta KL, got \(got)")
        #expect(Swift.abs(got + 0.9377111) < 1e-5, "7.4: L = -mean(r A) + beta KL = -0.937711 for these samples with beta 0.5, got \(got)")
        loss.backward()
        let r = zip(new, old).map { Foundation.exp(Double($0) - Double($1)) }
        let expected = zip(r, [1.0, -1, 2]).map { (-$0 * $1 + 0.5 * ($0 - 1)) / 3 }
        #expect(maxError(newTensor.gradient?.scalars ?? [], expected) < 1e-5,
                "7.4: dL/d log pi_new = (-r A + beta (r - 1)) / B = \(rounded(expected, 4)), got \(rounded(newTensor.gradient?.scalars ?? [], 4))")
    }

    @Test func betaAdapts() throws {
        let cases: [(kl: Double, expected: Double, why: String)] = [
            (0.02, 2, "doubles above 1.5 x target (0.02 > 0.015)"),
            (0.0151, 2, "doubles above 1.5 x target (0.0151 > 0.015)"),
            (0.005, 0.5, "halves below target / 1.5 (0.005 < 0.00667)"),
            (0.0066, 0.5, "halves below target / 1.5 (0.0066 < 0.00667)"),
            (0.012, 1, "keeps beta between target / 1.5 and 1.5 x target"),
            (0.0149, 1, "keeps beta between target / 1.5 and 1.5 x target (0.0149 < 0.015)"),
            (0.0068, 1, "keeps beta between target / 1.5 and 1.5 x target (0.0068 > 0.00667)"),
        ]
        for c in cases {
            let got = try adaptiveKLCoefficient(beta: 1, kl: c.kl, target: 0.01)
            #expect(Swift.abs(got - c.expected) < 1e-12,
                    "7.4: with target 0.01 and KL \(c.kl), beta \(c.why): expected \(c.expected), got \(got)")
        }
        #expect(try adaptiveKLCoefficient(beta: 3, kl: 1, target: 0.01) == 6, "7.4: beta doubles from its current value (3 -> 6)")
    }

    @Test func badInputsAreNamed() throws {
        _ = try adaptiveKLCoefficient(beta: 1, kl: 0.01, target: 0.01)  // valid: no error
        #expect(errorText { _ = try adaptiveKLCoefficient(beta: 0, kl: 0.01, target: 0.01) }
            == "adaptiveKLCoefficient(beta:kl:target:): invalid beta: got 0.0, expected a finite number > 0")
        #expect(errorText { _ = try adaptiveKLCoefficient(beta: 1, kl: 0.01, target: -1) }
            == "adaptiveKLCoefficient(beta:kl:target:): invalid target: got -1.0, expected a finite number > 0")
        #expect(errorText { _ = try klEstimate(newLogProbabilities: Tensor([1, 2]), oldLogProbabilities: Tensor([1])) }
            == "klEstimate(newLogProbabilities:oldLogProbabilities:): invalid oldLogProbabilities: has shape [1], expected [2] like newLogProbabilities (one entry per transition)")
        #expect(errorText { _ = try klPenaltyLoss(newLogProbabilities: Tensor([1]), oldLogProbabilities: Tensor([1]), advantages: Tensor([1]), beta: -1) }
            == "klPenaltyLoss(newLogProbabilities:oldLogProbabilities:advantages:beta:): invalid beta: got -1.0, expected a finite number >= 0")
    }
}
