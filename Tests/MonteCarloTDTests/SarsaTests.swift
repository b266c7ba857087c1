import CourseKit
import Environments
import Testing
import MonteCarloTD
import TensorCore

@Suite("3.5 sarsaEpisode")
struct SarsaTests {
    @Test func twoEpisodesOnAChainByHand() throws {
        // Uses your epsilonGreedy (3.4) if sarsaEpisode calls it; with one action any choice is action 0.
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 1)
        var q: [[Double]] = [[0], [0], [100]]  // the terminal row must never be used
        let first = try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(entry(q, 2, 0) == 100, "3.5: sarsaEpisode learns in the Q table passed in, and the terminal row is never updated: Q(2) should still be 100, got \(q) — 0 means you started from a fresh table instead of the Q passed in")
        #expect(tableError(q, [[-0.5], [-0.5], [100]]) < 1e-12, "3.5: after one episode expected Q = [[-0.5], [-0.5], [100]], got \(q) — the last update's target is just R (no bootstrap from the terminal state)")
        #expect(first.states == [0, 1, 2] && first.actions == [0, 0] && first.rewards == [-1, -1] && first.terminated, "3.5: the returned episode should be states [0, 1, 2], actions [0, 0], rewards [-1, -1], terminated, got \(first)")
        _ = try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-1], [-0.75], [100]]) < 1e-12, "3.5: after two episodes expected [[-1], [-0.75], [100]], got \(q)")
    }

    @Test func discountsTheBootstrapByHand() throws {
        // One action, so any epsilon-greedy choice is action 0. Alpha 1, gamma 0.5 and Q(1) = 4 before the
        // episode: Q(0) = -1 + 0.5 * 4 = 1, then Q(1) = -1 (terminal).
        let (q, _) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try sarsaEpisode(&env, q: &q, alpha: 1, gamma: 0.5, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 1) < 1e-12, "3.5: with alpha 1 and gamma 0.5, Q(0) = R + gamma Q(S', A') = -1 + 0.5 * 4 = 1, got \(entry(q, 0, 0)) — 3 means gamma was ignored")
    }

    @Test func bootstrapsAtTimeLimitsAndStopsAtMaxSteps() throws {
        // A time limit of one step: S' = 1 is not terminal, so Q(0) = -1 + Q(1) = 3 (alpha 1, gamma 1).
        let (q, episode) = try playOnce(try TimeLimit(chainEnvironment(), maxEpisodeSteps: 1), from: chainStart) { env, q, g in
            try sarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 3) < 1e-12, "3.5: a time limit is not a terminal state: after a truncated first step Q(0) = -1 + 1 * 4 = 3, got \(entry(q, 0, 0)) (-1 means the truncated step was treated as terminal; bootstrap on truncation)")
        #expect(episode.states == [0, 1] && episode.length == 1 && !episode.terminated, "3.5: an episode cut by a time limit has one step and terminated == false, got \(episode)")
        // maxSteps 1 on the plain chain stops the same way.
        let (limited, short) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try sarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, maxSteps: 1, using: &g)
        }
        #expect(short.states == [0, 1] && short.length == 1 && !short.terminated, "3.5: with maxSteps 1 the episode must stop after maxSteps steps: expected states [0, 1], one step, terminated == false, got \(short)")
        #expect(tableError(limited, [[3], [4], [100]]) < 1e-12, "3.5: stopped by maxSteps after one step, only Q(0) changes, and its target still bootstraps: expected [[3], [4], [100]], got \(limited)")
    }

    @Test func exploresWithTheGivenEpsilon() throws {
        // Uses your epsilonGreedy (3.4). Every episode starts from Q(0, .) = [0, 1]: action 1 is greedy.
        let greedy = try firstActions(200, seed: 21) { env, g in
            var q: [[Double]] = [[0, 1], [0, 0]]
            return try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0, using: &g)
        }
        let explored = greedy.filter { $0 != 1 }.count
        #expect(explored == 0, "3.5: with epsilon 0 every episode should start with the greedy action 1 of Q(0, .) = [0, 1], got another action in \(explored) of 200 episodes — explore with the epsilon passed in")
        let random = try firstActions(400, seed: 22) { env, g in
            var q: [[Double]] = [[0, 1], [0, 0]]
            return try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 1, using: &g)
        }
        let nonGreedy = Double(random.filter { $0 != 1 }.count) / 400
        #expect(nonGreedy > 0.25, "3.5: with epsilon 1 the first action is uniformly random (action 0 about half the time), got a non-greedy first action in \(nonGreedy * 100)% of 400 episodes — explore with the epsilon passed in")
    }

    @Test func updatesTowardsTheActionTakenNext() throws {
        let runs = try learnedAndReplayed("3.5", target: .sarsa) { env, q, g in
            try sarsaEpisode(&env, q: &q, alpha: 0.2, gamma: 0.9, epsilon: 0.5, using: &g)
        }
        for (q, expected) in runs {
            #expect(tableError(q, expected) < 1e-9, "3.5: replaying your episodes with Q(S,A) += alpha (R + gamma Q(S', A') - Q(S,A)), A' the action actually taken next, gives a different table (max difference \(tableError(q, expected))) — did you bootstrap with max_a Q(S', a) (that is Q-learning) or re-draw A' after the update?")
        }
    }

    @Test func learnsTheSafePathOnTheCliff() throws {
        var online: [Double] = []
        for seed: UInt64 in 1...5 {
            var env = CliffWalking(seed: seed)
            _ = env.reset(seed: seed)
            var g = SeededGenerator(seed: seed &* 101)
            var q = makeQTable(for: env)
            for episode in 0..<1000 {
                // alpha 0.5 as in the book; then a smaller step size so that the greedy path settles.
                let result = try sarsaEpisode(&env, q: &q, alpha: episode < 300 ? 0.5 : 0.05, gamma: 1, epsilon: 0.1, using: &g)
                if (100..<300).contains(episode) { online.append(result.totalReward) }
            }
            if seed <= 3 {
                let path = greedyPath(q, env.model, start: env.startState)
                #expect(path.last == env.goalState && path.count - 1 >= 15 && !path.contains(where: isAboveCliff), "3.5: SARSA (epsilon 0.1) should learn a path that keeps away from the cliff edge and is longer than 13 steps, got \(path.count - 1) steps through \(path) — is the target R + gamma Q(S', A') with the exploratory A' actually taken?")
            }
        }
        let mean = online.reduce(0, +) / Double(max(online.count, 1))
        #expect(mean > -40, "3.5: SARSA's online return on the cliff should average about -25 (episodes 100-300, 5 seeds), got \(mean) — Q-learning-like updates give about -50")
    }

    @Test func rejectsBadArguments() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 1)
        var wrong: [[Double]] = [[0], [0]]
        #expect(throws: InvalidArgument.self, "3.5: a Q table with the wrong number of rows must be rejected") {
            _ = try sarsaEpisode(&env, q: &wrong, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        }
        var q = makeQTable(for: env)
        #expect(throws: InvalidArgument.self, "3.5: alpha 0 must be rejected") {
            _ = try sarsaEpisode(&env, q: &q, alpha: 0, gamma: 1, epsilon: 0.1, using: &g)
        }
        let episode = try sarsaEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        #expect(episode.length == 2 && tableError(q, [[-1], [-1], [0]]) < 1e-12, "3.5: with alpha 1 one chain episode gives Q = [[-1], [-1], [0]], got \(q)")
    }
}
