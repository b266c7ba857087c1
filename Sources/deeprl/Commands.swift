import Benchmarks
import CourseKit
import CourseTool
import Demos
import Foundation
import TensorCore

/// The subcommands with more than a few lines.
enum Commands {
    static func demo(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["seed", "svg", "steps", "log", "task", "jobs"], flags: ["reference"], command: "demo")
        if args.flags.contains("reference") && !demoUsesReference {
            try ReferenceBuild.runDemo(rest.filter { $0 != "--reference" })
        }
        checkCPUSupport()
        guard args.positional.count == 1 else {
            let names = allDemos.map { "  \($0.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \($0.about)" }
            throw UsageError(command: "demo", message: "name one demo, or all:\n" + names.joined(separator: "\n"))
        }
        let name = args.positional[0]
        let demos: [DemoEntry]
        if name == "all" {
            demos = allDemos
        } else if let demo = allDemos.first(where: { $0.name == name })
                    ?? Course.lesson(named: name).flatMap({ lesson in allDemos.first { $0.name == lesson.demo } }) {
            demos = [demo]
        } else {
            throw UsageError(command: "demo", message: "unknown demo '\(name)'; the demos are \(allDemos.map(\.name).joined(separator: ", ")), or all")
        }
        var options = DemoOptions()
        if let seed = try args.int("seed", command: "demo") {
            guard seed >= 0 else { throw UsageError(command: "demo", message: "--seed expects a non-negative integer") }
            options.seed = UInt64(seed)
        }
        if let steps = try args.int("steps", command: "demo") {
            guard steps > 0 else { throw UsageError(command: "demo", message: "--steps expects a positive integer, got \(steps)") }
            options.steps = steps
        }
        if let jobs = try args.int("jobs", command: "demo") {
            guard jobs > 0 else { throw UsageError(command: "demo", message: "--jobs expects a positive number of runs at once, got \(jobs)") }
            options.jobs = jobs
        }
        if let task = args.values["task"] {
            guard demos.count == 1, demos[0].tasks.contains(task) else {
                let withTasks = allDemos.filter { !$0.tasks.isEmpty }.map { "\($0.name) (\($0.tasks.joined(separator: ", ")))" }
                throw UsageError(command: "demo", message: "--task \(task) is not a task of \(demos.count == 1 ? demos[0].name : "all"); "
                                 + "the demos with tasks: \(withTasks.joined(separator: "; "))")
            }
            options.task = task
        }
        if !demoUsesReference {
            print("note: this build compiled Lessons/ (your code). Instructors: add --reference to run the reference solutions.")
        }
        var summaries: [String] = []
        for demo in demos {
            var demoOptions = options
            if let svg = args.values["svg"] {
                // With `all`, --svg names a folder: one file (or folder) per demo.
                demoOptions.svgPath = demos.count == 1 ? svg
                    : svg + "/" + demo.name + (demo.writesSeveralFigures ? "" : ".svg")
            }
            if let log = args.values["log"] {
                // With `all`, --log names a folder: one log per demo that trains an agent.
                if demo.writesLog {
                    demoOptions.logPath = demos.count == 1 ? log : log + "/" + demo.name + ".csv"
                } else if demos.count == 1 {
                    print("note: the \(demo.name) demo trains no agent, so --log writes nothing; the demos that do: "
                          + allDemos.filter(\.writesLog).map(\.name).joined(separator: ", "))
                }
            }
            if demos.count > 1 { print("\n==== deeprl demo \(demo.name): \(demo.about) ====\n") }
            let start = Date()
            do {
                let summary = try demo.run(demoOptions)
                print("summary: \(summary)")
                summaries.append("\(demo.name) ok (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
            } catch let error as ExerciseError {
                throw ToolError("the demo \(demo.name) stopped: \(error)")
            }
        }
        if demos.count > 1 { print("summary: all \(demos.count) demos ran: " + summaries.joined(separator: ", ")) }
    }

    static func grade(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["submission", "lesson", "timeout", "jobs", "threads", "json", "gradescope", "expect-score", "memory-mb"],
                                 flags: ["reference"], command: "grade")
        guard args.positional.isEmpty else { throw UsageError(command: "grade", message: "unexpected argument \(args.positional[0])") }
        var options = GradeOptions()
        options.reference = args.flags.contains("reference")
        options.submission = args.values["submission"]
        if options.reference && options.submission != nil {
            throw UsageError(command: "grade", message: "--reference and --submission exclude each other")
        }
        if let lesson = args.values["lesson"] { options.lessons = lesson.split(separator: ",").map(String.init) }
        if let timeout = try args.double("timeout", command: "grade") {
            guard timeout > 0 else { throw UsageError(command: "grade", message: "--timeout expects a positive number of seconds") }
            options.timeout = timeout
        }
        if let jobs = try args.int("jobs", command: "grade") {
            guard jobs > 0 else { throw UsageError(command: "grade", message: "--jobs expects a positive integer") }
            options.jobs = jobs
        }
        if let threads = args.values["threads"] {
            switch TensorThreads.parse(threads) {
            case .success(let count): options.threads = count
            case .failure: throw UsageError(command: "grade", message: "--threads expects a whole number of threads from 1 to \(TensorThreads.maximum), got '\(threads)'")
            }
        }
        if let memory = try args.int("memory-mb", command: "grade") {
            guard memory >= 64 else { throw UsageError(command: "grade", message: "--memory-mb expects at least 64 (MiB)") }
            options.sandbox.memoryBytes = UInt64(memory) << 20
        }
        options.sandbox.cpuSeconds = UInt64(max(60, options.timeout * 4))
        if let text = args.values["expect-score"], text != "full", Int(text) == nil {
            throw UsageError(command: "grade", message: "--expect-score expects an integer or 'full', got '\(text)'")
        }
        // Before the grading, which can take minutes: the reports' files must be writable at its end.
        for option in ["json", "gradescope"] {
            if let path = args.values[option] { try checkFileCanBeWritten(path) }
        }
        let report = try Grader.grade(root: try CourseRoot.find(), options: options, log: { printError($0) })
        print(report.table())
        if let path = args.values["json"] { try writeFileAtomically(try report.json(), to: path) }
        if let path = args.values["gradescope"] { try writeFileAtomically(try report.gradescope(), to: path) }
        if let text = args.values["expect-score"] {
            let expected = text == "full" ? report.max_score : Int(text) ?? report.max_score
            guard expected == report.score else {
                throw ToolError("expected a total of \(expected) points, got \(report.score)")
            }
        }
    }

    static func check(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["timeout"], command: "check")
        guard args.positional.count <= 1 else { throw UsageError(command: "check", message: "give at most one exercise or lesson, for example 3.5 or 03") }
        let root = try CourseRoot.find()
        let timeout = try args.double("timeout", command: "check") ?? 120
        print("building ...")
        if let errors = try StudentCheck.build(root) {
            print("✘ the course does not compile:\n" + errors.map { "    " + $0 }.joined(separator: "\n"))
            throw ToolError("fix the compiler errors above first", status: 1)
        }
        let targets: [(LessonInfo, ExerciseInfo)]
        if let key = args.positional.first {
            targets = try StudentCheck.exercises(named: key)
        } else {
            // The next exercise: the first, in course order, that does not pass.
            var found: (LessonInfo, ExerciseInfo)?
            for lesson in Course.lessons where found == nil {
                for exercise in lesson.exercises where found == nil {
                    if !StudentCheck.run([(lesson, exercise)], in: root, timeout: timeout)[0].passed { found = (lesson, exercise) }
                }
            }
            guard let next = found else { print("every exercise passes: well done."); return }
            targets = [next]
        }
        let results = StudentCheck.run(targets, in: root, timeout: timeout)
        for result in results { print(StudentCheck.describe(result, in: root), terminator: "") }
        let passing = Set(results.filter(\.passed).map(\.exercise.id))
        for lesson in Course.lessons where targets.contains(where: { $0.0.id == lesson.id }) {
            print(StudentCheck.progressLine(lesson, passing: passing) + (targets.count == 1 ? " (of the exercises checked)" : ""))
        }
        if results.contains(where: { !$0.passed }) { throw ToolError("\(results.filter { !$0.passed }.count) of \(results.count) exercise(s) do not pass yet", status: 1) }
    }

    static func watch(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["interval"], command: "watch")
        guard args.positional.count <= 1 else { throw UsageError(command: "watch", message: "give at most one exercise, for example 3.5") }
        let interval = try args.double("interval", command: "watch") ?? 0.5
        guard interval > 0 else { throw UsageError(command: "watch", message: "--interval expects a positive number of seconds") }
        let watcher = Watcher(root: try CourseRoot.find(), interval: interval) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        WatchInterrupt.install(watcher)
        try watcher.run(start: args.positional.first)
    }

    static func mistakes(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["lesson", "exercise", "timeout", "jobs", "minimum"], command: "mistakes")
        guard args.positional.isEmpty else { throw UsageError(command: "mistakes", message: "unexpected argument \(args.positional[0])") }
        var options = MistakeRunner.Options()
        if let lesson = args.values["lesson"] { options.lessons = lesson.split(separator: ",").map(String.init) }
        if let exercise = args.values["exercise"] {
            guard let (lesson, _) = Course.exercise(exercise) else {
                throw UsageError(command: "mistakes", message: "unknown exercise '\(exercise)'; the exercises are \(Course.exerciseIDList)")
            }
            options.exercise = exercise
            if options.lessons.isEmpty { options.lessons = [lesson.id] }
        }
        if let timeout = try args.double("timeout", command: "mistakes") { options.timeout = timeout }
        if let jobs = try args.int("jobs", command: "mistakes") {
            guard jobs > 0 else { throw UsageError(command: "mistakes", message: "--jobs expects a positive integer") }
            options.jobs = jobs
        }
        if let minimum = try args.int("minimum", command: "mistakes") { options.minimumPerExercise = minimum }
        let (outcomes, problems) = try MistakeRunner.run(root: try CourseRoot.find(), options: options, log: { printError($0) })
        print(MistakeRunner.table(outcomes))
        let caught = outcomes.filter { !$0.mistake.isVariant && $0.own.status != .passed }.count
        let mistakes = outcomes.filter { !$0.mistake.isVariant }.count
        print("\ncaught \(caught) of \(mistakes) mistakes; \(outcomes.count - mistakes) correct variant(s) checked")
        if !problems.isEmpty {
            throw ToolError("the catalogue is not satisfied:\n" + problems.map { "  " + $0 }.joined(separator: "\n"))
        }
        print("every mistake is caught by its own exercise with a message that names it")
    }

    static func bench(_ rest: [String]) throws {
        let args = try Arguments(rest, options: ["only", "threads"], flags: ["json", "products"], command: "bench")
        guard args.positional.isEmpty else { throw UsageError(command: "bench", message: "unexpected argument \(args.positional[0])") }
        checkCPUSupport()
        if let threads = args.values["threads"] {
            switch TensorThreads.parse(threads) {
            case .success(let count): TensorThreads.count = count
            case .failure: throw UsageError(command: "bench", message: "--threads expects a whole number of threads from 1 to \(TensorThreads.maximum), got '\(threads)'")
            }
        }
        let threadCount = TensorThreads.count, coreCount = TensorThreads.cores
        printError("TensorCore: \(kernelTierDescription); *_threads keys with \(threadCount) thread(s) "
                   + "(this process may use \(coreCount) core\(coreCount == 1 ? "" : "s")), the others with 1")
        #if DEBUG
        printError("warning: this is a debug build; benchmark numbers are meaningful only with `swift run -c release deeprl bench`")
        #endif
        let only = args.values["only"].map { Set($0.split(separator: ",").map(String.init)) }
        if let only, !args.flags.contains("products") {
            let unknown = unknownBenchmarkKeys(only, extraKeys: AgentBenchmarks.keys)
            if only.isEmpty || !unknown.isEmpty {
                let named = only.isEmpty ? "--only names no key" : "--only names unknown key\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", "))"
                throw UsageError(command: "bench", message: "\(named); the keys are: \((benchmarkKeys + AgentBenchmarks.keys).joined(separator: " "))")
            }
        }
        if args.flags.contains("products") {
            return try benchProducts(only: only, json: args.flags.contains("json"))
        }
        var results = try runAllBenchmarks(only: only)
        if demoUsesReference {
            results += try AgentBenchmarks.run(only: only).map { BenchmarkResult(key: $0.key, value: $0.value, workload: $0.workload) }
        } else if only.map({ !$0.isDisjoint(with: AgentBenchmarks.keys) }) ?? true {
            printError("note: \(AgentBenchmarks.keys.joined(separator: " and ")) run the lessons' agents; measure them on the reference: DEEPRL_IMPL=solutions swift run -c release --scratch-path \(BuildFolder.reference) deeprl bench")
        }
        if args.flags.contains("json") {
            let body = results.map { "  \"\($0.key)\": \(($0.value * 1000).rounded() / 1000)" }.joined(separator: ",\n")
            print("{\n\(body)\n}")
        } else {
            var table = TextTable(headers: ["key", "value", "workload"])
            for result in results {
                table.addRow([result.key, String(format: "%.3f", result.value), result.workload])
            }
            print(table.render())
        }
    }

    /// `deeprl bench --products`: the matrix products of the training
    /// updates, by kind and shape, timed inside the update.
    static func benchProducts(only: Set<String>?, json: Bool) throws {
        if json { throw UsageError(command: "bench", message: "--products prints tables only; leave out --json") }
        let updates = TrainingUpdate.allCases.filter { only?.contains($0.timingKey) ?? true }
        guard !updates.isEmpty else {
            let keys = TrainingUpdate.allCases.map(\.timingKey).joined(separator: ", ")
            throw UsageError(command: "bench", message: "--products times the training updates; --only must name one of \(keys)")
        }
        for report in try productProfiles(of: updates) {
            let (headers, rows) = report.table()
            var table = TextTable(headers: headers)
            for row in rows { table.addRow(row) }
            print("\(report.update.timingKey): \(String(format: "%.1f", report.updateMicroseconds)) us per update, "
                  + "\(String(format: "%.1f", report.productFlops / 1e6)) MFLOP of products "
                  + "(mean over \(report.updates) updates; calls, us and share per update; GFLOP/s inside the update, "
                  + "and alone with the operands in cache)")
            print(table.render())
            print()
        }
    }
}
