import Diagnostics
/// A cell of a grid: its row and column, counted from the top-left corner.
public struct GridPosition: Hashable, Sendable {
    /// The row, 0 at the top.
    public var row: Int
    /// The column, 0 at the left.
    public var column: Int

    /// Creates a position.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// What occupies one cell of a grid world, for rendering.
public enum GridCell: Sendable, Equatable {
    /// A start cell ("S").
    case start
    /// An ordinary cell ("F" on FrozenLake).
    case open
    /// A hole: terminal with reward 0 ("H").
    case hole
    /// The goal: terminal ("G").
    case goal
    /// A terminal cell without special meaning (the grid world's corners).
    case terminal
    /// A cliff cell: entering it costs -100 and sends the agent to start.
    case cliff

    /// The one-character marker used when rendering a policy.
    public var marker: String {
        switch self {
        case .start: return "S"
        case .open: return "."
        case .hole: return "H"
        case .goal: return "G"
        case .terminal: return "T"
        case .cliff: return "C"
        }
    }

    /// True for cells where a policy has nothing to choose (the episode is
    /// over there, or the cell is never occupied).
    public var isEndOfEpisode: Bool {
        switch self {
        case .hole, .goal, .terminal, .cliff: return true
        case .start, .open: return false
        }
    }
}

/// The map of a grid world: its size, what each cell holds and how actions
/// draw as arrows. States are numbered row-major: s = row * columns + column.
public struct GridLayout: Sendable, Equatable {
    /// The number of rows.
    public var rows: Int
    /// The number of columns.
    public var columns: Int
    /// `cells[s]` for each state, row-major.
    public var cells: [GridCell]
    /// `actionArrows[a]` is the arrow drawn for action `a` ("←", "↓", ...).
    public var actionArrows: [String]

    /// Creates a layout.
    ///
    /// - Precondition: `cells.count == rows * columns`.
    public init(rows: Int, columns: Int, cells: [GridCell], actionArrows: [String]) {
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        check(!overflow, "GridLayout: \(rows) rows times \(columns) columns is more cells than an Int can count")
        check(cells.count == count, "GridLayout: \(cells.count) cells for \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.actionArrows = actionArrows
    }

    /// The state index of a position: row * columns + column.
    public func state(at position: GridPosition) -> Int { position.row * columns + position.column }

    /// The position of a state index.
    public func position(of state: Int) -> GridPosition {
        GridPosition(row: state / columns, column: state % columns)
    }

    /// The cell at a position.
    public subscript(row: Int, column: Int) -> GridCell { cells[row * columns + column] }
}

/// Moves one cell in a direction, staying put at the border.
///
/// - Parameters:
///   - position: where the agent is.
///   - delta: (row change, column change), each -1, 0 or 1.
///   - rows, columns: the size of the grid.
func moved(_ position: GridPosition, by delta: (Int, Int), rows: Int, columns: Int) -> GridPosition {
    GridPosition(row: min(max(position.row + delta.0, 0), rows - 1),
                 column: min(max(position.column + delta.1, 0), columns - 1))
}
