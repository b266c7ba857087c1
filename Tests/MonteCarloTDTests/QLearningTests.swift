import CourseKit
import Environments
import Testing
import MonteCarloTD
import TensorCore

@Suite("3.6 qLearningEpisode")
struct QLearningTests {
    @Test func twoEpisodesOnAChainByHand() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 1)
        var q: [[Double]] = [[0], [0], [100]]
        let first = try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-0.5], [-0.5], [100]]) < 1e-12, "3.6: after one episode expected [[-0.5], [-0.5], [100]], got \(q) — no bootstrap from the terminal state")
        #expect(first.states == [0, 1, 2] && first.actions == [0, 0] && first.rewards == [-1, -1] && first.terminated, "3.6: the returned episode should be states [0, 1, 2], actions [0, 0], rewards [-1, -1], terminated, got \(first)")
        _ = try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-1], [-0.75], [100]]) < 1e-12, "3.6: after two episodes expected [[-1], [-0.75], [100]], got \(q)")
    }

    @Test func discountsTheBootstrapByHand() throws {
        // One action, so any epsilon-greedy choice is action 0. Alpha 1, gamma 0.5 and Q(1) = 4 before the
        // episode: Q(0) = -1 + 0.5 * 4 = 1, then Q(1) = -1 (terminal).
        let (q, _) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try qLearningEpisode(&env, q: &q, alpha: 1, gamma: 0.5, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 1) < 1e-12, "3.6: with alpha 1 and gamma 0.5, Q(0) = R + gamma max_a Q(S', a) = -1 + 0.5 * 4 = 1, got \(entry(q, 0, 0)) — 3 means gamma was ignored, -1 means you bootstrapped from the state you left (max_a Q(S, a) instead of max_a Q(S', a))")
    }

    @Test func bootstrapsAtTimeLimitsAndStopsAtMaxSteps() throws {
        // A time limit of one step: S' = 1 is not terminal, so Q(0) = -1 + Q(1) = 3 (alpha 1, gamma 1).
        let (q, episode) = try playOnce(try TimeLimit(chainEnvironment(), maxEpisodeSteps: 1), from: chainStart) { env, q, g in
            try qLearningEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        }
        #expect(abs(entry(q, 0, 0) - 3) < 1e-12, "3.6: a time limit is not a terminal state: after a truncated first step Q(0) = -1 + 1 * 4 = 3, got \(entry(q, 0, 0)) (-1 means the truncated step was treated as terminal; bootstrap on truncation)")
        #expect(episode.states == [0, 1] && episode.length == 1 && !episode.terminated, "3.6: an episode cut by a time limit has one step and terminated == false, got \(episode)")
        // maxSteps 1 on the plain chain stops the same way.
        let (limited, short) = try playOnce(try chainEnvironment(), from: chainStart) { env, q, g in
            try qLearningEpisode(&env, q: &q, alpha: 1, gamma: 1, epsilon: 0.1, maxSteps: 1, using: &g)
        }
        #expect(short.states == [0, 1] && short.length == 1 && !short.terminated, "3.6: with maxSteps 1 the episode must stop after maxSteps steps: expected states [0, 1], one step, terminated == false, got \(short)")
        #expect(tableError(limited, [[3], [4], [100]]) < 1e-12, "3.6: stopped by maxSteps after one step, only Q(0) changes, and its target still bootstraps: expected [[3], [4], [100]], got \(limited)")
    }

    @Test func exploresWithTheGivenEpsilon() throws {
        // Uses your epsilonGreedy (3.4). Every episode starts from Q(0, .) = [0, 1]: action 1 is greedy.
        let greedy = try firstActions(200, seed: 21) { env, g in
            var q: [[Double]] = [[0, 1], [0, 0]]
            return try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0, using: &g)
        }
        let explored = greedy.filter { $0 != 1 }.count
        #expect(explored == 0, "3.6: with epsilon 0 every episode should start with the greedy action 1 of Q(0, .) = [0, 1], got another action in \(explored) of 200 episodes — explore with the epsilon passed in")
        let random = try firstActions(400, seed: 22) { env, g in
            var q: [[Double]] = [[0, 1], [0, 0]]
            return try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 1, using: &g)
        }
        let nonGreedy = Double(random.filter { $0 != 1 }.count) / 400
        #expect(nonGreedy > 0.25, "3.6: with epsilon 1 the first action is uniformly random (action 0 about half the time), got a non-greedy first action in \(nonGreedy * 100)% of 400 episodes — Q-learning learns about the greedy policy, but the behaviour policy is epsilon-greedy: explore with the epsilon passed in")
    }

    @Test func updatesTowardsTheGreedyValue() throws {
        let runs = try learnedAndReplayed("3.6", target: .qLearning) { env, q, g in
            try qLearningEpisode(&env, q: &q, alpha: 0.2, gamma: 0.9, epsilon: 0.5, using: &g)
        }
        for (q, expected) in runs {
            #expect(tableError(q, expected) < 1e-9, "3.6: replaying your episodes with Q(S,A) += alpha (R + gamma max_a Q(S', a) - Q(S,A)) gives a different table (max difference \(tableError(q, expected))) — did you bootstrap from the next action taken (that is SARSA)?")
        }
    }

    @Test func learnsTheCliffEdgeButEarnsLessOnline() throws {
        var online: [Double] = []
        for seed: UInt64 in 1...5 {
            var env = CliffWalking(seed: seed)
            _ = env.reset(seed: seed)
            var g = SeededGenerator(seed: seed &* 101)
            var q = makeQTable(for: env)
            for episode in 0..<500 {
                let result = try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
                if episode >= 100 { online.append(result.totalReward) }
            }
            let path = greedyPath(q, env.model, start: env.startState)
            #expect(path.last == env.goalState && path.count - 1 == 13, "3.6: Q-learning's greedy path on the cliff should be the optimal 13-step walk along the edge, got \(path.count - 1) steps through \(path)")
        }
        let mean = online.reduce(0, +) / Double(max(online.count, 1))
        #expect(mean < -40 && mean > -70, "3.6: Q-learning's online return (epsilon 0.1, episodes 100-500) should average about -50, because exploration near the edge falls off the cliff; got \(mean)")
    }

    @Test func overestimatesOnTheMaximisationBiasMDP() throws {
        var left = 0.0
        let runs = 300
        for run in 0..<runs {
            var env = MaximizationBias(seed: UInt64(run))
            _ = env.reset(seed: UInt64(run))
            var g = SeededGenerator(seed: UInt64(run) &+ 10_000)
            var q = makeQTable(for: env)
            for _ in 0..<100 {
                let episode = try qLearningEpisode(&env, q: &q, alpha: 0.1, gamma: 1, epsilon: 0.1, using: &g)
                if episode.actions.first == MaximizationBias.left { left += 1 }
            }
        }
        let fraction = left / Double(runs * 100)
        #expect(fraction > 0.45, "3.6: over the first 100 episodes Q-learning should take 'left' far more often than the optimal 5% (about 70%), got \(fraction * 100)% — max_a Q(B, a) of noisy estimates should be biased upwards; is the target using the max?")
    }
}
