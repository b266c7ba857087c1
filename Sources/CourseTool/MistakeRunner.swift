import CourseKit
import Foundation

/// `deeprl mistakes`: proves that every catalogued mistake is caught by its
/// own exercise, with a first failure message that names the misconception,
/// and that any other exercise it makes fail says where the fault lies.
public enum MistakeRunner {
    /// What happened to one catalogue entry.
    public struct Outcome: Sendable {
        /// The entry.
        public var mistake: Mistake
        /// The grade of its own exercise.
        public var own: ExerciseGrade
        /// The other exercises run with it (those that call its exercise) and their grades.
        public var others: [ExerciseGrade]
        /// What is wrong with the outcome (empty when the entry does what it should).
        public var problems: [String]

        /// True when the entry behaved as catalogued.
        public var ok: Bool { problems.isEmpty }
    }

    /// Options of a run.
    public struct Options: Sendable {
        /// Lessons to check (ids, numbers, modules or demo names; all when empty).
        public var lessons: [String] = []
        /// Only the entries of this exercise.
        public var exercise: String?
        /// Seconds one exercise's tests may run.
        public var timeout: Double = 120
        /// The fewest entries every exercise must have.
        public var minimumPerExercise = 3
        /// Exercises graded at once.
        public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
        public init() {}
    }

    /// The exercises of `lesson` that call `id` (directly or through
    /// another), from the catalog's `uses`.
    static func dependents(of id: String, in lesson: LessonInfo) -> [ExerciseInfo] {
        var found: Set<String> = [id]
        var changed = true
        while changed {
            changed = false
            for e in lesson.exercises where !found.contains(e.id) && !Set(e.uses).isDisjoint(with: found) {
                found.insert(e.id)
                changed = true
            }
        }
        return lesson.exercises.filter { $0.id != id && found.contains($0.id) }
    }

    /// Builds the course once with every entry spliced in, then grades each.
    public static func run(root: CourseRoot, options: Options, log: @escaping @Sendable (String) -> Void) throws -> (outcomes: [Outcome], problems: [String]) {
        guard root.hasSolutions else { throw ToolError("deeprl mistakes needs Solutions/ (the instructors' repository)") }
        let lessons = try Grader.selectLessons(options.lessons)
        var catalog: [String: [Mistake]] = [:]
        var problems: [String] = []
        for lesson in Course.lessons {
            let entries = try MistakeCatalog.mistakes(of: lesson, in: root)
            catalog[lesson.directory] = entries
            guard lessons.contains(where: { $0.id == lesson.id }) else { continue }
            for exercise in lesson.exercises where options.exercise == nil || options.exercise == exercise.id {
                let count = entries.filter { $0.exercise == exercise.id && !$0.isVariant }.count
                if count < options.minimumPerExercise {
                    problems.append("exercise \(exercise.id) has \(count) catalogued mistake(s), expected at least \(options.minimumPerExercise) (\(MistakeCatalog.folder(of: lesson))/\(exercise.id).\(MistakeCatalog.fileExtension))")
                }
            }
        }

        // The workspace: the course with every lesson's reference, all entries spliced in.
        let copy = root.url(BuildFolder.mistakesCopy)
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try syncFile(from: root.url("Package.swift"), to: copy.appendingPathComponent("Package.swift"))
        for folder in ["Sources", "Tests"] {
            let source = root.url(folder), destination = copy.appendingPathComponent(folder)
            let wanted = filesRecursively(in: source)
            for file in wanted { try syncFile(from: source.appendingPathComponent(file), to: destination.appendingPathComponent(file)) }
            let wantedSet = Set(wanted)
            for file in filesRecursively(in: destination) where !wantedSet.contains(file) {
                try FileManager.default.removeItem(at: destination.appendingPathComponent(file))
            }
        }
        for lesson in Course.lessons {
            let folder = "Lessons/\(lesson.directory)"
            for file in root.swiftFiles(in: "Solutions/\(lesson.directory)") {
                let source = root.read("Solutions/\(lesson.directory)/\(file)") ?? ""
                let spliced = try MistakeCatalog.splice(source, file: "Solutions/\(lesson.directory)/\(file)", mistakes: catalog[lesson.directory] ?? [])
                try syncText(spliced, to: copy.appendingPathComponent("\(folder)/\(file)"))
            }
            if let readme = root.read("\(folder)/README.md") { try syncText(readme, to: copy.appendingPathComponent("\(folder)/README.md")) }
        }
        let workspace = Workspace(directory: copy.path, scratch: root.url(BuildFolder.mistakesScratch).path, implementation: "lessons")
        log("building the reference with every catalogued mistake spliced in (\(workspace.directory)) ...")
        let build = try workspace.build()
        guard build.status == 0 && !build.timedOut else {
            let errors = Grader.compileErrors(in: build.output)
            throw ToolError("the catalogue does not compile:\n" + (errors.isEmpty ? String(build.output.suffix(3000)) : errors.prefix(20).joined(separator: "\n")))
        }
        let binary = workspace.scratch + "/debug/" + Grader.testBundle
        let policy = SandboxPolicy()
        let listed = try Grader.listTests(binary, policy: policy)

        // One job per entry: its exercise and the exercises that call it.
        var work: [(LessonInfo, Mistake)] = []
        for lesson in lessons {
            for m in catalog[lesson.directory] ?? [] where options.exercise == nil || options.exercise == m.exercise { work.append((lesson, m)) }
        }
        let jobs = work
        let results = OutcomeBox(count: jobs.count)
        let next = Counter()
        // Each run leases its own sandbox user (as root: finishing one job kills every
        // process of its user, which must not reach another worker's tests).
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, jobs.count))) { _ in
            while let index = next.take(below: jobs.count) {
                let (lesson, m) = jobs[index]
                let exercise = lesson.exercises.first { $0.id == m.exercise }!
                let environment = ["DEEPRL_MISTAKE": m.key]
                var own = Grader.runExercise(exercise, of: lesson, binary: binary, directory: workspace.directory,
                                             timeout: options.timeout, environment: environment, listed: listed, policy: policy)
                // The exercises that call this one run too when the entry says they
                // fail with it (CHARGES), to check that their reports say where the
                // fault lies; running them for every entry would cost the learning
                // runs of the agents each time.
                let callers = m.charges.isEmpty && !m.isVariant ? [] : dependents(of: m.exercise, in: lesson)
                var others = callers.map {
                    Grader.runExercise($0, of: lesson, binary: binary, directory: workspace.directory, timeout: options.timeout,
                                       environment: environment, listed: listed, policy: policy)
                }
                var report = GradeReport(lessons: [LessonGrade(id: lesson.id, name: lesson.name, score: 0, max_score: lesson.maxScore,
                                                               exercises: [own] + others)])
                report.noteDependencies()
                own = report.lessons[0].exercises[0]
                others = Array(report.lessons[0].exercises.dropFirst())
                results.set(index, judge(m, own: own, others: others))
                log("  \(m.key): \(results.get(index)!.ok ? "ok" : "PROBLEM")")
            }
        }
        let outcomes = (0..<jobs.count).map { results.get($0)! }
        return (outcomes, problems + outcomes.flatMap { o in o.problems.map { "\(o.mistake.key): \($0)" } })
    }

    /// Whether an entry's grades are what the catalogue says.
    static func judge(_ m: Mistake, own: ExerciseGrade, others: [ExerciseGrade]) -> Outcome {
        var problems: [String] = []
        if m.isVariant {
            if own.status != .passed { problems.append("a correct variant must pass, but \(m.exercise) is \(own.status.rawValue): \(own.failures.first ?? "")") }
            for o in others where o.status != .passed {
                problems.append("a correct variant must not fail \(o.id), which is \(o.status.rawValue): \(o.failures.first ?? "")")
            }
        } else {
            if own.status == .passed {
                problems.append("missed: exercise \(m.exercise)'s tests pass with this mistake")
            } else if let expect = m.expect, !(own.failures.first ?? "").lowercased().contains(expect.lowercased()) {
                problems.append("the first failure message does not name the misconception (expected it to contain \"\(expect)\"): \(own.failures.first ?? "(none)")")
            }
            for o in others where o.status != .passed {
                if !(o.failures.first ?? "").contains("calls \(m.exercise)") {
                    problems.append("also fails \(o.id) without the report saying that \(o.id) calls \(m.exercise): \(o.failures.first ?? "")")
                }
                if !m.charges.contains(o.id) {
                    problems.append("also fails \(o.id), which the entry does not list under CHARGES")
                }
            }
        }
        return Outcome(mistake: m, own: own, others: others, problems: problems)
    }

    /// The table `deeprl mistakes` prints.
    public static func table(_ outcomes: [Outcome]) -> String {
        var table = TextTable(headers: ["exercise", "mistake", "result", "charged", "first failure message"])
        for o in outcomes {
            let result = o.mistake.isVariant ? (o.ok ? "variant passes" : "VARIANT FAILS")
                : o.own.status == .passed ? "MISSED" : o.ok ? "caught" : "caught, PROBLEM"
            let charged = o.others.filter { $0.status != .passed }.map(\.id).joined(separator: ", ")
            var message = o.mistake.isVariant ? "" : (o.own.failures.first ?? "")
            if let range = message.range(of: ": ", options: .backwards, range: message.startIndex..<(message.range(of: "\(o.mistake.exercise):")?.lowerBound ?? message.endIndex)) {
                message = String(message[range.upperBound...])
            }
            if let at = message.range(of: "\(o.mistake.exercise): ") { message = String(message[at.lowerBound...]) }
            if message.count > 90 { message = String(message.prefix(89)) + "…" }
            table.addRow([o.mistake.exercise, o.mistake.slug, result, charged.isEmpty ? "-" : charged, message])
        }
        return table.render()
    }
}

/// Writes `text` to `url` only when it differs (keeps modification times for incremental builds).
func syncText(_ text: String, to url: URL) throws {
    let data = Data(text.utf8)
    if let existing = try? Data(contentsOf: url), existing == data { return }
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
}

/// Thread-safe storage of outcomes.
final class OutcomeBox: @unchecked Sendable {
    private var items: [MistakeRunner.Outcome?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ item: MistakeRunner.Outcome) { lock.lock(); items[index] = item; lock.unlock() }
    func get(_ index: Int) -> MistakeRunner.Outcome? { lock.lock(); defer { lock.unlock() }; return items[index] }
}
