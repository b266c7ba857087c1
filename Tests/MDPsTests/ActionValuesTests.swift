import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.5 actionValues")
struct ActionValuesTests {
    @Test("one-step lookahead in the lecture grid world")
    func gridWorld() throws {
        let grid = Fixtures.grid
        let q = try actionValues(from: Fixtures.randomPolicyValues, in: grid, gamma: 1)
        // State 1 (top row, second cell); actions up, right, down, left.
        // up hits the wall: -1 + v(1); right: -1 + v(2); down: -1 + v(5); left: -1 into the terminal corner.
        let expected: [Double] = [-15, -21, -19, -1]
        #expect(q[1] == expected, "1.5: Q(1, .) should be \(expected) (up stays, right, down, left ends), got \(q[1])")
        #expect(q[0] == [0, 0, 0, 0], "1.5: a terminal state's actions are worth 0, got \(q[0])")
    }

    @Test("V(s) is the policy's average of Q(s, .)")
    func expectation() throws {
        let grid = Fixtures.grid
        let q = try actionValues(from: Fixtures.randomPolicyValues, in: grid, gamma: 1)
        for s in 0..<grid.stateCount {
            let average = q[s].reduce(0, +) / 4
            #expect(abs(average - Fixtures.randomPolicyValues[s]) < 1e-9, "1.5: sum_a pi(a|s) Q(s,a) must equal v_pi(s) = \(Fixtures.randomPolicyValues[s]) at state \(s), got \(average)")
        }
    }

    @Test("does not bootstrap through terminal states")
    func terminal() throws {
        // A nonsense value stored for the terminal state must not leak into Q.
        let q = try actionValues(from: [0, 5, 100], in: Fixtures.chain, gamma: 0.5)
        #expect(q[1][0] == 1, "1.5: entering the terminal state earns its reward and nothing after it: Q(1, right) = 1, got \(q[1][0]). Do you add gamma * V(s') even when the outcome is terminal?")
        #expect(q[0][0] == 1 + 0.5 * 5, "1.5: Q(0, right) = 1 + 0.5 * V(1) = 3.5, got \(q[0][0])")
        #expect(q[1][1] == 2.5, "1.5: Q(1, stay) = 0 + 0.5 * 5, got \(q[1][1])")
    }

    @Test("weights stochastic outcomes by their probabilities; gamma 0 gives r(s, a)")
    func stochastic() throws {
        let q = try actionValues(from: [0, 0], in: Fixtures.bandit, gamma: 0)
        #expect(q[0] == [1, 5], "1.5: Q(0, .) = expected rewards (1, 0.5 * 10 + 0.5 * 0), got \(q[0])")
    }

    @Test("rejects values of the wrong length")
    func rejects() throws {
        #expect(throws: InvalidArgument.self) { try actionValues(from: [0], in: Fixtures.chain, gamma: 0.5) }
        _ = try actionValues(from: [0, 0, 0], in: Fixtures.chain, gamma: 0.5)
    }
}
