/// What one run of a test suite said, read from Swift Testing's console
/// output.
struct SuiteResult {
    /// Tests that passed.
    var passed: [String] = []
    /// Tests that failed, with their issue messages.
    var failed: [(test: String, issues: [String])] = []
    /// The test that was running when the process ended, if it never finished.
    var unfinished: String?
    /// Lines that explain a crash ("Fatal error: ...").
    var crashLines: [String] = []

    /// Parses Swift Testing's console lines:
    /// `◇ Test "name" started.`, `✔ Test "name" passed ...`,
    /// `✘ Test "name" recorded an issue at File.swift:12:5: message`,
    /// `✘ Test "name" failed ...`.
    init(output: String) {
        var started: [String] = []
        var issues: [String: [String]] = [:]
        var failedOrder: [String] = []
        var finished = Set<String>()
        let lines = strippingANSI(output).split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let line = String(lines[index])
            index += 1
            if line.contains("Fatal error") || line.contains("Precondition failed") || line.contains("Assertion failed") {
                crashLines.append(line.trimmingLeadingSpaces())
                continue
            }
            // A parameterised test reports each argument as a "Test case"
            // line as well; its own "Test" lines carry the result.
            if line.dropFirst(2).hasPrefix("Test case ") { continue }
            guard let name = Self.testName(in: line) else { continue }
            if line.hasPrefix("◇ Test") && line.hasSuffix("started.") {
                started.append(name)
            } else if line.hasPrefix("✔ Test") {
                passed.append(name)
                finished.insert(name)
            } else if line.hasPrefix("✘ Test"), let range = line.range(of: "recorded an issue") {
                var detail = String(line[range.upperBound...]).trimmingLeadingSpaces()
                // Swift Testing continues a multi-line message on indented
                // lines and prints the test's own comment ("4.1: bootstraps
                // from a terminal state ...") on lines that start with "↳".
                var comments: [String] = []
                while index < lines.count {
                    let next = lines[index]
                    let trimmed = next.trimmingLeadingSpaces()
                    if trimmed.hasPrefix("↳") {
                        comments.append(String(trimmed.dropFirst()).trimmingLeadingSpaces())
                    } else if trimmed.isEmpty || SuiteResult.startsRecord(trimmed) {
                        break
                    } else {
                        detail += " " + trimmed  // a wrapped expression, or a "± inserted ..." difference
                    }
                    index += 1
                }
                if let at = detail.range(of: "at "), detail[..<at.lowerBound].allSatisfy({ $0 != ":" }),
                   detail[at.upperBound...].contains(".swift:") {
                    // "at File.swift:12:5: ..." (or "with 1 argument x → 1 at File.swift:...")
                    let argument = detail[..<at.lowerBound].trimmingCharacters(in: .whitespaces)
                    detail = String(detail[at.upperBound...]) + (argument.isEmpty ? "" : " [\(argument)]")
                }
                var message = detail
                if !comments.isEmpty, let colon = detail.range(of: ": ") {
                    // Location first, then the comment (the misconception), then the technical detail.
                    let location = detail[..<colon.lowerBound]
                    var technical = String(detail[colon.upperBound...])
                    if technical.count > 160 { technical = String(technical.prefix(159)) + "…" }
                    message = "\(location): \(comments.joined(separator: " ")) (\(technical))"
                }
                if issues[name] == nil { failedOrder.append(name) }
                issues[name, default: []].append(message)
            } else if line.hasPrefix("✘ Test") && line.contains("failed") {
                finished.insert(name)
                if issues[name] == nil {
                    failedOrder.append(name)
                    issues[name] = ["failed"]
                }
            }
        }
        failed = failedOrder.map { ($0, issues[$0] ?? []) }
        unfinished = started.last { !finished.contains($0) }
    }

    /// The lines of a test process's output that explain a crash.
    static func crashLines(in output: String) -> [String] {
        strippingANSI(output).split(separator: "\n").map(String.init)
            .filter { $0.contains("Fatal error") || $0.contains("Precondition failed") || $0.contains("Assertion failed") }
            .map { $0.trimmingLeadingSpaces() }
    }

    /// True for a line that starts a new record of Swift Testing's output
    /// (a test or suite event) or a crash message, as opposed to a
    /// continuation of the previous issue.
    static func startsRecord(_ line: String) -> Bool {
        ["◇", "✔", "✘", "⚠", "⏭", "􀟈", "􁁛", "􀢄"].contains { line.hasPrefix($0) }
            || line.contains("Fatal error") || line.contains("Precondition failed")
    }

    /// The (file, line) an issue message starts with ("File.swift:12:5: ..."),
    /// for sorting failures in source order; messages without one sort last.
    static func sourceLine(_ message: String?) -> (String, Int) {
        guard let message, let colon = message.range(of: ".swift:") else { return ("~", Int.max) }
        let file = String(message[..<colon.lowerBound].split(separator: " ").last ?? "")
        let line = Int(message[colon.upperBound...].prefix { $0.isNumber }) ?? Int.max
        return (file, line)
    }

    /// The quoted or bare test name after "Test ".
    static func testName(in line: String) -> String? {
        guard let range = line.range(of: "Test ") else { return nil }
        let rest = line[range.upperBound...]
        if rest.hasPrefix("\""), let close = rest.dropFirst().firstIndex(of: "\"") {
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        if rest.hasPrefix("run") { return nil }
        return rest.split(separator: " ").first.map(String.init)
    }
}
