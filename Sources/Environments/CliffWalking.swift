/// Gymnasium's CliffWalking (Sutton & Barto, Example 6.6): a 4x12 grid, start
/// in the bottom-left corner, goal in the bottom-right, and a cliff along the
/// bottom row between them.
///
/// Actions (as in Gymnasium): 0 up, 1 right, 2 down, 3 left. Every move pays
/// -1; a move into the cliff pays -100 and sends the agent back to the start
/// *without* ending the episode (Gymnasium v1 semantics); reaching the goal
/// ends it. Moves off the grid leave the agent in place.
///
/// Difference from Gymnasium's `P` table: here the goal is a terminal state
/// that self-loops with reward 0 (the convention of `TabularMDP`); Gymnasium
/// lists ordinary moves out of the goal, which are never taken. All other
/// states have exactly Gymnasium's outcomes.
public struct CliffWalking: TabularWorld, Sendable {
    /// Action 0: one row up.
    public static let up = 0
    /// Action 1: one column right.
    public static let right = 1
    /// Action 2: one row down.
    public static let down = 2
    /// Action 3: one column left.
    public static let left = 3

    /// The number of rows (4).
    public let rows = 4
    /// The number of columns (12).
    public let columns = 12
    /// The start state (row 3, column 0): 36.
    public let startState = 36
    /// The goal state (row 3, column 11): 47.
    public let goalState = 47
    /// True when moves slip (Gymnasium's `is_slippery`, off by default).
    public let isSlippery: Bool
    /// The map, for rendering.
    public let layout: GridLayout
    /// The engine that plays episodes.
    public var simulator: TabularEnvironment

    /// Creates the cliff.
    ///
    /// - Parameters:
    ///   - isSlippery: when true, each move goes in the intended direction or
    ///     one of the two perpendicular ones with probability 1/3 each.
    ///   - seed: the seed of the generator.
    public init(isSlippery: Bool = false, seed: UInt64 = 0) {
        let rows = 4, columns = 12, start = 36, goal = 47
        var cells = Array(repeating: GridCell.open, count: rows * columns)
        for c in 1..<(columns - 1) { cells[3 * columns + c] = .cliff }
        cells[start] = .start
        cells[goal] = .goal
        let deltas = [(-1, 0), (0, 1), (1, 0), (0, -1)]  // up, right, down, left
        var transitions: [[[Transition]]] = []
        for s in 0..<(rows * columns) {
            let here = GridPosition(row: s / columns, column: s % columns)
            transitions.append((0..<4).map { a in
                if s == goal { return [Transition(probability: 1, nextState: s, reward: 0, terminated: true)] }
                let directions = isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a]
                let probability = 1.0 / Double(directions.count)
                return directions.map { b in
                    let there = moved(here, by: deltas[b], rows: rows, columns: columns)
                    let next = there.row * columns + there.column
                    if cells[next] == .cliff {
                        return Transition(probability: probability, nextState: start, reward: -100, terminated: false)
                    }
                    return Transition(probability: probability, nextState: next, reward: -1, terminated: next == goal)
                }
            })
        }
        var isTerminal = Array(repeating: false, count: rows * columns)
        isTerminal[goal] = true
        var initial = Array(repeating: 0.0, count: rows * columns)
        initial[start] = 1
        // Valid by construction.
        let model = try! TabularMDP(name: "CliffWalking", stateCount: rows * columns, actionCount: 4,
                                    transitions: transitions, isTerminal: isTerminal,
                                    initialDistribution: initial, actionNames: ["up", "right", "down", "left"])
        self.isSlippery = isSlippery
        self.layout = GridLayout(rows: rows, columns: columns, cells: cells, actionArrows: ["↑", "→", "↓", "←"])
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }
}
