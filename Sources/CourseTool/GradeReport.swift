import CourseKit
import Foundation

/// How one exercise's tests ended.
public enum ExerciseStatus: String, Codable, Sendable {
    /// Every test of its suite passed.
    case passed
    /// A test failed (an expectation or a thrown error, including "not implemented").
    case failed
    /// The test process crashed (fatalError, index out of range, ...).
    case crashed
    /// The test process ran past the time limit and was stopped.
    case timedOut = "timed_out"
    /// The lesson's files do not compile.
    case buildFailed = "build_failed"
    /// The suite ran no test (a grading set-up problem).
    case noTests = "no_tests"
    /// The lesson's code uses something the course does not allow there (a
    /// shared version of an idea the lesson teaches); graded 0 unrun.
    case refused
}

/// The grade of one exercise.
public struct ExerciseGrade: Codable, Sendable {
    /// The exercise id, "1.3".
    public var id: String
    /// The function it implements.
    public var name: String
    /// Points earned.
    public var score: Int
    /// Points available.
    public var max_score: Int
    /// How its tests ended.
    public var status: ExerciseStatus
    /// The failure messages, one per failed test or problem.
    public var failures: [String]
    /// How many of the suite's tests passed.
    public var tests_passed: Int = 0
    /// How many of the suite's tests failed (or never finished).
    public var tests_failed: Int = 0
}

/// The grade of one lesson.
public struct LessonGrade: Codable, Sendable {
    /// "01".
    public var id: String
    /// "MDPs".
    public var name: String
    /// Points earned.
    public var score: Int
    /// Points available (100).
    public var max_score: Int
    /// The exercises, in catalog order.
    public var exercises: [ExerciseGrade]
}

/// The grade of a submission: what `deeprl grade --json` writes.
public struct GradeReport: Codable, Sendable {
    /// Points earned.
    public var score: Int
    /// Points available.
    public var max_score: Int
    /// The lessons graded.
    public var lessons: [LessonGrade]
    /// What the grader did with the submission's files (files refused, taken, ignored).
    public var submission_notes: [String] = []
    /// The protections in force while the student's code ran.
    public var protections: [String] = []

    /// Creates a report from lesson grades.
    public init(lessons: [LessonGrade]) {
        self.lessons = lessons
        score = lessons.reduce(0) { $0 + $1.score }
        max_score = lessons.reduce(0) { $0 + $1.max_score }
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Gradescope's `results.json`: one test per exercise with its points and
    /// failure output, all visible.
    public func gradescope() throws -> String {
        struct Test: Encodable {
            var name: String, number: String, score: Int, max_score: Int, output: String, visibility: String
        }
        struct Results: Encodable {
            var score: Int, tests: [Test], output: String, visibility: String, stdout_visibility: String
        }
        var tests: [Test] = []
        for lesson in lessons {
            for exercise in lesson.exercises {
                let output = exercise.status == .passed ? "passed"
                    : "\(exercise.status.rawValue):\n" + exercise.failures.joined(separator: "\n")
                tests.append(Test(name: "Lesson \(lesson.id) \(lesson.name) - \(exercise.id) \(exercise.name)",
                                  number: exercise.id, score: exercise.score, max_score: exercise.max_score,
                                  output: output, visibility: "visible"))
            }
        }
        var output = "Total: \(score)/\(max_score). Run `swift run deeprl progress` locally for hints."
        if !submission_notes.isEmpty { output += "\n\nAbout the submitted files:\n" + submission_notes.map { "- " + $0 }.joined(separator: "\n") }
        let results = Results(score: score, tests: tests, output: output,
                              visibility: "visible", stdout_visibility: "hidden")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(results), as: UTF8.self) + "\n"
    }

    /// The report as a table: one row per exercise, a total per lesson, and
    /// the first failure of each exercise that did not pass.
    public func table() -> String {
        var table = TextTable(headers: ["exercise", "function", "points", "status"])
        for lesson in lessons {
            for exercise in lesson.exercises {
                let name = exercise.name.count > 40 ? String(exercise.name.prefix(39)) + "…" : exercise.name
                table.addRow([exercise.id, name, "\(exercise.score)/\(exercise.max_score)", exercise.status.rawValue])
            }
            table.addRow(["", "lesson \(lesson.id) \(lesson.name)", "\(lesson.score)/\(lesson.max_score)", ""])
        }
        var text = table.render() + "\n\ntotal: \(score)/\(max_score)\n"
        if !submission_notes.isEmpty {
            text += "\nabout the submitted files:\n" + submission_notes.map { "  \($0)\n" }.joined()
        }
        let failing = lessons.flatMap { $0.exercises }.filter { $0.status != .passed }
        if !failing.isEmpty {
            text += "\nfirst problem of each exercise that did not pass:\n"
            for exercise in failing {
                text += "  \(exercise.id): \(exercise.failures.first ?? exercise.status.rawValue)\n"
            }
        }
        return text
    }
}
