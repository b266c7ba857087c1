import CourseKit
import Foundation

/// What `deeprl grade` grades and how.
public struct GradeOptions: Sendable {
    /// Grade `Solutions/` instead of `Lessons/`.
    public var reference = false
    /// A folder holding a student's lesson files (a course copy, a Lessons/
    /// folder, or loose files); only its lesson `.swift` files are used.
    public var submission: String?
    /// Seconds one exercise's tests may run before they are stopped.
    public var timeout: Double = 120
    /// The lessons to grade (ids, numbers, modules or demo names); empty
    /// means all.
    public var lessons: [String] = []
    /// Grade only these exercise ids (all when nil); the others are left
    /// out of the report.
    public var exercises: Set<String>?
    /// How many exercises run at once.
    public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The threads each exercise's tensor products may use (`DEEPRL_THREADS`
    /// in its test process). One by default, so that exercises running side
    /// by side (`jobs`) never compete for cores and their timing is the same
    /// on every machine; results are identical with any number.
    public var threads = 1
    /// How a test process is confined (memory, CPU, files, processes, user).
    public var sandbox = SandboxPolicy()
    /// Whether lesson code is checked against `SubmissionPolicy` before it
    /// is built (always on in `deeprl grade`; tests of the grader's other
    /// defences turn it off).
    public var refuseForbiddenCode = true

    /// Default options: grade every lesson of `Lessons/`.
    public init() {}
}

/// The grader: builds the course once, then runs each exercise's test suite
/// in its own process with a time limit, so a crash or an endless loop costs
/// only the exercises whose tests hit it.
public enum Grader {
    /// The name of the test executable SwiftPM builds for this package.
    static let testBundle = "DeepRLCoursePackageTests.xctest"

    /// Grades the course at `root`, in four steps: pick the workspace, build
    /// it (putting back the skeleton of any lesson that does not compile),
    /// run every exercise's suite in its own confined process, and report.
    ///
    /// - Parameter log: receives progress lines (the tool sends them to
    ///   standard error).
    public static func grade(root: CourseRoot, options: GradeOptions,
                             log: @escaping @Sendable (String) -> Void = { _ in }) throws -> GradeReport {
        let lessons = try selectLessons(options.lessons)
        var (workspace, notes) = try workspace(for: options, root: root, log: log)
        let refused = options.refuseForbiddenCode ? refusedLessons(lessons, in: workspace.directory)
            : refusedLessons(lessons, in: workspace.directory, policy: false)
        let broken = try build(&workspace, notes: &notes, root: root, log: log)
        let binary = workspace.scratch + "/debug/" + testBundle
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ToolError("the build produced no test executable at \(binary)")
        }
        let selected = lessons.map { lesson -> LessonInfo in
            var lesson = lesson
            if let only = options.exercises { lesson.exercises = lesson.exercises.filter { only.contains($0.id) } }
            return lesson
        }
        let jobs = selected.flatMap { lesson in lesson.exercises.map { (lesson, $0) } }
        log("grading \(jobs.count) exercise(s), \(max(1, min(options.jobs, jobs.count))) at a time ...")
        let grades = try runAll(jobs, binary: binary, directory: workspace.directory, options: options,
                                refused: refused, broken: broken)
        var lessonGrades: [LessonGrade] = []
        var offset = 0
        for lesson in selected where !lesson.exercises.isEmpty {
            let mine = Array(grades[offset..<(offset + lesson.exercises.count)])
            offset += lesson.exercises.count
            lessonGrades.append(LessonGrade(id: lesson.id, name: lesson.name, score: mine.reduce(0) { $0 + $1.score },
                                            max_score: lesson.maxScore, exercises: mine))
        }
        var report = GradeReport(lessons: lessonGrades)
        report.noteDependencies()
        report.submission_notes = notes
        report.protections = options.sandbox.protections(executable: binary)
            + (options.refuseForbiddenCode ? ["lesson code checked against the refused list (SubmissionPolicy) before it is built"] : [])
        return report
    }

    /// Step 1: where to build and run: the course itself (`Lessons/`), the
    /// course with the reference (`--reference`), or a pristine copy with a
    /// submission's files laid over it; and the notes on refused files.
    static func workspace(for options: GradeOptions, root: CourseRoot,
                          log: @escaping @Sendable (String) -> Void) throws -> (Workspace, [String]) {
        if options.reference {
            guard root.hasSolutions else {
                throw ToolError("--reference needs Solutions/, which this copy does not have")
            }
            return (Workspace(directory: root.path, scratch: root.url(BuildFolder.reference).path, implementation: "solutions"), [])
        }
        if let submission = options.submission {
            let workspace = try Workspace.pristineCopy(of: root, log: log)
            return (workspace, try workspace.overlay(submission: submission, root: root, log: log))
        }
        return (Workspace(directory: root.path, scratch: root.url(BuildFolder.student).path, implementation: "lessons"), [])
    }

    /// Step 2: builds the test executable. A lesson that does not compile,
    /// or not against its tests, gets its skeleton back (in a copy, never in
    /// the student's own folder) and is graded `build_failed` with its
    /// errors; errors that name no lesson put back every submitted lesson.
    ///
    /// - Returns: the compiler errors of each lesson put back, by folder.
    /// - Throws: `ToolError` when the course itself does not build.
    static func build(_ workspace: inout Workspace, notes: inout [String], root: CourseRoot,
                      log: @escaping @Sendable (String) -> Void) throws -> [String: [String]] {
        var brokenLessons: [String: [String]] = [:]
        log("building the course (\(workspace.implementation)) in \(workspace.directory) ...")
        var build = try workspace.build()
        while build.status != 0 || build.timedOut {
            let errors = compileErrors(in: build.output)
            let summary = errors.isEmpty ? String(build.output.suffix(3000)) : errors.prefix(20).joined(separator: "\n")
            var culprits = Set(errors.flatMap { error in lessonDirectories(in: error) }).subtracting(brokenLessons.keys)
            guard workspace.implementation == "lessons" else { throw ToolError("the course does not build:\n" + summary) }
            if culprits.isEmpty {
                // Errors that name no lesson: put back every submitted lesson that is not already
                // back; if the course still does not build then, the course itself is broken.
                let copy = CourseRoot(path: workspace.directory)
                culprits = Set(Course.lessons.map(\.directory)).subtracting(brokenLessons.keys).filter { directory in
                    root.swiftFiles(in: "Lessons/\(directory)").contains { file in
                        copy.read("Lessons/\(directory)/\(file)") != root.read("Lessons/\(directory)/\(file)")
                    }
                }
                guard !culprits.isEmpty else { throw ToolError("the course does not build:\n" + summary) }
                for directory in culprits {
                    brokenLessons[directory] = ["the course does not build with this lesson's files (errors outside the lesson's own files):"]
                        + errors.prefix(5)
                    try workspace.restoreSkeleton(of: directory, from: root)
                }
                build = try workspace.build()
                continue
            }
            if workspace.directory == root.path {
                // Never touch the student's own files: grade a copy instead.
                workspace = try Workspace.pristineCopy(of: root, log: log)
                notes += try workspace.overlay(submission: root.path, root: root, log: log)
            }
            for directory in culprits {
                brokenLessons[directory] = errors.filter { lessonDirectories(in: $0).contains(directory) }.map { error in
                    // Paths relative to the course, from the copy's absolute paths.
                    error.range(of: "/Lessons/").map { "Lessons/" + error[$0.upperBound...] }
                        ?? error.range(of: "/Tests/").map { "Tests/" + error[$0.upperBound...] } ?? error
                }
                log("lesson \(directory) does not compile; grading it as unfinished")
                try workspace.restoreSkeleton(of: directory, from: root)
            }
            build = try workspace.build()
        }
        return brokenLessons
    }

    /// Step 3: one job per exercise, `options.jobs` at a time, each in its
    /// own confined process (`runExercise`), unless its lesson was refused or
    /// does not compile, or the test executable changed since it was listed.
    ///
    /// - Returns: the grades in the order of `jobs`.
    static func runAll(_ jobs: [(LessonInfo, ExerciseInfo)], binary: String, directory: String, options: GradeOptions,
                       refused: [String: [String]], broken: [String: [String]]) throws -> [ExerciseGrade] {
        // The tests each exercise must pass, from the build's own list (no test runs to list them).
        let listed = try listTests(binary, policy: options.sandbox)
        let identity = try fileIdentity(binary)
        let results = ResultBox(count: jobs.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, jobs.count))) { _ in
            while let index = next.take(below: jobs.count) {
                let (lesson, exercise) = jobs[index]
                func notRun(_ status: ExerciseStatus, _ failures: [String]) -> ExerciseGrade {
                    ExerciseGrade(id: exercise.id, name: exercise.symbol, score: 0, max_score: exercise.points,
                                  status: status, failures: failures)
                }
                let grade: ExerciseGrade
                if (try? fileIdentity(binary)) != identity {
                    grade = notRun(.crashed, ["the test executable changed during grading (code of an earlier exercise wrote to it): not run"])
                } else if let reasons = refused[lesson.directory] {
                    grade = notRun(.refused, reasons)
                } else if let errors = broken[lesson.directory] {
                    grade = notRun(.buildFailed, ["Lessons/\(lesson.directory) does not compile against its tests:"] + errors.prefix(5))
                } else {
                    grade = runExercise(exercise, of: lesson, binary: binary, directory: directory, timeout: options.timeout,
                                        threads: options.threads, listed: listed, policy: options.sandbox)
                }
                results.set(index, grade)
            }
        }
        return (0..<jobs.count).map { results.get($0)! }
    }

    /// The lessons whose files in `directory`/Lessons break `SubmissionPolicy`
    /// (or, with `policy: false`, only name what the catalog forbids there),
    /// with one reason per offending file and rule.
    public static func refusedLessons(_ lessons: [LessonInfo], in directory: String, policy: Bool = true) -> [String: [String]] {
        var refused: [String: [String]] = [:]
        let root = CourseRoot(path: directory)
        for lesson in lessons {
            for file in root.swiftFiles(in: "Lessons/\(lesson.directory)") {
                let path = "Lessons/\(lesson.directory)/\(file)"
                let source = root.read(path) ?? ""
                let reasons = policy ? SubmissionPolicy.violations(in: source, file: path, forbiddenNames: lesson.forbiddenNames)
                    : SubmissionPolicy.violations(in: "", file: path, forbiddenNames: []) + forbiddenUses(in: source, path: path, lesson: lesson)
                if !reasons.isEmpty { refused[lesson.directory, default: []] += reasons.map { "refused: " + $0 } }
            }
        }
        return refused
    }

    /// The catalog's forbidden names that `source` uses (outside comments and strings).
    static func forbiddenUses(in source: String, path: String, lesson: LessonInfo) -> [String] {
        let names = SourceScan.identifiers(in: source)
        return lesson.forbiddenNames.filter { names.contains($0) }
            .map { "\(path) uses \($0), the course's shared version of an idea this lesson asks you to write yourself" }
    }

    /// The catalog lessons named by `keys`, or all.
    public static func selectLessons(_ keys: [String]) throws -> [LessonInfo] {
        if keys.isEmpty { return Course.lessons }
        return try keys.map { key in
            guard let lesson = Course.lesson(named: key) else {
                let known = Course.lessons.map { "\($0.id) (\($0.demo))" }.joined(separator: ", ")
                throw ToolError("unknown lesson '\(key)'; expected one of \(known)", status: 2)
            }
            return lesson
        }
    }

    /// The tests of the build, as `Module.Suite/test()`, from `--list-tests`
    /// (test discovery reads the test metadata; no test and no lesson code runs).
    static func listTests(_ binary: String, policy: SandboxPolicy) throws -> [String] {
        let outcome = try runSandboxed(binary, ["--testing-library", "swift-testing", "--list-tests"], environment: [:],
                                       policy: policy, timeout: 120)
        let tests = outcome.output.split(separator: "\n").map(String.init).filter { $0.contains("/") && !$0.contains(" ") }
        guard !tests.isEmpty else { throw ToolError("the test executable listed no tests: \(outcome.output.suffix(500))") }
        return tests
    }

    /// A file's identity: device, inode, size and change time
    /// (`Platform.fileIdentity`). Any write changes the change time, which an
    /// unprivileged process cannot set back.
    static func fileIdentity(_ path: String) throws -> [Int] {
        guard let identity = Platform.fileIdentity(path) else { throw ToolError("cannot read \(path) (errno \(errno))") }
        return identity
    }

    /// Runs one exercise's suite confined by `policy` and grades it from the
    /// event stream: it passes when every test the build lists for its suite
    /// reported a pass and the process then ended normally.
    static func runExercise(_ exercise: ExerciseInfo, of lesson: LessonInfo, binary: String, directory: String,
                            timeout: Double, threads: Int = 1, environment extra: [String: String] = [:], listed: [String]? = nil,
                            policy: SandboxPolicy = SandboxPolicy()) -> ExerciseGrade {
        var grade = ExerciseGrade(id: exercise.id, name: exercise.symbol, score: 0, max_score: exercise.points,
                                  status: .failed, failures: [])
        let prefix = "\(lesson.testModule).\(exercise.suite)/"
        let expected: [String]
        do {
            expected = try (listed ?? listTests(binary, policy: policy)).filter { $0.hasPrefix(prefix) }
        } catch {
            grade.failures = ["could not list the tests: \(fileSystemReason(error))"]
            return grade
        }
        guard !expected.isEmpty else {
            grade.status = .noTests
            grade.failures = ["the build has no test in suite \(exercise.suite) (\(prefix))"]
            return grade
        }
        let filter = "\(lesson.testModule)\\.\(exercise.suite)/"
        let outcome: SandboxOutcome
        do {
            outcome = try runSandboxed(binary, ["--testing-library", "swift-testing", "--filter", filter,
                                                "--event-stream-output-path", "/dev/fd/3", "--event-stream-version", "0"],
                                       environment: ["DEEPRL_THREADS": String(threads)].merging(extra) { $1 },
                                       policy: policy, timeout: timeout)
        } catch {
            grade.failures = ["could not start the tests: \(fileSystemReason(error))"]
            return grade
        }
        let events = TestEvents(lines: outcome.events)
        let crash = crashLines(in: outcome.output).first
        var failures: [(line: Int, text: String)] = []
        var passed = 0, unfinished: [String] = []
        for test in expected {
            let id = events.id(of: test)
            let name = id.flatMap { events.names[$0] } ?? String(test.dropFirst(prefix.count))
            let issues = id.flatMap { events.issues[$0] } ?? []
            if let id, events.ended[id] == true, issues.isEmpty {
                passed += 1
            } else if !issues.isEmpty {
                failures.append((issues[0].line, "test '\(name)': " + issues.map(TestEvents.describe).joined(separator: " | ")))
            } else {
                unfinished.append(name)
            }
        }
        grade.tests_passed = passed
        grade.tests_failed = expected.count - passed
        var reason: String
        if outcome.timedOut {
            reason = "the time limit of \(Int(timeout)) s was reached (an endless loop, or far too slow)"
        } else if outcome.signalled {
            reason = "the process was killed by signal \(outcome.status)" + (crash.map { ": \($0)" } ?? "")
        } else if outcome.status != 0 {
            reason = "the process exited with status \(outcome.status)" + (crash.map { ": \($0)" } ?? "")
        } else {
            reason = "the process ended (status 0) before it: did the code end the test process early?"
        }
        if outcome.leftovers > 0 { reason += "; \(outcome.leftovers) process(es) it left behind were killed" }
        let never = unfinished.map { "test '\($0)' never finished: \(reason)" }
        let sorted = failures.sorted { $0.line < $1.line }.map(\.text)
        if outcome.timedOut {
            grade.status = .timedOut
            grade.failures = never.isEmpty ? ["timed out after \(Int(timeout)) s: an endless loop, or far too slow"] + sorted : never + sorted
        } else if !unfinished.isEmpty && (outcome.signalled || outcome.status != 0) {
            grade.status = .crashed
            grade.failures = ["crashed: " + (crash ?? reason)] + never + sorted
        } else if passed == expected.count && outcome.status == 0 && events.runEnded {
            grade.status = .passed
            grade.score = exercise.points
        } else {
            grade.failures = sorted + never
            if grade.failures.isEmpty { grade.failures = ["the tests did not all report a pass: \(reason)"] }
        }
        return grade
    }

    /// The lines of a test process's output that explain a crash.
    static func crashLines(in output: String) -> [String] {
        strippingANSI(output).split(separator: "\n").map(String.init)
            .filter { $0.contains("Fatal error") || $0.contains("Precondition failed") || $0.contains("Assertion failed") }
            .map { $0.trimmingLeadingSpaces() }
    }

    /// The `error:` lines of a compiler log.
    static func compileErrors(in output: String) -> [String] {
        strippingANSI(output).split(separator: "\n").map(String.init).filter { $0.contains(": error:") }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The lesson folders a compiler message is about: "Lessons/01-MDPs/..."
    /// or the lesson's tests, "Tests/MDPsTests/..." (a lesson that compiles
    /// on its own but not against its tests, a renamed argument label).
    static func lessonDirectories(in message: String) -> [String] {
        Course.lessons.filter { message.contains("Lessons/\($0.directory)/") || message.contains("Tests/\($0.testModule)/") }.map(\.directory)
    }
}

/// Thread-safe storage of the grades as they come in.
final class ResultBox: @unchecked Sendable {
    private var grades: [ExerciseGrade?]
    private let lock = NSLock()
    init(count: Int) { grades = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ grade: ExerciseGrade) { lock.lock(); grades[index] = grade; lock.unlock() }
    func get(_ index: Int) -> ExerciseGrade? { lock.lock(); defer { lock.unlock() }; return grades[index] }
}

/// A shared counter handing out job indices.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
