import CourseKit
import Environments
import MDPs
import Testing

@Suite("1.5 actionValues")
struct ActionValuesTests {
    @Test("the chain by hand: Q(s, a) = sum p (r + gamma V(s')), nothing after a terminal outcome")
    func chainByHand() throws {
        // V = (2, 5, 100): the 100 stored for the terminal state 2 must never be used.
        let q = try actionValues(from: [2, 5, 100], in: Fixtures.chain, gamma: 0.5)
        try #require(q.count == 3 && q.allSatisfy { $0.count == 2 },
                     "1.5: q[s][a] has one row per state (3) with one entry per action (2), got \(q.count) rows of \(q.map(\.count)) entries; are the loops over states and actions swapped?")
        #expect(abs(q[1][0] - 51) > 1e-9, "1.5: bootstraps from a terminal state: the step from 1 into the terminal state earns its reward 1 and nothing after it, whatever V(terminal) says (here 100); got Q(1, right) = 51 = 1 + 0.5 * 100")
        #expect(abs(q[0][0] - 3) > 1e-9, "1.5: the reward is not discounted: Q(s, a) = r + gamma V(s'), not gamma (r + V(s')); got Q(0, right) = 3 = 0.5 (1 + 5), expected 1 + 0.5 * 5 = 3.5")
        #expect(abs(q[0][0] - 2) > 1e-9, "1.5: V is read at the next state s', not at s: got Q(0, right) = 2 = 1 + 0.5 V(0), expected 1 + 0.5 V(1) = 3.5")
        let expected: [[Double]] = [[3.5, 1], [1, 2.5], [0, 0]]
        #expect(q == expected, "1.5: expected Q = \(expected) (Q(0, right) = 1 + 0.5 V(1), Q(0, stay) = 0.5 V(0), Q(1, right) = 1, Q(1, stay) = 0.5 V(1), the terminal state's actions 0), got \(q)")
    }

    @Test("one-step lookahead in the lecture grid world")
    func gridWorld() throws {
        let grid = Fixtures.grid
        let q = try actionValues(from: Fixtures.randomPolicyValues, in: grid, gamma: 1)
        try #require(q.count == grid.stateCount && q.allSatisfy { $0.count == grid.actionCount }, "1.5: q[s][a] needs one row per state (16) with one entry per action (4), got \(q.count) rows")
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
        try #require(q.count == grid.stateCount && q.allSatisfy { $0.count == grid.actionCount }, "1.5: q[s][a] needs one row per state (16) with one entry per action (4), got \(q.count) rows")
        for s in 0..<grid.stateCount {
            let average = q[s].reduce(0, +) / 4
            #expect(abs(average - Fixtures.randomPolicyValues[s]) < 1e-9, "1.5: sum_a pi(a|s) Q(s,a) must equal v_pi(s) = \(Fixtures.randomPolicyValues[s]) at state \(s), got \(average)")
        }
    }

    @Test("does not bootstrap through terminal states")
    func terminal() throws {
        // A nonsense value stored for the terminal state must not leak into Q.
        let q = try actionValues(from: [0, 5, 100], in: Fixtures.chain, gamma: 0.5)
        try #require(q.count == 3 && q.allSatisfy { $0.count == 2 }, "1.5: q[s][a] needs one row per state (3) with one entry per action (2), got \(q.map(\.count))")
        #expect(q[1][0] == 1, "1.5: entering the terminal state earns its reward and nothing after it: Q(1, right) = 1, got \(q[1][0]). Do you add gamma * V(s') even when the outcome is terminal?")
        #expect(q[0][0] == 1 + 0.5 * 5, "1.5: Q(0, right) = 1 + 0.5 * V(1) = 3.5, got \(q[0][0])")
        #expect(q[1][1] == 2.5, "1.5: Q(1, stay) = 0 + 0.5 * 5, got \(q[1][1])")
    }

    @Test("weights stochastic outcomes by their probabilities; gamma 0 gives r(s, a)")
    func stochastic() throws {
        let q = try actionValues(from: [0, 0], in: Fixtures.bandit, gamma: 0)
        try #require(q.count == 2 && q.allSatisfy { $0.count == 2 }, "1.5: q[s][a] needs one row per state (2) with one entry per action (2), got \(q.map(\.count))")
        #expect(q[0] == [1, 5], "1.5: weight each outcome by its probability: Q(0, .) = expected rewards (1, 0.5 * 10 + 0.5 * 0), got \(q[0])")
    }

    @Test("rejects values of the wrong length")
    func rejects() throws {
        #expect(throws: InvalidArgument.self) { try actionValues(from: [0], in: Fixtures.chain, gamma: 0.5) }
        _ = try actionValues(from: [0, 0, 0], in: Fixtures.chain, gamma: 0.5)
    }
}
