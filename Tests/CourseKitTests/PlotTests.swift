import CourseKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("plots and tables")
struct PlotTests {
    let plot = LinePlot(title: "RMS error", xLabel: "episode", yLabel: "RMS",
                        series: [PlotSeries("TD(0)", y: (1...100).map { 0.3 / Double($0).squareRoot() }),
                                 PlotSeries("MC", y: (1...100).map { 0.4 / Double($0).squareRoot() + 0.02 })])

    @Test("the terminal plot fits 80 columns and shows title, ticks, both markers and the legend")
    func terminal() {
        let text = plot.terminal()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 }, "a line is wider than 80 columns")
        #expect(text.contains("RMS error") && text.contains("episode"))
        #expect(text.contains("*") && text.contains("o"), "each series needs its marker")
        #expect(text.contains("* TD(0)") && text.contains("o MC"), "the legend names each series with its marker")
        #expect(text.contains("┤") && text.contains("┬"), "both axes need tick marks")
        #expect(text.contains("100"), "the x axis should be labelled up to 100")
    }

    @Test("the SVG is well-formed XML with a polyline per series, ticks and a legend")
    func svg() throws {
        let svg = plot.svg()
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "the SVG must parse as XML: \(String(describing: parser.parserError))")
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains(">TD(0)</text>") && svg.contains(">MC</text>") && svg.contains(">RMS error</text>"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString).svg").path
        try plot.writeSVG(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == svg)
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("special characters in names are escaped in SVG")
    func escaping() {
        let svg = LinePlot(title: "a < b & c", xLabel: "x", yLabel: "y", series: [PlotSeries("\"q\"", y: [1, 2])]).svg()
        #expect(svg.contains("a &lt; b &amp; c") && svg.contains("&quot;q&quot;"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test("flat, single-point and NaN series still render")
    func degenerate() {
        let text = LinePlot(title: "", xLabel: "x", yLabel: "y",
                            series: [PlotSeries("flat", y: [2, 2, 2]), PlotSeries("nan", y: [.nan, 1])]).terminal(width: 40, height: 6)
        #expect(text.contains("flat") && text.split(separator: "\n").allSatisfy { $0.count <= 40 })
    }

    @Test("tables align columns")
    func table() {
        var table = TextTable(headers: ["alpha", "RMS"])
        table.addRow(["0.1", "0.05"])
        table.addRow(["0.15", "0.123"])
        let lines = table.render().split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "  0.1   0.05" && lines[3] == " 0.15  0.123", "got \(lines)")
    }

    @Test("metrics log writes CSV atomically and rejects unknown columns")
    func metrics() throws {
        var log = MetricsLog(columns: ["episode", "return"])
        try log.append(["episode": 1, "return": -13])
        try log.append(["episode": 2, "return": 2.5])
        #expect(log.csv == "episode,return\n1,-13\n2,2.5\n")
        #expect(throws: InvalidArgument.self) { try log.append(["episode": 3, "reward": 1]) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString)/run.csv").path
        try log.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == log.csv)
    }

    @Test("the not-implemented error names the exercise, the file and the hint")
    func exerciseError() {
        let error = ExerciseError.notImplemented("1.3", file: "Lessons/01-MDPs/PolicyEvaluation.swift", hint: "Sweep.")
        #expect(error.description.contains("1.3") && error.description.contains("Lessons/01-MDPs/PolicyEvaluation.swift") && error.description.contains("Sweep."))
    }
}

@Suite("CourseKit traps print their message in every build")
struct CourseKitTrapTests {
    @Test("element count: a series whose x and y lengths differ") func seriesLengths() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = PlotSeries("returns", x: [1, 2, 3], y: [1, 2])
        }
        let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(text.contains("PlotSeries returns: 3 x values but 2 y values"), "\(text)")
    }
}
