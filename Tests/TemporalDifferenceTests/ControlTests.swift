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
        #expect(f == [0, 1, 0, 0], "3.4: with epsilon 0 the unique best action 1 must always be chosen, got frequencies \(f)")
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
        #expect(tableError(q, [[-0.5], [-0.5], [100]]) < 1e-12, "3.5: after one episode expected Q = [[-0.5], [-0.5], [100]], got \(q) — the last update's target is just R (no bootstrap from the terminal state)")
        #expect(first.states == [0, 1, 2] && first.actions == [0, 0] && first.rewards == [-1, -1] && first.terminated, "3.5: the returned episode should be states [0, 1, 2], actions [0, 0], rewards [-1, -1], terminated, got \(first)")
        _ = try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-1], [-0.75], [100]]) < 1e-12, "3.5: after two episodes expected [[-1], [-0.75], [100]], got \(q)")
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
        #expect(abs(q1[0][0] - 1.5) < 1e-12 && q2[0][0] == 0, "3.7: Q1(0,0) should move halfway to 1 + Q2(1, argmax Q1(1, .)) = 3, i.e. 1.5, and Q2 stay unchanged; got Q1(0,0) = \(q1[0][0]), Q2(0,0) = \(q2[0][0]) — 2.5 means you used max Q2, 3 means Q1 evaluated its own argmax")
        // Q2 picks A* = argmax Q2(1, .) = 0, Q1 evaluates it: target 1 + Q1(1, 0) = 2.
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 1, terminated: false, alpha: 0.5, gamma: 1, updateFirst: false)
        #expect(abs(q2[0][1] - 1) < 1e-12 && q1[0][1] == 0, "3.7: with updateFirst false, Q2(0,1) should move halfway to 1 + Q1(1, argmax Q2(1, .)) = 2, i.e. 1; got \(q2[0][1])")
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 1, action: 0, reward: -2, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: true)
        #expect(abs(q1[1][0] + 0.5) < 1e-12, "3.7: a terminal transition's target is just R: Q1(1,0) = 1 + 0.5 (-2 - 1) = -0.5, got \(q1[1][0])")
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
    @Test func twoEpisodesOnAChainByHand() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 1)
        var q: [[Double]] = [[0], [0], [100]]
        _ = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        _ = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g)
        #expect(tableError(q, [[-1], [-0.75], [100]]) < 1e-12, "3.8: after two chain episodes expected [[-1], [-0.75], [100]], got \(q) — no bootstrap from the terminal state")
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
