import CourseKit
import Foundation
import Synchronization
import RLKit
import TensorCore
import Testing

/// `independentRuns` (`deeprl demo --jobs N`, `DEEPRL_JOBS` for the sweeps):
/// the same results in the same order as one run after another, the first
/// error by index, no run started after a failure, and the progress bar
/// advanced once per successful run.
@Suite("Independent runs side by side")
struct IndependentRunsTests {
    /// A small training run of its own seed: 30 Adam steps of a 4-64-64-1
    /// network on a random regression batch. Returns the final weights' bits.
    static func train(seed: UInt64) throws -> [UInt32] {
        var rng = SeededGenerator(seed: seed)
        let network = MLP([4, 64, 64, 1], activation: .tanh, using: &rng)
        let optimizer = try Adam(parameters: network.parameters, learningRate: 1e-3)
        let x = Tensor.normal([256, 4], using: &rng), y = Tensor.normal([256, 1], using: &rng)
        for _ in 0..<30 {
            let loss = mseLoss(network(x), y)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
        }
        return network.parameters.flatMap { $0.scalars.map(\.bitPattern) }
    }

    @Test("1, 2 and 5 jobs give the same results, in run order", arguments: [2, 5])
    func sameResults(jobs: Int) throws {
        let one = try independentRuns(6, jobs: 1) { try Self.train(seed: UInt64(10 + $0)) }
        let many = try independentRuns(6, jobs: jobs) { try Self.train(seed: UInt64(10 + $0)) }
        #expect(one.count == 6 && Set(one.map { $0.hashValue }).count == 6, "the six seeds should give six different networks")
        for run in 0..<6 {
            #expect(one[run] == many[run], "run \(run) differs with \(jobs) jobs")
        }
    }

    struct RunFailed: Error, Equatable { var run: Int }

    @Test("the first failing run, by index, is the error", arguments: [1, 3])
    func firstErrorByIndex(jobs: Int) {
        #expect(throws: RunFailed(run: 2)) {
            try independentRuns(8, jobs: jobs) { run -> Int in
                if run == 2 || run == 6 { throw RunFailed(run: run) }
                return run
            }
        }
    }

    @Test("after a failure no run starts, and the bar counts the runs that succeeded", arguments: [1, 2, 3])
    func stopsAfterFailure(jobs: Int) {
        let started = Atomic<Int>(0)
        var bar = ProgressBar(total: 40, label: "runs")
        #expect(throws: RunFailed(run: 1)) {
            try independentRuns(40, jobs: jobs, bar: &bar) { run -> Int in
                started.add(1, ordering: .relaxed)
                if run == 1 { throw RunFailed(run: run) }
                Thread.sleep(forTimeInterval: 0.01)
                return run
            }
        }
        let ran = started.load(ordering: .relaxed)
        #expect(ran < 40, "all 40 runs started although run 1 failed; expected the runs after a failure not to start")
        #expect(bar.done == ran - 1, "the bar shows \(bar.done) runs done; \(ran - 1) of the \(ran) started succeeded")
    }

    @Test("the progress bar advances once per run", arguments: [1, 4])
    func progress(jobs: Int) throws {
        var bar = ProgressBar(total: 7, label: "runs")
        let results = try independentRuns(7, jobs: jobs, bar: &bar) { $0 * $0 }
        #expect(results == (0..<7).map { $0 * $0 })
        #expect(bar.done == 7)
    }
}
