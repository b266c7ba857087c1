import CourseKit
import CourseTool
import Foundation
import Testing

@Suite("generate --check")
struct GenerateCheckTests {
    /// A scratch copy of the course's Package.swift, Lessons/ and Solutions/.
    func scratchCopy() throws -> CourseRoot {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("deeprl-generate-\(UUID().uuidString)")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for entry in ["Package.swift", "Lessons", "Solutions"] {
            try fm.copyItem(at: courseRoot.url(entry), to: folder.appendingPathComponent(entry))
        }
        return CourseRoot(path: folder.path)
    }

    @Test("deleting one line inside a solution marker makes the check fail until regenerated",
          .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func editInsideMarker() throws {
        let copy = try scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: copy.path) }
        #expect(try LessonGenerator.differences(in: copy).isEmpty, "the committed Lessons/ must be up to date")
        let path = copy.url("Solutions/01-MDPs/Returns.swift")
        var lines = try String(contentsOf: path, encoding: .utf8).components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.contains("BEGIN SOLUTION 1.1") })
        lines.remove(at: begin + 1)  // the first line of code after the BEGIN line
        try lines.joined(separator: "\n").write(to: path, atomically: true, encoding: .utf8)
        let differences = try LessonGenerator.differences(in: copy)
        #expect(differences.map(\.path) == [LessonGenerator.manifestPath], "got \(differences)")
        try LessonGenerator.generate(in: copy)
        #expect(try LessonGenerator.differences(in: copy).isEmpty, "generate must bring Lessons/ up to date")
    }

    @Test("an edited skeleton and a removed END marker are reported",
          .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func editedSkeleton() throws {
        let copy = try scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: copy.path) }
        let skeleton = copy.url("Lessons/01-MDPs/Returns.swift")
        try (String(contentsOf: skeleton, encoding: .utf8) + "\n// stray edit\n").write(to: skeleton, atomically: true, encoding: .utf8)
        #expect(try LessonGenerator.differences(in: copy).map(\.path) == ["Lessons/01-MDPs/Returns.swift"])
        let solution = copy.url("Solutions/01-MDPs/Returns.swift")
        let text = try String(contentsOf: solution, encoding: .utf8)
        try text.replacingOccurrences(of: "    // END SOLUTION\n", with: "").write(to: solution, atomically: true, encoding: .utf8)
        let error = try #require(throws: SkeletonGenerator.MarkerError.self) { try LessonGenerator.differences(in: copy) }
        #expect(error.description.contains("never closed"))
    }

    @Test("an edited hint level is reported until regenerated, and a missing level is named",
          .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func editedHints() throws {
        let copy = try scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: copy.path) }
        let book = copy.url("Solutions/01-MDPs/Hints.md")
        let text = try String(contentsOf: book, encoding: .utf8)
        try text.replacingOccurrences(of: "\n## 1.1\n", with: "\n## 1.1\n\n1. A new first level.\n\n## 9.9\n")
            .write(to: book, atomically: true, encoding: .utf8)
        let error = try #require(throws: ToolError.self) { try LessonGenerator.differences(in: copy) }
        #expect(error.description.contains("9.9"), "got \(error)")
        try (text + "\n").write(to: book, atomically: true, encoding: .utf8)
        #expect(Set(try LessonGenerator.differences(in: copy).map(\.path)) == [LessonGenerator.manifestPath])
    }

    @Test("a solution line over 120 characters is reported",
          .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func longLine() throws {
        let copy = try scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: copy.path) }
        let solution = copy.url("Solutions/01-MDPs/Returns.swift")
        let text = try String(contentsOf: solution, encoding: .utf8)
        try (text + "\n// " + String(repeating: "x", count: 130) + "\n").write(to: solution, atomically: true, encoding: .utf8)
        let error = try #require(throws: ToolError.self) { try LessonGenerator.differences(in: copy) }
        #expect(error.description.contains("Returns.swift") && error.description.contains("120"), "got \(error)")
    }
}
