import CourseKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("scatter plots over decision regions")
struct ScatterPlotTests {
    /// Two groups left and right of x = 0, and regions that split the area at x = 0.
    var plot: ScatterPlot {
        var plot = ScatterPlot(title: "two groups", xRange: -2...2, yRange: -1...1,
                               points: [.init(x: -1.5, y: 0.5, group: 0), .init(x: -1, y: -0.5, group: 0),
                                        .init(x: 1.2, y: 0.2, group: 1), .init(x: 5, y: 0, group: 1)],
                               groupNames: ["left", "right & co"])
        plot.regions = (0..<10).map { _ in (0..<20).map { $0 < 10 ? 0 : 1 } }
        return plot
    }

    @Test("the terminal picture shades each region, marks each point and fits its width")
    func terminal() {
        let text = plot.terminal(width: 40, height: 10)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 60 }, "a line is too wide: \(lines)")
        let rows = lines.filter { $0.contains("│") }
        #expect(rows.count == 10, "one row per line of the grid: \(text)")
        let inside = rows.map { row in String(row.split(separator: "│", omittingEmptySubsequences: false)[1]) }
        #expect(inside.allSatisfy { $0.count == 40 }, "every row of the grid is 40 characters wide")
        #expect(inside.allSatisfy { row in row.prefix(20).allSatisfy { $0 == "." || $0 == "o" } && row.suffix(20).allSatisfy { $0 == " " || $0 == "x" } },
                "the left half is region 0 ('.'), the right half region 1 (' '): \(text)")
        #expect(text.filter { $0 == "o" }.count >= 2 && text.contains("x"), "the points inside the area are marked")
        #expect(text.contains("legend:  o left (region '.')  x right & co (region ' ')"), "the legend names markers and regions: \(text)")
        #expect(text.contains("two groups") && text.contains("-2") && text.contains("2"))
    }

    @Test("the SVG is well-formed, with tinted regions, one marker per visible point and a legend")
    func svg() throws {
        let svg = plot.svg()
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "the SVG must parse as XML: \(String(describing: parser.parserError))")
        #expect(svg.components(separatedBy: "class=\"region\"").count - 1 == 20, "one rectangle per run of equal cells: 2 per row, 10 rows")
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3, "two group-0 points and the legend's marker")
        #expect(svg.contains(">right &amp; co</text>") && svg.contains(">shading: the group predicted there</text>"),
                "the legend escapes the names and says what the shading means")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scatter-\(UUID().uuidString).svg").path
        try plot.writeSVG(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == svg)
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("without regions only the points are drawn")
    func pointsOnly() {
        var plain = plot
        plain.regions = nil
        #expect(!plain.svg().contains("class=\"region\"") && !plain.svg().contains("shading:") && !plain.terminal().contains("(region"))
    }
}
