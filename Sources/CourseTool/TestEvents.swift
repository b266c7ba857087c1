import Foundation

/// The results of one test run, read from Swift Testing's event stream
/// (`--event-stream-output-path`, version 0: one JSON object per line).
struct TestEvents {
    /// One recorded issue: where, the check's own comment (the
    /// misconception), and the technical text ("Expectation failed: ...").
    struct Issue {
        var file: String, line: Int, column: Int
        var comments: [String]
        var text: String
    }

    /// Display names of the tests, by id.
    var names: [String: String] = [:]
    /// Source lines of the tests, by id.
    var lines: [String: Int] = [:]
    /// Ids of tests that started, and of tests that ended and how.
    var started: Set<String> = []
    var ended: [String: Bool] = [:]
    /// Issues by test id, in the order they were recorded.
    var issues: [String: [Issue]] = [:]
    /// True when the run reached its end (runEnded).
    var runEnded = false

    init(lines jsonLines: [String]) {
        for line in jsonLines {
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let payload = object["payload"] as? [String: Any] else { continue }
            if object["kind"] as? String == "test" {
                guard let id = payload["id"] as? String, payload["kind"] as? String == "function" else { continue }
                names[id] = (payload["displayName"] as? String) ?? (payload["name"] as? String) ?? id
                lines[id] = ((payload["sourceLocation"] as? [String: Any])?["line"] as? Int) ?? Int.max
                continue
            }
            let kind = payload["kind"] as? String ?? ""
            let testID = payload["testID"] as? String
            let messages = (payload["messages"] as? [[String: Any]]) ?? []
            switch kind {
            case "runEnded":
                runEnded = true
            case "testStarted":
                if let testID { started.insert(testID) }
            case "testEnded":
                if let testID { ended[testID] = !messages.contains { $0["symbol"] as? String == "fail" } }
            case "issueRecorded":
                guard let testID else { continue }
                let issue = payload["issue"] as? [String: Any]
                if issue?["isKnown"] as? Bool == true { continue }
                let location = (issue?["sourceLocation"] as? [String: Any]) ?? [:]
                let file = ((location["fileID"] as? String) ?? "?").split(separator: "/").last.map(String.init) ?? "?"
                var text = "", comments: [String] = []
                for message in messages {
                    let body = message["text"] as? String ?? ""
                    if message["symbol"] as? String == "details" { comments.append(body) } else if text.isEmpty { text = body }
                }
                issues[testID, default: []].append(Issue(file: file, line: location["line"] as? Int ?? 0,
                                                         column: location["column"] as? Int ?? 0, comments: comments, text: text))
            default:
                continue
            }
        }
    }

    /// The id of the event stream that names `listed` ("Module.Suite/test()"
    /// from `--list-tests`), if the run knew it.
    func id(of listed: String) -> String? {
        names.keys.first { $0 == listed || $0.hasPrefix(listed + "/") }
    }

    /// An issue as the student reads it: its location and the check's own
    /// comment, the course's message, with long numbers rounded; the test
    /// framework's text ("Expectation failed: (...) > (...)") only when the
    /// check has no comment (a thrown error, an unexpected crash).
    static func describe(_ issue: Issue) -> String {
        let location = "\(issue.file):\(issue.line):\(issue.column)"
        guard issue.comments.isEmpty else { return "\(location): " + roundingNumbers(issue.comments.joined(separator: " ")) }
        var technical = issue.text
        if technical.count > 600 { technical = String(technical.prefix(599)) + "…" }
        return "\(location): " + roundingNumbers(technical)
    }

    /// `text` with every decimal number of more than six significant digits
    /// (0.30000001192092896, 3.8146972691777137e-07) written with five
    /// (0.3, 3.8147e-07): what a student compares is the leading digits.
    static func roundingNumbers(_ text: String) -> String {
        let number = /-?\d+\.\d+(?:e[-+]?\d+)?/
        return text.replacing(number) { match in
            let literal = String(match.output)
            let digits = literal.prefix { $0 != "e" }.filter(\.isNumber).drop { $0 == "0" }
            guard digits.count > 6, let value = Double(literal) else { return literal }
            return String(format: "%.5g", value)
        }
    }
}
