import CourseKit
import Environments
import Testing
import ValueIteration

@Suite("2.4 greedyPolicy")
struct GreedyPolicyExtractionTests {
    @Test func lectureGridWorldWithLowestIndexTies() throws {
        let mdp = GridWorld.lecture().model
        let policy = try greedyPolicy(mdp, values: gridWorldOptimalValues, gamma: 1)
        // Actions: 0 up, 1 right, 2 down, 3 left; ties go to the lowest index.
        let expected = [0, 3, 3, 2,
                        0, 0, 0, 2,
                        0, 0, 1, 2,
                        0, 1, 1, 0]
        #expect(policy == expected, "2.4: expected the greedy policy \(expected) (0 up, 1 right, 2 down, 3 left; ties to the lowest action, terminal states 0), got \(policy) — replace the best action only on a strictly larger lookahead value")
    }

    @Test func looksAheadWithRewardAndDiscount() throws {
        let mdp = try patienceMDP()
        // a0 ends with 1; a1 gets 0 + gamma * V(s1) = gamma * 10. The terminal's 50 must be ignored.
        let values = [0.0, 10, 50]
        let farSighted = try greedyPolicy(mdp, values: values, gamma: 0.9)
        #expect(farSighted.first == 1, "2.4: with gamma 0.9, a1 is worth 0.9 * 10 = 9 > 1, got action \(farSighted.first ?? -1) — did you add gamma * V(s') for the terminal outcome of a0 (1 + 45)?")
        let myopic = try greedyPolicy(mdp, values: values, gamma: 0)
        #expect(myopic.first == 0, "2.4: ignores gamma: with gamma 0 only the immediate reward counts (a0 pays 1 > 0), got action \(myopic.first ?? -1) — the lookahead is r + gamma V(s') with the gamma passed in (did you compare r + V(s'), or V(s') alone?)")
    }

    @Test func weightsOutcomesAndCountsTheReward() throws {
        // Tiny model, V = (4, 0, 0), gamma 0.5: in s0, a0 = 1/2 (1 + 0.5 * 0) + 1/2 * 2 = 1.5 < a1 = 0 + 0.5 * 4 = 2.
        let tiny = try greedyPolicy(try tinyMDP(), values: [4, 0, 0], gamma: 0.5)
        #expect(tiny.first == 1, "2.4: weight each outcome by its probability: in s0 of the tiny model a0 is worth 1/2 (1 + 0.5 * 0) + 1/2 * 2 = 1.5 < a1 = 0.5 * 4 = 2 (added up without the weights a0 would look like 3), got action \(tiny.first ?? -1)")
        // Patience model, V = (0, 0.5, 0), gamma 0.9: a0 ends with reward 1 > a1 = 0 + 0.9 * 0.5 = 0.45.
        let patience = try greedyPolicy(try patienceMDP(), values: [0, 0.5, 0], gamma: 0.9)
        #expect(patience.first == 0, "2.4: the lookahead includes the reward: q(s, a) = sum p (r + gamma V(s')); a0 ends at once with reward 1 > a1's 0 + 0.9 * 0.5 = 0.45, got action \(patience.first ?? -1) (ranking the actions by V(s') alone picks a1)")
    }

    @Test func isGreedyOnFrozenLake() throws {
        for (mdp, values, gamma) in [(FrozenLake(.fourByFour).model, frozenLake4x4Values, 0.9),
                                     (FrozenLake(.eightByEight).model, frozenLake8x8Values, 0.99)] {
            let policy = try greedyPolicy(mdp, values: values, gamma: gamma)
            #expect(isGreedy(policy, mdp, values: values, gamma: gamma, slack: 1e-9), "2.4: on \(mdp.name) some action is not a maximiser of sum p (r + gamma V(s')): \(policy)")
            let achieved = referencePolicyValues(mdp, policy: policy, gamma: gamma)
            #expect(maxError(achieved, values) < 1e-6, "2.4: the greedy policy of V* must itself be optimal on \(mdp.name), but it reaches V(start) = \(achieved.first ?? .nan) instead of \(values[0])")
        }
    }

    @Test func choosesAmongTheLegalActionsOnly() throws {
        // State 0 has one legal action; the model's action 1 is an unavailable placeholder paying 100.
        let policy = try greedyPolicy(try legalActionsMDP(), values: [0, 0], gamma: 0.9)
        #expect(policy == [0, 0], "2.4: pick among the actions legal in s, 0..<mdp.actionCount(in: s): state 0 has only action 0, got \(policy) (action 1 is an unavailable placeholder)")
    }

    @Test func rejectsBadArguments() throws {
        let mdp = try tinyMDP()
        #expect(throws: InvalidArgument.self, "2.4: values of the wrong length must be rejected") {
            _ = try greedyPolicy(mdp, values: [1, 2], gamma: 0.9)
        }
        let policy = try greedyPolicy(mdp, values: [0, 0, 0], gamma: 0.9)
        #expect(policy == [0, 0, 0], "2.4: with V = 0 the tiny model's greedy actions are [0, 0, 0] (1.5 > 0, 3 > -1, terminal 0), got \(policy)")
    }
}
