import CourseKit
import Foundation

/// Where a student stands: `deeprl progress` and `deeprl hint`.
public enum StudentProgress {
    /// The state of one exercise.
    public enum State: String, Sendable {
        case passing, failing, notStarted = "not started"
    }

    /// Where an exercise's stub is and what its hint says.
    public struct Location: Sendable {
        /// The file relative to the course root.
        public var file: String
        /// The 1-based line of its TODO comment (or of its declaration once
        /// the TODO is gone).
        public var line: Int
        /// The first hint level (`hints(for:of:in:)`), if there is one.
        public var hint: String?
        /// True while the generated stub is still in place.
        public var stubbed: Bool
    }

    /// Finds the exercise's TODO (or declaration) in `Lessons/`.
    public static func locate(_ exercise: ExerciseInfo, of lesson: LessonInfo, in root: CourseRoot) -> Location {
        let file = "Lessons/\(lesson.directory)/\(exercise.file)"
        let text = root.read(file) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let stubbed = text.contains("ExerciseError.notImplemented(\"\(exercise.id)\"")
        let hint = hints(for: exercise, of: lesson, in: root).first
        if let index = lines.firstIndex(where: { $0.contains("TODO(\(exercise.id)):") }) {
            return Location(file: file, line: index + 1, hint: hint, stubbed: stubbed)
        }
        // The function's own name: "SumTree.update(_:priority:)" is declared as `func update`.
        let name = String(exercise.symbol.prefix { $0 != "(" }.split(separator: ".").last ?? "")
        let line = lines.firstIndex { $0.contains("func \(name)") || $0.contains("init(") && name == "init" } ?? 0
        return Location(file: file, line: line + 1, hint: hint, stubbed: stubbed)
    }

    /// The hint levels of an exercise, first (the idea) to last (close to
    /// the answer): from the lesson's `Solutions/NN-Name/Hints.md` where it
    /// exists, else from the generated `Lessons/.hints` of a student copy.
    /// Never from the student's own files: a TODO line they edited is not a hint.
    public static func hints(for exercise: ExerciseInfo, of lesson: LessonInfo, in root: CourseRoot) -> [String] {
        let bookPath = HintBook.path(of: lesson.directory)
        if let text = root.read(bookPath), let book = try? HintBook.levels(in: text, file: bookPath),
           let levels = book[exercise.id] {
            return levels
        }
        let rows = (root.read(LessonGenerator.hintsPath) ?? "").split(separator: "\n")
            .map { $0.split(separator: "\t", maxSplits: 2).map(String.init) }
        return rows.filter { $0.count == 3 && $0[0] == exercise.id }
            .sorted { (Int($0[1]) ?? 0) < (Int($1[1]) ?? 0) }.map { $0[2] }
    }

    /// The command that runs one exercise's tests.
    public static func testCommand(_ exercise: ExerciseInfo, of lesson: LessonInfo) -> String {
        "swift run deeprl check \(exercise.id)   (or: swift test --filter \(lesson.testModule).\(exercise.suite))"
    }

    /// The text of `deeprl hint <id> [--level N]`: where the exercise is,
    /// and its hint at `level` (1: the idea; higher: closer to the answer).
    public static func hint(for id: String, level: Int = 1, in root: CourseRoot) throws -> String {
        guard let (lesson, exercise) = Course.exercise(id) else {
            throw ToolError("unknown exercise '\(id)'; the exercises are \(Course.exerciseIDList)", status: 2)
        }
        let location = locate(exercise, of: lesson, in: root)
        var text = "exercise \(exercise.id) (lesson \(lesson.id) \(lesson.name), \(exercise.points) points): \(exercise.goal)\n"
        text += "  implement: \(exercise.symbol)\n"
        text += "  where:     \(location.file):\(location.line)\n"
        let levels = hints(for: exercise, of: lesson, in: root)
        if levels.isEmpty {
            text += "  hint:      none found (Lessons/.hints is missing: regenerate it with `deeprl generate`)\n"
        } else {
            guard (1...levels.count).contains(level) else {
                throw ToolError("exercise \(exercise.id) has \(levels.count) hint levels; --level must be 1 to \(levels.count), got \(level)",
                                status: 2)
            }
            text += "  hint \(level)/\(levels.count):  \(levels[level - 1])\n"
            if level < levels.count { text += "  more:      deeprl hint \(exercise.id) --level \(level + 1)\n" }
        }
        text += "  notes:     Lessons/\(lesson.directory)/README.md\n"
        text += "  check it:  \(testCommand(exercise, of: lesson))\n"
        return text
    }

    /// The text of `deeprl progress`: every exercise with its state, then
    /// the next exercise to do. Exercises still stubbed are "not started"
    /// without running anything; the others are graded.
    public static func report(in root: CourseRoot, timeout: Double,
                              log: @escaping @Sendable (String) -> Void) throws -> String {
        var started: Set<String> = []
        for lesson in Course.lessons {
            for exercise in lesson.exercises where !locate(exercise, of: lesson, in: root).stubbed {
                started.insert(exercise.id)
            }
        }
        var grades: [String: ExerciseGrade] = [:]
        if !started.isEmpty {
            var options = GradeOptions()
            options.exercises = started
            options.timeout = timeout
            let report = try Grader.grade(root: root, options: options, log: log)
            for lesson in report.lessons { for grade in lesson.exercises { grades[grade.id] = grade } }
        }
        var table = TextTable(headers: ["exercise", "function", "points", "state"])
        // Points column: an exercise's worth; a lesson row: points earned so far.
        var next: (LessonInfo, ExerciseInfo, ExerciseGrade?)?
        var earned = 0, total = 0
        for lesson in Course.lessons {
            var lessonPoints = 0
            for exercise in lesson.exercises {
                let grade = grades[exercise.id]
                let state: State = grade == nil ? .notStarted : grade!.status == .passed ? .passing : .failing
                if state == .passing { lessonPoints += exercise.points }
                total += exercise.points
                let name = exercise.symbol.count > 40 ? String(exercise.symbol.prefix(39)) + "…" : exercise.symbol
                table.addRow([exercise.id, name, "\(exercise.points)", state.rawValue])
                if state != .passing && next == nil { next = (lesson, exercise, grade) }
            }
            earned += lessonPoints
            table.addRow(["", "lesson \(lesson.id) \(lesson.name)", "\(lessonPoints)/\(lesson.maxScore)", ""])
        }
        var text = table.render() + "\n\npoints: \(earned)/\(total)\n"
        if let (lesson, exercise, grade) = next {
            let location = locate(exercise, of: lesson, in: root)
            text += "\nnext: exercise \(exercise.id) \(exercise.symbol): \(exercise.goal)\n"
            text += "  open \(location.file):\(location.line)\n"
            if let hint = location.hint { text += "  hint: \(hint)\n" }
            if let failure = grade?.failures.first { text += "  failing: \(failure)\n" }
            text += "  check it: \(testCommand(exercise, of: lesson))\n"
        } else {
            text += "\nevery exercise passes: well done.\n"
        }
        return text
    }
}
