import CourseKit
import Foundation

/// `deeprl generate`: writes `Lessons/` from `Solutions/`, or checks that the
/// committed skeletons are what the generator makes.
public enum LessonGenerator {
    /// One skeleton file that differs from what the generator makes.
    public struct Difference: Equatable, CustomStringConvertible {
        /// The skeleton's path relative to the root.
        public var path: String
        /// "differs", "missing" or "extra".
        public var kind: String
        public var description: String { "\(path) (\(kind))" }
    }

    /// The skeleton texts the generator makes: lesson-relative path ->
    /// text, for every `.swift` file of every folder in `Solutions/`.
    ///
    /// - Throws: `SkeletonGenerator.MarkerError` for a malformed marker;
    ///   `ToolError` when the markers and the course catalog disagree.
    public static func expectedSkeletons(in root: CourseRoot) throws -> [String: String] {
        guard root.hasSolutions else {
            throw ToolError("this copy has no Solutions/ folder; generate runs in the instructors' repository")
        }
        var result: [String: String] = [:]
        let folders = (try FileManager.default.contentsOfDirectory(atPath: root.url("Solutions").path)).sorted()
        var markedIds: [String: String] = [:]
        var manifest = manifestHeader
        var problems: [String] = []
        var levels: [String: [String]] = [:]
        for folder in folders where root.exists("Solutions/\(folder)") {
            for file in root.swiftFiles(in: "Solutions/\(folder)") {
                let path = "Solutions/\(folder)/\(file)"
                let source = root.read(path) ?? ""
                manifest += "\(folder)/\(file) \(fingerprint(source))\n"
                let lessonPath = "Lessons/\(folder)/\(file)"
                for marker in try SkeletonGenerator.markers(in: source, file: path) {
                    markedIds[marker.exercise] = path
                }
                for (number, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.count > maximumLineLength {
                    problems.append("\(path):\(number + 1): \(line.count) characters; solution files keep lines to "
                                    + "\(maximumLineLength) (hint levels go in \(HintBook.fileName))")
                }
                result[lessonPath] = try SkeletonGenerator.skeleton(of: source, lessonPath: lessonPath)
            }
            if let text = root.read(HintBook.path(of: folder)) {
                let book = try HintBook.levels(in: text, file: HintBook.path(of: folder))
                manifest += "\(folder)/\(HintBook.fileName) \(fingerprint(text))\n"
                levels.merge(book) { first, _ in first }
            }
        }
        var hints = hintsHeader
        // Every exercise of the catalog has a marker in the file the catalog names, and hint levels; and vice versa.
        for lesson in Course.lessons {
            for exercise in lesson.exercises {
                let expected = "Solutions/\(lesson.directory)/\(exercise.file)"
                if markedIds[exercise.id] == nil {
                    problems.append("exercise \(exercise.id) is in the catalog but no // BEGIN SOLUTION \(exercise.id) marker exists (expected in \(expected))")
                } else if markedIds[exercise.id] != expected {
                    problems.append("exercise \(exercise.id) is marked in \(markedIds[exercise.id]!) but the catalog says \(expected)")
                }
                let levelsOfExercise = levels[exercise.id] ?? []
                if levelsOfExercise.count < 2 {
                    problems.append("exercise \(exercise.id) has \(levelsOfExercise.count) hint level(s) in "
                                    + "\(HintBook.path(of: lesson.directory)); expected a '## \(exercise.id)' section with at least 2")
                }
                for (level, text) in levelsOfExercise.enumerated() { hints += "\(exercise.id)\t\(level + 1)\t\(text)\n" }
            }
        }
        let catalogIds = Set(Course.lessons.flatMap { $0.exercises.map(\.id) })
        for (id, file) in markedIds.sorted(by: { $0.key < $1.key }) where !catalogIds.contains(id) {
            problems.append("\(file) marks exercise \(id), which is not in the course catalog (Sources/CourseKit/Catalog*.swift)")
        }
        for id in levels.keys.sorted() where !catalogIds.contains(id) {
            problems.append("a \(HintBook.fileName) has hints for exercise \(id), which is not in the course catalog")
        }
        if !problems.isEmpty { throw ToolError(problems.joined(separator: "\n")) }
        result[manifestPath] = manifest
        result[hintsPath] = hints
        return result
    }

    /// The file that records which version of each solution file the
    /// skeletons were generated from, so that any edit to `Solutions/`
    /// (inside the markers too) makes `generate --check` fail until the
    /// skeletons are regenerated.
    public static let manifestPath = "Lessons/.generated"

    /// Every exercise's hint levels (from the lessons' `Hints.md`), for
    /// `deeprl hint` in a student copy, which has no Solutions/:
    /// "<id> TAB <level> TAB <text>" per line, in catalog order.
    public static let hintsPath = "Lessons/.hints"

    static let hintsHeader = """
    # Written by `deeprl generate` from Solutions/NN-Name/Hints.md: exercise, level, hint.
    # Do not edit; edit the lesson's Hints.md in Solutions/ and run `swift run deeprl generate`.

    """

    static let manifestHeader = """
    # Written by `deeprl generate`: the Solutions/ files the skeletons in Lessons/ were made from,
    # with a 64-bit FNV-1a fingerprint of each. Do not edit; run `swift run deeprl generate`.

    """

    /// The longest line a solution file may have: it should read as plain code.
    public static let maximumLineLength = 120

    /// The FNV-1a 64-bit hash of `text`'s UTF-8 bytes, as 16 hex digits.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The skeleton files that differ from the generator's output.
    public static func differences(in root: CourseRoot) throws -> [Difference] {
        let expected = try expectedSkeletons(in: root)
        var differences: [Difference] = []
        for (path, text) in expected.sorted(by: { $0.key < $1.key }) {
            guard let actual = root.read(path) else {
                differences.append(Difference(path: path, kind: "missing"))
                continue
            }
            if actual != text {
                differences.append(Difference(path: path, kind: path == manifestPath || path == hintsPath ? "differs: Solutions/ changed since the last generate" : "differs"))
            }
        }
        let lessonFolders = Set(expected.keys.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent })
        for folder in lessonFolders.sorted() {
            for file in root.swiftFiles(in: "Lessons/\(folder)") where expected["Lessons/\(folder)/\(file)"] == nil {
                differences.append(Difference(path: "Lessons/\(folder)/\(file)", kind: "extra"))
            }
        }
        return differences
    }

    /// Writes every skeleton that differs and removes extra `.swift` files.
    ///
    /// - Returns: the files written or removed.
    @discardableResult
    public static func generate(in root: CourseRoot) throws -> [Difference] {
        let expected = try expectedSkeletons(in: root)
        let differences = try self.differences(in: root)
        for difference in differences {
            if difference.kind == "extra" {
                try FileManager.default.removeItem(at: root.url(difference.path))
            } else {
                try writeFileAtomically(expected[difference.path]!, to: root.url(difference.path).path)
            }
        }
        return differences
    }
}
