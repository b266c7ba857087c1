import CourseKit
import Environments
import Testing
import ValueIteration

@Suite("2.3 qValueIteration")
struct QValueIterationTests {
    @Test func firstTwoSweepsByHand() throws {
        let mdp = try tinyMDP()
        let one = try qValueIteration(mdp, gamma: 0.5, tolerance: 1e-12, maxSweeps: 1)
        #expect(one.sweeps == 1 && !one.converged, "2.3: ignores maxSweeps: with maxSweeps 1 stop after one sweep (converged == false), got \(one.sweeps) sweeps, converged \(one.converged)")
        try #require(one.q.map(\.count) == [2, 2, 2], "2.3: one row per state with one entry per legal action expected, got rows of \(one.q.map(\.count))")
        #expect(one.sweeps != 1 || maxError(one.q.flatMap { $0 }, [1.5, 0.75, 3, -0.25, 0, 0]) > 1e-12,
                "2.3: the table is updated in place while the sweep reads it: Q_1(s0, a1) = 0 + 0.5 max_a' Q_0(s0, a') = 0 comes from the OLD table, got \(one.q) — compute the whole sweep from the previous table")
        #expect(abs(one.q[1][0] - 3) < 1e-12, "2.3: a terminated outcome still earns its reward: Q_1(s1, a0) = 3 (the step into the terminal state pays 3; only the bootstrap term is dropped), got \(one.q[1][0])")
        // Q_1 = expected immediate rewards.
        #expect(one.q.count == 3 && maxError(one.q.flatMap { $0 }, [1.5, 0, 3, -1, 0, 0]) < 1e-12, "2.3: from Q_0 = 0 the first sweep gives the expected rewards [[1.5, 0], [3, -1], [0, 0]], got \(one.q)")
        let two = try qValueIteration(mdp, gamma: 0.5, tolerance: 1e-12, maxSweeps: 2)
        // Q_2(s0,a0) = 1/2 (1 + 0.5 * max(3, -1)) + 1/2 * 2 = 2.25; Q_2(s0,a1) = 0.5 * 1.5; Q_2(s1,a1) = -1 + 0.5 * 1.5.
        let expected = [2.25, 0.75, 3, -0.25, 0, 0]
        #expect(two.q.count != 3 || maxError(two.q.flatMap { $0 }, [1.75, 0.375, 3, -0.625, 0, 0]) > 1e-12,
                "2.3: bootstrap with the max over the next state's actions, max_a' Q_1(s', a'), not the mean: Q_2(s0, a0) = 1/2 (1 + 0.5 max(3, -1)) + 1/2 * 2 = 2.25, got \(two.q)")
        #expect(two.q.count != 3 || maxError(two.q.flatMap { $0 }, [2.25, 0, 3, -1, 0, 0]) > 1e-12,
                "2.3: bootstraps with Q(s', a) of the same action a; Q-value iteration takes max_a' Q(s', a') over all of the next state's actions: Q_2(s0, a1) = 0 + 0.5 max(1.5, 0) = 0.75, got \(two.q)")
        #expect(two.q.count == 3 && maxError(two.q.flatMap { $0 }, expected) < 1e-12, "2.3: expected Q_2 = [[2.25, 0.75], [3, -0.25], [0, 0]], got \(two.q) — bootstrap with max_a' Q_1(s', a') (not the mean, not Q of the same action), skip it on terminated outcomes, and compute the sweep from the previous table")
        #expect(two.sweeps == 2 && !two.converged, "2.3: with maxSweeps 2, expected sweeps == 2 and converged == false, got \(two.sweeps), \(two.converged)")
    }

    @Test func rowMaximaAreTheOptimalValues() throws {
        let small = try qValueIteration(FrozenLake(.fourByFour).model, gamma: 0.9, tolerance: 1e-12)
        #expect(maxError(small.q.map { $0.max() ?? .nan }, frozenLake4x4Values) < 1e-8, "2.3: max_a Q*(s, a) must equal Gymnasium's V* on FrozenLake 4x4 (gamma 0.9); got max_a Q(start, a) = \(small.q.first?.max() ?? .nan), expected 0.06889")
        let large = try qValueIteration(FrozenLake(.eightByEight).model, gamma: 0.99, tolerance: 1e-12)
        #expect(maxError(large.q.map { $0.max() ?? .nan }, frozenLake8x8Values) < 1e-8, "2.3: max_a Q*(s, a) must equal Gymnasium's V* on FrozenLake 8x8 (gamma 0.99); got \(large.q.first?.max() ?? .nan), expected 0.41464")
        for i in 1..<large.deltas.count {
            #expect(large.deltas[i] <= 0.99 * large.deltas[i - 1] + 1e-12, "2.3: the change per sweep must shrink at least by gamma (sweep \(i + 1): \(large.deltas[i]) after \(large.deltas[i - 1])) — are the sweeps synchronous?")
        }
    }

    @Test func gammaZeroGivesExpectedRewards() throws {
        let mdp = FrozenLake(.fourByFour).model
        let result = try qValueIteration(mdp, gamma: 0, tolerance: 1e-12)
        let expected = (0..<mdp.stateCount).flatMap { s in (0..<mdp.actionCount(in: s)).map { mdp.expectedReward(state: s, action: $0) } }
        #expect(maxError(result.q.flatMap { $0 }, expected) < 1e-12, "2.3: with gamma = 0, Q(s, a) is the expected immediate reward r(s, a)")
    }

    @Test func rowsHaveTheLegalActionsOnly() throws {
        // The maximisation-bias model: 2 actions in A, 10 in B; B's mean reward is -0.1.
        let mdp = MaximizationBias().model
        let result = try qValueIteration(mdp, gamma: 1, tolerance: 1e-12)
        #expect(result.q.map(\.count) == (0..<mdp.stateCount).map { mdp.actionCount(in: $0) }, "2.3: row s must have mdp.actionCount(in: s) entries (2 in A, 10 in B), got \(result.q.map(\.count))")
        let a = result.q.first ?? []
        #expect(a.count == 2 && abs(a[0] + 0.1) < 1e-12 && abs(a[1]) < 1e-12, "2.3: Q*(A, left) = -0.1 and Q*(A, right) = 0, got \(a)")
    }

    @Test func rejectsBadArguments() throws {
        let mdp = try tinyMDP()
        #expect(throws: InvalidArgument.self, "2.3: gamma 2 must be rejected") {
            _ = try qValueIteration(mdp, gamma: 2)
        }
        #expect(throws: InvalidArgument.self, "2.3: a negative tolerance must be rejected") {
            _ = try qValueIteration(mdp, gamma: 0.9, tolerance: -1)
        }
        let result = try qValueIteration(mdp, gamma: 0.5, tolerance: 1e-12)
        #expect(maxError(result.q.map { $0.max() ?? .nan }, referenceOptimalValues(mdp, gamma: 0.5)) < 1e-10, "2.3: wrong optimal action values on the tiny model: \(result.q)")
    }
}
