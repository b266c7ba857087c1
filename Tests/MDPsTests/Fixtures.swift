import Environments

/// Small MDPs whose values can be computed by hand.
enum Fixtures {
    /// The lecture's 4x4 grid world (Sutton & Barto, Example 4.1).
    static var grid: TabularMDP { GridWorld.lecture().model }

    /// v_pi of the equiprobable random policy in the lecture grid world, gamma = 1
    /// (Sutton & Barto, Figure 4.1, k = infinity).
    static let randomPolicyValues: [Double] = [
        0, -14, -20, -22,
        -14, -18, -20, -20,
        -20, -20, -18, -14,
        -22, -20, -14, 0,
    ]

    /// A three-state chain: action 0 moves right with reward 1, action 1
    /// stays put with reward 0; state 2 is terminal.
    static var chain: TabularMDP {
        try! TabularMDP(
            name: "chain", stateCount: 3, actionCount: 2,
            transitions: [
                [[Transition(probability: 1, nextState: 1, reward: 1, terminated: false)],
                 [Transition(probability: 1, nextState: 0, reward: 0, terminated: false)]],
                [[Transition(probability: 1, nextState: 2, reward: 1, terminated: true)],
                 [Transition(probability: 1, nextState: 1, reward: 0, terminated: false)]],
                [[Transition(probability: 1, nextState: 2, reward: 0, terminated: true)],
                 [Transition(probability: 1, nextState: 2, reward: 0, terminated: true)]],
            ],
            isTerminal: [false, false, true], initialDistribution: [1, 0, 0])
    }

    /// Two states that swap forever: from 0 reward 1, from 1 reward 0.
    /// With gamma = 0.5: v0 = 1 + 0.5 v1 and v1 = 0.5 v0, so v0 = 4/3 and v1 = 2/3.
    static var swap: TabularMDP {
        try! TabularMDP(
            name: "swap", stateCount: 2, actionCount: 1,
            transitions: [
                [[Transition(probability: 1, nextState: 1, reward: 1, terminated: false)]],
                [[Transition(probability: 1, nextState: 0, reward: 0, terminated: false)]],
            ],
            isTerminal: [false, false], initialDistribution: [1, 0])
    }

    /// One state with two actions: action 0 ends with reward 1; action 1 ends
    /// with reward 10 (probability 0.5) or reward 0 (0.5).
    static var bandit: TabularMDP {
        try! TabularMDP(
            name: "bandit", stateCount: 2, actionCount: 2,
            transitions: [
                [[Transition(probability: 1, nextState: 1, reward: 1, terminated: true)],
                 [Transition(probability: 0.5, nextState: 1, reward: 10, terminated: true),
                  Transition(probability: 0.5, nextState: 1, reward: 0, terminated: true)]],
                [[Transition(probability: 1, nextState: 1, reward: 0, terminated: true)],
                 [Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]],
            ],
            isTerminal: [false, true], initialDistribution: [1, 0])
    }

    /// s0 ends the episode with reward 1; s1 moves to s0 with reward 0; s2 is
    /// terminal. One synchronous sweep from v = 0 gives (1, 0, 0); a sweep that
    /// updates in place (in state order) already gives v(1) = 1.
    static var backwardChain: TabularMDP {
        try! TabularMDP(
            name: "backward chain", stateCount: 3, actionCount: 1,
            transitions: [
                [[Transition(probability: 1, nextState: 2, reward: 1, terminated: true)]],
                [[Transition(probability: 1, nextState: 0, reward: 0, terminated: false)]],
                [[Transition(probability: 1, nextState: 2, reward: 0, terminated: true)]],
            ],
            isTerminal: [false, false, true], initialDistribution: [0, 1, 0])
    }

    /// One state that loops to itself with reward 1: v_k = (1 - gamma^k) / (1 - gamma).
    static var selfLoop: TabularMDP {
        try! TabularMDP(
            name: "self-loop", stateCount: 1, actionCount: 1,
            transitions: [[[Transition(probability: 1, nextState: 0, reward: 1, terminated: false)]]],
            isTerminal: [false], initialDistribution: [1])
    }

    static func uniform(_ mdp: TabularMDP) -> [[Double]] {
        Array(repeating: Array(repeating: 1.0 / Double(mdp.actionCount), count: mdp.actionCount), count: mdp.stateCount)
    }

    static func maxError(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
