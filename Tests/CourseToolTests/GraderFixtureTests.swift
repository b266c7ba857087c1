import CourseKit
import CourseTool
import Foundation
import Testing

/// Grades the deliberately broken submissions of Tests/GraderFixtures. Each
/// run builds a pristine copy of the course (minutes), so it runs only when
/// DEEPRL_GRADER_FIXTURES=1 (as in .ci/run).
@Suite("grader fixtures", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_GRADER_FIXTURES"] == "1",
                "set DEEPRL_GRADER_FIXTURES=1 to build and grade the fixture submissions"))
struct GraderFixtureTests {
    func grade(_ fixture: String, timeout: Double) throws -> [String: ExerciseGrade] {
        var options = GradeOptions()
        options.submission = courseRoot.url("Tests/GraderFixtures/\(fixture)").path
        options.lessons = ["01"]
        options.timeout = timeout
        let report = try Grader.grade(root: courseRoot, options: options)
        return Dictionary(uniqueKeysWithValues: report.lessons.flatMap(\.exercises).map { ($0.id, $0) })
    }

    @Test("a fatalError, an index out of range and an endless loop cost only their own exercises")
    func broken() throws {
        let grades = try grade("BrokenSubmission", timeout: 20)
        #expect(grades["1.2"]?.status == .crashed, "fatalError in 1.2: \(String(describing: grades["1.2"]))")
        #expect(grades["1.2"]?.failures.first?.contains("fixture: exercise 1.2 crashes") == true)
        #expect(grades["1.3"]?.status == .crashed, "index out of range in 1.3: \(String(describing: grades["1.3"]))")
        #expect(grades["1.4"]?.status == .timedOut, "endless loop in 1.4: \(String(describing: grades["1.4"]))")
        for id in ["1.1", "1.5", "1.6", "1.7"] {
            #expect(grades[id]?.status == .passed, "\(id) is correct in the fixture and must keep its points: \(String(describing: grades[id]))")
        }
        #expect(grades.values.reduce(0) { $0 + $1.score } == 45)
    }

    @Test("an edited test file in a submission is ignored: the official test grades it")
    func tampered() throws {
        let grades = try grade("TamperedSubmission", timeout: 60)
        #expect(grades["1.1"]?.status == .failed, "the wrong 1.1 must fail the official tests: \(String(describing: grades["1.1"]))")
        #expect(grades["1.1"]?.score == 0)
    }
}
