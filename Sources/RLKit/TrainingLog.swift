import CourseKit

/// The metric names every deep lesson logs, so that demos, plots and tests
/// read the same columns (CleanRL's fixed names, in our words).
public enum Metric {
    /// The environment step at which a row was logged (every log has it).
    public static let step = "step"
    /// The undiscounted return of an episode that just finished.
    public static let episodeReturn = "episode_return"
    /// The length of an episode that just finished.
    public static let episodeLength = "episode_length"
    /// The mean greedy return of an evaluation.
    public static let evaluationReturn = "eval_return"
    /// The training loss of the last update.
    public static let loss = "loss"
    /// The mean predicted Q(s, a) of the last minibatch.
    public static let qValue = "q_value"
    /// The exploration rate.
    public static let epsilon = "epsilon"
    /// Environment steps per second so far.
    public static let stepsPerSecond = "steps_per_second"
}

/// A training run's log: rows of named metrics at environment steps, with a
/// fixed set of columns chosen up front. Each metric can be missing from a
/// row (an episode return is logged only when an episode ends); the CSV
/// writes missing values as empty fields.
///
///     var log = try TrainingLog(metrics: [Metric.episodeReturn, Metric.loss])
///     try log.record(step: 1200, [Metric.episodeReturn: 87])
///     let (steps, returns) = log.series(Metric.episodeReturn)
public struct TrainingLog: Sendable {
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
            throw InvalidArgument("TrainingLog", "metrics", "got \(metrics), expected distinct names other than \"step\"")
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
            throw InvalidArgument("TrainingLog.record", "values", "unknown metrics \(unknown); the metrics are \(metrics)")
        }
        for (name, value) in values where !value.isFinite {
            throw InvalidArgument("TrainingLog.record", name, "got \(value), expected a finite number")
        }
        if let last = rows.last, step < last.step {
            throw InvalidArgument("TrainingLog.record", "step", "got \(step) after step \(last.step); steps must not decrease")
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

    /// The log as CSV: a header `step,<metrics>` and one line per row.
    public var csv: String {
        var lines = ([Metric.step] + metrics).joined(separator: ",") + "\n"
        for row in rows {
            lines += ([String(row.step)] + row.values.map { $0.map { "\($0)" } ?? "" }).joined(separator: ",") + "\n"
        }
        return lines
    }

    /// Writes the CSV to `path` atomically.
    public func write(to path: String) throws {
        try writeFileAtomically(csv, to: path)
    }

    /// A plot series of `metric` against the environment step.
    public func plotSeries(_ metric: String, name: String? = nil) -> PlotSeries {
        let (x, y) = series(metric)
        return PlotSeries(name ?? metric, x: x, y: y)
    }
}
