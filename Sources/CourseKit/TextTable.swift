/// A plain-text table with aligned columns, for demo and grader output.
///
/// ```
/// var table = TextTable(headers: ["alpha", "RMS error"])
/// table.addRow(["0.1", "0.052"])
/// print(table.render())
/// ```
/// Numbers (cells that parse as a `Double`) are right-aligned, text is
/// left-aligned.
public struct TextTable: Sendable {
    /// The column titles.
    public var headers: [String]
    /// The rows added so far.
    public private(set) var rows: [[String]] = []

    /// Creates an empty table with the given column titles.
    public init(headers: [String]) {
        self.headers = headers
    }

    /// Appends a row; missing cells are blank and extra cells are dropped.
    public mutating func addRow(_ cells: [String]) {
        var row = Array(cells.prefix(headers.count))
        while row.count < headers.count { row.append("") }
        rows.append(row)
    }

    /// The table as lines of text: header, a rule, then the rows.
    public func render() -> String {
        var widths = headers.map { $0.count }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String], header: Bool) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                let numeric = !header && Double(cell.replacingOccurrences(of: "%", with: "")) != nil
                return numeric ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var out = [line(headers, header: true)]
        out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows { out.append(line(row, header: false)) }
        return out.map { $0.trailingWhitespaceTrimmed }.joined(separator: "\n")
    }
}

extension String {
    var trailingWhitespaceTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
