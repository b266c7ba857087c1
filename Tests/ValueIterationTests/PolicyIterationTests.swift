import CourseKit
import Environments
import Testing
import ValueIteration

@Suite("2.5 policyIteration")
struct PolicyIterationTests {
    @Test func solvesTheLectureGridWorld() throws {
        let mdp = GridWorld.lecture().model
        let result = try policyIteration(mdp, gamma: 1)
        #expect(maxError(result.values, gridWorldOptimalValues) < 1e-6, "2.5: policy iteration must reach the optimal values (minus the Manhattan distance), got \(result.values)")
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
}
