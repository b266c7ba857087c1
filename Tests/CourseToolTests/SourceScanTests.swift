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

@Suite("the refused list: short, documented, and tripped by no reference solution")
struct SubmissionPolicyTests {
    @Test func everyRuleNamesItsReason() {
        let cases: [(String, String)] = [
            ("import Testing\n", "imports Testing"),
            ("import Glibc\n", "imports Glibc"),
            ("@_silgen_name(\"x\") func f() -> Int\n", "uses @_silgen_name"),
            ("@_cdecl(\"y\") public func g() {}\n", "uses @_cdecl"),
            ("func h() { exit(0) }\n", "uses exit"),
            ("let p = Process()\n", "uses Process"),
            ("let e = ProcessInfo.processInfo.environment\n", "uses ProcessInfo"),
            ("let a = CommandLine.arguments\n", "uses CommandLine"),
            ("public func == (a: [Double], b: [Double]) -> Bool { true }\n", "declares the operator =="),
            ("extension Array { static func < (a: Self, b: Self) -> Bool { true } }\n", "extends the standard library's Array"),
            ("public func abs(_ x: Double) -> Double { 0 }\n", "declares a function named abs"),
            ("struct Issue {}\n", "declares a type named Issue"),
        ]
        for (code, phrase) in cases {
            let reasons = SubmissionPolicy.violations(in: code, file: "Lessons/01-MDPs/X.swift")
            #expect(reasons.contains { $0.contains(phrase) }, "\(code): expected a reason containing '\(phrase)', got \(reasons)")
        }
        let innocent = """
        // exit(0) and Process in a comment, "kill" in a string
        let message = "exit and FileManager"
        func maxError(_ a: [Double]) -> Double { a.map { Swift.abs($0) }.max() ?? 0 }
        struct Episode { var states: [Int] }
        """
        #expect(SubmissionPolicy.violations(in: innocent, file: "Lessons/01-MDPs/X.swift").isEmpty)
    }

    @Test("no reference solution trips the refused list", .enabled(if: courseRoot.hasSolutions, "needs Solutions/"))
    func referenceSolutionsPass() {
        for lesson in Course.lessons {
            for file in courseRoot.swiftFiles(in: "Solutions/\(lesson.directory)") {
                let source = courseRoot.read("Solutions/\(lesson.directory)/\(file)") ?? ""
                let reasons = SubmissionPolicy.violations(in: source, file: file, forbiddenNames: lesson.forbiddenNames)
                #expect(reasons.isEmpty, "Solutions/\(lesson.directory)/\(file): \(reasons)")
            }
            for file in courseRoot.swiftFiles(in: "Lessons/\(lesson.directory)") {
                let reasons = SubmissionPolicy.violations(in: courseRoot.read("Lessons/\(lesson.directory)/\(file)") ?? "", file: file)
                #expect(reasons.isEmpty, "the skeleton Lessons/\(lesson.directory)/\(file): \(reasons)")
            }
        }
    }
}
