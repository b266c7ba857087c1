/// Points of a few classes in the plane, optionally over the regions a classifier assigns to each
/// class, drawn in a terminal or as SVG: the picture of a decision boundary.
///
/// ```
/// var plot = ScatterPlot(title: "two moons", xRange: -2...2, yRange: -1.5...1.5,
///                        points: data.map { ScatterPlot.Point(x: $0.x, y: $0.y, group: $0.label) },
///                        groupNames: ["+1", "-1"])
/// plot.regions = grid   // grid[row][column]: the class predicted there, row 0 at the top
/// print(plot.terminal())
/// try plot.writeSVG(to: "boundary.svg")
/// ```
public struct ScatterPlot: Sendable {
    /// One point and the index of its group (class) in `groupNames`.
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double, group: Int
        public init(x: Double, y: Double, group: Int) {
            self.x = x
            self.y = y
            self.group = group
        }
    }

    /// The title above the plot.
    public var title: String
    /// The axis labels.
    public var xLabel = "x", yLabel = "y"
    /// The area shown.
    public var xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    /// The points, drawn over the regions.
    public var points: [Point]
    /// The legend entry of each group.
    public var groupNames: [String]
    /// The group assigned to each cell of an evenly spaced grid over the area, `regions[row][column]`
    /// with row 0 at the top (the largest y); nil draws no regions. Each renderer samples the
    /// grid at its own resolution.
    public var regions: [[Int]]?

    /// Creates a plot of `points` over `xRange` x `yRange` (points outside are not drawn).
    public init(title: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, points: [Point],
                groupNames: [String]) {
        self.title = title
        self.xRange = xRange
        self.yRange = yRange
        self.points = points
        self.groupNames = groupNames
    }

    /// The markers of the groups' points in a terminal, and the backgrounds of their regions.
    static let markers: [Character] = ["o", "x", "+", "*", "#", "@"]
    static let shades: [Character] = [".", " ", ":", "-", "'", "="]

    /// The region of the grid cell under the point (x, y) of the area, if there are regions.
    func region(atX x: Double, y: Double) -> Int? {
        guard let grid = regions, !grid.isEmpty, !grid[0].isEmpty else { return nil }
        let fx = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        let fy = (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound)
        let row = min(grid.count - 1, max(0, Int(fy * Double(grid.count))))
        let column = min(grid[row].count - 1, max(0, Int(fx * Double(grid[row].count))))
        return grid[row][column]
    }

    /// The plot as text: a frame around a grid of `width` x `height` characters, each region shaded
    /// with its group's background character, each point drawn with its group's marker, the
    /// ranges at the corners and a legend. A character is about twice as tall as wide, so a width
    /// of twice the height shows a square area about square.
    public func terminal(width: Int = 64, height: Int = 24) -> String {
        let width = max(width, 10), height = max(height, 5)
        var grid: [[Character]] = (0..<height).map { row in
            (0..<width).map { column in
                let x = xRange.lowerBound + (Double(column) + 0.5) / Double(width) * (xRange.upperBound - xRange.lowerBound)
                let y = yRange.upperBound - (Double(row) + 0.5) / Double(height) * (yRange.upperBound - yRange.lowerBound)
                return region(atX: x, y: y).map { Self.shades[$0 % Self.shades.count] } ?? " "
            }
        }
        for point in points where xRange.contains(point.x) && yRange.contains(point.y) {
            let fx = (point.x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
            let fy = (yRange.upperBound - point.y) / (yRange.upperBound - yRange.lowerBound)
            let column = min(width - 1, Int(fx * Double(width))), row = min(height - 1, Int(fy * Double(height)))
            grid[row][column] = Self.markers[point.group % Self.markers.count]
        }
        let top = Axis.label(yRange.upperBound), bottom = Axis.label(yRange.lowerBound)
        let margin = max(top.count, bottom.count)
        func padded(_ s: String) -> String { String(repeating: " ", count: margin - s.count) + s }
        var lines: [String] = []
        if !title.isEmpty { lines.append(String(repeating: " ", count: max(0, (width + margin + 2 - title.count) / 2)) + title) }
        lines.append(String(repeating: " ", count: margin) + " ┌" + String(repeating: "─", count: width) + "┐")
        for (r, row) in grid.enumerated() {
            let label = r == 0 ? padded(top) : r == height - 1 ? padded(bottom) : String(repeating: " ", count: margin)
            lines.append(label + " │" + String(row) + "│")
        }
        lines.append(String(repeating: " ", count: margin) + " └" + String(repeating: "─", count: width) + "┘")
        let left = Axis.label(xRange.lowerBound), right = Axis.label(xRange.upperBound)
        let gap = max(1, width + 2 - left.count - right.count)
        lines.append(String(repeating: " ", count: margin + 1) + left + String(repeating: " ", count: gap) + right)
        lines.append(String(repeating: " ", count: margin + 1) + "\(xLabel) →, \(yLabel) ↑")
        var legend = "legend:"
        for (group, name) in groupNames.enumerated() {
            legend += "  \(Self.markers[group % Self.markers.count]) \(name)"
            if regions != nil { legend += " (region '\(Self.shades[group % Self.shades.count])')" }
        }
        lines.append(legend)
        return lines.map { $0.trailingWhitespaceTrimmed }.joined(separator: "\n")
    }

    /// The plot as an SVG document: the regions as lightly tinted cells in their group's colour,
    /// the points as outlined circles (group 0), squares (1) and diamonds (2 and up) in that
    /// colour, axes with ticks, and a legend in one row.
    public func svg(width: Int = 600, height: Int = 520) -> String {
        let left = 60.0, right = 20.0, top = 40.0, bottom = 70.0
        let w = Double(width), h = Double(height), plotW = w - left - right, plotH = h - top - bottom
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotW }
        func py(_ y: Double) -> Double { top + (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound) * plotH }
        func f(_ v: Double) -> String { "\((v * 10).rounded() / 10)" }
        let palette = LinePlot.palette
        var out: [String] = []
        out.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">"#)
        out.append(#"<rect x="0" y="0" width="\#(width)" height="\#(height)" fill="white"/>"#)
        let titleSize = min(16.0, (w - 20) / (0.62 * Double(max(title.count, 1))))
        out.append(#"<text x="\#(f(w / 2))" y="24" text-anchor="middle" font-size="\#(f(titleSize))" font-weight="bold">\#(escapeXML(title))</text>"#)
        if let grid = regions, !grid.isEmpty, !grid[0].isEmpty {
            let cellW = plotW / Double(grid[0].count), cellH = plotH / Double(grid.count)
            for (r, row) in grid.enumerated() {
                // One rectangle per run of equal cells keeps the file small.
                var start = 0
                while start < row.count {
                    var end = start
                    while end + 1 < row.count && row[end + 1] == row[start] { end += 1 }
                    // An opaque tint (18% of the colour on white), slightly larger than the cell, so
                    // that neighbouring cells overlap instead of leaving hairlines between them.
                    let colour = Self.tint(palette[row[start] % palette.count], 0.18)
                    out.append(#"<rect class="region" x="\#(f(left + Double(start) * cellW))" y="\#(f(top + Double(r) * cellH))" width="\#(f(Double(end - start + 1) * cellW + 0.6))" height="\#(f(cellH + 0.6))" fill="\#(colour)"/>"#)
                    start = end + 1
                }
            }
        }
        for tick in Axis.ticks(yRange.lowerBound, yRange.upperBound, count: 6) {
            out.append(#"<line x1="\#(f(left - 5))" y1="\#(f(py(tick)))" x2="\#(f(left))" y2="\#(f(py(tick)))" stroke="black"/>"#)
            out.append(#"<text x="\#(f(left - 8))" y="\#(f(py(tick) + 4))" text-anchor="end">\#(Axis.label(tick))</text>"#)
        }
        for tick in Axis.ticks(xRange.lowerBound, xRange.upperBound, count: 6) {
            out.append(#"<line x1="\#(f(px(tick)))" y1="\#(f(top + plotH))" x2="\#(f(px(tick)))" y2="\#(f(top + plotH + 5))" stroke="black"/>"#)
            out.append(#"<text x="\#(f(px(tick)))" y="\#(f(top + plotH + 18))" text-anchor="middle">\#(Axis.label(tick))</text>"#)
        }
        out.append(#"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(plotW))" height="\#(f(plotH))" fill="none" stroke="black"/>"#)
        out.append(#"<text x="\#(f(left + plotW / 2))" y="\#(f(top + plotH + 36))" text-anchor="middle">\#(escapeXML(xLabel))</text>"#)
        out.append(#"<text x="16" y="\#(f(top + plotH / 2))" text-anchor="middle" transform="rotate(-90 16 \#(f(top + plotH / 2)))">\#(escapeXML(yLabel))</text>"#)
        func marker(_ group: Int, _ x: Double, _ y: Double) -> String {
            let colour = palette[group % palette.count]
            switch group {
            case 0: return #"<circle cx="\#(f(x))" cy="\#(f(y))" r="4.5" fill="\#(colour)" stroke="black" stroke-width="0.8"/>"#
            case 1: return #"<rect x="\#(f(x - 4))" y="\#(f(y - 4))" width="8" height="8" fill="\#(colour)" stroke="black" stroke-width="0.8"/>"#
            default:
                return #"<polygon points="\#(f(x)),\#(f(y - 5)) \#(f(x + 5)),\#(f(y)) \#(f(x)),\#(f(y + 5)) \#(f(x - 5)),\#(f(y))" fill="\#(colour)" stroke="black" stroke-width="0.8"/>"#
            }
        }
        for point in points where xRange.contains(point.x) && yRange.contains(point.y) {
            out.append(marker(point.group, px(point.x), py(point.y)))
        }
        // Legend: each group's marker and name in a row (Helvetica averages about 0.55 em per character).
        var x = left
        let y = top + plotH + 56
        for (group, name) in groupNames.enumerated() {
            out.append(marker(group, x + 6, y - 4))
            out.append(#"<text x="\#(f(x + 18))" y="\#(f(y))">\#(escapeXML(name))</text>"#)
            x += 18 + 6.6 * Double(name.count) + 24
        }
        if regions != nil {
            out.append(#"<text x="\#(f(x))" y="\#(f(y))" fill="rgb(90,90,90)">shading: the group predicted there</text>"#)
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The colour `hex` ("#RRGGBB") mixed with white: `amount` of the colour, the rest white.
    static func tint(_ hex: String, _ amount: Double) -> String {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        let channels = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map { channel in
            Int((amount * Double(channel) + (1 - amount) * 255).rounded())
        }
        return "rgb(\(channels[0]),\(channels[1]),\(channels[2]))"
    }

    /// Writes `svg()` to `path` atomically.
    public func writeSVG(to path: String, width: Int = 600, height: Int = 520) throws {
        try writeFileAtomically(svg(width: width, height: height), to: path)
    }
}
