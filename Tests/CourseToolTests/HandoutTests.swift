import CourseKit
import CourseTool
import Foundation
import Testing

@Suite("handout")
struct HandoutTests {
    @Test("the handout README starts with commands that work without Solutions/")
    func studentReadme() throws {
        let readme = try #require(courseRoot.read("README.md"))
        let student = Handout.studentReadme(readme)
        let firstBlock = try #require(student.components(separatedBy: "```").dropFirst().first)
        #expect(!firstBlock.contains("DEEPRL_IMPL=solutions") && firstBlock.contains("swift test") && firstBlock.contains("deeprl demo"),
                "got: \(firstBlock)")
        let students = try #require(readme.range(of: "## Students"))
        let section = readme[students.lowerBound...].components(separatedBy: "\n## ")[0]
        #expect(student.contains(section), "the students' section is kept")
        #expect(!student.contains("## Instructors") && !student.contains("## Autograders"), "the instructors' sections are left out")
    }

    @Test("a handout has every hint level of every exercise, and hints never come from the student's TODO",
          .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func hintsReachTheHandout() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-handout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Handout.write(from: courseRoot, to: folder.path)
        let student = CourseRoot(path: folder.path)
        #expect(!student.hasSolutions)
        // Its documents are written for students: every command works without Solutions/.
        let instructorOnly = Handout.instructorOnlyCommands(in: student)
        #expect(instructorOnly.isEmpty, "commands that need the instructors' repository:\n\(instructorOnly.joined(separator: "\n"))")
        let readme = try #require(student.read("README.md"))
        #expect(!readme.contains("## Instructors") && !readme.contains("## Contributors") && readme.contains("## Students"))
        #expect(!Handout.instructorOnlyCommands(in: courseRoot).isEmpty, "the check must see the repository's own commands")
        for lesson in Course.lessons {
            for exercise in lesson.exercises {
                let repository = StudentProgress.hints(for: exercise, of: lesson, in: courseRoot)
                let handout = StudentProgress.hints(for: exercise, of: lesson, in: student)
                #expect(repository.count >= 2 && handout == repository,
                        "\(exercise.id): the handout has \(handout.count) hint levels, the repository \(repository.count)")
            }
        }
        // A student who rewrites the TODO line still gets the course's hint, not their own words.
        let (lesson, exercise) = try #require(Course.exercise("1.1"))
        let path = "Lessons/\(lesson.directory)/\(exercise.file)"
        let edited = try #require(student.read(path)).replacingOccurrences(of: "// TODO(1.1):", with: "// TODO(1.1): first try;")
        try edited.write(to: student.url(path), atomically: true, encoding: .utf8)
        let location = StudentProgress.locate(exercise, of: lesson, in: student)
        #expect(location.hint == StudentProgress.hints(for: exercise, of: lesson, in: courseRoot).first)
        let text = try StudentProgress.hint(for: "1.1", level: 3, in: student)
        #expect(text.contains("hint 3/3"), "got \(text)")
        #expect(throws: ToolError.self) { _ = try StudentProgress.hint(for: "1.1", level: 9, in: student) }
        #expect(throws: ToolError.self) { _ = try StudentProgress.hint(for: "1.1", level: 0, in: student) }
    }
}
