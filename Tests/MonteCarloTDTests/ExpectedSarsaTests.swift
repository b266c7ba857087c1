import CourseKit
import Environments
import Testing
import MonteCarloTD
import TensorCore

@Suite("3.8 expectedSarsaEpisode")
struct ExpectedSarsaTests {
    @Test func targetIsTheExpectationByHand() throws {
        // One step (maxSteps 1) from s0, which has one action, to s1 with three actions; alpha 1, gamma 1,
        // epsilon 0.3: pi(.|s1) = 0.1 each plus 0.7 on the greedy action.
        func targets(_ row: [Double]) throws -> [Double] {
            try (0..<40).map { run in
                try playOnce(try oneStepToThreeActionsEnvironment(), from: [[0], row, [0, 0, 0]], seed: UInt64(run)) { env, q, g in
                    try expectedSarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.3, maxSteps: 1, using: &g)
                }.q
            }.map { entry($0, 0, 0) }
        }
        let plain = try targets([6, 3, 0])
        #expect(plain.allSatisfy { abs($0 - 5.1) < 1e-12 }, "3.8: with epsilon 0.3 and Q(S', .) = [6, 3, 0] the target is the expectation under the epsilon-greedy policy, 0.8 * 6 + 0.1 * 3 + 0.1 * 0 = 5.1, got \(Set(plain).sorted()) — 6 means you used the max (that is Q-learning), 3 means a plain average over the actions, 4.5 means the greedy action got 1 - epsilon without its share epsilon / n, and several different values mean a single sampled A' (that is SARSA) instead of the expectation")
        let tied = try targets([6, 6, 0])
        #expect(tied.allSatisfy { abs($0 - 5.4) < 1e-12 }, "3.8: with Q(S', .) = [6, 6, 0] the k tied maxima share the greedy mass: pi = [0.1 + 0.35, 0.1 + 0.35, 0.1], target 0.9 * 6 = 5.4, got \(Set(tied).sorted()) — 9.6 means each tied maximum got the whole 1 - epsilon (the weights must sum to 1)")
    }

    @Test func twoEpisodesOnAChainByHand() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 1)
        var q: [[Double]] = [[0], [0], [100]]
        _ = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        _ = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-1], [-0.75], [100]]) < 1e-12, "3.8: after two chain episodes expected [[-1], [-0.75], [100]], got \(q) — no bootstrap from the terminal state")
    }

    @Test func discountsTheBootstrapByHand() throws {
        // One action, so any epsilon-greedy choice is action 0. Alpha 1, gamma 0.5 and Q(1) = 4 before the
        // episode: Q(0) = -1 + 0.5 * 4 = 1, then Q(1) = -1 (terminal).
        let (q, _) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try expectedSarsaEpisode(&env, q: &q, alpha: 1, gamma: 0.5, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 1) < 1e-12, "3.8: with alpha 1 and gamma 0.5, Q(0) = R + gamma sum_a pi(a|S') Q(S', a) = -1 + 0.5 * 4 = 1, got \(entry(q, 0, 0)) — 3 means gamma was ignored")
    }

    @Test func bootstrapsAtTimeLimitsAndStopsAtMaxSteps() throws {
        // A time limit of one step: S' = 1 is not terminal, so Q(0) = -1 + Q(1) = 3 (alpha 1, gamma 1).
        let (q, episode) = try playOnce(try TimeLimit(chainEnvironment(), maxEpisodeSteps: 1), from: chainStart) { env, q, g in
            try expectedSarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 3) < 1e-12, "3.8: a time limit is not a terminal state: after a truncated first step Q(0) = -1 + 1 * 4 = 3, got \(entry(q, 0, 0)) (-1 means the truncated step was treated as terminal; bootstrap on truncation)")
        #expect(episode.states == [0, 1] && episode.length == 1 && !episode.terminated, "3.8: an episode cut by a time limit has one step and terminated == false, got \(episode)")
        // maxSteps 1 on the plain chain stops the same way.
        let (limited, short) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try expectedSarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, maxSteps: 1, using: &g)
        }
        #expect(short.states == [0, 1] && short.length == 1 && !short.terminated, "3.8: with maxSteps 1 the episode must stop after maxSteps steps: expected states [0, 1], one step, terminated == false, got \(short)")
        #expect(tableError(limited, [[3], [4], [100]]) < 1e-12, "3.8: stopped by maxSteps after one step, only Q(0) changes, and its target still bootstraps: expected [[3], [4], [100]], got \(limited)")
    }

    @Test func updatesTowardsTheExpectedValue() throws {
        let runs = try learnedAndReplayed("3.8", target: .expectedSarsa(epsilon: 0.5)) { env, q, g in
            try expectedSarsaEpisode(&env, q: &q, alpha: 0.2, gamma: 0.9, epsilon: 0.5, using: &g)
        }
        for (q, expected) in runs {
            #expect(tableError(q, expected) < 1e-9, "3.8: replaying your episodes with the target R + gamma sum_a pi(a|S') Q(S', a), pi epsilon-greedy (epsilon/n each, plus (1 - epsilon) on the greedy action), gives a different table (max difference \(tableError(q, expected))) — did you give the greedy action only 1 - epsilon, or use the max?")
        }
    }

    @Test func earnsMoreThanQLearningOnTheCliff() throws {
        var online: [Double] = []
        for seed: UInt64 in 1...5 {
            var env = CliffWalking(seed: seed)
            _ = env.reset(seed: seed)
            var g = SeededGenerator(seed: seed &* 101)
            var q = makeQTable(for: env)
            for episode in 0..<500 {
                let result = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
                if episode >= 100 { online.append(result.totalReward) }
            }
        }
        let mean = online.reduce(0, +) / Double(max(online.count, 1))
        #expect(mean > -35, "3.8: Expected SARSA (alpha 0.5, epsilon 0.1) should average about -20 online on the cliff, got \(mean)")
    }
}
