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

    @Test("a learning curve: the axis starts at 0, ticks share one style, the criterion is a dashed line, the legend does not overlap")
    func learningCurve() throws {
        let steps = stride(from: 36.0, through: 22_000, by: 500).map { $0 }
        let returns = steps.map { 9 + 480 * $0 / 22_000 }
        let plot = LinePlot(title: "DQN", xLabel: "environment step", yLabel: "return",
                            series: [PlotSeries("training episodes (mean of 10)", x: steps, y: returns),
                                     PlotSeries("greedy evaluation", x: steps, y: returns)],
                            references: [(475, "solved: mean 475")])
        let svg = plot.svg()
        let lines = svg.components(separatedBy: "\n")
        let xLabels = lines.filter { $0.contains("text-anchor=\"middle\">") && !$0.contains("font-weight") }
            .compactMap { $0.components(separatedBy: ">").dropFirst().first?.components(separatedBy: "<").first }
            .filter { $0.first?.isNumber == true }
        let yLabels = lines.filter { $0.contains("text-anchor=\"end\">") }
            .compactMap { $0.components(separatedBy: ">").dropFirst().first?.components(separatedBy: "<").first }
        #expect(xLabels.first == "0" && xLabels.dropFirst().allSatisfy { $0.hasSuffix("k") },
                "x ticks start at 0 and share one style, got \(xLabels)")
        #expect(yLabels.first == "0" && yLabels.contains("500"), "the return axis runs from 0 to 500, got \(yLabels)")
        #expect(svg.contains("stroke-dasharray") && svg.contains(">solved: mean 475</text>"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        // Legend entries: each starts after the previous one's text ends (about 6.7 px a character).
        let entries = svg.components(separatedBy: "\n").filter { $0.contains("stroke-width=\"3\"") }
        let starts = entries.compactMap { line -> Double? in
            guard let r = line.range(of: "x1=\"") else { return nil }
            return Double(line[r.upperBound...].prefix { $0 != "\"" })
        }
        let names = ["training episodes (mean of 10)", "greedy evaluation", "solved: mean 475"]
        for i in 1..<min(starts.count, names.count) where starts[i] > starts[i - 1] {
            #expect(starts[i] - starts[i - 1] >= 30 + 6.7 * Double(names[i - 1].count), "legend entry \(i) overlaps the one before")
        }
        let text = plot.terminal()
        #expect(text.contains("- - solved: mean 475") && text.contains("- - - -"), "the terminal plot draws the criterion")
    }

    @Test("a logarithmic x axis puts ticks at powers of ten and leaves out x <= 0")
    func logarithmicX() {
        var plot = LinePlot(title: "MSE", xLabel: "episodes", yLabel: "MSE",
                            series: [PlotSeries("ordinary IS", x: [0, 1, 10, 100, 1_000, 10_000], y: [9, 4, 2, 1, 0.5, 0.2])])
        plot.logX = true
        let svg = plot.svg()
        for label in [">1</text>", ">10</text>", ">100</text>", ">1k</text>", ">10k</text>"] {
            #expect(svg.contains(label), "a tick \(label) on the log axis")
        }
        let polyline = svg.components(separatedBy: "\n").first { $0.contains("<polyline") } ?? ""
        #expect(polyline.components(separatedBy: ",").count - 1 == 5, "five points (x = 0 has no logarithm)")
        #expect(plot.terminal().contains("1k"))
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

    @Test("a run log writes CSV and JSON lines atomically and rejects unknown metrics, bad values and steps back")
    func runLog() throws {
        var log = try RunLog(metrics: [Metric.episodicReturn, Metric.tdLoss])
        try log.record(step: 10, [Metric.tdLoss: 0.5])
        try log.record(step: 12, [Metric.episodicReturn: 20, Metric.tdLoss: 0.25])
        #expect(log.csv == "step,charts/episodic_return,losses/td_loss\n10,,0.5\n12,20,0.25\n")
        #expect(log.jsonLines == "{\"step\": 10, \"losses/td_loss\": 0.5}\n{\"step\": 12, \"charts/episodic_return\": 20, \"losses/td_loss\": 0.25}\n")
        #expect(log.series(Metric.episodicReturn).steps == [12] && log.series(Metric.tdLoss).values == [0.5, 0.25])
        #expect(log.last(Metric.tdLoss) == 0.25 && log.last(Metric.epsilon) == nil)
        #expect(throws: InvalidArgument.self) { try log.record(step: 13, ["reward": 1]) }
        #expect(throws: InvalidArgument.self) { try log.record(step: 5, [Metric.tdLoss: 1]) }
        #expect(throws: InvalidArgument.self) { try log.record(step: 20, [Metric.tdLoss: .nan]) }
        #expect(throws: InvalidArgument.self) { _ = try RunLog(metrics: ["step"]) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString)")
        try log.write(to: folder.appendingPathComponent("run.csv").path)
        try log.write(to: folder.appendingPathComponent("run.jsonl").path)
        #expect(try String(contentsOfFile: folder.appendingPathComponent("run.csv").path, encoding: .utf8) == log.csv)
        #expect(try String(contentsOfFile: folder.appendingPathComponent("run.jsonl").path, encoding: .utf8) == log.jsonLines)
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
