/// Gymnasium's FrozenLake: cross a frozen lake from S to G without falling
/// into a hole H.
///
/// Actions (as in Gymnasium): 0 left, 1 down, 2 right, 3 up. On a slippery
/// lake the agent moves in the intended direction with probability 1/3 and in
/// each perpendicular direction with probability 1/3 (the outcome list keeps
/// Gymnasium's order: direction a-1, a, a+1 modulo 4, duplicates not merged).
/// Moves off the map leave the agent in place. Reaching G pays 1, everything
/// else 0; holes and the goal are terminal (and self-loop in the model).
/// Episodes start on an S cell (uniformly if several).
///
/// Reference: optimal V(start) is about 0.0689 on the slippery 4x4 lake with
/// gamma 0.9 and about 0.4146 on the slippery 8x8 lake with gamma 0.99.
public struct FrozenLake: TabularWorld, Sendable {
    /// Action 0: one column left.
    public static let left = 0
    /// Action 1: one row down.
    public static let down = 1
    /// Action 2: one column right.
    public static let right = 2
    /// Action 3: one row up.
    public static let up = 3

    /// Gymnasium's "4x4" map.
    public static let map4x4 = ["SFFF", "FHFH", "FFFH", "HFFG"]
    /// Gymnasium's "8x8" map.
    public static let map8x8 = [
        "SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF",
        "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG",
    ]

    /// The predefined maps.
    public enum MapName: Sendable {
        /// `FrozenLake.map4x4`.
        case fourByFour
        /// `FrozenLake.map8x8`.
        case eightByEight
    }

    /// The map, one string per row, letters S F H G.
    public let map: [String]
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// True when moves slip (1/3 intended, 1/3 each perpendicular).
    public let isSlippery: Bool
    /// The map, for rendering.
    public let layout: GridLayout
    /// The engine that plays episodes.
    public var simulator: TabularEnvironment

    /// Creates a lake with one of Gymnasium's maps.
    public init(_ mapName: MapName = .fourByFour, isSlippery: Bool = true, seed: UInt64 = 0) {
        // The predefined maps are valid.
        try! self.init(map: mapName == .fourByFour ? FrozenLake.map4x4 : FrozenLake.map8x8,
                       isSlippery: isSlippery, seed: seed)
    }

    /// Creates a lake from a custom map.
    ///
    /// - Parameters:
    ///   - map: rows of equal length over the letters S (start), F (frozen),
    ///     H (hole) and G (goal), with at least one S and one G.
    ///   - isSlippery: whether moves slip.
    ///   - seed: the seed of the generator.
    /// - Throws: `EnvironmentError.invalidConfiguration` naming the problem:
    ///   an empty map, ragged rows, an unknown letter, no start or no goal.
    public init(map: [String], isSlippery: Bool = true, seed: UInt64 = 0) throws {
        let rows = map.count
        let columns = map.first?.count ?? 0
        let name = "FrozenLake \(rows)x\(columns)"
        func fail(_ problem: String) -> EnvironmentError {
            .invalidConfiguration(environment: name, problem: problem)
        }
        guard rows > 0, columns > 0 else { throw fail("the map is empty; expected rows of letters S, F, H, G") }
        var cells: [GridCell] = []
        for (r, line) in map.enumerated() {
            guard line.count == columns else {
                throw fail("ragged rows: row \(r) has \(line.count) cells, expected \(columns) like row 0")
            }
            for (c, letter) in line.enumerated() {
                switch letter {
                case "S": cells.append(.start)
                case "F": cells.append(.open)
                case "H": cells.append(.hole)
                case "G": cells.append(.goal)
                default:
                    throw fail("unknown letter '\(letter)' at row \(r), column \(c); expected S, F, H or G")
                }
            }
        }
        guard cells.contains(.start) else { throw fail("no start: the map has no 'S' cell; expected at least one") }
        guard cells.contains(.goal) else { throw fail("no goal: the map has no 'G' cell; expected at least one") }

        let successRate = 1.0 / 3.0
        let failRate = (1.0 - successRate) / 2.0
        let deltas = [(0, -1), (1, 0), (0, 1), (-1, 0)]  // left, down, right, up
        let isTerminal = cells.map { $0 == .hole || $0 == .goal }
        var transitions: [[[Transition]]] = []
        for s in 0..<(rows * columns) {
            let here = GridPosition(row: s / columns, column: s % columns)
            transitions.append((0..<4).map { a in
                if isTerminal[s] { return [Transition(probability: 1, nextState: s, reward: 0, terminated: true)] }
                let directions = isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a]
                return directions.map { b in
                    let there = moved(here, by: deltas[b], rows: rows, columns: columns)
                    let next = there.row * columns + there.column
                    let probability = isSlippery ? (b == a ? successRate : failRate) : 1.0
                    return Transition(probability: probability, nextState: next,
                                      reward: cells[next] == .goal ? 1 : 0, terminated: isTerminal[next])
                }
            })
        }
        let startCount = Double(cells.filter { $0 == .start }.count)
        let model = try TabularMDP(name: name, stateCount: rows * columns, actionCount: 4,
                                   transitions: transitions, isTerminal: isTerminal,
                                   initialDistribution: cells.map { $0 == .start ? 1 / startCount : 0 },
                                   actionNames: ["left", "down", "right", "up"])
        self.map = map
        self.rows = rows
        self.columns = columns
        self.isSlippery = isSlippery
        self.layout = GridLayout(rows: rows, columns: columns, cells: cells, actionArrows: ["←", "↓", "→", "↑"])
        self.simulator = TabularEnvironment(model: model, seed: seed)
    }
}
