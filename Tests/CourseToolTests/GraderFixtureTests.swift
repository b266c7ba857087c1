import CourseKit
import CourseTool
import Foundation
import Testing

/// Grades deliberately broken submissions of Lesson 01, made from the
/// reference solutions at test time (so they never drift from them): the
/// marker lines are dropped and a bug is put at the top of chosen exercises.
/// Each run builds a pristine copy of the course (a minute or two), so the
/// suite runs only when DEEPRL_GRADER_FIXTURES=1 (as in .ci/run).
@Suite("grader fixtures", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_GRADER_FIXTURES"] == "1"
                    && courseRoot.hasSolutions,
                "set DEEPRL_GRADER_FIXTURES=1 (in the instructors' repository) to build and grade broken submissions"))
struct GraderFixtureTests {
    /// Bugs to put at the top of an exercise's body, by exercise id.
    typealias Bugs = [String: String]

    /// A fatalError, an index out of range, an endless loop (with a side
    /// effect, so that the optimiser keeps it) and a shape error inside
    /// TensorCore (compiled with -O, where only a message printed through
    /// fatalError survives).
    static let broken: Bugs = [
        "1.6": "_ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))  // fixture: a shape error in TensorCore",
        "1.2": #"fatalError("fixture: exercise 1.2 crashes")"#,
        "1.3": "_ = Array(repeating: 0.0, count: mdp.stateCount)[mdp.stateCount]  // fixture: index out of range",
        "1.4": #"var spins = 0; while spins >= 0 { spins = (spins &+ 1) & 0xFFFF; if spins == 0 { print("", terminator: "") } }"#,
    ]

    /// Writes Lessons/01-MDPs of a submission into a new folder: the solution
    /// files without their markers, with `bugs` inserted, plus `extraFiles`
    /// (relative path -> text).
    func makeSubmission(_ bugs: Bugs, lessons: [String] = ["01-MDPs"], extraFiles: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-submission-\(UUID().uuidString)")
        for lesson in lessons {
        for file in courseRoot.swiftFiles(in: "Solutions/\(lesson)") {
            var lines: [String] = []
            for line in (courseRoot.read("Solutions/\(lesson)/\(file)") ?? "").components(separatedBy: "\n") {
                if line.contains("// END SOLUTION") { continue }
                if let range = line.range(of: "// BEGIN SOLUTION ") {
                    let id = String(line[range.upperBound...].prefix { $0 != ":" })
                    if let bug = bugs[id] { lines.append(String(line[..<range.lowerBound]) + bug) }
                    continue
                }
                lines.append(line)
            }
            if bugs.values.contains(where: { $0.contains("Tensor.") }) && !lines.contains("import TensorCore") {
                lines.insert("import TensorCore", at: 0)
            }
            if bugs.values.contains(where: { ["Foundation.", "Process(", "CommandLine", "URL("].contains(where: $0.contains) }) && !lines.contains("import Foundation") {
                lines.insert("import Foundation", at: 0)
            }
            let url = folder.appendingPathComponent("Lessons/\(lesson)/\(file)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        }
        for (path, text) in extraFiles {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    func grade(_ submission: URL, timeout: Double, lessons: [String] = ["01"], refuseForbiddenCode: Bool = true) throws -> [String: ExerciseGrade] {
        try gradeReport(submission, timeout: timeout, lessons: lessons, refuseForbiddenCode: refuseForbiddenCode).grades
    }

    func gradeReport(_ submission: URL, timeout: Double, lessons: [String] = ["01"], refuseForbiddenCode: Bool = true) throws
        -> (grades: [String: ExerciseGrade], report: GradeReport) {
        defer { try? FileManager.default.removeItem(at: submission) }
        var options = GradeOptions()
        options.submission = submission.path
        options.lessons = lessons
        options.timeout = timeout
        options.refuseForbiddenCode = refuseForbiddenCode
        let report = try Grader.grade(root: courseRoot, options: options)
        return (Dictionary(uniqueKeysWithValues: report.lessons.flatMap(\.exercises).map { ($0.id, $0) }), report)
    }

    @Test("a fatalError, an index out of range, an endless loop and a TensorCore trap cost only their own exercises")
    func broken() throws {
        let grades = try grade(try makeSubmission(Self.broken), timeout: 20)
        #expect(grades["1.2"]?.status == .crashed, "fatalError in 1.2: \(String(describing: grades["1.2"]))")
        #expect(grades["1.2"]?.failures.first?.contains("fixture: exercise 1.2 crashes") == true)
        #expect(grades["1.3"]?.status == .crashed, "index out of range in 1.3: \(String(describing: grades["1.3"]))")
        #expect(grades["1.4"]?.status == .timedOut, "endless loop in 1.4: \(String(describing: grades["1.4"]))")
        #expect(grades["1.6"]?.status == .crashed, "shape error in 1.6: \(String(describing: grades["1.6"]))")
        #expect(grades["1.6"]?.failures.first?.contains("matmul: shapes [2, 3] and [4, 5] do not match: inner dimensions 3 and 4 differ") == true,
                "the grader must show TensorCore's trap message as the failure: \(String(describing: grades["1.6"]?.failures))")
        for id in ["1.1", "1.5", "1.7"] {
            #expect(grades[id]?.status == .passed, "\(id) is correct in the fixture and must keep its points: \(String(describing: grades[id]))")
        }
        #expect(grades.values.reduce(0) { $0 + $1.score } == 35)
    }

    @Test("an edited test file in a submission is ignored: the official test grades it")
    func tampered() throws {
        // A wrong 1.1 (the first reward only) and a test file that would pass it.
        let lenientTest = """
        import Testing
        @Suite("1.1 discountedReturn") struct DiscountedReturnTests {
            @Test func alwaysPasses() { #expect(true) }
        }
        """
        let submission = try makeSubmission(["1.1": "return rewards.first ?? 0  // fixture: wrong"],
                                            extraFiles: ["Tests/MDPsTests/DiscountedReturnTests.swift": lenientTest])
        let grades = try grade(submission, timeout: 60)
        #expect(grades["1.1"]?.status == .failed, "the wrong 1.1 must fail the official tests: \(String(describing: grades["1.1"]))")
        #expect(grades["1.1"]?.score == 0)
        #expect(grades["1.2"]?.status == .passed, "the rest of the submission is correct")
    }
}
