import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.4 evaluatePolicyExactly")
struct ExactEvaluationTests {
    @Test("the chain by hand: A = I - gamma P_pi and b = r_pi")
    func chainByHand() throws {
        // "Always right": v(1) = 1 (the step into the terminal state), v(0) = 1 + 0.9 v(1) = 1.9, v(2) = 0.
        let values: [Double]
        do {
            values = try evaluatePolicyExactly([[1, 0], [1, 0], [1, 0]], in: Fixtures.chain, gamma: 0.9)
        } catch let error as InvalidArgument {
            Issue.record("1.4: a terminal state's row must be the equation v(s) = 0 (a 1 on the diagonal, 0 in b); without it the system is singular although this policy always ends: \(error)")
            return
        }
        try #require(values.count == 3, "1.4: one value per state expected, got \(values)")
        #expect(abs(values[0] - 0.1) > 1e-9, "1.4: the sign of gamma P_pi is wrong: v = r_pi + gamma P_pi v rearranges to A = I - gamma P (not I + gamma P); got v(0) = 0.1 = 1 - 0.9 * 1, expected 1.9")
        #expect(abs(values[1] - 1.9) > 1e-9, "1.4: the matrix is transposed: row s of A holds -gamma P_pi(s, s') for the successors s' of s (row = from, column = to); got v = \(values), expected (1.9, 1, 0)")
        #expect(abs(values[0] - 2) > 1e-9, "1.4: ignores gamma: v(0) = 1 + 0.9 v(1) = 1.9, got 2 = 1 + v(1); A = I - gamma P")
        #expect(abs(values[1]) > 1e-9, "1.4: entering a terminal state still earns its reward: r_pi(1) = 1 (a terminal outcome adds its reward to b, but nothing to P), got v(1) = 0")
        #expect(abs(values[0] - 1.9) < 1e-12 && abs(values[1] - 1) < 1e-12 && values[2] == 0, "1.4: expected v = (1.9, 1, 0), got \(values)")
        // Half right, half stay: v(1) = 0.5 * 1 + 0.5 * 0.9 v(1), so v(1) = 0.5 / 0.55; v(0) = 0.5 (1 + 0.9 v(1)) + 0.5 * 0.9 v(0).
        let mixed = try evaluatePolicyExactly([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], in: Fixtures.chain, gamma: 0.9)
        let v1 = 0.5 / 0.55, v0 = (0.5 + 0.45 * v1) / 0.55
        #expect(mixed.count == 3 && abs(mixed[0] - v0) < 1e-12 && abs(mixed[1] - v1) < 1e-12,
                "1.4: weight each action by pi(a|s): P_pi(s, s') = sum_a pi(a|s) p(s'|s,a) and r_pi(s) = sum_a pi(a|s) r(s,a); for the 50/50 policy expected v = (\(v0), \(v1), 0), got \(mixed)")
    }

    @Test("Example 4.1: solving the linear system gives the textbook values")
    func gridWorld() throws {
        let grid = Fixtures.grid
        let values = try evaluatePolicyExactly(Fixtures.uniform(grid), in: grid, gamma: 1)
        let error = Fixtures.maxError(values, Fixtures.randomPolicyValues)
        #expect(error < 1e-9, "1.4: expected \(Fixtures.randomPolicyValues), got \(values.map { ($0 * 100).rounded() / 100 }). With gamma = 1, terminal states need the row v(s) = 0")
    }

    @Test("a two-state loop solved by hand")
    func swap() throws {
        let values = try evaluatePolicyExactly([[1], [1]], in: Fixtures.swap, gamma: 0.5)
        #expect(abs(values[0] - 4.0 / 3) < 1e-12 && abs(values[1] - 2.0 / 3) < 1e-12,
                "1.4: v0 = 1 + 0.5 v1 and v1 = 0.5 v0 give v = (4/3, 2/3), got \(values). Check the sign: A = I - gamma P")
    }

    @Test("terminal outcomes add their reward but no future value")
    func terminalOutcomes() throws {
        // Moving right twice from state 0 earns 1 + gamma * 1.
        let values = try evaluatePolicyExactly([[1, 0], [1, 0], [1, 0]], in: Fixtures.chain, gamma: 0.9)
        #expect(abs(values[0] - 1.9) < 1e-12 && abs(values[1] - 1) < 1e-12 && values[2] == 0,
                "1.4: expected v = (1.9, 1, 0), got \(values)")
    }

    @Test("a policy that never terminates has no finite value at gamma = 1")
    func singular() throws {
        #expect(throws: InvalidArgument.self, "1.4: solving must report a singular system, not return inf or NaN") {
            try evaluatePolicyExactly([[0, 1], [0, 1], [0, 1]], in: Fixtures.chain, gamma: 1)
        }
        // ... while the same policy at gamma < 1 is fine: it just earns nothing.
        let values = try evaluatePolicyExactly([[0, 1], [0, 1], [0, 1]], in: Fixtures.chain, gamma: 0.9)
        #expect(values.allSatisfy { abs($0) < 1e-12 }, "1.4: staying put forever earns 0, got \(values)")
    }

    @Test("agrees with the expectation equation on a random MDP")
    func bellmanResidual() throws {
        let lake = FrozenLake(.fourByFour).model
        let values = try evaluatePolicyExactly(Fixtures.uniform(lake), in: lake, gamma: 0.95)
        for s in 0..<lake.stateCount where !lake.isTerminal[s] {
            var backup = 0.0
            for a in 0..<lake.actionCount {
                for t in lake.transitions[s][a] {
                    backup += 0.25 * t.probability * (t.reward + (t.terminated ? 0 : 0.95 * values[t.nextState]))
                }
            }
            #expect(abs(backup - values[s]) < 1e-9, "1.4: v(\(s)) = \(values[s]) does not satisfy the Bellman expectation equation (backup gives \(backup))")
        }
    }
}
