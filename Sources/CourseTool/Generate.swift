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
        var hints = hintsHeader
        for folder in folders where root.exists("Solutions/\(folder)") {
            for file in root.swiftFiles(in: "Solutions/\(folder)") {
                let source = root.read("Solutions/\(folder)/\(file)") ?? ""
                manifest += "\(folder)/\(file) \(fingerprint(source))\n"
                let lessonPath = "Lessons/\(folder)/\(file)"
                for marker in try SkeletonGenerator.markers(in: source, file: "Solutions/\(folder)/\(file)") {
                    if markedIds[marker.exercise] == nil {
                        for (level, text) in ([marker.hint] + marker.moreHints).enumerated() { hints += "\(marker.exercise)\t\(level + 1)\t\(text)\n" }
                    }
                    markedIds[marker.exercise] = "Solutions/\(folder)/\(file)"
                }
                result[lessonPath] = try SkeletonGenerator.skeleton(of: source, lessonPath: lessonPath)
            }
        }
        // Every exercise of the catalog has a marker in the file the catalog names, and vice versa.
        var problems: [String] = []
        for lesson in Course.lessons {
            for exercise in lesson.exercises {
                let expected = "Solutions/\(lesson.directory)/\(exercise.file)"
                if markedIds[exercise.id] == nil {
                    problems.append("exercise \(exercise.id) is in the catalog but no // BEGIN SOLUTION \(exercise.id) marker exists (expected in \(expected))")
                } else if markedIds[exercise.id] != expected {
                    problems.append("exercise \(exercise.id) is marked in \(markedIds[exercise.id]!) but the catalog says \(expected)")
                }
            }
        }
        let catalogIds = Set(Course.lessons.flatMap { $0.exercises.map(\.id) })
        for (id, file) in markedIds.sorted(by: { $0.key < $1.key }) where !catalogIds.contains(id) {
            problems.append("\(file) marks exercise \(id), which is not in the course catalog (Sources/CourseKit/Catalog*.swift)")
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

    /// Every exercise's hint levels (from its first marked block), for
    /// `deeprl hint` in a student copy, which has no Solutions/:
    /// "<id> TAB <level> TAB <text>" per line.
    public static let hintsPath = "Lessons/.hints"

    static let hintsHeader = """
    # Written by `deeprl generate` from the hints in Solutions/: exercise, level, hint.
    # Do not edit; edit the hint lines of the exercises in Solutions/ and run `swift run deeprl generate`.

    """

    static let manifestHeader = """
    # Written by `deeprl generate`: the Solutions/ files the skeletons in Lessons/ were made from,
    # with a 64-bit FNV-1a fingerprint of each. Do not edit; run `swift run deeprl generate`.

    """

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
