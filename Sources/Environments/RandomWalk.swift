/// The random walk of Sutton & Barto (Example 6.2 with 5 states, Section 7.1
/// with 19): a chain of states where each step moves one state left or right
/// with probability 1/2 until the walk leaves either end.
///
/// States: 0 is the left exit and `n + 1` the right exit (both terminal);
/// `1...n` are the interior states (A..E for n = 5), and the walk starts in
/// the middle, state `(n + 1) / 2` (C for n = 5). There is one action, 0
/// ("walk"): the environment is a Markov reward process, which is what the
/// prediction methods of lesson 03 evaluate.
///
/// True values (gamma = 1): v(i) = leftReward + (rightReward - leftReward) * i / (n + 1),
/// so 1/6, ..., 5/6 for the 5-state walk and -0.9, -0.8, ..., 0.9 for the
/// 19-state walk.
public struct RandomWalk: TabularWorld, Sendable {
    /// The number of interior (non-terminal) states n.
    public let interiorStateCount: Int
    /// The reward for leaving on the left.
    public let leftReward: Double
    /// The reward for leaving on the right.
    public let rightReward: Double
    /// The start state, `(n + 1) / 2`.
    public let startState: Int
    /// The map (one row, exits marked terminal), for rendering values.
    public let layout: GridLayout
    /// The engine that plays episodes.
    public var simulator: TabularEnvironment

    /// The interior states `1...n`, for RMS errors over the non-terminal states.
    public var interiorStates: ClosedRange<Int> { 1...interiorStateCount }

    /// The true value of every state under the walk (terminals 0), indexed
    /// like the states: `trueValues[interiorStates]` are the interior values.
    public var trueValues: [Double] {
        let n = interiorStateCount
        return (0...(n + 1)).map { i in
            (i == 0 || i == n + 1) ? 0 : leftReward + (rightReward - leftReward) * Double(i) / Double(n + 1)
        }
    }

    /// Names of the states: "left exit", "A", ..., "right exit" for n <= 26,
    /// otherwise "1", "2", ...
    public var stateNames: [String] {
        let n = interiorStateCount
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let interior = (1...n).map { n <= 26 ? String(letters[$0 - 1]) : "\($0)" }
        return ["left exit"] + interior + ["right exit"]
    }

    /// Example 6.2: 5 states A..E, start C, +1 on the right exit, 0 elsewhere.
    public static func fiveStates(seed: UInt64 = 0) -> RandomWalk {
        try! RandomWalk(interiorStateCount: 5, leftReward: 0, rightReward: 1, seed: seed)
    }

    /// The 19-state walk of Section 7.1: -1 on the left exit, +1 on the right.
    public static func nineteenStates(seed: UInt64 = 0) -> RandomWalk {
        try! RandomWalk(interiorStateCount: 19, leftReward: -1, rightReward: 1, seed: seed)
    }

    /// Creates a walk.
    ///
    /// - Parameters:
    ///   - interiorStateCount: n, the number of non-terminal states (odd, so
    ///     that the start is the middle one; at least 1).
    ///   - leftReward, rightReward: the rewards for leaving on either side.
    ///   - seed: the seed of the generator.
    /// - Throws: `EnvironmentError.invalidConfiguration` when n is not a
    ///   positive odd number.
    public init(interiorStateCount: Int, leftReward: Double, rightReward: Double, seed: UInt64 = 0) throws {
        let n = interiorStateCount
        let name = "RandomWalk \(n)"
        guard n >= 1, n % 2 == 1 else {
            throw EnvironmentError.invalidConfiguration(
                environment: name, problem: "interiorStateCount is \(n); expected a positive odd number")
        }
        guard n < Int.max - 1 else {  // n + 2 states must be countable
            throw EnvironmentError.invalidConfiguration(
                environment: name, problem: "interiorStateCount is \(n); expected a positive odd number below \(Int.max - 1)")
        }
        let count = n + 2
        var transitions: [[[Transition]]] = []
        for s in 0..<count {
            if s == 0 || s == count - 1 {
                transitions.append([[Transition(probability: 1, nextState: s, reward: 0, terminated: true)]])
                continue
            }
            func outcome(_ next: Int) -> Transition {
                let reward = next == 0 ? leftReward : (next == count - 1 ? rightReward : 0)
                return Transition(probability: 0.5, nextState: next, reward: reward,
                                  terminated: next == 0 || next == count - 1)
            }
            transitions.append([[outcome(s - 1), outcome(s + 1)]])
        }
        let start = (n + 1) / 2
        var initial = Array(repeating: 0.0, count: count)
        initial[start] = 1
        var isTerminal = Array(repeating: false, count: count)
        isTerminal[0] = true
        isTerminal[count - 1] = true
        let model = try TabularMDP(name: name, stateCount: count, actionCount: 1, transitions: transitions,
                                   isTerminal: isTerminal, initialDistribution: initial, actionNames: ["walk"])
        self.interiorStateCount = n
        self.leftReward = leftReward
        self.rightReward = rightReward
        self.startState = start
        var cells = Array(repeating: GridCell.open, count: count)
        cells[0] = .terminal
        cells[count - 1] = .terminal
        cells[start] = .start
        self.layout = GridLayout(rows: 1, columns: count, cells: cells, actionArrows: ["↔"])
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }
}
