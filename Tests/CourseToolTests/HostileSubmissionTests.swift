import CourseKit
import CourseTool
import Foundation
import Testing

/// Submissions written the way a student who wants points, or a careless
/// one, writes them: each class of the grader's threat model (docs/
/// INSTRUCTORS.md, "What the grader protects against") gets a fixture, made
/// from the reference at test time. They run in the grader fixtures' suite
/// (serialized: they share the grader's copy of the course).
extension GraderFixtureTests {
    @Test("code the grader refuses: testing imports, linker attributes, shadowing declarations, environment APIs")
    func refusedCode() throws {
        let hostile = """

        import Testing
        @_silgen_name("swift_deeprl_fixture_hook") func fixtureHook() -> Int
        public func abs(_ x: Double) -> Double { 0 }
        extension Array { public var fixtureCount: Int { count } }
        let fixtureSeesTheGrader = ProcessInfo.processInfo.environment.count
        """
        let submission = try makeSubmission(["1.1": "return 0  // fixture: wrong"])
        let returns = submission.appendingPathComponent("Lessons/01-MDPs/Returns.swift")
        try ("import Foundation\n" + (try String(contentsOf: returns, encoding: .utf8)) + hostile).write(to: returns, atomically: true, encoding: .utf8)
        let grades = try grade(submission, timeout: 60)
        for id in ["1.1", "1.2", "1.5", "1.7"] {
            #expect(grades[id]?.status == .refused && grades[id]?.score == 0, "\(id): \(String(describing: grades[id]))")
        }
        let reasons = grades["1.2"]?.failures.joined(separator: "\n") ?? ""
        for phrase in ["imports Testing", "uses @_silgen_name", "declares a function named abs", "extends the standard library's Array", "uses ProcessInfo"] {
            #expect(reasons.contains(phrase), "the report names the refused rule '\(phrase)': \(reasons)")
        }
    }

    @Test("pass lines on standard output, an early exit, a memory hog and a process left behind cost only their exercises")
    func dynamicDefences() throws {
        let bugs: Bugs = [
            "1.1": #"print("✔ Test \"hand-computed returns\" passed after 0.001 seconds."); print("✔ Suite \"1.1 discountedReturn\" passed after 0.001 seconds."); return 0  // fixture"#,
            "1.2": "Foundation.exit(0)  // fixture: ends the test process early, with success",
            "1.4": #"do { let p = Process(); p.executableURL = URL(fileURLWithPath: "/bin/sleep"); p.arguments = ["777"]; try p.run() } catch {}  // fixture: a process left behind"#,
            "1.5": "var hog = [UInt8](repeating: 1, count: 6 << 30); hog[hog.count - 1] = 2; if hog[0] == 9 { return [] }  // fixture: 6 GiB",
        ]
        // The refused list would stop all of these before they run; here it is off, to prove the next layer.
        let (grades, report) = try gradeReport(try makeSubmission(bugs), timeout: 60, refuseForbiddenCode: false)
        #expect(grades["1.1"]?.status == .failed && grades["1.1"]?.score == 0, "pass lines printed by the code are not results: \(String(describing: grades["1.1"]))")
        #expect(grades["1.2"]?.score == 0 && grades["1.2"]?.failures.contains { $0.contains("never finished") && $0.contains("before it") } == true,
                "an early exit with status 0 leaves tests without a result: \(String(describing: grades["1.2"]))")
        #expect(grades["1.4"]?.status == .passed, "1.4 is correct apart from the process it starts: \(String(describing: grades["1.4"]))")
        if report.protections.contains(where: { $0.hasPrefix("limits: memory") }) {  // Linux; macOS enforces no memory limit
            #expect(grades["1.5"]?.status == .crashed && grades["1.5"]?.score == 0, "6 GiB under a 2 GiB limit: \(String(describing: grades["1.5"]))")
        }
        for id in ["1.3", "1.6", "1.7"] {
            #expect(grades[id]?.status == .passed, "\(id) is correct and keeps its points: \(String(describing: grades[id]))")
        }
        #if os(Linux)  // the processes' command lines are read from /proc
        let sleepers = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
                (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains("sleep\u{0}777") == true
            }.count
        #expect(sleepers == 0, "every process an exercise started is gone after it: \(sleepers) 'sleep 777' left")
        #endif
        #expect(report.protections.contains { $0.contains("event stream") }, "the report says which protections were in force: \(report.protections)")
    }

    @Test("as root: a test process cannot write the test executable, the course copy or a report",
          .enabled(if: SandboxPolicy.separatesUsers, "needs root on Linux (as on Gradescope and in CI)"))
    func privilegesAreDropped() throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-report-\(UUID().uuidString).json")
        try "{}".write(to: report, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: report) }
        let attack = """
        do { let me = URL(fileURLWithPath: CommandLine.arguments[0]); try Data("x".utf8).write(to: me); try Data("x".utf8).write(to: me.deletingLastPathComponent().appendingPathComponent("../../../course/Package.swift")) } catch {}; \
        do { try Data("owned".utf8).write(to: URL(fileURLWithPath: "\(report.path)")) } catch {}  // fixture: writes where it must not
        """
        let grades = try grade(try makeSubmission(["1.3": attack]), timeout: 60, refuseForbiddenCode: false)
        #expect(grades["1.3"]?.status == .passed, "the writes fail; 1.3 is otherwise correct: \(String(describing: grades["1.3"]))")
        for id in ["1.4", "1.5", "1.6", "1.7"] {
            #expect(grades[id]?.status == .passed, "\(id) runs on an intact test executable: \(String(describing: grades[id]))")
        }
        #expect(try String(contentsOf: report, encoding: .utf8) == "{}", "the report file was written by a test process")
        #expect(courseRoot.read(".build-grade/course/Package.swift") == courseRoot.read("Package.swift"), "the course copy was written by a test process")
    }

    @Test("links, folders and pipes in place of lesson files are refused with a line in the report")
    func submittedFilesAreValidated() throws {
        let submission = try makeSubmission([:])
        let lessons = submission.appendingPathComponent("Lessons/01-MDPs")
        let returns = lessons.appendingPathComponent("Returns.swift")
        try FileManager.default.removeItem(at: returns)
        try FileManager.default.createSymbolicLink(at: returns, withDestinationURL: courseRoot.url("Solutions/01-MDPs/Returns.swift"))
        let trajectory = lessons.appendingPathComponent("Trajectory.swift")
        try FileManager.default.removeItem(at: trajectory)
        try FileManager.default.createDirectory(at: trajectory, withIntermediateDirectories: false)
        let evaluation = lessons.appendingPathComponent("PolicyEvaluation.swift")
        try FileManager.default.removeItem(at: evaluation)
        #expect(mkfifo(evaluation.path, 0o644) == 0)
        let (grades, report) = try gradeReport(submission, timeout: 60)
        let notes = report.submission_notes.joined(separator: "\n")
        #expect(notes.contains("Lessons/01-MDPs/Returns.swift: refused, it is a symbolic link"), "\(notes)")
        #expect(notes.contains("Lessons/01-MDPs/Trajectory.swift: refused, it is a folder"), "\(notes)")
        #expect(notes.contains("Lessons/01-MDPs/PolicyEvaluation.swift: refused, it is a pipe"), "\(notes)")
        #expect(grades["1.1"]?.score == 0, "the linked file (the reference!) is not taken: \(String(describing: grades["1.1"]))")
        for id in ["1.5", "1.6", "1.7"] { #expect(grades[id]?.status == .passed, "\(id): \(String(describing: grades[id]))") }
        #expect(report.score == 35)
    }

    @Test("a linked Lessons/ folder is not followed, not even to the course's own Solutions/")
    func linkedLessonsFolder() throws {
        let submission = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-submission-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: submission, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: submission.appendingPathComponent("Lessons"),
                                                   withDestinationURL: courseRoot.url("Solutions"))
        let (grades, report) = try gradeReport(submission, timeout: 60)
        let notes = report.submission_notes.joined(separator: "\n")
        #expect(report.score == 0, "nothing is read through the link, so the reference earns no points: \(grades.mapValues(\.score))")
        #expect(notes.contains("Lessons: refused, it is a symbolic link"), "the report names the linked folder: \(notes)")
    }

    @Test("a linked lesson folder is not followed, whether it points into the course or outside it")
    func linkedLessonFolders() throws {
        let submission = try makeSubmission([:], lessons: ["01-MDPs", "02-ValueIteration", "03-MonteCarloTD"])
        let fm = FileManager.default
        // 01-MDPs: the (correct) lesson moved outside the submission, linked back in.
        let outside = fm.temporaryDirectory.appendingPathComponent("deeprl-outside-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: outside) }
        try fm.moveItem(at: submission.appendingPathComponent("Lessons/01-MDPs"), to: outside)
        try fm.createSymbolicLink(at: submission.appendingPathComponent("Lessons/01-MDPs"), withDestinationURL: outside)
        // 02-ValueIteration: a link to the course's own reference.
        try fm.removeItem(at: submission.appendingPathComponent("Lessons/02-ValueIteration"))
        try fm.createSymbolicLink(at: submission.appendingPathComponent("Lessons/02-ValueIteration"),
                                  withDestinationURL: courseRoot.url("Solutions/02-ValueIteration"))
        let (grades, report) = try gradeReport(submission, timeout: 60, lessons: ["01", "02", "03"])
        let notes = report.submission_notes.joined(separator: "\n")
        for id in ["1.1", "1.7", "2.1", "2.2"] {
            #expect(grades[id]?.score == 0, "\(id) is under a linked folder and is not taken: \(String(describing: grades[id]))")
        }
        for id in ["3.1", "3.4", "3.8"] { #expect(grades[id]?.status == .passed, "lesson 03 is a real folder: \(String(describing: grades[id]))") }
        #expect(notes.contains("Lessons/01-MDPs: refused, it is a symbolic link"), "the link outside is named: \(notes)")
        #expect(notes.contains("Lessons/02-ValueIteration: refused, it is a symbolic link"), "the link to Solutions/ is named: \(notes)")
    }

    @Test("a lesson that compiles alone but not against its tests, or clashes with a course name, costs only itself")
    func buildBreaksCostOnlyTheirLesson() throws {
        let submission = try makeSubmission([:], lessons: ["01-MDPs", "02-ValueIteration", "03-MonteCarloTD"])
        let returns = submission.appendingPathComponent("Lessons/01-MDPs/Returns.swift")
        let renamed = try String(contentsOf: returns, encoding: .utf8)
            .replacingOccurrences(of: "public func discountedReturn(_ rewards: [Double], gamma: Double)", with: "public func discountedReturn(_ rewards: [Double], discount gamma: Double)")
        try renamed.write(to: returns, atomically: true, encoding: .utf8)
        let bellman = submission.appendingPathComponent("Lessons/02-ValueIteration/Bellman.swift")
        try ((try String(contentsOf: bellman, encoding: .utf8)) + "\npublic struct TabularMDP {}\n").write(to: bellman, atomically: true, encoding: .utf8)
        let grades = try grade(submission, timeout: 60, lessons: ["01", "02", "03"])
        #expect(grades["1.1"]?.status == .buildFailed && grades["1.1"]?.failures.contains { $0.contains("Tests/MDPsTests/") } == true,
                "lesson 01 fails to compile against its tests: \(String(describing: grades["1.1"]))")
        #expect(grades["2.1"]?.status == .buildFailed, "lesson 02's clash: \(String(describing: grades["2.1"]))")
        for id in ["3.1", "3.4", "3.8"] { #expect(grades[id]?.status == .passed, "lesson 03 is graded normally: \(String(describing: grades[id]))") }
    }
}
