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

    /// Default options: grade every lesson of `Lessons/`.
    public init() {}
}

/// The grader: builds the course once, then runs each exercise's test suite
/// in its own process with a time limit, so a crash or an endless loop costs
/// only the exercises whose tests hit it.
public enum Grader {
    /// The name of the test executable SwiftPM builds for this package.
    static let testBundle = "DeepRLCoursePackageTests.xctest"

    /// Grades the course at `root`.
    ///
    /// - Parameter log: receives progress lines (the tool sends them to
    ///   standard error).
    public static func grade(root: CourseRoot, options: GradeOptions,
                             log: @escaping @Sendable (String) -> Void = { _ in }) throws -> GradeReport {
        let lessons = try selectLessons(options.lessons)
        var workspace: Workspace
        if options.reference {
            guard root.hasSolutions else {
                throw ToolError("--reference needs Solutions/, which this copy does not have")
            }
            workspace = Workspace(directory: root.path, scratch: root.url(".build-solutions").path, implementation: "solutions")
        } else if let submission = options.submission {
            workspace = try Workspace.pristineCopy(of: root, log: log)
            try workspace.overlay(submission: submission, root: root, log: log)
        } else {
            workspace = Workspace(directory: root.path, scratch: root.url(".build").path, implementation: "lessons")
        }

        let refused = refusedLessons(lessons, in: workspace.directory)
        var brokenLessons: [String: [String]] = [:]
        log("building the course (\(workspace.implementation)) in \(workspace.directory) ...")
        var build = try workspace.build()
        while build.status != 0 || build.timedOut {
            let errors = compileErrors(in: build.output)
            let culprits = Set(errors.compactMap { error in lessonDirectories(in: error).first }).subtracting(brokenLessons.keys)
            guard !culprits.isEmpty, workspace.implementation == "lessons" else {
                throw ToolError("the course does not build:\n" + (errors.isEmpty ? String(build.output.suffix(3000)) : errors.prefix(20).joined(separator: "\n")))
            }
            if workspace.directory == root.path {
                // Never touch the student's own files: grade a copy instead.
                workspace = try Workspace.pristineCopy(of: root, log: log)
                try workspace.overlay(submission: root.path, root: root, log: log)
            }
            for directory in culprits {
                brokenLessons[directory] = errors.filter { lessonDirectories(in: $0).contains(directory) }
                log("lesson \(directory) does not compile; grading it as unfinished")
                try workspace.restoreSkeleton(of: directory, from: root)
            }
            build = try workspace.build()
        }

        let broken = brokenLessons
        let directory = workspace.directory
        let binary = workspace.scratch + "/debug/" + testBundle
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ToolError("the build produced no test executable at \(binary)")
        }

        // One job per exercise, run `jobs` at a time.
        let selected = lessons.map { lesson -> LessonInfo in
            var lesson = lesson
            if let only = options.exercises { lesson.exercises = lesson.exercises.filter { only.contains($0.id) } }
            return lesson
        }
        let jobs = selected.flatMap { lesson in lesson.exercises.map { (lesson, $0) } }
        let results = ResultBox(count: jobs.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, jobs.count))) { _ in
            while let index = next.take(below: jobs.count) {
                let (lesson, exercise) = jobs[index]
                let grade: ExerciseGrade
                if let reasons = refused[lesson.directory] {
                    grade = ExerciseGrade(id: exercise.id, name: exercise.symbol, score: 0, max_score: exercise.points,
                                          status: .refused, failures: reasons)
                } else if let errors = broken[lesson.directory] {
                    grade = ExerciseGrade(id: exercise.id, name: exercise.symbol, score: 0, max_score: exercise.points,
                                          status: .buildFailed,
                                          failures: ["Lessons/\(lesson.directory) does not compile:"] + errors.prefix(5))
                } else {
                    grade = runExercise(exercise, of: lesson, binary: binary, directory: directory, timeout: options.timeout)
                }
                log("  \(exercise.id) \(exercise.symbol): \(grade.status.rawValue) \(grade.score)/\(grade.max_score)")
                results.set(index, grade)
            }
        }
        var lessonGrades: [LessonGrade] = []
        var offset = 0
        for lesson in selected where !lesson.exercises.isEmpty {
            let grades = (0..<lesson.exercises.count).map { results.get(offset + $0)! }
            offset += lesson.exercises.count
            lessonGrades.append(LessonGrade(id: lesson.id, name: lesson.name, score: grades.reduce(0) { $0 + $1.score },
                                            max_score: lesson.maxScore, exercises: grades))
        }
        var report = GradeReport(lessons: lessonGrades)
        report.noteDependencies()
        return report
    }

    /// The lessons whose files in `directory`/Lessons name something the
    /// catalog forbids there, with one reason per offending file and name.
    public static func refusedLessons(_ lessons: [LessonInfo], in directory: String) -> [String: [String]] {
        var refused: [String: [String]] = [:]
        let root = CourseRoot(path: directory)
        for lesson in lessons where !lesson.forbiddenNames.isEmpty {
            for file in root.swiftFiles(in: "Lessons/\(lesson.directory)") {
                let names = SourceScan.identifiers(in: root.read("Lessons/\(lesson.directory)/\(file)") ?? "")
                for name in lesson.forbiddenNames where names.contains(name) {
                    refused[lesson.directory, default: []].append(
                        "refused: Lessons/\(lesson.directory)/\(file) uses \(name), the course's shared version of an idea lesson \(lesson.id) asks you to write yourself; remove it and write the exercise's own code")
                }
            }
        }
        return refused
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

    /// Runs one exercise's suite and turns its output into a grade.
    static func runExercise(_ exercise: ExerciseInfo, of lesson: LessonInfo, binary: String, directory: String,
                            timeout: Double, environment extra: [String: String] = [:]) -> ExerciseGrade {
        var grade = ExerciseGrade(id: exercise.id, name: exercise.symbol, score: 0, max_score: exercise.points,
                                  status: .failed, failures: [])
        let filter = "\(lesson.testModule)\\.\(exercise.suite)/"
        let outcome: ProcessOutcome
        do {
            outcome = try runProcess(binary, ["--testing-library", "swift-testing", "--filter", filter], in: directory,
                                     environment: ["SWIFT_BACKTRACE": "enable=no", "NO_COLOR": "1"].merging(extra) { $1 }, timeout: timeout)
        } catch {
            grade.failures = ["could not start the tests: \(error)"]
            return grade
        }
        let result = SuiteResult(output: outcome.output)
        grade.tests_passed = result.passed.count
        grade.tests_failed = result.failed.count + (result.unfinished != nil && !result.failed.contains { $0.test == result.unfinished } ? 1 : 0)
        // In source order of the tests (they run in parallel, so the output's
        // order varies): the first failure is then the earliest check that
        // failed, which each suite makes its most specific one.
        let failures = result.failed.sorted { SuiteResult.sourceLine($0.issues.first) < SuiteResult.sourceLine($1.issues.first) }
            .map { "test '\($0.test)': " + $0.issues.joined(separator: " | ") }
        if outcome.timedOut {
            grade.status = .timedOut
            let test = result.unfinished.map { " in test '\($0)'" } ?? ""
            grade.failures = ["timed out after \(Int(timeout)) s\(test): an endless loop, or far too slow"] + failures
        } else if outcome.signalled || (outcome.status != 0 && result.unfinished != nil) {
            grade.status = .crashed
            let test = result.unfinished.map { " in test '\($0)'" } ?? ""
            let reason = result.crashLines.first ?? "signal \(outcome.status)"
            grade.failures = ["crashed\(test): \(reason)"] + failures
        } else if outcome.status == 0 && result.failed.isEmpty && !result.passed.isEmpty {
            grade.status = .passed
            grade.score = exercise.points
        } else if result.passed.isEmpty && result.failed.isEmpty {
            grade.status = .noTests
            grade.failures = ["no test of suite \(exercise.suite) ran (filter \(filter)); output: \(outcome.output.suffix(500))"]
        } else {
            grade.failures = failures.isEmpty ? ["the tests failed (exit status \(outcome.status))"] : failures
        }
        return grade
    }

    /// The `error:` lines of a compiler log.
    static func compileErrors(in output: String) -> [String] {
        strippingANSI(output).split(separator: "\n").map(String.init).filter { $0.contains(": error:") }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The lesson folders a compiler message mentions ("Lessons/01-MDPs/...").
    static func lessonDirectories(in message: String) -> [String] {
        Course.lessons.map(\.directory).filter { message.contains("Lessons/\($0)/") }
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
