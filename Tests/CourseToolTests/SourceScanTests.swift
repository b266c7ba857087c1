import CourseKit
import CourseTool
import Foundation
import Testing

@Suite("the grader refuses a lesson's code that names what the catalog forbids there")
struct ForbiddenNameTests {
    @Test func identifiersIgnoreCommentsAndStrings() {
        let source = """
        // discountedReturnsToGo in a comment is fine
        /* and /* nested */ here too: discountedReturnsToGo */
        let note = "discountedReturnsToGo in a string is fine"
        let raw = \"\"\"
            discountedReturnsToGo
            \"\"\"
        @inline(__always) func f() -> Int { rewardsToGo(x) + `weird` }
        """
        let names = SourceScan.identifiers(in: source)
        #expect(!names.contains("discountedReturnsToGo"), "\(names)")
        #expect(names.isSuperset(of: ["rewardsToGo", "weird", "@inline", "note", "raw"]), "\(names)")
    }

    @Test func aLessonUsingASharedVersionIsRefusedWithAReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-refuse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessonFolder = folder.appendingPathComponent("Lessons/05-Test")
        try FileManager.default.createDirectory(at: lessonFolder, withIntermediateDirectories: true)
        try "let g = try discountedReturnsToGo(rewards: r, dones: d, gamma: 0.9)\n".write(to: lessonFolder.appendingPathComponent("A.swift"), atomically: true, encoding: .utf8)
        try "// discountedReturnsToGo would be the easy way\n".write(to: lessonFolder.appendingPathComponent("B.swift"), atomically: true, encoding: .utf8)
        let lesson = LessonInfo(id: "05", name: "Test", directory: "05-Test", module: "Test", demo: "test", exercises: [],
                                forbiddenNames: ["discountedReturnsToGo"])
        let refused = Grader.refusedLessons([lesson], in: folder.path)
        #expect(refused["05-Test"]?.count == 1, "\(refused)")
        #expect(refused["05-Test"]?.first?.hasPrefix("refused: Lessons/05-Test/A.swift uses discountedReturnsToGo") == true)
        let allowed = LessonInfo(id: "05", name: "Test", directory: "05-Test", module: "Test", demo: "test", exercises: [])
        #expect(Grader.refusedLessons([allowed], in: folder.path).isEmpty)
    }
}
