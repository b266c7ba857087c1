import CourseKit

/// The hint levels of a lesson's exercises, kept beside the reference in
/// `Solutions/NN-Name/Hints.md` so that solution files read as plain code.
///
/// The file is Markdown: one `## <id>` heading per exercise, then its
/// levels as a numbered list counting up from 1, from the idea (level 1)
/// to close to the answer. A level may continue on indented lines; text
/// before the first heading is an introduction for instructors.
///
///     ## 1.1
///
///     1. The discounted return and its recursive form (notes, section 2).
///     2. One pass over the rewards with a single running total is enough
///        if you walk them in the right direction.
///     3. Walk the rewards from last to first, keeping G = r + gamma * G.
///
/// `deeprl generate` copies every lesson's levels into `Lessons/.hints`
/// (a student copy has no `Solutions/`); `deeprl hint <id> --level N`
/// prints one. The one-line task on each exercise's `BEGIN SOLUTION` line
/// is what the stub's TODO says.
public enum HintBook {
    /// The file name inside a lesson folder of `Solutions/`.
    public static let fileName = "Hints.md"

    /// The path of `lesson`'s hints, relative to the course root.
    public static func path(of directory: String) -> String { "Solutions/\(directory)/\(fileName)" }

    /// The levels of every exercise in `text`: id -> levels, first to last.
    ///
    /// - Parameter file: the file's path, for error messages.
    /// - Throws: `SkeletonGenerator.MarkerError` for a level that does not
    ///   follow the one before it, an empty level, text outside a list, or
    ///   an exercise that appears twice.
    public static func levels(in text: String, file: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        var exercise: String?
        var levels: [String] = []
        var inLevel = false

        func close() {
            if let id = exercise { result[id] = levels }
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingLeadingSpaces()
            func problem(_ text: String) -> SkeletonGenerator.MarkerError {
                SkeletonGenerator.MarkerError(file: file, line: index + 1, problem: text)
            }
            if line.hasPrefix("## ") {
                close()
                let id = String(line.dropFirst(3).prefix { !$0.isWhitespace })
                guard !id.isEmpty, id.allSatisfy({ $0.isNumber || $0 == "." }), id.contains(".") else {
                    throw problem("expected '## <exercise id>', like '## 1.2', found '\(line)'")
                }
                guard result[id] == nil else { throw problem("exercise \(id) has a second section") }
                exercise = id
                levels = []
                inLevel = false
            } else if exercise == nil || trimmed.isEmpty {
                inLevel = false
            } else if let dot = trimmed.firstIndex(of: "."), let number = Int(trimmed[..<dot]), line == trimmed {
                guard number == levels.count + 1 else {
                    throw problem("hint level \(number) of \(exercise!) follows level \(levels.count); levels count up from 1")
                }
                let body = trimmed[trimmed.index(after: dot)...].trimmingLeadingSpaces()
                guard !body.isEmpty else { throw problem("hint level \(number) of \(exercise!) is empty") }
                levels.append(body)
                inLevel = true
            } else if inLevel, line != trimmed {
                levels[levels.count - 1] += " " + trimmed
            } else {
                throw problem("text outside a numbered hint level of \(exercise!); continue a level on indented lines")
            }
        }
        close()
        return result
    }
}
