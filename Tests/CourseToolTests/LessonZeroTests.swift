import CourseKit
import CourseTool
import Foundation
import Testing

/// Lesson 00 comes before lesson 01: the tools find it by every name and keep course order.
@Suite("a lesson numbered 00")
struct LessonZeroTests {
    @Test("it is the first lesson, found by id, number, module, folder and demo name")
    func names() throws {
        #expect(Course.lessons.first?.id == "00", "lesson 00 comes first in course order")
        for key in ["00", "0", "Autodiff", "autodiff", "00-Autodiff"] {
            #expect(Course.lesson(named: key)?.id == "00", "Course.lesson(named: \"\(key)\") should find lesson 00")
        }
        #expect(Course.lesson(named: "1")?.id == "01" && Course.lesson(named: "01")?.id == "01", "lesson 01 is still found by 1 and 01")
        #expect(try Grader.selectLessons(["0"]).map(\.id) == ["00"])
        #expect(try Grader.selectLessons(["00", "1"]).map(\.id) == ["00", "01"])
    }

    @Test("deeprl check and hint accept its exercises and the lesson as a whole")
    func exercises() throws {
        #expect(try StudentCheck.exercises(named: "0.1").map(\.1.id) == ["0.1"])
        #expect(try StudentCheck.exercises(named: "00").map(\.1.id) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"])
        #expect(try StudentCheck.exercises(named: "0").count == 8)
        #expect(Course.exercise("0.8")?.lesson.id == "00")
        let hint = try StudentProgress.hint(for: "0.2", level: 2, in: courseRoot)
        #expect(hint.contains("exercise 0.2 (lesson 00") && hint.contains("Lessons/00-Autodiff/Backward.swift:") && hint.contains("hint 2/3"),
                "deeprl hint 0.2 --level 2: \(hint)")
    }

    @Test("a finished method is found by its own name, without its type's", .enabled(if: courseRoot.hasSolutions, "needs Solutions/"))
    func locatesMethods() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-locate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        let solved = try #require(courseRoot.read("Solutions/00-Autodiff/Backward.swift"))
        try writeFileAtomically(solved, to: copy.appendingPathComponent("Lessons/00-Autodiff/Backward.swift").path)
        let (lesson, exercise) = try #require(Course.exercise("0.3"))
        let location = StudentProgress.locate(exercise, of: lesson, in: CourseRoot(path: copy.path))
        let lines = solved.split(separator: "\n", omittingEmptySubsequences: false)
        let declaration = try #require(lines.firstIndex { $0.contains("func backward()") })
        #expect(!location.stubbed && location.line == declaration + 1,
                "Value.backward() is declared as `func backward()` at line \(declaration + 1), located at \(location.line)")
    }
}
