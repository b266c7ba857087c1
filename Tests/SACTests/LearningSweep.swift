import Foundation
import RLKit
import SAC
import Testing

/// The reference sweep behind the threshold of the learning test in
/// `SACAgentTests` (docs/BENCHMARKS.md, "Lesson 08 learning tests"): the
/// same short run on 12 seeds the test does not use. Not graded (no catalog
/// entry); run it after changing the agent or its defaults:
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter SACLearningSweep
///
/// (add DEEPRL_JOBS=2 to train two seeds at once: the same results, sooner)
@Suite("lesson 08 learning sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct SACLearningSweep {
    @Test func sweep() throws {
        // DEEPRL_JOBS=N trains N seeds at once (the same results as one after another).
        let results: [(UInt64, Double)] = try independentRuns(12, jobs: sweepJobs) { run in
            let seed = UInt64(100 + run)
            return (seed, try SACAgentTests.bestReturn(seed: seed))
        }
        let summary = Summary(results.map(\.1))
        print("lesson 08 sweep, best mean return of the deterministic policy within \(SACAgentTests.learningSteps) steps, seeds 100-111: "
              + results.map { "\($0.0): \(String(format: "%.1f", $0.1))" }.joined(separator: ", "))
        print("lesson 08 sweep: min \(summary.minimum), median \(summary.median), max \(summary.maximum)")
        #expect(summary.minimum >= SACAgentTests.threshold, "the learning test's threshold must stay below the sweep's minimum")
    }
}
