import DQN
import Foundation
import RLKit
import Testing

/// The reference sweep behind the threshold of the learning test in
/// `DQNAgentTests` (docs/BENCHMARKS.md, "Lesson 04 learning tests"): the
/// same short run on 12 seeds the test does not use. Not graded (no catalog
/// entry); run it after changing the agent or its defaults:
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter DQNLearningSweep
///
/// (add DEEPRL_JOBS=2 to train two seeds at once: the same results, sooner)
@Suite("lesson 04 learning sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct DQNLearningSweep {
    @Test func sweep() throws {
        // DEEPRL_JOBS=N trains N seeds at once (the same results as one after another).
        let results: [(UInt64, Double)] = try independentRuns(12, jobs: sweepJobs) { run in
            let seed = UInt64(100 + run)
            return (seed, try DQNAgentTests.bestReturn(seed: seed))
        }
        let summary = Summary(results.map(\.1))
        print("lesson 04 sweep, best greedy return within 12,000 steps, seeds 100-111: "
              + results.map { "\($0.0): \(String(format: "%.1f", $0.1))" }.joined(separator: ", "))
        print("lesson 04 sweep: min \(summary.minimum), median \(summary.median), max \(summary.maximum)")
        // The learning test asks for a mean of 150 over three seeds and 60 for each: both below the minimum.
        #expect(summary.minimum >= 150, "the learning test's thresholds must stay below the sweep's minimum")
    }
}
