import Foundation

/// A run's log: rows of named metrics at environment steps, with a fixed
/// set of columns chosen up front (the `Metric` names). Each metric can be
/// missing from a row (an episode's return is logged only when an episode
/// ends). It writes CSV (missing values as empty fields) or JSON lines
/// (missing values left out), which spreadsheets and notebooks read.
///
///     var log = try RunLog(metrics: [Metric.episodicReturn, Metric.tdLoss])
///     try log.record(step: 1200, [Metric.episodicReturn: 87])
///     let (steps, returns) = log.series(Metric.episodicReturn)
///     try log.write(to: "runs/dqn.csv")      // or "runs/dqn.jsonl"
public struct RunLog: Sendable {
    /// The metric columns, in order (without `step`).
    public let metrics: [String]
    /// The logged rows: the step and one optional value per metric.
    public private(set) var rows: [(step: Int, values: [Double?])] = []

    /// Creates an empty log.
    ///
    /// - Throws: `InvalidArgument` for no metrics, a repeated name or the
    ///   reserved name "step".
    public init(metrics: [String]) throws {
        guard !metrics.isEmpty, Set(metrics).count == metrics.count, !metrics.contains(Metric.step) else {
            throw InvalidArgument("RunLog", "metrics", "got \(metrics), expected distinct names other than \"step\"")
        }
        self.metrics = metrics
    }

    /// Appends a row at environment step `step`.
    ///
    /// - Throws: `InvalidArgument` for a metric that is not a column, a
    ///   non-finite value, or a step before the previous row's.
    public mutating func record(step: Int, _ values: [String: Double]) throws {
        let unknown = values.keys.filter { !metrics.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw InvalidArgument("RunLog.record", "values", "unknown metrics \(unknown); the metrics are \(metrics)")
        }
        for (name, value) in values where !value.isFinite {
            throw InvalidArgument("RunLog.record", name, "got \(value), expected a finite number")
        }
        if let last = rows.last, step < last.step {
            throw InvalidArgument("RunLog.record", "step", "got \(step) after step \(last.step); steps must not decrease")
        }
        rows.append((step, metrics.map { values[$0] }))
    }

    /// The steps and values of every row that has `metric`.
    public func series(_ metric: String) -> (steps: [Double], values: [Double]) {
        guard let column = metrics.firstIndex(of: metric) else { return ([], []) }
        var steps: [Double] = [], values: [Double] = []
        for row in rows { if let v = row.values[column] { steps.append(Double(row.step)); values.append(v) } }
        return (steps, values)
    }

    /// The last value logged for `metric`, if any.
    public func last(_ metric: String) -> Double? { series(metric).values.last }

    /// The log as CSV: a header `step,<metrics>` and one line per row.
    public var csv: String {
        var text = ([Metric.step] + metrics).joined(separator: ",") + "\n"
        for row in rows {
            text += ([String(row.step)] + row.values.map { $0.map(RunLog.number) ?? "" }).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The log as JSON lines: one object per row, `{"step": 1200,
    /// "charts/episodic_return": 87}`, with the values a row has.
    public var jsonLines: String {
        var text = ""
        for row in rows {
            var fields = ["\"\(Metric.step)\": \(row.step)"]
            for (name, value) in zip(metrics, row.values) {
                if let value { fields.append("\"\(name)\": \(RunLog.number(value))") }
            }
            text += "{" + fields.joined(separator: ", ") + "}\n"
        }
        return text
    }

    /// Writes the log to `path` atomically: JSON lines when the path ends in
    /// `.jsonl` or `.json`, CSV otherwise.
    public func write(to path: String) throws {
        let json = path.hasSuffix(".jsonl") || path.hasSuffix(".json")
        try writeFileAtomically(json ? jsonLines : csv, to: path)
    }

    /// A plot series of `metric` against the environment step.
    public func plotSeries(_ metric: String, name: String? = nil) -> PlotSeries {
        let (x, y) = series(metric)
        return PlotSeries(name ?? metric, x: x, y: y)
    }

    /// A number as CSV and JSON write it: an integer without a decimal
    /// point, otherwise the shortest text that reads back to the same Double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
