import CourseKit
import Environments
import Testing
import ValueIteration

@Suite("2.5 policyIteration")
struct PolicyIterationTests {
    @Test func evaluatesEachPolicyAndImprovesUntilStable() throws {
        // One state looping with reward 1 at gamma 0.5: its only policy is worth 1 / (1 - 0.5) = 2.
        let result = try policyIteration(try selfLoopMDP(), gamma: 0.5)
        #expect(result.changes.first == 1 && result.iterations == 2,
                "2.5: the first improvement starts from a stochastic policy, so it changes every state (changes[0] == 1 here), and only a second round can find the policy stable; got \(result.iterations) round(s), changes \(result.changes) — stopping after one round means the stability test compared the new policy with itself")
        #expect(abs((result.values.first ?? .nan) - 2) < 1e-9,
                "2.5: evaluate each policy until a sweep changes V by less than evaluationTolerance: the self-loop is worth 1 / (1 - 0.5) = 2, got \(result.values) (one sweep per round gives 1.5)")
        #expect(result.policy == [0], "2.5: the only action of the self-loop is 0, got the policy \(result.policy)")
    }

    @Test func startsFromTheInitialPolicy() throws {
        // From "always quit" each improvement extends "go on" back by one state:
        // [quit, quit, quit] -> [quit, quit, go] -> [quit, go, go] -> [go, go, go], found stable in round 4.
        // From the uniform policy the first improvement is already optimal (2 rounds).
        let mdp = try quitOrGoOnMDP()
        let quit = (0..<mdp.stateCount).map { _ in [1.0, 0] }
        let result = try policyIteration(mdp, gamma: 0.9, initialPolicy: quit)
        #expect(result.iterations == 4 && Array(result.changes.dropFirst()) == [1, 1, 0],
                "2.5: ignores initialPolicy: from 'always quit' the improvement pulls 'go on' back one state per round (4 rounds, changes after the first [1, 1, 0]); got \(result.iterations) rounds, changes \(result.changes) (a start from the uniform policy needs only 2)")
        #expect(Array(result.policy.prefix(3)) == [1, 1, 1] && maxError(Array(result.values.prefix(3)), [8.1, 9, 10]) < 1e-9,
                "2.5: going on is optimal in states 0, 1 and 2 (V* = 8.1, 9, 10), got the policy \(result.policy) with values \(result.values)")
    }

    @Test func keepsTheCurrentActionWhenItIsAsGoodAsTheBest() throws {
        // Round 1 (from the uniform policy) makes s0 quit; then "go on" is better by only 5e-10 < 1e-9, so quitting stays.
        let result = try policyIteration(try nearTieMDP(), gamma: 1)
        #expect(result.policy.first == 0 && result.iterations == 2,
                "2.5: keep the current action when it is as good as the best (within 1e-9): in s0 'go on' beats the current 'quit' by only 5e-10, so the policy of round 1 is stable; got the policy \(result.policy) after \(result.iterations) rounds — switching between nearly equal actions is how policy iteration flips between ties forever")
    }

    @Test func solvesTheLectureGridWorld() throws {
        let mdp = GridWorld.lecture().model
        let result = try policyIteration(mdp, gamma: 1)
        #expect(maxError(result.values, gridWorldOptimalValues) < 1e-6, "2.5: policy iteration must reach the optimal values (minus the Manhattan distance), got \(result.values)")
        try #require(result.policy.count == mdp.stateCount, "2.5: the policy needs one action per state, got \(result.policy)")
        let achieved = referencePolicyValues(mdp, policy: result.policy, gamma: 1)
        #expect(maxError(achieved, gridWorldOptimalValues) < 1e-6, "2.5: the returned policy \(result.policy) is not optimal — it earns \(achieved)")
        // From the random policy, one improvement is already optimal; the second round finds it stable.
        #expect(result.iterations >= 2 && result.iterations <= 3, "2.5: expected 2 or 3 evaluate-improve rounds on the grid world, got \(result.iterations) — with many equally good actions, keep the current action when it is as good as the best, or the loop flips between ties")
        #expect(result.changes.last == 0 && result.changes.count == result.iterations && result.evaluationSweeps.count == result.iterations, "2.5: changes and evaluationSweeps need one entry per round and the last change count must be 0, got \(result.changes), \(result.evaluationSweeps)")
    }

    @Test func matchesGymnasiumFrozenLake() throws {
        for (mdp, values, gamma) in [(FrozenLake(.fourByFour).model, frozenLake4x4Values, 0.9),
                                     (FrozenLake(.eightByEight).model, frozenLake8x8Values, 0.99)] {
            let result = try policyIteration(mdp, gamma: gamma, evaluationTolerance: 1e-12)
            #expect(maxError(result.values, values) < 1e-7, "2.5: on \(mdp.name) (gamma \(gamma)) policy iteration must reach Gymnasium's V*, got V(start) = \(result.values.first ?? .nan), expected \(values[0])")
            #expect(isGreedy(result.policy, mdp, values: values, gamma: gamma, slack: 1e-7), "2.5: on \(mdp.name) the final policy must be greedy with respect to V*")
            #expect(result.iterations <= 20, "2.5: policy iteration needs only a handful of rounds on \(mdp.name), got \(result.iterations)")
        }
    }

    @Test func agreesWithValueIterationOnRandomModels() throws {
        // The yardstick is the tests' own value iteration (not exercise 2.2).
        for seed: UInt64 in 1...6 {
            let mdp = try randomMDP(seed: seed)
            let optimal = referenceOptimalValues(mdp, gamma: 0.9)
            let result = try policyIteration(mdp, gamma: 0.9, evaluationTolerance: 1e-12)
            #expect(maxError(result.values, optimal) < 1e-8, "2.5: on random model \(seed), policy iteration's values differ from value iteration's by \(maxError(result.values, optimal)) — evaluate to the tolerance and improve until no action changes")
            try #require(result.policy.count == mdp.stateCount, "2.5: the policy needs one action per state, got \(result.policy)")
            let achieved = referencePolicyValues(mdp, policy: result.policy, gamma: 0.9)
            #expect(maxError(achieved, optimal) < 1e-8, "2.5: on random model \(seed) the returned policy is not optimal")
        }
    }

    @Test func startsFromTheGivenPolicy() throws {
        let mdp = FrozenLake(.fourByFour).model
        let allLeft = (0..<mdp.stateCount).map { _ in [1.0, 0, 0, 0] }
        let result = try policyIteration(mdp, gamma: 0.9, evaluationTolerance: 1e-12, initialPolicy: allLeft)
        #expect(maxError(result.values, frozenLake4x4Values) < 1e-7, "2.5: starting from 'always left', policy iteration must still reach V*, got \(result.values.first ?? .nan)")
        #expect(throws: InvalidArgument.self, "2.5: an initial policy row that does not sum to 1 must be rejected") {
            _ = try policyIteration(mdp, gamma: 0.9, initialPolicy: (0..<mdp.stateCount).map { _ in [0.5, 0, 0, 0] })
        }
        #expect(throws: InvalidArgument.self, "2.5: an initial policy with the wrong number of rows must be rejected") {
            _ = try policyIteration(mdp, gamma: 0.9, initialPolicy: [[1, 0, 0, 0]])
        }
    }

    @Test func improvesOverTheLegalActionsOnly() throws {
        // State 0 has one legal action; the model's action 1 is an unavailable placeholder paying 100.
        let result = try policyIteration(try legalActionsMDP(), gamma: 0.9)
        #expect(result.policy == [0, 0] && abs((result.values.first ?? .nan) - 1) < 1e-9,
                "2.5: the improvement picks among the actions legal in s, 0..<mdp.actionCount(in: s): state 0 has only action 0 (worth 1), got the policy \(result.policy) with values \(result.values) (action 1 is an unavailable placeholder)")
    }
}
