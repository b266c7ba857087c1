import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.3 evaluatePolicyIteratively")
struct IterativeEvaluationTests {
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

    @Test("gamma = 0 gives the expected immediate reward")
    func myopic() throws {
        let result = try evaluatePolicyIteratively([[0.2, 0.8], [0.5, 0.5]], in: Fixtures.bandit, gamma: 0)
        #expect(abs(result.values[0] - (0.2 * 1 + 0.8 * 5)) < 1e-12, "1.3: with gamma = 0, v(s) = sum_a pi(a|s) r(s,a) = 4.2, got \(result.values[0])")
        #expect(result.values[1] == 0, "1.3: a terminal state has value 0, got \(result.values[1])")
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
