/// A run's metrics as CSV: one row per logged step, fixed column names.
///
/// ```
/// var log = MetricsLog(columns: ["episode", "return"])
/// try log.append(["episode": 1, "return": -13])
/// try log.write(to: "runs/cliff.csv")
/// ```
public struct MetricsLog: Sendable {
    /// The column names, in order.
    public let columns: [String]
    /// The rows logged so far, one value per column.
    public private(set) var rows: [[Double]] = []

    /// Creates an empty log with the given columns.
    public init(columns: [String]) {
        self.columns = columns
    }

    /// Appends a row given by column name.
    ///
    /// - Throws: `InvalidArgument` if a name is not a column or a column is
    ///   missing.
    public mutating func append(_ values: [String: Double]) throws {
        let unknown = values.keys.filter { !columns.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw InvalidArgument("MetricsLog.append", "values", "unknown columns \(unknown); the columns are \(columns)")
        }
        let missing = columns.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw InvalidArgument("MetricsLog.append", "values", "missing columns \(missing)")
        }
        rows.append(columns.map { values[$0]! })
    }

    /// The log as CSV text with a header line.
    public var csv: String {
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            lines.append(row.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the CSV to `path` atomically.
    public func write(to path: String) throws {
        try writeFileAtomically(csv, to: path)
    }
}
