import Benchmarks
import CourseKit
import CourseTool
import Demos
import Foundation

/// Prints to standard error, after what is waiting in standard output's
/// buffer, so that the two keep their order even when output goes into a
/// pipe (`deeprl check | cat`), where standard output is block-buffered.
func printError(_ text: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs one subcommand.
func run(_ command: String, _ rest: [String]) throws {
    if rest.contains("--help") || rest.contains("-h") {
        print(Usage.commands[command] ?? Usage.main)
        return
    }
    switch command {
    case "demo":
        try Commands.demo(rest)
    case "grade":
        try Commands.grade(rest)
    case "progress":
        let args = try Arguments(rest, options: ["timeout"], command: command)
        guard args.positional.isEmpty else { throw UsageError(command: command, message: "unexpected argument \(args.positional[0])") }
        let root = try CourseRoot.find()
        print(try StudentProgress.report(in: root, timeout: try args.double("timeout", command: command) ?? 120, log: { printError($0) }))
    case "hint":
        let args = try Arguments(rest, options: ["level"], command: command)
        guard args.positional.count == 1 else { throw UsageError(command: command, message: "give one exercise id, for example 1.3") }
        let level = try args.int("level", command: command) ?? 1
        guard level >= 1 else { throw UsageError(command: command, message: "--level expects 1, 2 or 3") }
        print(try StudentProgress.hint(for: args.positional[0], level: level, in: try CourseRoot.find()), terminator: "")
    case "check":
        try Commands.check(rest)
    case "watch":
        try Commands.watch(rest)
    case "bench":
        try Commands.bench(rest)
    case "mistakes":
        try Commands.mistakes(rest)
    case "handout":
        let args = try Arguments(rest, command: command)
        guard args.positional.count == 1 else { throw UsageError(command: command, message: "give the folder to write, for example deeprl handout ../course-student") }
        let count = try Handout.write(from: try CourseRoot.find(), to: args.positional[0])
        print("wrote \(count) files to \(args.positional[0]); no solution text found in them")
        print("next: cd \(args.positional[0]) && swift test")
    case "gradescope":
        let args = try Arguments(rest, command: command)
        guard args.positional.count == 1 else { throw UsageError(command: command, message: "give the folder to write, for example deeprl gradescope ../autograder") }
        let count = try GradescopeBundle.write(from: try CourseRoot.find(), to: args.positional[0])
        print("wrote the Gradescope bundle (\(count) files) to \(args.positional[0]): source/, setup.sh, run_autograder")
        print("next: cd \(args.positional[0]) && zip -r ../autograder.zip .   (then upload it as the autograder)")
    case "generate":
        let args = try Arguments(rest, flags: ["check"], command: command)
        guard args.positional.isEmpty else { throw UsageError(command: command, message: "unexpected argument \(args.positional[0])") }
        let root = try CourseRoot.find()
        if args.flags.contains("check") {
            let differences = try LessonGenerator.differences(in: root)
            if differences.isEmpty {
                print("Lessons/ matches Solutions/")
            } else {
                throw ToolError("Lessons/ differs from what deeprl generate makes:\n"
                    + differences.map { "  \($0)" }.joined(separator: "\n") + "\nrun: swift run deeprl generate")
            }
        } else {
            let written = try LessonGenerator.generate(in: root)
            print(written.isEmpty ? "Lessons/ is up to date" : written.map { "\($0.kind == "extra" ? "removed" : "wrote") \($0.path)" }.joined(separator: "\n"))
        }
    default:
        throw UsageError(command: "", message: "unknown command '\(command)'")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, command != "--help", command != "-h", command != "help" else {
    print(Usage.main)
    exit(arguments.isEmpty ? 2 : 0)
}
do {
    try run(command, Array(arguments.dropFirst()))
} catch let error as UsageError {
    ProgressBar.endOpenLine()
    printError("deeprl\(error.command.isEmpty ? "" : " " + error.command): \(error.message)\n")
    printError(error.command.isEmpty ? Usage.main : Usage.commands[error.command] ?? Usage.main)
    exit(2)
} catch let error as ToolError {
    ProgressBar.endOpenLine()
    printError("deeprl \(command): \(error.message)")
    exit(error.status)
} catch {
    ProgressBar.endOpenLine()
    printError("deeprl \(command): \(describe(error))")
    exit(1)
}

/// An error as one line: a file system error as its path and what went wrong
/// ("/x: No such file or directory"), not Foundation's dump of its fields.
func describe(_ error: Error) -> String {
    guard let error = error as? CocoaError else { return "\(error)" }
    let reason = fileSystemReason(error)
    guard let path = error.filePath ?? error.url?.path else { return reason }
    return "\(path): \(reason)"
}
