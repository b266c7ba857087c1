import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.3 evaluatePolicyIteratively")
struct IterativeEvaluationTests {
    @Test("one synchronous sweep by hand: every new value comes from the old ones")
    func oneSweepByHand() throws {
        // State 0 ends the episode with reward 1, state 1 moves to state 0 with reward 0, state 2 is terminal.
        let one = try evaluatePolicyIteratively([[1], [1], [1]], in: Fixtures.backwardChain, gamma: 1, maxSweeps: 1)
        #expect(one.sweeps == 1, "1.3: ignores maxSweeps: with maxSweeps = 1 stop after one sweep, got \(one.sweeps) sweeps")
        try #require(one.values.count == 3, "1.3: one value per state expected, got \(one.values)")
        #expect(one.sweeps != 1 || one.values[1] == 0,
                "1.3: updates the values in place: one sweep from v = 0 computes v_1(1) = 0 + v_0(0) = 0 from the OLD value of state 0, got v_1(1) = \(one.values[1]), as if v(0) = 1 had already been written; keep a second array for the new values")
        #expect(one.values[0] == 1, "1.3: entering a terminal state still earns its reward: v_1(0) = 1 (only the bootstrap term gamma v(s') is dropped on a terminal outcome), got \(one.values[0])")
        #expect(one.values == [1, 0, 0], "1.3: one sweep from v = 0 gives v_1 = [1, 0, 0], got \(one.values)")
        #expect(!one.converged, "1.3: the sweep changed v(0) by 1, more than the tolerance, so the result is not converged: with maxSweeps = 1 report converged == false")
    }

    @Test("discounting and counting the sweeps by hand: a reward of 1 forever at gamma 0.5")
    func selfLoopByHand() throws {
        // v_k = 2 (1 - 0.5^k); sweep k changes v by 0.5^(k-1): 1, 0.5, ..., 1/128 < 0.01 at k = 8.
        let result = try evaluatePolicyIteratively([[1]], in: Fixtures.selfLoop, gamma: 0.5, tolerance: 0.01)
        let v = result.values.first ?? .nan
        #expect(v < 2, "1.3: ignores gamma: at gamma = 0.5 a reward of 1 forever is worth 1 / (1 - 0.5) = 2 and v_k stays below it, got \(v) after \(result.sweeps) sweeps; multiply v(s') by gamma")
        #expect(result.sweeps != 7, "1.3: count every sweep, including the last one (the 8th, whose change 1/128 is the first below the tolerance 0.01): got 7")
        #expect(result.sweeps == 8 && result.converged, "1.3: expected 8 sweeps and converged == true (stop right after the first sweep whose largest change is below tolerance = 0.01), got \(result.sweeps), \(result.converged)")
        #expect(abs(v - 1.9921875) < 1e-12, "1.3: expected v_8 = 2 (1 - 1/256) = 1.9921875, got \(v)")
    }

    @Test("gamma = 0 gives the expected immediate reward")
    func myopic() throws {
        let result = try evaluatePolicyIteratively([[0.2, 0.8], [0.5, 0.5]], in: Fixtures.bandit, gamma: 0)
        try #require(result.values.count == 2, "1.3: one value per state expected, got \(result.values)")
        let v = result.values[0]
        #expect(abs(v - 5) > 1e-9, "1.3: takes the max over the actions (the optimality backup of value iteration): policy evaluation averages the actions' values with the weights pi(a|s), not the max; expected 0.2 * 1 + 0.8 * 5 = 4.2, got 5")
        #expect(abs(v - 6) > 1e-9, "1.3: weight each action by pi(a|s): got 6 = 1 + 5, the actions' values added up, expected 0.2 * 1 + 0.8 * 5 = 4.2")
        #expect(abs(v - (0.2 * 1 + 0.8 * 5)) < 1e-12, "1.3: with gamma = 0, v(s) = sum_a pi(a|s) r(s,a) = 4.2, got \(v)")
        #expect(result.values[1] == 0, "1.3: a terminal state has value 0, got \(result.values[1])")
    }

    @Test("Example 4.1: the random policy's values in the lecture grid world")
    func gridWorld() throws {
        let grid = Fixtures.grid
        let result = try evaluatePolicyIteratively(Fixtures.uniform(grid), in: grid, gamma: 1, tolerance: 1e-10)
        let error = Fixtures.maxError(result.values, Fixtures.randomPolicyValues)
        #expect(error < 1e-6, "1.3: expected v_pi = \(Fixtures.randomPolicyValues) (Sutton & Barto Figure 4.1), got \(result.values.map { ($0 * 100).rounded() / 100 })")
        #expect(result.converged, "1.3: the evaluation should report convergence once a sweep changes no value by the tolerance")
    }

    @Test("Figure 4.1: the values after one and two synchronous sweeps")
    func firstSweeps() throws {
        let grid = Fixtures.grid
        let one = try evaluatePolicyIteratively(Fixtures.uniform(grid), in: grid, gamma: 1, maxSweeps: 1)
        let expectedOne: [Double] = [0] + Array(repeating: -1, count: 14) + [0]
        #expect(Fixtures.maxError(one.values, expectedOne) < 1e-12, "1.3: after one sweep from v = 0 every non-terminal state is -1, got \(one.values)")
        #expect(one.sweeps == 1 && !one.converged, "1.3: with maxSweeps = 1 report 1 sweep and not converged, got \(one.sweeps), \(one.converged)")
        let two = try evaluatePolicyIteratively(Fixtures.uniform(grid), in: grid, gamma: 1, maxSweeps: 2)
        let expectedTwo: [Double] = [0, -1.75, -2, -2, -1.75, -2, -2, -2, -2, -2, -2, -1.75, -2, -2, -1.75, 0]
        #expect(Fixtures.maxError(two.values, expectedTwo) < 1e-12,
                "1.3: after two sweeps expected \(expectedTwo), got \(two.values). Different numbers usually mean an in-place sweep (new values reused within the sweep) or bootstrapping through terminal states")
    }

    @Test("a discounted loop converges to the solution of the Bellman equation")
    func discountedLoop() throws {
        let result = try evaluatePolicyIteratively([[1], [1]], in: Fixtures.swap, gamma: 0.5, tolerance: 1e-12)
        #expect(abs(result.values[0] - 4.0 / 3) < 1e-9 && abs(result.values[1] - 2.0 / 3) < 1e-9,
                "1.3: with gamma 0.5 the swap MDP has v = (4/3, 2/3), got \(result.values)")
        // The error of v_k shrinks by gamma per sweep: reaching 1e-12 from 4/3 takes about 40 sweeps, not thousands.
        #expect(result.sweeps > 10 && result.sweeps < 100, "1.3: expected about 40 sweeps to reach tolerance 1e-12 at gamma 0.5, got \(result.sweeps)")
    }

    @Test("rejects an invalid tolerance or policy")
    func rejectsBadInput() throws {
        let grid = Fixtures.grid
        #expect(throws: InvalidArgument.self) { try evaluatePolicyIteratively(Fixtures.uniform(grid), in: grid, gamma: 1, tolerance: 0) }
        #expect(throws: InvalidArgument.self) { try evaluatePolicyIteratively([[1, 0, 0, 0]], in: grid, gamma: 1) }
        _ = try evaluatePolicyIteratively(Fixtures.uniform(grid), in: grid, gamma: 0.5)
    }
}
