import Diagnostics
import Foundation

/// Renders one number per state as a grid of right-aligned, fixed-width
/// columns, one line per row (for value tables in demos).
///
/// - Parameters:
///   - values: one value per state, row-major (`rows * columns` of them).
///   - rows, columns: the grid size.
///   - decimals: digits after the decimal point.
/// - Returns: the lines joined by "\n", without a trailing newline.
public func renderValues(_ values: [Double], rows: Int, columns: Int, decimals: Int = 2) -> String {
    let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
    check(!overflow, "renderValues: \(rows) rows times \(columns) columns is more cells than an Int can count")
    check(values.count == count,
                 "renderValues: \(values.count) values for a \(rows)x\(columns) grid; expected \(count)")
    let texts = values.map { value -> String in
        let text = String(format: "%.\(max(decimals, 0))f", value)
        // Avoid "-0.00" for tiny negatives.
        return Double(text) == 0 ? String(format: "%.\(max(decimals, 0))f", 0.0) : text
    }
    let width = texts.map(\.count).max() ?? 1
    return (0..<rows).map { r in
        (0..<columns).map { c in
            let text = texts[r * columns + c]
            return String(repeating: " ", count: width - text.count) + text
        }.joined(separator: " ")
    }.joined(separator: "\n")
}

/// Renders one number per state laid out as a grid world's map.
///
/// - Parameters:
///   - values: one value per state (`layout.rows * layout.columns`).
///   - layout: the map (for its size).
///   - decimals: digits after the decimal point.
public func renderValues(_ values: [Double], layout: GridLayout, decimals: Int = 2) -> String {
    renderValues(values, rows: layout.rows, columns: layout.columns, decimals: decimals)
}

/// Renders a greedy policy as arrows on a grid world's map.
///
/// Cells where the episode is over or that are never occupied show their
/// marker instead of an arrow: "H" hole, "G" goal, "T" terminal, "C" cliff.
/// An action outside `layout.actionArrows` shows as "?".
///
/// - Parameters:
///   - actions: one action per state, row-major.
///   - layout: the map and the arrow of each action (for FrozenLake ←↓→↑,
///     for CliffWalking and GridWorld ↑→↓←).
/// - Returns: the lines joined by "\n", cells separated by one space.
public func renderPolicy(_ actions: [Int], layout: GridLayout) -> String {
    check(actions.count == layout.cells.count,
                 "renderPolicy: \(actions.count) actions for a \(layout.rows)x\(layout.columns) grid; expected \(layout.cells.count)")
    return (0..<layout.rows).map { r in
        (0..<layout.columns).map { c in
            let s = r * layout.columns + c
            let cell = layout.cells[s]
            if cell.isEndOfEpisode { return cell.marker }
            let a = actions[s]
            return layout.actionArrows.indices.contains(a) ? layout.actionArrows[a] : "?"
        }.joined(separator: " ")
    }.joined(separator: "\n")
}

/// Renders the map itself: S start, . open, H hole, G goal, T terminal, C cliff.
public func renderMap(_ layout: GridLayout) -> String {
    (0..<layout.rows).map { r in
        (0..<layout.columns).map { c in layout[r, c].marker }.joined(separator: " ")
    }.joined(separator: "\n")
}
