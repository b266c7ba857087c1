import Foundation
import Hindsight
import RLKit
import Testing

/// The reference sweep behind the thresholds of the learning test in
/// `HERAgentTests` (docs/BENCHMARKS.md, "Lesson 10 learning tests"): the
/// same short runs, DQN + HER and plain DQN on 10-bit flipping, on 12 seeds
/// the test does not use, without stopping early. Not graded (no catalog
/// entry); run it after changing the agent or its defaults:
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter HERLearningSweep
@Suite("lesson 10 learning sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct HERLearningSweep {
    /// The best greedy success rate within the test's budget, without its early stop.
    static func best(seed: UInt64, strategy: GoalStrategy) throws -> Double {
        var c = HERConfig()
        c.seed = seed
        c.strategy = strategy
        c.epochs = HERAgentTests.learningEpochs
        c.cyclesPerEpoch = 5
        let run = try trainHER(c, bits: HERAgentTests.learningBits)
        return run.log.series(Metric.evaluationSuccessRate).values.max() ?? 0
    }

    @Test func sweep() throws {
        var her: [Double] = [], dqn: [Double] = []
        for seed: UInt64 in 100..<112 {
            her.append(try HERLearningSweep.best(seed: seed, strategy: .future(k: 4)))
            dqn.append(try HERLearningSweep.best(seed: seed, strategy: .none))
        }
        let format = { (values: [Double]) in values.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        print("lesson 10 sweep, best greedy success within \(HERAgentTests.learningEpochs) epochs of 5 cycles, "
              + "\(HERAgentTests.learningBits) bits, seeds 100-111: HER \(format(her)); DQN \(format(dqn))")
        let (h, d) = (Summary(her), Summary(dqn))
        print("lesson 10 sweep: HER min \(h.minimum), median \(h.median); DQN max \(d.maximum), median \(d.median)")
        // The test asks HER for 0.7 on each of three seeds and DQN for at most 0.2 on each of two.
        #expect(h.minimum >= 0.7 && d.maximum <= 0.2, "the learning test's thresholds must stay outside the sweep's range")
    }
}
