import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.4 evaluatePolicyExactly")
struct ExactEvaluationTests {
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
