import CourseKit
import Foundation
import ImportanceSampling
import Testing
import TensorCore

@Suite("6.4 effectiveSampleSize")
struct EffectiveSampleSizeTests {
    @Test("by hand: weights 1, 1, 2 give 16 / 6; equal weights give n; one weight gives 1") func byHand() throws {
        // Weights 1, 1, 2: (1 + 1 + 2)^2 / (1 + 1 + 4) = 16 / 6 = 2.6667.
        let got = try effectiveSampleSize(logWeights: [0, 0, log(2.0)])
        #expect(!close(got, 6.0 / 16), "6.4: the ratio is upside down: ESS = (sum w)^2 / sum w^2 (between 1 and n), not sum w^2 / (sum w)^2; expected 2.6667, got \(f4(got))")
        #expect(!close(got, 3), "6.4: the ESS depends on the weights: n = 3 only when all weights are equal; weights 1, 1, 2 give 16 / 6 = 2.6667")
        #expect(!close(got, 16.0 / 18), "6.4: return the effective number of samples, (sum w)^2 / sum w^2 = 2.6667, not that number divided by n (0.8889)")
        #expect(!close(got, 2), "6.4: Kish's effective sample size is (sum w)^2 / sum w^2 = 2.6667, not sum w / max w = 2")
        #expect(!close(got, 16.0 / 3), "6.4: the denominator is the sum of the squared weights, sum w^2 = 6, not the number of weights; expected 2.6667, got \(f4(got))")
        #expect(close(got, 16.0 / 6, 1e-12), "6.4: log-weights [0, 0, log 2] are weights 1, 1, 2: ESS = 16 / 6 = 2.6667, got \(f4(got))")
        let equal = try effectiveSampleSize(logWeights: Array(repeating: log(5.0), count: 4))
        #expect(close(equal, 4, 1e-12), "6.4: four equal weights are worth four samples: ESS = 4, got \(f4(equal))")
        let single = try effectiveSampleSize(logWeights: [0.3, -.infinity, -.infinity])
        #expect(close(single, 1, 1e-12), "6.4: when one weight is positive and the others 0 (log-weight -infinity), ESS = 1, got \(f4(single))")
    }

    @Test("log-weights of +-800 and shifted by 700 give the same ESS") func extremeLogWeightsDoNotOverflow() throws {
        // exp(800) is +infinity and exp(-800) is 0 in Double; the ESS of weights c, c, 2c is 2.6667 for every c.
        let high = try effectiveSampleSize(logWeights: [800, 800, 800 + log(2.0)])
        #expect(high.isFinite && close(high, 16.0 / 6, 1e-9),
                "6.4: log-weights [800, 800, 800 + log 2] are weights proportional to 1, 1, 2, so ESS = 2.6667; got \(high): exp(800) overflows to infinity in Double, so subtract the largest log-weight before exponentiating (the ESS does not change when all weights are scaled)")
        let low = try effectiveSampleSize(logWeights: [-800, -800, -800 + log(2.0)])
        #expect(low.isFinite && close(low, 16.0 / 6, 1e-9),
                "6.4: log-weights [-800, -800, -800 + log 2] give ESS = 2.6667; got \(low): exp(-800) underflows to 0 in Double (0 / 0), so subtract the largest log-weight before exponentiating")
        let dominated = try effectiveSampleSize(logWeights: [1000, 0])
        #expect(close(dominated, 1, 1e-12), "6.4: weights e^1000 and 1: the first carries everything, ESS = 1, got \(dominated)")
        // The ESS of Example 5.4's ratios: 2^T or 0. Shifting every log-weight by the same amount changes nothing.
        var generator = SeededGenerator(seed: 64)
        let logWeights = (0..<1000).map { _ in generator.nextDouble() < 0.3 ? -Double.infinity : generator.normal(mean: 0, standardDeviation: 3) }
        let base = try effectiveSampleSize(logWeights: logWeights)
        let shifted = try effectiveSampleSize(logWeights: logWeights.map { $0 + 700 })
        let w = logWeights.map { exp($0) }
        let expected = pow(w.reduce(0, +), 2) / w.map { $0 * $0 }.reduce(0, +)
        #expect(close(base, expected, 1e-9), "6.4: 1,000 random log-weights: expected ESS \(f4(expected)), got \(f4(base))")
        #expect(close(shifted, expected, 1e-9), "6.4: adding 700 to every log-weight multiplies every weight by e^700 and must not change the ESS (\(f4(expected))), got \(shifted)")
    }

    @Test("every weight 0 gives 0; one weight gives 1") func allZeroWeights() throws {
        let none = try effectiveSampleSize(logWeights: [-.infinity, -.infinity])
        #expect(none == 0, "6.4: when every weight is 0 (every log-weight -infinity) no sample counts: ESS = 0, got \(none)")
        let one = try effectiveSampleSize(logWeights: [-3])
        #expect(close(one, 1, 1e-12), "6.4: a single weight is worth one sample, got \(one)")
    }

    @Test("bad input throws InvalidArgument (empty, NaN, +infinity)") func rejectsBadInput() throws {
        #expect(throwsInvalidArgument { _ = try effectiveSampleSize(logWeights: []) }, "6.4: an empty list must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try effectiveSampleSize(logWeights: [0, .nan]) }, "6.4: a NaN log-weight must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try effectiveSampleSize(logWeights: [.infinity]) }, "6.4: a log-weight of +infinity must throw InvalidArgument")
        let two = try effectiveSampleSize(logWeights: [0, 0])
        #expect(close(two, 2, 1e-12), "6.4: two equal weights give ESS 2, got \(two)")
    }
}
