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
                var message = String(line[range.upperBound...]).trimmingLeadingSpaces()
                // Swift Testing continues a multi-line message on indented lines.
                while index < lines.count, lines[index].hasPrefix(" ") || lines[index].hasPrefix("\t") {
                    message += " " + lines[index].trimmingLeadingSpaces()
                    index += 1
                }
                if message.hasPrefix("at ") { message.removeFirst(3) }
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
