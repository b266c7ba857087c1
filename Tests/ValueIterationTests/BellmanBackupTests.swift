import CourseKit
import Environments
import Testing
import ValueIteration

@Suite("2.1 bellmanOptimalityBackup")
struct BellmanBackupTests {
    @Test func takesTheMaximumOverActions() throws {
        let mdp = try tinyMDP()
        // a0: 1/2 (1 + 0.5 * 4) + 1/2 * 2 = 2.5;  a1: 0 + 0.5 * 10 = 5.
        let v = try bellmanOptimalityBackup(mdp, values: [10, 4, 0], state: 0, gamma: 0.5)
        #expect(abs(v - 3.75) > 1e-12, "2.1: takes the average over actions, (2.5 + 5) / 2 = 3.75, instead of the maximum: the optimality backup is max_a sum p (r + gamma V(s')), expected 5")
        #expect(abs(v - 2.5) > 1e-12, "2.1: returns the first action's value (2.5), not the maximum over the actions: a1 is worth 0 + 0.5 * 10 = 5")
        #expect(abs(v - 5) < 1e-12, "2.1: expected max(2.5, 5) = 5, got \(v) — did you average over actions (3.75) instead of taking the maximum, or return the first action's value (2.5)?")
    }

    @Test func weightsOutcomesByProbability() throws {
        let mdp = try tinyMDP()
        // a0: 1/2 (1 + 0.5 * 4) + 1/2 (2 + 0) = 2.5;  a1: 0 + 0.5 * 2 = 1.
        let v = try bellmanOptimalityBackup(mdp, values: [2, 4, 0], state: 0, gamma: 0.5)
        #expect(abs(v - 1.75) > 1e-12, "2.1: the reward is not discounted: q(s, a) = sum p (r + gamma V(s')), not gamma sum p (r + V(s')); got 1.75 = 0.5 (1/2 (1 + 4) + 1/2 * 2), expected 2.5")
        #expect(abs(v - 2) > 1e-12, "2.1: V is read at the next state s', not at s: got 2 = 1/2 (1 + 0.5 V(s0)) + 1/2 * 2, expected 1/2 (1 + 0.5 V(s1)) + 1/2 * 2 = 2.5")
        #expect(abs(v - 5) > 1e-12, "2.1: weight each outcome by its probability: got 5 = (1 + 0.5 * 4) + 2, the outcomes added up, expected 1/2 (1 + 0.5 * 4) + 1/2 * 2 = 2.5")
        #expect(abs(v - 2.5) < 1e-12, "2.1: expected 1/2 (1 + 0.5 * 4) + 1/2 * 2 = 2.5, got \(v) — did you forget to weight each outcome by its probability (5.0) or to discount V(s') (3.5)?")
    }

    @Test func doesNotBootstrapFromTerminalOutcomes() throws {
        let mdp = try tinyMDP()
        // The terminal state's entry (100) must be ignored: a0 = 2.5 as above.
        let v = try bellmanOptimalityBackup(mdp, values: [2, 4, 100], state: 0, gamma: 0.5)
        #expect(abs(v - 2.5) < 1e-12, "2.1: bootstraps from a terminal state: an outcome with terminated == true contributes only its reward, whatever V says about the terminal state (here 100); expected 2.5, got \(v) (27.5 adds 1/2 * 0.5 * 100)")
        let terminal = try bellmanOptimalityBackup(mdp, values: [2, 4, 100], state: 2, gamma: 0.5)
        #expect(abs(terminal) < 1e-12, "2.1: a terminal state's backup is 0 (its self-loop is terminated with reward 0), got \(terminal) — you bootstrapped through a terminal state")
    }

    @Test func gammaZeroGivesTheBestExpectedReward() throws {
        let mdp = try tinyMDP()
        let v0 = try bellmanOptimalityBackup(mdp, values: [10, 4, 0], state: 0, gamma: 0)
        #expect(abs(v0 - 1.5) < 1e-12, "2.1: with gamma = 0 the backup is max_a E[r] = max(1.5, 0) = 1.5, got \(v0) — is gamma multiplying V(s') only?")
        let v1 = try bellmanOptimalityBackup(mdp, values: [10, 4, 0], state: 1, gamma: 0)
        #expect(abs(v1 - 3) < 1e-12, "2.1: with gamma = 0, state 1's backup is max(3, -1) = 3, got \(v1)")
    }

    @Test func optimalValuesAreAFixedPoint() throws {
        let mdp = GridWorld.lecture().model
        for s in 0..<mdp.stateCount {
            let v = try bellmanOptimalityBackup(mdp, values: gridWorldOptimalValues, state: s, gamma: 1)
            #expect(v != 0 || gridWorldOptimalValues[s] == 0, "2.1: the maximum of negative action values is negative: every action of state \(s) costs, and the best is worth \(gridWorldOptimalValues[s]); got 0 — start the running maximum at -infinity (or at the first action's value), not at 0")
            #expect(abs(v - gridWorldOptimalValues[s]) < 1e-12, "2.1: V* of the lecture grid world must satisfy V = T V, but state \(s) backs up to \(v) instead of \(gridWorldOptimalValues[s]) — check the max, the reward and the terminal handling")
        }
    }

    @Test func maximisesOverTheLegalActionsOnly() throws {
        // State 0 has one legal action (it ends with reward 1); the model's action 1 is an unavailable placeholder paying 100.
        let v = try bellmanOptimalityBackup(try legalActionsMDP(), values: [0, 0], state: 0, gamma: 0.9)
        #expect(abs(v - 1) < 1e-12, "2.1: the maximum runs over the actions legal in s, 0..<mdp.actionCount(in: s): state 0 has one legal action, worth 1, got \(v) (100 is the unavailable placeholder action)")
    }

    @Test func rejectsBadArguments() throws {
        let mdp = try tinyMDP()
        #expect(throws: InvalidArgument.self, "2.1: gamma 1.5 must be rejected with InvalidArgument") {
            _ = try bellmanOptimalityBackup(mdp, values: [0, 0, 0], state: 0, gamma: 1.5)
        }
        #expect(throws: InvalidArgument.self, "2.1: a value array of the wrong length must be rejected") {
            _ = try bellmanOptimalityBackup(mdp, values: [0, 0], state: 0, gamma: 0.9)
        }
        #expect(throws: InvalidArgument.self, "2.1: a state outside the model must be rejected") {
            _ = try bellmanOptimalityBackup(mdp, values: [0, 0, 0], state: 3, gamma: 0.9)
        }
        // A real call in the same test, so that it cannot pass on the skeleton.
        let v = try bellmanOptimalityBackup(mdp, values: [0, 0, 0], state: 1, gamma: 0.9)
        #expect(abs(v - 3) < 1e-12, "2.1: with V = 0, state 1 backs up to max(3, -1) = 3, got \(v)")
    }
}
