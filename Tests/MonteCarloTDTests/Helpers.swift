import CourseKit
import Environments
import MonteCarloTD
import TensorCore
import Testing

// Small environments and plain reference computations shared by the lesson
// 03 suites. Nothing here calls an exercise.

/// s0 -> s1 -> s2 (terminal), one action, reward -1 per step. With gamma 1
/// the true values are Q(s0) = -2, Q(s1) = -1.
func chainEnvironment() throws -> TabularEnvironment {
    let t = { (next: Int, reward: Double, done: Bool) in [Transition(probability: 1, nextState: next, reward: reward, terminated: done)] }
    let model = try TabularMDP(name: "chain", stateCount: 3, actionCount: 1,
                               transitions: [[t(1, -1, false)], [t(2, -1, true)], [t(2, 0, true)]],
                               isTerminal: [false, false, true], initialDistribution: [1, 0, 0])
    return TabularEnvironment(model: model, seed: 0)
}

/// One decision: state 0 has two actions, both ending the episode in the
/// terminal state 1 with reward 0. Which action an agent takes first shows its
/// behaviour policy.
func twoArmsEnvironment() throws -> TabularEnvironment {
    let end = [Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]
    let model = try TabularMDP(name: "two arms", stateCount: 2, actionCount: 2, transitions: [[end, end], [end, end]],
                               isTerminal: [false, true], initialDistribution: [1, 0])
    return TabularEnvironment(model: model, seed: 0)
}

/// s0 (one action) -> s1 with reward 0, then s1's three actions end the
/// episode in s2 with reward 0. One step (maxSteps 1) from s0 updates Q(s0)
/// towards gamma times the expected-SARSA value of s1, whatever the policy
/// does in s0.
func oneStepToThreeActionsEnvironment() throws -> TabularEnvironment {
    let toS1 = [Transition(probability: 1, nextState: 1, reward: 0, terminated: false)]
    let end = [Transition(probability: 1, nextState: 2, reward: 0, terminated: true)]
    let model = try TabularMDP(name: "one step to three actions", stateCount: 3, actionCount: 3,
                               transitions: [[toS1, toS1, toS1], [end, end, end], [end, end, end]],
                               isTerminal: [false, false, true], initialDistribution: [1, 0, 0],
                               availableActionCounts: [1, 3, 3])
    return TabularEnvironment(model: model, seed: 0)
}

/// A random episodic model: states 0..3 plus the terminal state 4, two
/// actions; every action moves to a random non-terminal state (p 0.7) or
/// ends the episode (p 0.3), with random rewards. Episodes start in 0.
func randomControlEnvironment(seed: UInt64) throws -> TabularEnvironment {
    var g = SeededGenerator(seed: seed)
    var transitions: [[[Transition]]] = []
    for _ in 0..<4 {
        transitions.append((0..<2).map { _ in
            [Transition(probability: 0.7, nextState: g.nextInt(below: 4), reward: g.uniform(-1, 1), terminated: false),
             Transition(probability: 0.3, nextState: 4, reward: g.uniform(-1, 1), terminated: true)]
        })
    }
    transitions.append(Array(repeating: [Transition(probability: 1, nextState: 4, reward: 0, terminated: true)], count: 2))
    let model = try TabularMDP(name: "random control \(seed)", stateCount: 5, actionCount: 2, transitions: transitions,
                               isTerminal: [false, false, false, false, true], initialDistribution: [1, 0, 0, 0, 0])
    return TabularEnvironment(model: model, seed: seed &+ 1000)
}

/// Checks that a recorded episode is a possible path of `model` and returns
/// a description of the first problem, or nil.
func episodeProblem(_ episode: Episode, _ model: TabularMDP) -> String? {
    guard episode.states.count == episode.rewards.count + 1, episode.actions.count == episode.rewards.count else {
        return "expected T + 1 states, T actions and T rewards, got \(episode.states.count), \(episode.actions.count), \(episode.rewards.count)"
    }
    guard episode.terminated, let last = episode.states.last, model.isTerminal[last] else {
        return "the episode should end in the terminal state with terminated == true"
    }
    for t in 0..<episode.length {
        let outcomes = model.transitions[episode.states[t]][episode.actions[t]]
        if !outcomes.contains(where: { $0.nextState == episode.states[t + 1] && $0.reward == episode.rewards[t] }) {
            return "step \(t) (state \(episode.states[t]), action \(episode.actions[t]) -> \(episode.states[t + 1]), reward \(episode.rewards[t])) is not a transition of the model; record S_t, A_t, R_(t+1)"
        }
    }
    return nil
}

/// The greedy path from `start` on a deterministic model (ties: lowest
/// action), at most 100 steps; returns the visited states.
func greedyPath(_ q: [[Double]], _ model: TabularMDP, start: Int) -> [Int] {
    var s = start
    var path = [s]
    for _ in 0..<100 {
        guard q.indices.contains(s), !q[s].isEmpty else { break }
        var best = 0
        for a in q[s].indices where q[s][a] > q[s][best] { best = a }
        let outcome = model.transitions[s][best][0]
        s = outcome.nextState
        path.append(s)
        if outcome.terminated { break }
    }
    return path
}

/// States of CliffWalking's row 2 directly above the cliff (columns 1...10).
func isAboveCliff(_ s: Int) -> Bool { s / 12 == 2 && (1...10).contains(s % 12) }

/// The RMS error over the interior states of a random walk.
func rmsError(_ values: [Double], _ walk: RandomWalk) -> Double {
    guard values.count == walk.stateCount else { return .infinity }
    let truth = walk.trueValues
    let squares = walk.interiorStates.map { (values[$0] - truth[$0]) * (values[$0] - truth[$0]) }
    return (squares.reduce(0, +) / Double(squares.count)).squareRoot()
}

/// The largest absolute difference of two tables (infinity if shapes differ).
func tableError(_ a: [[Double]], _ b: [[Double]]) -> Double {
    guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else { return .infinity }
    return zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
}

/// The largest absolute difference of two vectors (infinity if lengths differ).
func maxError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Random-walk episodes (the walk's only action is 0).
func walkEpisodes(_ walk: inout RandomWalk, count: Int, seed: UInt64) throws -> [Episode] {
    _ = walk.reset(seed: seed)
    var g = SeededGenerator(seed: seed)
    return try (0..<count).map { _ in try sampleEpisode(&walk, using: &g) { _, _ in 0 } }
}

/// values[i], or NaN when the array is too short (a check then fails instead of crashing).
func entry(_ values: [Double], _ i: Int) -> Double { values.indices.contains(i) ? values[i] : .nan }

/// q[s][a], or NaN when the table has no such entry.
func entry(_ q: [[Double]], _ s: Int, _ a: Int) -> Double { q.indices.contains(s) ? entry(q[s], a) : .nan }

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

/// S0 = 0, R 1, S1 = 1, R 2, S2 = 0, R 3, S3 = 2 (terminal): state 0 repeats.
let repeatEpisode = Episode(states: [0, 1, 0, 2], rewards: [1, 2, 3])
/// S0 = 1, R 4, S1 = 2 (terminal).
let shortEpisode = Episode(states: [1, 2], rewards: [4])
