import Foundation
import PolicyGradient
import RLKit
import Testing

/// The reference sweeps behind the thresholds of lesson 05's statistical
/// tests (docs/BENCHMARKS.md, "Lesson 05 learning tests"): the same runs on
/// twelve seeds the tests do not use. Not graded (no catalog entry); run them
/// after changing the agent, its defaults or the variance checks:
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter PolicyGradientSweep
///
/// (add DEEPRL_JOBS=2 to train two seeds at once: the same results, sooner)
@Suite("lesson 05 sweeps (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct PolicyGradientSweep {
    static func report(_ name: String, _ results: [(UInt64, Double)]) -> Summary {
        let summary = Summary(results.map(\.1))
        print("lesson 05 sweep, \(name): " + results.map { "\($0.0): \(String(format: "%.2f", $0.1))" }.joined(separator: ", "))
        print("lesson 05 sweep, \(name): min \(summary.minimum), median \(summary.median), max \(summary.maximum)")
        return summary
    }

    @Test func learning() throws {
        // DEEPRL_JOBS=N trains N seeds at once (the same results as one after another).
        let runs = try independentRuns(12, jobs: sweepJobs) { i -> (seed: UInt64, late: Double, best: Double, full: Double) in
            let seed = UInt64(100 + i)
            let run = try ReinforceAgentTests.learningRun(seed: seed)
            return (seed, run.late, run.best, try ReinforceAgentTests.learningRun(seed: seed, fullReturn: true).best)
        }
        let late = runs.map { ($0.seed, $0.late) }, best = runs.map { ($0.seed, $0.best) }, full = runs.map { ($0.seed, $0.full) }
        let a = PolicyGradientSweep.report("mean of the last three greedy evaluations (12,000-16,000 steps), reward-to-go and V(s)", late)
        _ = PolicyGradientSweep.report("best greedy evaluation within 16,000 steps, reward-to-go and V(s)", best)
        let b = PolicyGradientSweep.report("best greedy evaluation within 16,000 steps, full return", full)
        #expect(a.minimum >= 250 && b.minimum >= 150, "the learning test's mean thresholds must stay below the sweep's minimum")
    }

    @Test func variances() throws {
        var rewardToGo: [(UInt64, Double)] = [], mean: [(UInt64, Double)] = [], value: [(UInt64, Double)] = []
        for seed: UInt64 in 200..<212 {
            let (f, g) = try ReturnTests.variances(seed: seed)
            rewardToGo.append((seed, f / g))
        }
        for seed: UInt64 in 300..<312 {
            let v = try BaselineTests.variances(seed: seed)
            mean.append((seed, v.full / v.fullMinusMean))
            value.append((seed, v.toGo / v.toGoMinusValue))
        }
        let a = PolicyGradientSweep.report("variance ratio full return / reward-to-go, seeds 200-211", rewardToGo)
        let b = PolicyGradientSweep.report("variance ratio full return / minus the mean-return baseline, seeds 300-311", mean)
        let c = PolicyGradientSweep.report("variance ratio reward-to-go / minus V(s), seeds 300-311", value)
        #expect(a.minimum > 2 && b.minimum > 50 && c.minimum > 2, "the variance tests' thresholds must stay below the sweep's minimum")
    }
}
