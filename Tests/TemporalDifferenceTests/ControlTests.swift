import CourseKit
import Environments
import Testing
import TemporalDifference
import TensorCore

/// The replayed targets of the control methods (test-side reference).
enum Target { case sarsa, qLearning, expectedSarsa(epsilon: Double) }

/// Replays recorded episodes with the given update rule.
func replay(_ episodes: [Episode], from start: [[Double]], alpha: Double, gamma: Double, target: Target) -> [[Double]] {
    var q = start
    for e in episodes {
        for t in 0..<e.length {
            let s = e.states[t], a = e.actions[t], next = e.states[t + 1]
            let last = t == e.length - 1
            var future = 0.0
            if !(last && e.terminated) {
                switch target {
                case .sarsa: future = q[next][e.actions[t + 1]]
                case .qLearning: future = q[next].max()!
                case .expectedSarsa(let epsilon):
                    let best = q[next].max()!
                    let k = Double(q[next].filter { $0 == best }.count), n = Double(q[next].count)
                    future = q[next].reduce(0) { $0 + (epsilon / n + ($1 == best ? (1 - epsilon) / k : 0)) * $1 }
                }
            }
            q[s][a] += alpha * (e.rewards[t] + gamma * future - q[s][a])
        }
    }
    return q
}

/// Plays 40 episodes with `play` on the random control MDP of each seed 1...3
/// and returns, per seed, the table it learned and the table that replaying
/// the recorded episodes with `target` gives. Records an issue naming
/// `exercise` and stops at the first malformed episode record.
func learnedAndReplayed(_ exercise: String, target: Target,
                        play: (inout TabularEnvironment, inout [[Double]], inout SeededGenerator) throws -> Episode) throws
    -> [(learned: [[Double]], replayed: [[Double]])] {
    var results: [(learned: [[Double]], replayed: [[Double]])] = []
    for seed: UInt64 in 1...3 {
        var env = try randomControlEnvironment(seed: seed)
        _ = env.reset(seed: seed)
        var g = SeededGenerator(seed: seed)
        var q = makeQTable(for: env)
        var episodes: [Episode] = []
        for _ in 0..<40 {
            let episode = try play(&env, &q, &g)
            if let problem = episodeProblem(episode, env.model) {
                Issue.record("\(exercise): bad episode record: \(problem)")
                return results
            }
            episodes.append(episode)
        }
        results.append((q, replay(episodes, from: makeQTable(for: env), alpha: 0.2, gamma: 0.9, target: target)))
    }
    return results
}

/// The chain's table before the hand-computed episodes: Q(s1) = 4 shows what
/// the first update bootstraps from; the terminal row 100 must never be used.
let chainStart: [[Double]] = [[0], [4], [100]]

/// Plays one episode of `env` with `play`, starting from the table `start`,
/// and returns the table and the episode.
func playOnce<E: DiscreteEnvironment>(_ env: E, from start: [[Double]], seed: UInt64 = 1,
                                      _ play: (inout E, inout [[Double]], inout SeededGenerator) throws -> Episode) throws
    -> (q: [[Double]], episode: Episode) {
    var env = env
    _ = env.reset(seed: 0)
    var g = SeededGenerator(seed: seed)
    var q = start
    let episode = try play(&env, &q, &g)
    return (q, episode)
}

/// The first action of each of `count` episodes of the two-arms world, each
/// played by `play` (which starts from fresh tables), or -1 for an episode
/// without actions.
func firstActions(_ count: Int, seed: UInt64, _ play: (inout TabularEnvironment, inout SeededGenerator) throws -> Episode) throws -> [Int] {
    var env = try twoArmsEnvironment()
    _ = env.reset(seed: seed)
    var g = SeededGenerator(seed: seed)
    return try (0..<count).map { _ in try play(&env, &g).actions.first ?? -1 }
}

@Suite("3.4 epsilonGreedy")
struct EpsilonGreedyTests {
    func frequencies(_ q: [Double], epsilon: Double, draws: Int, seed: UInt64) throws -> [Double] {
        var g = SeededGenerator(seed: seed)
        var counts = Array(repeating: 0.0, count: q.count)
        for _ in 0..<draws {
            let a = try epsilonGreedy(q, epsilon: epsilon, using: &g)
            guard q.indices.contains(a) else { Issue.record("3.4: returned action \(a) outside 0..<\(q.count)"); return counts }
            counts[a] += 1
        }
        return counts.map { $0 / Double(draws) }
    }

    @Test func greedyWhenEpsilonIsZero() throws {
        let f = try frequencies([0, 5, 1, 2], epsilon: 0, draws: 200, seed: 1)
        #expect(f == [0, 1, 0, 0], "3.4: with epsilon 0 the unique best action 1 must always be chosen, got frequencies \(f) — epsilon is the probability of a random action: explore only when u < epsilon")
    }

    @Test func breaksTiesAtRandom() throws {
        let f = try frequencies([1, 3, 3, 0], epsilon: 0, draws: 8000, seed: 2)
        #expect(f[0] == 0 && f[3] == 0 && abs(f[1] - 0.5) < 0.03 && abs(f[2] - 0.5) < 0.03, "3.4: actions 1 and 2 tie for the maximum and should each be chosen about half the time, got \(f) — always taking the first maximum makes a zero-initialised agent repeat action 0")
    }

    @Test func exploresOverAllActions() throws {
        // P(greedy) = 1 - 0.4 + 0.4 / 4 = 0.7, every other action 0.1.
        let f = try frequencies([0, 5, 1, 2], epsilon: 0.4, draws: 40000, seed: 3)
        #expect(maxError(f, [0.1, 0.7, 0.1, 0.1]) < 0.015, "3.4: with epsilon 0.4 and 4 actions expected frequencies [0.1, 0.7, 0.1, 0.1], got \(f) — the random choice is over all actions, greedy one included (0.6 means you excluded it)")
        let uniform = try frequencies([0, 5, 1, 2], epsilon: 1, draws: 40000, seed: 4)
        #expect(maxError(uniform, [0.25, 0.25, 0.25, 0.25]) < 0.015, "3.4: epsilon 1 is uniformly random, got \(uniform)")
    }

    @Test func drawsFromTheGeneratorPassedIn() throws {
        var g1 = SeededGenerator(seed: 11), g2 = SeededGenerator(seed: 11)
        let q = [1.0, 3, 3, 0]
        let first = try (0..<100).map { _ in try epsilonGreedy(q, epsilon: 0.5, using: &g1) }
        let second = try (0..<100).map { _ in try epsilonGreedy(q, epsilon: 0.5, using: &g2) }
        #expect(first == second, "3.4: two generators with the same seed must give the same actions, got \(first.prefix(12)) and \(second.prefix(12)) — use the generator passed in for every random choice (not Double.random(in:), Int.random(in:) or randomElement())")
    }

    @Test func rejectsBadArguments() throws {
        var g = SeededGenerator(seed: 5)
        #expect(throws: InvalidArgument.self, "3.4: epsilon 1.5 must be rejected") {
            _ = try epsilonGreedy([1, 2], epsilon: 1.5, using: &g)
        }
        #expect(throws: InvalidArgument.self, "3.4: an empty row must be rejected") {
            _ = try epsilonGreedy([], epsilon: 0.1, using: &g)
        }
        let a = try epsilonGreedy([1, 2], epsilon: 0, using: &g)
        #expect(a == 1, "3.4: the greedy action of [1, 2] is 1, got \(a)")
    }
}

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

@Suite("3.7 doubleQLearning")
struct DoubleQLearningTests {
    @Test func updateByHand() throws {
        var q1: [[Double]] = [[0, 0], [1, 5], [0, 0]]
        var q2: [[Double]] = [[0, 0], [4, 2], [0, 0]]
        // Q1 picks A* = argmax Q1(1, .) = 1, Q2 evaluates it: target 1 + Q2(1, 1) = 3.
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 0, reward: 1, nextState: 1, terminated: false, alpha: 0.5, gamma: 1, updateFirst: true)
        #expect(abs(q1[0][0] - 1.5) < 1e-12 && q2[0][0] == 0, "3.7: Q1(0,0) should move halfway to 1 + Q2(1, argmax Q1(1, .)) = 3, i.e. 1.5, and Q2 stay unchanged; got Q1(0,0) = \(q1[0][0]), Q2(0,0) = \(q2[0][0]) — 2.5 means you used max Q2, 3 means Q1 evaluated its own argmax, 1 means the roles are swapped (Q2 picked and Q1 evaluated: the table you update picks), and Q2(0,0) = 1.5 means you updated the table that evaluates: the other table must stay unchanged")
        // Q2 picks A* = argmax Q2(1, .) = 0, Q1 evaluates it: target 1 + Q1(1, 0) = 2.
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 1, terminated: false, alpha: 0.5, gamma: 1, updateFirst: false)
        #expect(abs(q2[0][1] - 1) < 1e-12 && q1[0][1] == 0, "3.7: with updateFirst false, Q2(0,1) should move halfway to 1 + Q1(1, argmax Q2(1, .)) = 2, i.e. 1; got \(q2[0][1])")
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 1, action: 0, reward: -2, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: true)
        #expect(abs(q1[1][0] + 0.5) < 1e-12, "3.7: a terminal transition's target is just R: Q1(1,0) = 1 + 0.5 (-2 - 1) = -0.5, got \(q1[1][0])")
    }

    @Test func discountTiesAndTerminalByHand() throws {
        // Alpha 1, gamma 0.5: Q1 picks A* = 1 in state 1, Q2 evaluates it: Q1(0,0) = 1 + 0.5 * Q2(1, 1) = 1 + 0.5 * 2 = 2.
        var q1: [[Double]] = [[0, 0], [1, 5], [3, 1]]
        var q2: [[Double]] = [[0, 0], [4, 2], [2, 6]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 0, reward: 1, nextState: 1, terminated: false, alpha: 1, gamma: 0.5, updateFirst: true)
        #expect(abs(entry(q1, 0, 0) - 2) < 1e-12, "3.7: with alpha 1 and gamma 0.5, Q1(0,0) = 1 + 0.5 * Q2(1, argmax Q1(1, .)) = 1 + 0.5 * 2 = 2, got \(entry(q1, 0, 0)) — 3 means gamma was ignored")
        // Ties go to the lowest index: argmax [5, 5] = 0, so Q1(0,1) = 0 + Q2(1, 0) = 4; argmax [3, 3] = 0, so Q2(0,1) = 0 + Q1(1, 0) = 7.
        q1 = [[0, 0], [5, 5], [0, 0]]
        q2 = [[0, 0], [4, 2], [0, 0]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 0, nextState: 1, terminated: false, alpha: 1, gamma: 1, updateFirst: true)
        #expect(abs(entry(q1, 0, 1) - 4) < 1e-12, "3.7: argmax Q1(1, .) = argmax [5, 5]: ties go to the lowest index, A* = 0, so Q1(0,1) = Q2(1, 0) = 4, got \(entry(q1, 0, 1)) (2 means the tie went to the last index)")
        q1 = [[0, 0], [7, 1], [0, 0]]
        q2 = [[0, 0], [3, 3], [0, 0]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 0, nextState: 1, terminated: false, alpha: 1, gamma: 1, updateFirst: false)
        #expect(abs(entry(q2, 0, 1) - 7) < 1e-12, "3.7: argmax Q2(1, .) = argmax [3, 3]: ties go to the lowest index, A* = 0, so Q2(0,1) = Q1(1, 0) = 7, got \(entry(q2, 0, 1)) (1 means the tie went to the last index)")
        // A terminal transition: the target is just R, whatever the tables hold in the terminal row.
        q1 = [[0, 0], [0, 0], [3, 1]]
        q2 = [[0, 0], [0, 0], [2, 6]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: true)
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: false)
        #expect(abs(entry(q1, 0, 1) - 0.5) < 1e-12 && abs(entry(q2, 0, 1) - 0.5) < 1e-12, "3.7: no bootstrap from a terminal state: with terminated true both updates move halfway to R = 1, expected Q1(0,1) = Q2(0,1) = 0.5, got \(entry(q1, 0, 1)) and \(entry(q2, 0, 1)) (1.5 and 1 mean you bootstrapped from the terminal row)")
    }

    @Test func bothTablesLearnOnAChain() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 3)
        var q1 = makeQTable(for: env), q2 = makeQTable(for: env)
        var lengths: [Int] = []
        for _ in 0..<200 {
            lengths.append(try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g).length)
        }
        #expect(lengths.allSatisfy { $0 == 2 }, "3.7: every chain episode takes 2 steps, got lengths \(Set(lengths))")
        #expect(tableError(q1, [[-2], [-1], [0]]) < 0.01 && tableError(q2, [[-2], [-1], [0]]) < 0.01, "3.7: on the chain both tables should approach Q = [-2, -1, 0]; got Q1 = \(q1), Q2 = \(q2) — flip a fair coin each step to choose which table to update")
    }

    @Test func updatesOneTablePerStepAndBootstrapsAtTimeLimits() throws {
        // A time limit of one step on the chain, Q1 = Q2 = [[0], [4], [100]], alpha 1, gamma 1: the coin picks
        // one table, whose Q(0) becomes -1 + 4 = 3; the other keeps 0.
        var env = try TimeLimit(chainEnvironment(), maxEpisodeSteps: 1)
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 5)
        var q1 = chainStart, q2 = chainStart
        let episode = try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        let a = entry(q1, 0, 0), b = entry(q2, 0, 0)
        #expect((a == 0) != (b == 0), "3.7: each step updates exactly one table, chosen by a coin flip: after one step one of Q1(0,0), Q2(0,0) should have changed and the other still be 0, got Q1(0,0) = \(a), Q2(0,0) = \(b)")
        #expect(abs(a + b - 3) < 1e-12, "3.7: a time limit is not a terminal state: after a truncated first step the updated table's Q(0) = -1 + 4 = 3, got Q1(0,0) = \(a), Q2(0,0) = \(b) (-1 means the truncated step was treated as terminal; bootstrap on truncation)")
        #expect(episode.states == [0, 1] && episode.length == 1 && !episode.terminated, "3.7: an episode cut by a time limit has one step and terminated == false, got \(episode)")
        var plain = try chainEnvironment()
        _ = plain.reset(seed: 0)
        q1 = chainStart
        q2 = chainStart
        let short = try doubleQLearningEpisode(&plain, q1: &q1, q2: &q2, alpha: 1, gamma: 1, epsilon: 0.1, maxSteps: 1, using: &g)
        #expect(short.states == [0, 1] && short.length == 1 && !short.terminated, "3.7: with maxSteps 1 the episode must stop after maxSteps steps: expected states [0, 1], one step, terminated == false, got \(short)")
    }

    @Test func behavesOnTheSumOfBothTables() throws {
        // Uses your epsilonGreedy (3.4). Q1(0, .) + Q2(0, .) = [-1, 0] in both set-ups, so action 1 is greedy,
        // although Q1 alone prefers action 0 in the first and Q2 alone in the second.
        for (row1, row2) in [([2.0, 0], [-3.0, 0]), ([-3.0, 0], [2.0, 0])] {
            let greedy = try firstActions(100, seed: 23) { env, g in
                var q1 = [row1, [0, 0]], q2 = [row2, [0, 0]]
                return try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 0, using: &g)
            }
            let other = greedy.filter { $0 != 1 }.count
            #expect(other == 0, "3.7: with epsilon 0 the agent takes the greedy action of Q1 + Q2: Q1(0, .) = \(row1) and Q2(0, .) = \(row2) sum to [-1, 0], so action 1, got another action in \(other) of 100 episodes — behave epsilon-greedily on Q1 + Q2, not on one table or their maximum")
        }
        let random = try firstActions(400, seed: 24) { env, g in
            var q1: [[Double]] = [[0, 1], [0, 0]], q2: [[Double]] = [[0, 1], [0, 0]]
            return try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 1, using: &g)
        }
        let nonGreedy = Double(random.filter { $0 != 1 }.count) / 400
        #expect(nonGreedy > 0.25, "3.7: with epsilon 1 the first action is uniformly random (action 0 about half the time), got a non-greedy first action in \(nonGreedy * 100)% of 400 episodes — behave epsilon-greedily on Q1 + Q2 with the epsilon passed in")
    }

    @Test func avoidsTheMaximisationBias() throws {
        var early = 0.0, late = 0.0
        let runs = 300
        for run in 0..<runs {
            var env = MaximizationBias(seed: UInt64(run))
            _ = env.reset(seed: UInt64(run))
            var g = SeededGenerator(seed: UInt64(run) &+ 10_000)
            var q1 = makeQTable(for: env), q2 = makeQTable(for: env)
            for episode in 0..<300 {
                let result = try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.1, gamma: 1, epsilon: 0.1, using: &g)
                let wentLeft = result.actions.first == MaximizationBias.left ? 1.0 : 0.0
                if episode < 100 { early += wentLeft }
                if episode >= 200 { late += wentLeft }
            }
        }
        early /= Double(runs * 100)
        late /= Double(runs * 100)
        #expect(early < 0.3, "3.7: over the first 100 episodes Double Q-learning should go 'left' rarely (about 20%; Q-learning about 70%), got \(early * 100)% — does one table choose the argmax and the other evaluate it?")
        #expect(late > 0.03 && late < 0.11, "3.7: in episodes 200-300 Double Q-learning should be near the epsilon-greedy optimum of 5% left, got \(late * 100)% — behave epsilon-greedily on Q1 + Q2")
    }
}

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
