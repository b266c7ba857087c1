import CourseKit
import Environments
import Testing
import TensorCore
import ValueIteration

@Suite("2.2 valueIteration")
struct ValueIterationLoopTests {
    @Test func stopsAtTheFirstSweepBelowTheTolerance() throws {
        // V_k = 2 (1 - 0.5^k); the change of sweep k is 0.5^(k-1): 1, 0.5, ..., 1/128 < 0.01 at k = 8.
        let result = try valueIteration(try selfLoopMDP(), gamma: 0.5, tolerance: 0.01)
        #expect(result.sweeps == 8, "2.2: expected 8 sweeps (the 8th changes V by 1/128 < 0.01), got \(result.sweeps) — stop right after the first sweep whose max-norm change is below the tolerance, and count that sweep")
        #expect(abs((result.values.first ?? .nan) - 1.9921875) < 1e-12, "2.2: expected V_8 = 2 (1 - 1/256) = 1.9921875, got \(result.values) — return the values of the last sweep")
        let expectedDeltas = (0..<8).map { 1.0 / Double(1 << $0) }
        #expect(maxError(result.deltas, expectedDeltas) < 1e-12, "2.2: deltas should hold one max-norm change per sweep, \(expectedDeltas), got \(result.deltas)")
        #expect(result.converged, "2.2: converged must be true when the loop stopped on the tolerance")
    }

    @Test func sweepsAreSynchronous() throws {
        // One sweep from V = 0: V_1(s1) = 0 + V_0(s0) = 0. An in-place sweep would already see V(s0) = 1.
        let result = try valueIteration(try backwardChainMDP(), gamma: 1, tolerance: 1e-12, maxSweeps: 1)
        #expect(result.sweeps == 1 && !result.converged, "2.2: with maxSweeps 1, stop after 1 sweep and report converged == false, got \(result.sweeps) sweeps, converged \(result.converged) — is the loop condition off by one?")
        #expect(result.sweeps != 1 || maxError(result.values, [1, 0, 0]) < 1e-12, "2.2: after one synchronous sweep expected [1, 0, 0], got \(result.values) — compute every new value from the previous sweep's array, not in place")
    }

    @Test func startsFromTheInitialValuesAndMeasuresTheSizeOfTheChange() throws {
        // The self-loop (reward 1, gamma 0.5, V* = 2) started above V*, at V_0 = 4: V_k = 2 + 2 * 0.5^k, so every sweep lowers V.
        let one = try valueIteration(try selfLoopMDP(), gamma: 0.5, tolerance: 0.01, maxSweeps: 1, initialValues: [4])
        #expect(abs((one.values.first ?? .nan) - 3) < 1e-12, "2.2: ignores initialValues: one sweep from V_0 = [4] gives 1 + 0.5 * 4 = 3, got \(one.values) (1 would be a start from 0)")
        let down = try valueIteration(try selfLoopMDP(), gamma: 0.5, tolerance: 0.01, initialValues: [4])
        #expect(abs((down.deltas.first ?? .nan) - 1) < 1e-12 && down.sweeps == 8,
                "2.2: the change of a sweep is max_s |V_new(s) - V_old(s)|, so values that decrease count too: from V_0 = 4 the sweeps lower V by 1, 0.5, ..., 1/128 (< 0.01 at the 8th), got deltas \(down.deltas)")
        #expect(abs((down.values.first ?? .nan) - (2 + 2.0 / 256)) < 1e-12, "2.2: from V_0 = 4, expected V_8 = 2 + 2 / 256, got \(down.values)")
    }

    @Test func deltaIsTheLargestChange() throws {
        // One sweep of the tiny model from V = 0 at gamma 0.5: V_1 = [1.5, 3, 0], so the states change by 1.5, 3 and 0.
        let result = try valueIteration(try tinyMDP(), gamma: 0.5, tolerance: 1e-12, maxSweeps: 1)
        #expect(result.deltas.count == 1 && abs(result.deltas[0] - 3) < 1e-12,
                "2.2: delta is the largest change of the sweep, max_s |V_new(s) - V_old(s)| = 3 (not the sum of the changes, 4.5), got deltas \(result.deltas)")
    }

    @Test func solvesTheLectureGridWorld() throws {
        let result = try valueIteration(GridWorld.lecture().model, gamma: 1, tolerance: 1e-9)
        #expect(maxError(result.values, gridWorldOptimalValues) < 1e-9, "2.2: the lecture grid world's optimal values are minus the Manhattan distance to the nearest corner, \(gridWorldOptimalValues); got \(result.values)")
        #expect(result.sweeps == 4, "2.2: from V = 0 the grid world is exact after 3 sweeps and the 4th changes nothing, so expected 4 sweeps, got \(result.sweeps)")
    }

    @Test func matchesGymnasiumFrozenLake() throws {
        let small = try valueIteration(FrozenLake(.fourByFour).model, gamma: 0.9, tolerance: 1e-12)
        #expect(maxError(small.values, frozenLake4x4Values) < 1e-8, "2.2: FrozenLake 4x4 (gamma 0.9) differs from Gymnasium's values (V*(start) = 0.06889); got V(start) = \(small.values.first ?? .nan)")
        let large = try valueIteration(FrozenLake(.eightByEight).model, gamma: 0.99, tolerance: 1e-12)
        #expect(maxError(large.values, frozenLake8x8Values) < 1e-8, "2.2: FrozenLake 8x8 (gamma 0.99) differs from Gymnasium's values (V*(start) = 0.41464); got V(start) = \(large.values.first ?? .nan)")
    }

    @Test func errorShrinksByGammaEverySweep() throws {
        let mdp = FrozenLake(.fourByFour).model
        let gamma = 0.9
        var g = SeededGenerator(seed: 7)
        let start = (0..<mdp.stateCount).map { _ in g.uniform(-2, 2) }
        var previous = maxError(start, frozenLake4x4Values)
        for k in 1...25 {
            let result = try valueIteration(mdp, gamma: gamma, tolerance: 1e-15, maxSweeps: k, initialValues: start)
            let error = maxError(result.values, frozenLake4x4Values)
            #expect(error <= gamma * previous + 1e-9, "2.2: the backup is a gamma-contraction, so ||V_k - V*|| <= gamma ||V_(k-1) - V*||; after sweep \(k) the error is \(error), previous \(previous) — are you starting from initialValues and running exactly maxSweeps sweeps?")
            previous = error
        }
        let run = try valueIteration(mdp, gamma: gamma, tolerance: 1e-12, initialValues: start)
        for i in 1..<run.deltas.count {
            #expect(run.deltas[i] <= gamma * run.deltas[i - 1] + 1e-12, "2.2: successive changes must also shrink by gamma: delta \(i + 1) = \(run.deltas[i]) > 0.9 * \(run.deltas[i - 1])")
        }
    }

    @Test func gammaZeroGivesOneStepValues() throws {
        let mdp = FrozenLake(.fourByFour).model
        let result = try valueIteration(mdp, gamma: 0, tolerance: 1e-12)
        let expected = (0..<mdp.stateCount).map { s in
            (0..<mdp.actionCount(in: s)).map { mdp.expectedReward(state: s, action: $0) }.max()!
        }
        #expect(maxError(result.values, expected) < 1e-12, "2.2: with gamma = 0 the values are the best expected one-step rewards (1/3 next to the goal), got \(result.values)")
        #expect(result.sweeps == 2, "2.2: with gamma = 0 the first sweep is final and the second changes nothing: expected 2 sweeps, got \(result.sweeps)")
    }

    @Test func rejectsBadArguments() throws {
        let mdp = try tinyMDP()
        #expect(throws: InvalidArgument.self, "2.2: tolerance 0 must be rejected (the loop could never stop)") {
            _ = try valueIteration(mdp, gamma: 0.9, tolerance: 0)
        }
        #expect(throws: InvalidArgument.self, "2.2: gamma -0.1 must be rejected") {
            _ = try valueIteration(mdp, gamma: -0.1)
        }
        #expect(throws: InvalidArgument.self, "2.2: initial values of the wrong length must be rejected") {
            _ = try valueIteration(mdp, gamma: 0.9, initialValues: [0])
        }
        // A real run in the same suite, so that this suite cannot pass on the skeleton.
        let result = try valueIteration(mdp, gamma: 0.5, tolerance: 1e-12)
        #expect(maxError(result.values, referenceOptimalValues(mdp, gamma: 0.5)) < 1e-10, "2.2: wrong optimal values on the tiny model: \(result.values)")
    }
}
