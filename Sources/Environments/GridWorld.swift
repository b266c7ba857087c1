/// The deterministic grid world of the lecture (Sutton & Barto, Example 4.1)
/// and its configurable generalisation.
///
/// Every move costs `rewardPerStep` (-1 in the book); a move off the grid
/// leaves the state unchanged; entering a terminal cell ends the episode.
/// States are numbered row-major, s = row * columns + column. Actions follow
/// CliffWalking's order: 0 up, 1 right, 2 down, 3 left.
///
/// Under the equiprobable random policy with gamma = 1 the 4x4 lecture world
/// has v_pi = 0 -14 -20 -22 / -14 -18 -20 -20 / -20 -20 -18 -14 / -22 -20 -14 0,
/// and the optimal values are minus the Manhattan distance to the nearest
/// terminal corner.
///
/// Episodes start in a non-terminal cell chosen uniformly at random (the book
/// defines no start state).
public struct GridWorld: TabularWorld, Sendable {
    /// Action 0: one row up.
    public static let up = 0
    /// Action 1: one column right.
    public static let right = 1
    /// Action 2: one row down.
    public static let down = 2
    /// Action 3: one column left.
    public static let left = 3

    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The terminal cells.
    public let terminalCells: [GridPosition]
    /// The reward of every move.
    public let rewardPerStep: Double
    /// The map, for rendering.
    public let layout: GridLayout
    /// The engine that plays episodes.
    public var simulator: TabularEnvironment

    /// The 4x4 world of Example 4.1: terminals in the top-left and
    /// bottom-right corners, reward -1 per move.
    public static func lecture(seed: UInt64 = 0) -> GridWorld {
        // The configuration is valid by construction.
        try! GridWorld(rows: 4, columns: 4, seed: seed)
    }

    /// Creates a grid world.
    ///
    /// - Parameters:
    ///   - rows, columns: the size of the grid (at least 1 each, at least 2 cells).
    ///   - terminalCells: the terminal cells; `nil` means the top-left and
    ///     bottom-right corners.
    ///   - rewardPerStep: the reward of every move (-1 in the book).
    ///   - seed: the seed of the start-state and outcome generator.
    /// - Throws: `EnvironmentError.invalidConfiguration` for an empty grid, one
    ///   whose cell count overflows `Int`, a terminal cell off the grid, or a
    ///   grid with no non-terminal cell.
    public init(rows: Int, columns: Int, terminalCells: [GridPosition]? = nil,
                rewardPerStep: Double = -1, seed: UInt64 = 0) throws {
        let name = "GridWorld \(rows)x\(columns)"
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 1, columns >= 1, !overflow, count >= 2 else {
            throw EnvironmentError.invalidConfiguration(
                environment: name, problem: rows >= 1 && columns >= 1 && overflow
                    ? "\(rows) rows times \(columns) columns is more cells than an Int can count"
                    : "needs at least 2 cells, got \(rows) rows and \(columns) columns")
        }
        let terminals = terminalCells ?? [GridPosition(row: 0, column: 0),
                                          GridPosition(row: rows - 1, column: columns - 1)]
        for cell in terminals where !(0..<rows).contains(cell.row) || !(0..<columns).contains(cell.column) {
            throw EnvironmentError.invalidConfiguration(
                environment: name,
                problem: "terminal cell (row \(cell.row), column \(cell.column)) is off the grid; expected rows 0..<\(rows) and columns 0..<\(columns)")
        }
        var isTerminal = Array(repeating: false, count: count)
        for cell in terminals { isTerminal[cell.row * columns + cell.column] = true }
        let open = isTerminal.filter { !$0 }.count
        guard open > 0 else {
            throw EnvironmentError.invalidConfiguration(environment: name, problem: "every cell is terminal; expected at least one non-terminal cell")
        }
        let deltas = [(-1, 0), (0, 1), (1, 0), (0, -1)]
        var transitions: [[[Transition]]] = []
        for s in 0..<count {
            let here = GridPosition(row: s / columns, column: s % columns)
            transitions.append(deltas.map { delta in
                if isTerminal[s] {
                    return [Transition(probability: 1, nextState: s, reward: 0, terminated: true)]
                }
                let there = moved(here, by: delta, rows: rows, columns: columns)
                let next = there.row * columns + there.column
                return [Transition(probability: 1, nextState: next, reward: rewardPerStep, terminated: isTerminal[next])]
            })
        }
        let start = isTerminal.map { $0 ? 0.0 : 1.0 / Double(open) }
        let model = try TabularMDP(name: name, stateCount: count, actionCount: 4, transitions: transitions,
                                   isTerminal: isTerminal, initialDistribution: start,
                                   actionNames: ["up", "right", "down", "left"])
        self.rows = rows
        self.columns = columns
        self.terminalCells = terminals
        self.rewardPerStep = rewardPerStep
        self.layout = GridLayout(rows: rows, columns: columns,
                                 cells: isTerminal.map { $0 ? .terminal : .open },
                                 actionArrows: ["↑", "→", "↓", "←"])
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }
}
