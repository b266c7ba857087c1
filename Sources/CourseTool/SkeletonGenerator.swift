/// Turns a reference solution file into the student's skeleton.
///
/// In `Solutions/`, every exercise body sits between two marker comments:
/// ```
/// public func discountedReturn(_ rewards: [Double], gamma: Double) throws -> Double {
///     // BEGIN SOLUTION 1.1: Walk the rewards backwards: G = r + gamma * G.
///     ...
///     // END SOLUTION
/// }
/// ```
/// The skeleton keeps every line outside the markers unchanged and replaces
/// each marked block by a `TODO(<id>): <hint>` comment and a thrown
/// `ExerciseError.notImplemented`, indented like the `BEGIN` line, so the
/// unfinished exercise compiles, fails only the tests that call it, and says
/// which exercise, file and hint. The enclosing function, initialiser,
/// accessor or closure must therefore be able to throw.
public enum SkeletonGenerator {
    /// One marked block found in a solution file.
    public struct Marker: Equatable, Sendable {
        /// The exercise id, for example "1.3".
        public var exercise: String
        /// The one-line task written after the id, which the skeleton's
        /// TODO carries (the hint levels live in `HintBook`'s file).
        public var hint: String
        /// The 1-based line of the `BEGIN SOLUTION` comment.
        public var beginLine: Int
        /// The 1-based line of the `END SOLUTION` comment.
        public var endLine: Int
    }

    /// A marker problem, with the file and line it is on.
    public struct MarkerError: Error, Equatable, CustomStringConvertible {
        /// The file being processed.
        public var file: String
        /// The 1-based line of the problem.
        public var line: Int
        /// What is wrong and what was expected.
        public var problem: String
        public var description: String { "\(file):\(line): \(problem)" }
    }

    static let beginToken = "// BEGIN SOLUTION"
    /// Hint lines inside a block, from before the hint levels moved to `Hints.md`.
    static let hintToken = "// HINT "
    static let endToken = "// END SOLUTION"

    /// The marked blocks of `source`, in order.
    ///
    /// - Parameter file: the file's name, for error messages.
    /// - Throws: `MarkerError` for a `BEGIN` without an id or a hint, a
    ///   `BEGIN` inside an open block, an `END` without a `BEGIN`, a
    ///   `// HINT` line (hint levels live in `Hints.md`), or a block left
    ///   open at the end of the file.
    public static func markers(in source: String, file: String) throws -> [Marker] {
        var markers: [Marker] = []
        var open: (exercise: String, hint: String, line: Int)?
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingLeadingSpaces()
            if line.hasPrefix(beginToken) {
                if let current = open {
                    throw MarkerError(file: file, line: lineNumber,
                                      problem: "BEGIN SOLUTION inside the block of exercise \(current.exercise) opened at line \(current.line); close it with // END SOLUTION first")
                }
                let (exercise, hint) = try parseBegin(String(line.dropFirst(beginToken.count)), file: file, line: lineNumber)
                open = (exercise, hint, lineNumber)
            } else if open != nil, line.hasPrefix(hintToken) {
                throw MarkerError(file: file, line: lineNumber,
                                  problem: "hint levels live in the lesson's \(HintBook.fileName) (## <id>, then 1., 2., 3.), not in // HINT lines")
            } else if line.hasPrefix(endToken) {
                guard let current = open else {
                    throw MarkerError(file: file, line: lineNumber, problem: "END SOLUTION without a matching // BEGIN SOLUTION <id>: <hint>")
                }
                markers.append(Marker(exercise: current.exercise, hint: current.hint, beginLine: current.line, endLine: lineNumber))
                open = nil
            }
        }
        if let current = open {
            throw MarkerError(file: file, line: current.line,
                              problem: "the block of exercise \(current.exercise) is never closed; expected // END SOLUTION before the end of the file")
        }
        return markers
    }

    /// Parses the text after `// BEGIN SOLUTION`: ` <id>: <hint>`.
    static func parseBegin(_ rest: String, file: String, line: Int) throws -> (String, String) {
        let trimmed = rest.trimmingLeadingSpaces()
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw MarkerError(file: file, line: line, problem: "BEGIN SOLUTION needs an exercise id and a hint, as in // BEGIN SOLUTION 1.2: <hint>")
        }
        let exercise = String(trimmed[..<colon]).trimmingLeadingSpaces()
        let hint = String(trimmed[trimmed.index(after: colon)...]).trimmingLeadingSpaces()
        guard !exercise.isEmpty, exercise.allSatisfy({ $0.isNumber || $0 == "." }), exercise.contains(".") else {
            throw MarkerError(file: file, line: line,
                              problem: "BEGIN SOLUTION has no exercise id (found '\(exercise)'); expected an id like 1.2 before the colon")
        }
        guard !hint.isEmpty else {
            throw MarkerError(file: file, line: line, problem: "BEGIN SOLUTION \(exercise) has no hint after the colon")
        }
        return (exercise, hint)
    }

    /// The skeleton of a solution file.
    ///
    /// - Parameters:
    ///   - source: the text of the solution file.
    ///   - lessonPath: the skeleton's path relative to the course root (for
    ///     example "Lessons/01-MDPs/Returns.swift"), quoted in the thrown error.
    /// - Returns: the text with every marked block replaced.
    /// - Complexity: O(n) in the length of `source`.
    public static func skeleton(of source: String, lessonPath: String) throws -> String {
        let markers = try markers(in: source, file: lessonPath)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var output: [String] = []
        var lineNumber = 1
        var pending = markers[...]
        while lineNumber <= lines.count {
            let line = String(lines[lineNumber - 1])
            if let marker = pending.first, marker.beginLine == lineNumber {
                let indent = String(line.prefix { $0 == " " || $0 == "\t" })
                output.append("\(indent)// TODO(\(marker.exercise)): \(marker.hint)")
                output.append("\(indent)throw ExerciseError.notImplemented(\"\(marker.exercise)\", file: \"\(lessonPath)\", hint: \"\(escape(marker.hint))\")")
                lineNumber = marker.endLine + 1
                pending = pending.dropFirst()
            } else {
                output.append(line)
                lineNumber += 1
            }
        }
        return output.joined(separator: "\n")
    }

    /// Escapes a hint for a Swift string literal.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.append(ch)
            }
        }
        return out
    }
}

extension StringProtocol {
    func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}
