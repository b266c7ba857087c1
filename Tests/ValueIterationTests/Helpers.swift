import CourseKit
import Environments
import TensorCore

// Small models and plain reference computations shared by the lesson 02
// suites. Nothing here calls an exercise.

/// Builds a model from (probability, next, reward, terminated) tuples.
func makeMDP(_ name: String, _ table: [[[(Double, Int, Double, Bool)]]], terminal: [Bool]) throws -> TabularMDP {
    let n = table.count
    let transitions = table.map { actions in
        actions.map { outcomes in
            outcomes.map { Transition(probability: $0.0, nextState: $0.1, reward: $0.2, terminated: $0.3) }
        }
    }
    var start = Array(repeating: 0.0, count: n)
    start[0] = 1
    return try TabularMDP(name: name, stateCount: n, actionCount: table[0].count, transitions: transitions,
                          isTerminal: terminal, initialDistribution: start)
}

/// Three states, two actions; state 2 is terminal.
///
///     s0: a0 -> 1/2 (s1, r 1), 1/2 (s2, r 2, terminated);  a1 -> (s0, r 0)
///     s1: a0 -> (s2, r 3, terminated);                     a1 -> (s0, r -1)
///     s2: terminal self-loop, reward 0
func tinyMDP() throws -> TabularMDP {
    try makeMDP("tiny", [
        [[(0.5, 1, 1, false), (0.5, 2, 2, true)], [(1, 0, 0, false)]],
        [[(1, 2, 3, true)], [(1, 0, -1, false)]],
        [[(1, 2, 0, true)], [(1, 2, 0, true)]],
    ], terminal: [false, false, true])
}

/// One state looping to itself with reward 1: V_k = (1 - gamma^k) / (1 - gamma).
func selfLoopMDP() throws -> TabularMDP {
    try makeMDP("self-loop", [[[(1, 0, 1, false)]]], terminal: [false])
}

/// s1 -> s0 (reward 0) and s0 -> s2 (terminal, reward 1): the order in which
/// a sweep visits the states matters if it updates in place.
func backwardChainMDP() throws -> TabularMDP {
    try makeMDP("backward chain", [
        [[(1, 2, 1, true)]],
        [[(1, 0, 0, false)]],
        [[(1, 2, 0, true)]],
    ], terminal: [false, false, true])
}

/// s0: a0 ends at once with reward 1; a1 moves to s1 (reward 0), from where
/// the only action ends with reward 10. Far-sighted agents take a1.
func patienceMDP() throws -> TabularMDP {
    try makeMDP("patience", [
        [[(1, 2, 1, true)], [(1, 1, 0, false)]],
        [[(1, 2, 10, true)], [(1, 2, 10, true)]],
        [[(1, 2, 0, true)], [(1, 2, 0, true)]],
    ], terminal: [false, false, true])
}

/// A random model: `n` states (the last terminal), `m` actions, up to three
/// outcomes per pair with random probabilities and rewards in [-1, 1].
func randomMDP(seed: UInt64, states n: Int = 8, actions m: Int = 3) throws -> TabularMDP {
    var g = SeededGenerator(seed: seed)
    var table: [[[(Double, Int, Double, Bool)]]] = []
    for s in 0..<n {
        var row: [[(Double, Int, Double, Bool)]] = []
        for _ in 0..<m {
            if s == n - 1 { row.append([(1, s, 0, true)]); continue }
            let k = 1 + g.nextInt(below: 3)
            var weights = (0..<k).map { _ in 0.1 + g.nextDouble() }
            let total = weights.reduce(0, +)
            weights = weights.map { $0 / total }
            weights[k - 1] = 1 - weights[..<(k - 1)].reduce(0, +)
            row.append((0..<k).map { i in
                let next = g.nextInt(below: n)
                return (weights[i], next, g.uniform(-1, 1), next == n - 1)
            })
        }
        table.append(row)
    }
    return try makeMDP("random \(seed)", table, terminal: (0..<n).map { $0 == n - 1 })
}

/// sum_{s'} P(s'|s,a) (r + gamma V(s')), no bootstrap on terminated outcomes.
func lookahead(_ mdp: TabularMDP, _ v: [Double], _ s: Int, _ a: Int, _ gamma: Double) -> Double {
    mdp.transitions[s][a].reduce(0) { $0 + $1.probability * ($1.reward + ($1.terminated ? 0 : gamma * v[$1.nextState])) }
}

/// Plain synchronous value iteration to 1e-13 (the tests' yardstick).
func referenceOptimalValues(_ mdp: TabularMDP, gamma: Double) -> [Double] {
    var v = Array(repeating: 0.0, count: mdp.stateCount)
    for _ in 0..<200_000 {
        let next = (0..<mdp.stateCount).map { s in
            (0..<mdp.actionCount(in: s)).map { lookahead(mdp, v, s, $0, gamma) }.max()!
        }
        let delta = zip(next, v).map { abs($0 - $1) }.max()!
        v = next
        if delta < 1e-13 { break }
    }
    return v
}

/// The values of a deterministic policy, by iterating its Bellman equation.
func referencePolicyValues(_ mdp: TabularMDP, policy: [Int], gamma: Double) -> [Double] {
    var v = Array(repeating: 0.0, count: mdp.stateCount)
    for _ in 0..<200_000 {
        let next = (0..<mdp.stateCount).map { lookahead(mdp, v, $0, policy[$0], gamma) }
        let delta = zip(next, v).map { abs($0 - $1) }.max()!
        v = next
        if delta < 1e-13 { break }
    }
    return v
}

/// The largest absolute difference of two vectors (infinity if the lengths differ).
func maxError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Optimal values of the lecture grid world: minus the Manhattan distance to
/// the nearest terminal corner.
let gridWorldOptimalValues: [Double] = [
    0, -1, -2, -3,
    -1, -2, -3, -2,
    -2, -3, -2, -1,
    -3, -2, -1, 0,
]

/// True when every action of `policy` is within `slack` of the best one-step
/// lookahead under `values` (in non-terminal states).
func isGreedy(_ policy: [Int], _ mdp: TabularMDP, values: [Double], gamma: Double, slack: Double = 1e-9) -> Bool {
    guard policy.count == mdp.stateCount else { return false }
    for s in 0..<mdp.stateCount where !mdp.isTerminal[s] {
        guard (0..<mdp.actionCount(in: s)).contains(policy[s]) else { return false }
        let best = (0..<mdp.actionCount(in: s)).map { lookahead(mdp, values, s, $0, gamma) }.max()!
        if lookahead(mdp, values, s, policy[s], gamma) < best - slack { return false }
    }
    return true
}

/// State 0 has one legal action of two (`actionCount(in: 0) == 1`): action 0
/// ends the episode with reward 1; action 1 is an unavailable placeholder
/// that would end it with reward 100. State 1 is terminal.
func legalActionsMDP() throws -> TabularMDP {
    let end = [Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]
    return try TabularMDP(
        name: "one legal action", stateCount: 2, actionCount: 2,
        transitions: [
            [[Transition(probability: 1, nextState: 1, reward: 1, terminated: true)],
             [Transition(probability: 1, nextState: 1, reward: 100, terminated: true)]],
            [end, end],
        ],
        isTerminal: [false, true], initialDistribution: [1, 0], availableActionCounts: [1, 2])
}

/// States 0, 1, 2 each offer a0 "quit" (end with reward 1) and a1 "go on"
/// (reward 0 to the next state; from state 2 the episode ends with reward
/// 10); state 3 is terminal. At gamma 0.9 going on is optimal everywhere
/// (V* = 8.1, 9, 10, 0).
func quitOrGoOnMDP() throws -> TabularMDP {
    try makeMDP("quit or go on", [
        [[(1, 3, 1, true)], [(1, 1, 0, false)]],
        [[(1, 3, 1, true)], [(1, 2, 0, false)]],
        [[(1, 3, 1, true)], [(1, 3, 10, true)]],
        [[(1, 3, 0, true)], [(1, 3, 0, true)]],
    ], terminal: [false, false, false, true])
}

/// s0: a0 ends with reward 1; a1 moves to s1 (reward 0). s1: a0 ends with
/// reward 1 + 5e-10, a1 ends with reward -100. s2 is terminal. At gamma 1,
/// "go on" from s0 is better than "quit" by only 5e-10, within policy
/// iteration's 1e-9 for keeping the current action.
func nearTieMDP() throws -> TabularMDP {
    try makeMDP("near tie", [
        [[(1, 2, 1, true)], [(1, 1, 0, false)]],
        [[(1, 2, 1 + 5e-10, true)], [(1, 2, -100, true)]],
        [[(1, 2, 0, true)], [(1, 2, 0, true)]],
    ], terminal: [false, false, true])
}
