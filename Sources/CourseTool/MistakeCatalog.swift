import CourseKit
import Foundation

/// The mistake catalogue: for every exercise, wrong implementations that
/// students really write, each with the misconception it embodies, kept next
/// to the reference in `Solutions/NN-Name/Mistakes/<exercise id>.mistakes`
/// (Swift lines inside comment-marked entries: an extension of its own, so
/// that no compiler or editor takes them for a source file; excluded from the
/// build; never part of a handout).
///
/// A file holds any number of entries:
///
///     // MISTAKE no-terminal-mask: bootstraps from terminal states
///     // WHY: the slides' first target is r + gamma max Q'; the (1 - terminated) factor is easy to drop.
///     // EXPECT: bootstraps from a terminal state
///     // CHARGES: 4.7
///         let nextQ = try withoutGradients { try target(batch.nextObservations) }
///         return (batch.rewards + batch.discounts * nextQ.max(alongAxis: 1)).stopGradient()
///     // END MISTAKE
///
/// - `MISTAKE <slug>[ (block <k>)]: <misconception>` opens an entry; its
///   lines replace the k-th marked block of the exercise (default 1) in
///   the reference;
/// - `WHY:` says why a student would write it;
/// - `EXPECT:` a phrase that the exercise's first failure message must
///   contain (it names the misconception in the student's terms);
/// - `CHARGES:` other exercises that call this one and so fail with it
///   (their reports must say that the fault lies here);
/// - instead of a body, `REPLACE: <text>` / `WITH: <text>` pairs edit the
///   reference block (each text must occur in it; `\n` in WITH starts a new
///   line): a one-line slip inside a long body stays a one-line entry;
/// - `VARIANT <slug>[ (block <k>)]: <what differs>` ... `END VARIANT` is
///   a second correct implementation (for example one that draws random
///   numbers in another order): it must pass.
public struct Mistake: Sendable {
    /// The exercise it belongs to ("4.1").
    public var exercise: String
    /// Its name within the exercise ("no-terminal-mask").
    public var slug: String
    /// Which marked block of the exercise it replaces (1-based).
    public var block: Int
    /// The misconception, in the student's terms.
    public var misconception: String
    /// Why a student would write it.
    public var why: String
    /// A phrase the first failure message must contain (nil for a variant).
    public var expect: String?
    /// Exercises expected to fail with it because they call this one.
    public var charges: [String]
    /// The replacement body (empty when `edits` describe it).
    public var body: [String]
    /// (text, replacement) pairs applied to the reference block instead.
    public var edits: [(String, String)] = []
    /// True for a correct variant (it must pass).
    public var isVariant: Bool
    /// The file and line it starts at, for messages.
    public var location: String

    /// The key the selector uses: "<exercise>/<slug>".
    public var key: String { "\(exercise)/\(slug)" }
}

/// Reading the catalogue files.
public enum MistakeCatalog {
    /// The folder of a lesson's catalogue, relative to the course root.
    public static func folder(of lesson: LessonInfo) -> String { "Solutions/\(lesson.directory)/Mistakes" }

    /// The extension of a catalogue file.
    public static let fileExtension = "mistakes"

    /// Every entry of `lesson`'s catalogue, in file and line order.
    ///
    /// - Throws: `ToolError` for a malformed file (an entry without END, an
    ///   unknown exercise, a missing EXPECT, a repeated slug).
    public static func mistakes(of lesson: LessonInfo, in root: CourseRoot) throws -> [Mistake] {
        var result: [Mistake] = []
        for file in root.files(in: folder(of: lesson), withExtension: fileExtension) {
            let path = "\(folder(of: lesson))/\(file)"
            let exercise = String(file.dropLast(fileExtension.count + 1))
            guard lesson.exercises.contains(where: { $0.id == exercise }) else {
                throw ToolError("\(path): the file name must be an exercise id of lesson \(lesson.id) (\(lesson.exercises.map(\.id).joined(separator: ", ")))")
            }
            result += try parse(root.read(path) ?? "", exercise: exercise, path: path)
        }
        var seen = Set<String>()
        for m in result where !seen.insert(m.key).inserted {
            throw ToolError("\(m.location): the name \(m.slug) is used twice for exercise \(m.exercise)")
        }
        return result
    }

    /// Parses one catalogue file.
    static func parse(_ text: String, exercise: String, path: String) throws -> [Mistake] {
        var result: [Mistake] = []
        var current: Mistake?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let location = "\(path):\(index + 1)"
            if var open = current {
                if trimmed == (open.isVariant ? "// END VARIANT" : "// END MISTAKE") {
                    if open.body.isEmpty && open.edits.isEmpty {
                        throw ToolError("\(open.location): entry \(open.slug) has neither a body nor REPLACE/WITH lines")
                    }
                    if !open.isVariant && open.expect == nil {
                        throw ToolError("\(open.location): mistake \(open.slug) has no // EXPECT: line (the phrase its failure message must contain)")
                    }
                    result.append(open)
                    current = nil
                } else if open.body.isEmpty && trimmed.hasPrefix("// WHY:") {
                    open.why = String(trimmed.dropFirst("// WHY:".count)).trimmingCharacters(in: .whitespaces)
                    current = open
                } else if open.body.isEmpty && trimmed.hasPrefix("// EXPECT:") {
                    open.expect = String(trimmed.dropFirst("// EXPECT:".count)).trimmingCharacters(in: .whitespaces)
                    current = open
                } else if open.body.isEmpty && trimmed.hasPrefix("// REPLACE:") {
                    open.edits.append((String(trimmed.dropFirst("// REPLACE:".count)).trimmingCharacters(in: .whitespaces), ""))
                    current = open
                } else if open.body.isEmpty && trimmed.hasPrefix("// WITH:"), let last = open.edits.popLast() {
                    let text = String(trimmed.dropFirst("// WITH:".count)).trimmingCharacters(in: .whitespaces)
                    open.edits.append((last.0, text.replacingOccurrences(of: "\\n", with: "\n")))
                    current = open
                } else if open.body.isEmpty && trimmed.hasPrefix("// CHARGES:") {
                    open.charges = trimmed.dropFirst("// CHARGES:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    current = open
                } else if trimmed.hasPrefix("// MISTAKE") || trimmed.hasPrefix("// VARIANT") {
                    throw ToolError("\(location): a new entry starts before \(open.slug) (at \(open.location)) is closed")
                } else {
                    open.body.append(line)
                    current = open
                }
            } else if trimmed.hasPrefix("// MISTAKE ") || trimmed.hasPrefix("// VARIANT ") {
                let isVariant = trimmed.hasPrefix("// VARIANT ")
                let header = String(trimmed.dropFirst("// MISTAKE ".count))
                guard let colon = header.firstIndex(of: ":") else {
                    throw ToolError("\(location): expected // \(isVariant ? "VARIANT" : "MISTAKE") <name>[ (block k)]: <misconception>")
                }
                var name = String(header[..<colon]).trimmingCharacters(in: .whitespaces)
                var block = 1
                if let open = name.range(of: "(block "), let close = name.range(of: ")", range: open.upperBound..<name.endIndex),
                   let k = Int(name[open.upperBound..<close.lowerBound]) {
                    block = k
                    name = String(name[..<open.lowerBound]).trimmingCharacters(in: .whitespaces)
                }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw ToolError("\(location): the name '\(name)' must be letters, digits and dashes")
                }
                current = Mistake(exercise: exercise, slug: name, block: block,
                                  misconception: String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces),
                                  why: "", expect: nil, charges: [], body: [], isVariant: isVariant, location: location)
            } else if !trimmed.isEmpty && !trimmed.hasPrefix("//") {
                throw ToolError("\(location): code outside an entry; entries start with // MISTAKE or // VARIANT")
            }
        }
        if let open = current { throw ToolError("\(open.location): entry \(open.slug) is never closed") }
        return result
    }

    /// The reference file `source` with every marked block replaced by a
    /// switch on `CourseMistakes.active`: the reference body by default, each
    /// mistake of that block under its key. One build then holds them all.
    public static func splice(_ source: String, file: String, mistakes: [Mistake]) throws -> String {
        let markers = try SkeletonGenerator.markers(in: source, file: file)
        let lines = source.components(separatedBy: "\n")
        var output: [String] = []
        var blockNumber: [String: Int] = [:]
        var lineNumber = 1
        var pending = markers[...]
        while lineNumber <= lines.count {
            let line = lines[lineNumber - 1]
            guard let marker = pending.first, marker.beginLine == lineNumber else {
                output.append(line)
                lineNumber += 1
                continue
            }
            pending = pending.dropFirst()
            let k = (blockNumber[marker.exercise] ?? 0) + 1
            blockNumber[marker.exercise] = k
            let indent = String(line.prefix { $0 == " " || $0 == "\t" })
            let body = Array(lines[marker.beginLine..<(marker.endLine - 1)])
            let here = mistakes.filter { $0.exercise == marker.exercise && $0.block == k }
            if here.isEmpty {
                output += body
            } else {
                output.append("\(indent)switch CourseMistakes.active {")
                for m in here {
                    output.append("\(indent)case \"\(m.key)\":")
                    if m.edits.isEmpty {
                        output += m.body.isEmpty ? ["\(indent)    break"] : m.body
                    } else {
                        var text = body.joined(separator: "\n")
                        for (pattern, replacement) in m.edits {
                            guard text.contains(pattern) else {
                                throw ToolError("\(m.location): REPLACE text not found in the reference block of \(m.exercise): \(pattern)")
                            }
                            text = text.replacingOccurrences(of: pattern, with: replacement)
                        }
                        output += text.components(separatedBy: "\n")
                    }
                }
                output.append("\(indent)default:")
                output += body
                output.append("\(indent)}")
            }
            lineNumber = marker.endLine + 1
        }
        for m in mistakes where (blockNumber[m.exercise] ?? 0) < m.block && markers.contains(where: { $0.exercise == m.exercise }) {
            throw ToolError("\(m.location): exercise \(m.exercise) has \(blockNumber[m.exercise] ?? 0) marked block(s) in \(file), not a block \(m.block)")
        }
        return output.joined(separator: "\n")
    }
}
