import Foundation

/// A line plot of one or more series, drawn in a terminal or as SVG.
///
/// ```
/// let plot = LinePlot(title: "RMS error", xLabel: "episode", yLabel: "RMS",
///                     series: [PlotSeries("TD(0)", y: td), PlotSeries("MC", y: mc)])
/// print(plot.terminal())
/// try plot.writeSVG(to: "rms.svg")
/// ```
public struct LinePlot: Sendable {
    /// The title above the plot.
    public var title: String
    /// The x-axis label.
    public var xLabel: String
    /// The y-axis label.
    public var yLabel: String
    /// The curves, drawn in order.
    public var series: [PlotSeries]
    /// A fixed y range; `nil` fits the data (and the reference lines),
    /// widened to the nearest ticks.
    public var yRange: ClosedRange<Double>?
    /// Horizontal lines with a label (a target such as "solved: 475", or a
    /// true value), drawn dashed behind the curves.
    public var references: [(y: Double, label: String)]
    /// A logarithmic x axis (ticks at powers of ten: 1, 10, 100, 1k, ...),
    /// for curves over episodes that span several orders of magnitude;
    /// points with x <= 0 are left out.
    public var logX = false

    /// Creates a plot.
    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries],
                references: [(y: Double, label: String)] = [], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
        self.yRange = yRange
    }

    /// The markers of the series in a terminal plot, in order.
    static let markers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "="]

    /// The x and y ranges of the plot: x fits the data (from 0 when it starts
    /// just after 0), y fits the data and
    /// the reference lines and ends on ticks (unless `yRange` fixes it).
    var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let points = series.flatMap(drawn)
        var xs = Axis.range(points.map { $0.0 })
        // An x axis of steps that starts just after 0 (the first episode ends at step 36) starts at 0.
        if logX {
            xs = xs.lowerBound.rounded(.down)...max(xs.upperBound.rounded(.up), xs.lowerBound.rounded(.down) + 1)
        } else if xs.lowerBound > 0 && xs.lowerBound < 0.05 * (xs.upperBound - xs.lowerBound) {
            xs = 0...xs.upperBound
        }
        let ys = yRange ?? Axis.niceRange(Axis.range(points.map { $0.1 } + references.map(\.y).filter(\.isFinite)),
                                          count: 6)
        return (xs, ys)
    }

    /// The plot as text: title, y ticks on the left, the curves drawn with
    /// one marker per series, x ticks below, the axis labels and a legend.
    /// Every line fits in `width` columns (80 or fewer for the default).
    ///
    /// - Parameters:
    ///   - width: total width in characters (at least 30).
    ///   - height: rows of the plotting area (at least 5).
    public func terminal(width: Int = 78, height: Int = 16) -> String {
        let width = max(width, 30)
        let height = max(height, 5)
        let (xr, yr) = ranges
        let yTicks = Axis.ticks(yr.lowerBound, yr.upperBound, count: max(2, height / 4))
        let yLabels = Axis.labels(yTicks)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        let plotWidth = width - labelWidth - 2
        var grid = Array(repeating: Array(repeating: Character(" "), count: plotWidth), count: height)

        func column(_ x: Double) -> Int {
            let t = (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound)
            return min(plotWidth - 1, max(0, Int((t * Double(plotWidth - 1)).rounded())))
        }
        func row(_ y: Double) -> Int {
            let t = (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound)
            return min(height - 1, max(0, height - 1 - Int((t * Double(height - 1)).rounded())))
        }
        for reference in references where yr.contains(reference.y) {
            let r = row(reference.y)
            for c in 0..<plotWidth where c % 2 == 0 { grid[r][c] = "-" }
        }
        for (index, s) in series.enumerated() {
            let marker = Self.markers[index % Self.markers.count]
            let points = drawn(s)
            var previous: (Int, Int)?
            for (x, y) in points {
                let cell = (column(x), row(min(max(y, yr.lowerBound), yr.upperBound)))
                if series.count <= 3, let (c0, r0) = previous {
                    // Fill the gap between consecutive points so the curve reads as a line
                    // (with more than three series the fill would hide the markers).
                    let steps = max(abs(cell.0 - c0), abs(cell.1 - r0))
                    if steps > 1 {
                        for k in 1..<steps {
                            let c = c0 + (cell.0 - c0) * k / steps
                            let r = r0 + (cell.1 - r0) * k / steps
                            if grid[r][c] == " " { grid[r][c] = "." }
                        }
                    }
                }
                grid[cell.1][cell.0] = marker
                previous = cell
            }
        }

        var lines: [String] = []
        if !title.isEmpty { lines.append(center(title, width)) }
        lines.append(String(repeating: " ", count: labelWidth) + "  " + yLabel)
        let tickRows = Dictionary(zip(yTicks.map(row), yLabels).map { $0 }, uniquingKeysWith: { a, _ in a })
        for r in 0..<height {
            let label = tickRows[r] ?? ""
            let axis: Character = tickRows[r] != nil ? "┤" : "│"
            lines.append(pad(label, labelWidth) + " " + String(axis) + String(grid[r]))
        }
        // The x axis with tick marks and labels.
        let xTicks = self.xTicks(in: xr, count: max(2, plotWidth / 12))
        var axisLine = Array(repeating: Character("─"), count: plotWidth)
        var labelLine = Array(repeating: Character(" "), count: plotWidth + 8)
        var lastEnd = -2
        for (tick, label) in xTicks {
            let c = column(tick)
            axisLine[c] = "┬"
            let text = Array(label)
            let start = max(0, min(c - text.count / 2, plotWidth - text.count))
            if start > lastEnd + 1 {
                for (k, ch) in text.enumerated() where start + k < labelLine.count { labelLine[start + k] = ch }
                lastEnd = start + text.count - 1
            }
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(axisLine))
        lines.append(String(repeating: " ", count: labelWidth + 2) + String(labelLine).trailingWhitespaceTrimmed)
        lines.append(center(xLabel, width))
        let legend = series.enumerated().map { "\(Self.markers[$0.offset % Self.markers.count]) \($0.element.name)" }
            + references.map { "- - \($0.label)" }
        lines.append(contentsOf: wrap(legend, width: width))
        return lines.map { $0.trailingWhitespaceTrimmed }.joined(separator: "\n")
    }

    /// A series' finite points as drawn: x in log10 on a logarithmic axis.
    func drawn(_ s: PlotSeries) -> [(Double, Double)] {
        guard logX else { return s.finitePoints }
        return s.finitePoints.filter { $0.0 > 0 }.map { (Foundation.log10($0.0), $0.1) }
    }

    /// The x ticks (positions in drawn coordinates) and their labels.
    func xTicks(in range: ClosedRange<Double>, count: Int) -> [(Double, String)] {
        guard logX else {
            let ticks = Axis.ticks(range.lowerBound, range.upperBound, count: count)
            return Array(zip(ticks, Axis.labels(ticks)))
        }
        let exponents = Int(range.lowerBound.rounded(.up))...Int(range.upperBound.rounded(.down))
        let names = ["1", "10", "100", "1k", "10k", "100k", "1M", "10M", "100M", "1G"]
        return exponents.map { e in (Double(e), names.indices.contains(e) ? names[e] : "1e\(e)") }
    }

    private func pad(_ s: String, _ n: Int) -> String {
        String(repeating: " ", count: max(0, n - s.count)) + s
    }

    private func center(_ s: String, _ n: Int) -> String {
        String(repeating: " ", count: max(0, (n - s.count) / 2)) + s
    }

    private func wrap(_ items: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = "legend:"
        for item in items {
            if current.count + item.count + 3 > width {
                lines.append(current)
                current = "       "
            }
            current += "  " + item
        }
        lines.append(current)
        return lines
    }
}
