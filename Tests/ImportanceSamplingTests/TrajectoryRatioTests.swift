import CourseKit
import Foundation
import ImportanceSampling
import Testing
import TensorCore

@Suite("6.1 trajectoryLogRatio")
struct TrajectoryRatioTests {
    @Test("three steps by hand: ratios 3, 0.5, 2 give log rho = log 3") func threeStepsByHand() throws {
        // pi / b per step: 0.9 / 0.3 = 3, 0.25 / 0.5 = 0.5, 0.8 / 0.4 = 2, so rho = 3 and log rho = log 3.
        let pi = [0.9, 0.25, 0.8], b = [0.3, 0.5, 0.4]
        let got = try trajectoryLogRatio(targetProbabilities: pi, behaviourProbabilities: b)
        let expected = log(3.0)
        #expect(!close(got, -expected), "6.1: the ratio is inverted: pi / b (target over behaviour), not b / pi; expected log 3 = \(f4(expected)), got \(f4(got))")
        #expect(!close(got, 3), "6.1: return the logarithm of the ratio, log rho = log 3 = \(f4(expected)), not rho = 3 itself")
        #expect(!close(got, expected / 3), "6.1: the log-ratio is the sum over the steps, not their mean: expected \(f4(expected)), got \(f4(got))")
        #expect(!close(got, log(0.18)), "6.1: divide by the behaviour probabilities: log rho = sum of log pi - log b, not the sum of log pi alone (got \(f4(got)))")
        #expect(!close(got, log(1.0)) && !close(got, log(1.5)) && !close(got, log(6.0)),
                "6.1: every step counts, the first and the last included: the ratios are 3, 0.5 and 2, so log rho = log 3 = \(f4(expected)), got \(f4(got))")
        #expect(close(got, expected, 1e-12), "6.1: pi = [0.9, 0.25, 0.8] and b = [0.3, 0.5, 0.4] give ratios 3, 0.5 and 2 and log rho = log 3 = \(f4(expected)), got \(f4(got))")
    }

    @Test("2,000 steps: rho = 2^-2000 or 4^2000 leaves Double, log rho does not") func twoThousandStepsDoNotUnderflow() throws {
        // Ratio 0.5 at each of 2,000 steps: rho = 2^-2000 is 0 in Double, log rho = -2000 log 2 is not.
        let small = try trajectoryLogRatio(targetProbabilities: Array(repeating: 0.25, count: 2000),
                                           behaviourProbabilities: Array(repeating: 0.5, count: 2000))
        let expectedSmall = -2000 * log(2.0)
        #expect(small.isFinite, "6.1: a 2,000-step episode with ratio 0.5 per step has rho = 2^-2000, which underflows to 0 in Double (and its log to -infinity): add up the log-ratios instead of multiplying the ratios; expected \(f4(expectedSmall)), got \(small)")
        #expect(close(small, expectedSmall, 1e-12), "6.1: 2,000 steps of ratio 0.25 / 0.5 give log rho = -2000 log 2 = \(f4(expectedSmall)), got \(f4(small))")
        // Ratio 4 at each step: rho = 4^2000 overflows to infinity.
        let large = try trajectoryLogRatio(targetProbabilities: Array(repeating: 1, count: 2000),
                                           behaviourProbabilities: Array(repeating: 0.25, count: 2000))
        let expectedLarge = 2000 * log(4.0)
        #expect(large.isFinite, "6.1: a 2,000-step episode with ratio 4 per step has rho = 4^2000, which overflows to infinity in Double: add up the log-ratios instead of multiplying the ratios; expected \(f4(expectedLarge)), got \(large)")
        #expect(close(large, expectedLarge, 1e-12), "6.1: 2,000 steps of ratio 1 / 0.25 give log rho = 2000 log 4 = \(f4(expectedLarge)), got \(f4(large))")
        // Irregular probabilities: the sum of the per-step log-ratios, to rounding.
        var generator = SeededGenerator(seed: 61)
        let pi = (0..<2000).map { _ in generator.uniform(0.01, 1) }
        let b = (0..<2000).map { _ in generator.uniform(0.01, 1) }
        let expected = zip(pi, b).map { log($0) - log($1) }.reduce(0, +)
        let got = try trajectoryLogRatio(targetProbabilities: pi, behaviourProbabilities: b)
        #expect(close(got, expected, 1e-10), "6.1: 2,000 random steps: expected log rho = \(f4(expected)), got \(f4(got))")
    }

    @Test("a target probability of 0 gives log rho = -infinity; no steps give 0") func zeroTargetProbabilityGivesMinusInfinity() throws {
        // pi never takes the second action: rho = 0, log rho = -infinity (a valid answer, not an error).
        let got: Double
        do {
            got = try trajectoryLogRatio(targetProbabilities: [0.5, 0], behaviourProbabilities: [0.5, 0.5])
        } catch let error as InvalidArgument {
            Issue.record("6.1: a target probability of 0 is allowed: the target policy would never produce this episode, so rho = 0 and log rho = -infinity; got the error \(error)")
            return
        }
        #expect(got == -.infinity, "6.1: a target probability of 0 makes rho = 0, so log rho = -infinity, got \(got)")
        let empty = try trajectoryLogRatio(targetProbabilities: [], behaviourProbabilities: [])
        #expect(empty == 0, "6.1: an episode without steps has rho = 1 (an empty product), so log rho = 0, got \(empty)")
    }

    @Test("bad input throws InvalidArgument (b = 0, different lengths, p > 1)") func rejectsBadInput() throws {
        #expect(throwsInvalidArgument { _ = try trajectoryLogRatio(targetProbabilities: [0.5, 0.5], behaviourProbabilities: [0.5]) },
                "6.1: lists of different lengths must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try trajectoryLogRatio(targetProbabilities: [0.5], behaviourProbabilities: [0]) },
                "6.1: a behaviour probability of 0 must throw InvalidArgument (the ratio pi / b is undefined)")
        #expect(throwsInvalidArgument { _ = try trajectoryLogRatio(targetProbabilities: [1.5], behaviourProbabilities: [0.5]) },
                "6.1: a probability above 1 must throw InvalidArgument")
        let one = try trajectoryLogRatio(targetProbabilities: [1], behaviourProbabilities: [0.5])
        #expect(close(one, log(2.0), 1e-12), "6.1: one step with pi = 1 and b = 0.5 has rho = 2, log rho = \(f4(log(2.0))), got \(f4(one))")
    }
}
