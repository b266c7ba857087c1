import CourseKit
import Foundation

/// `deeprl check [ID]` and the core of `deeprl watch`: build the student's
/// course incrementally, run one exercise's suite (or a lesson's), and say
/// clearly what passed, what failed and why, without Swift Testing's log.
public enum StudentCheck {
    /// What checking one exercise found.
    public struct Result: Sendable {
        /// The exercise and its lesson.
        public var lesson: LessonInfo, exercise: ExerciseInfo
        /// The grade (passed, failed, crashed, timed out, build failed, ...).
        public var grade: ExerciseGrade
        /// True when every test of the exercise passed.
        public var passed: Bool { grade.status == .passed }
    }

    /// The exercises `key` names: one exercise ("3.5"), or every exercise
    /// of a lesson ("03", "3", a module or demo name).
    ///
    /// - Throws: `ToolError` (status 2) for a key that names neither.
    public static func exercises(named key: String) throws -> [(LessonInfo, ExerciseInfo)] {
        if let (lesson, exercise) = Course.exercise(key) { return [(lesson, exercise)] }
        if let lesson = Course.lesson(named: key) { return lesson.exercises.map { (lesson, $0) } }
        throw ToolError("'\(key)' is neither an exercise (\(Course.exerciseIDList)) nor a lesson (\(Course.lessons.map(\.id).joined(separator: ", ")))", status: 2)
    }

    /// The first exercise, in course order, whose stub is still in place or
    /// whose tests do not pass, given the results known so far.
    public static func firstUnfinished(in root: CourseRoot, passing: Set<String>) -> (LessonInfo, ExerciseInfo)? {
        for lesson in Course.lessons {
            for exercise in lesson.exercises where !passing.contains(exercise.id) { return (lesson, exercise) }
        }
        return nil
    }

    /// The compiler's errors, trimmed to the student's own lesson files when
    /// any of them is at fault (otherwise the first errors as they are).
    public static func compilerErrors(_ output: String, root: CourseRoot) -> [String] {
        let errors = Grader.compileErrors(in: output)
        let own = errors.filter { $0.contains("/Lessons/") }.map { line -> String in
            guard let range = line.range(of: "/Lessons/") else { return line }
            return "Lessons/" + line[range.upperBound...]  // a path relative to the course
        }
        return Array((own.isEmpty ? errors : own).prefix(8))
    }

    /// Builds the course (debug, with its tests) in `root` with the student's
    /// own build folder.
    ///
    /// - Returns: nil when it built, else the compiler errors to show.
    public static func build(_ root: CourseRoot, implementation: String = "lessons") throws -> [String]? {
        let scratch = BuildFolder.of(implementation: implementation)
        let outcome = try runProcess(try swiftExecutable(), ["build", "--build-tests", "--scratch-path", root.url(scratch).path],
                                     in: root.path, environment: ["DEEPRL_IMPL": implementation], timeout: 3600)
        if outcome.status == 0 && !outcome.timedOut { return nil }
        let errors = compilerErrors(outcome.output, root: root)
        return errors.isEmpty ? ["the build failed: " + String(outcome.output.suffix(1500))] : errors
    }

    /// Runs the suites of `exercises` with the test executable already built.
    public static func run(_ exercises: [(LessonInfo, ExerciseInfo)], in root: CourseRoot, implementation: String = "lessons",
                           timeout: Double = 120) -> [Result] {
        let scratch = BuildFolder.of(implementation: implementation)
        let binary = root.url("\(scratch)/debug/\(Grader.testBundle)").path
        let listed = try? Grader.listTests(binary, policy: SandboxPolicy())
        var results = exercises.map { lesson, exercise in
            Result(lesson: lesson, exercise: exercise,
                   grade: Grader.runExercise(exercise, of: lesson, binary: binary, directory: root.path, timeout: timeout, listed: listed))
        }
        // Notes for exercises whose failure comes from another one they call.
        var report = GradeReport(lessons: [LessonGrade(id: "", name: "", score: 0, max_score: 0, exercises: results.map(\.grade))])
        report.noteDependencies()
        for i in results.indices { results[i].grade = report.lessons[0].exercises[i] }
        return results
    }

    /// The clean report of one result: a status line, then (when it failed)
    /// each failing test's first message, the hint and the file to open.
    public static func describe(_ result: Result, in root: CourseRoot) -> String {
        let e = result.exercise, g = result.grade
        guard !result.passed else {
            return "✔ \(e.id) \(e.symbol): passed (\(g.tests_passed) tests, \(e.points) points)\n"
        }
        let location = StudentProgress.locate(e, of: result.lesson, in: root)
        let levels = StudentProgress.hints(for: e, of: result.lesson, in: root)
        let more = levels.count > 1 ? "   (more: deeprl hint \(e.id) --level 2)" : ""
        let notImplemented = "exercise \(e.id) is not implemented yet"
        if location.stubbed && g.failures.allSatisfy({ $0.contains(notImplemented) || $0.contains(" calls ") }) {
            var text = "✘ \(e.id) \(e.symbol): not started: open \(location.file):\(location.line) (TODO(\(e.id)))\n"
            if let hint = levels.first { text += "  hint: \(hint)\(more)\n" }
            return text
        }
        var text = "✘ \(e.id) \(e.symbol): \(g.status == .failed ? "\(g.tests_failed) of \(g.tests_passed + g.tests_failed) tests failed" : g.status.rawValue.replacingOccurrences(of: "_", with: " "))\n"
        for failure in g.failures.prefix(4) { text += "    " + clean(failure) + "\n" }
        if g.failures.count > 4 { text += "    (\(g.failures.count - 4) more)\n" }
        text += "  open \(location.file):\(location.line)\n"
        if let hint = levels.first { text += "  hint: \(hint)\(more)\n" }
        return text
    }

    /// A failure message for a student: the test's name and its first issue,
    /// without the expression dump of long values.
    static func clean(_ failure: String) -> String {
        var text = failure
        if let issues = text.range(of: "': ") , text.hasPrefix("test '") {
            let name = text[text.index(text.startIndex, offsetBy: 6)..<issues.lowerBound]
            let first = text[issues.upperBound...].components(separatedBy: " | ")[0]
            text = "\(name): \(first)"
        }
        return text.count > 400 ? String(text.prefix(399)) + "…" : text
    }

    /// A progress bar of a lesson: "lesson 03 [#####-----] 4/8 exercises, 55/100 points".
    public static func progressLine(_ lesson: LessonInfo, passing: Set<String>) -> String {
        let done = lesson.exercises.filter { passing.contains($0.id) }
        let width = 20, filled = lesson.exercises.isEmpty ? 0 : done.count * width / lesson.exercises.count
        let points = done.reduce(0) { $0 + $1.points }
        return "lesson \(lesson.id) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] "
            + "\(done.count)/\(lesson.exercises.count) exercises, \(points)/\(lesson.maxScore) points"
    }
}
