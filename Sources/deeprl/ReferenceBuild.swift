import CourseKit
import CourseTool
import Foundation

/// `deeprl demo <name> --reference` from any build: builds the reference
/// solutions into `.build-solutions` (a debug build: the numeric modules and
/// the lessons are optimised in every build, so the first picture does not
/// wait for a release build; if needed; SwiftPM's own
/// up-to-date check makes a second run instant) and runs the demo there.
enum ReferenceBuild {
    /// Builds the reference's `deeprl` and replaces this process with its
    /// `demo` command; returns only by throwing.
    static func runDemo(_ arguments: [String]) throws -> Never {
        let root = try CourseRoot.find()
        guard root.hasSolutions else {
            throw ToolError("--reference needs the reference solutions (Solutions/), which this copy does not have: a student handout runs demos on its own Lessons/")
        }
        let scratch = root.url(BuildFolder.reference).path
        let binary = scratch + "/debug/deeprl"
        printError("deeprl demo --reference: building the reference solutions (\(scratch); the first time takes a few minutes) ...")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try swiftExecutablePath())
        process.arguments = ["build", "--scratch-path", scratch, "--product", "deeprl"]
        process.currentDirectoryURL = root.url("")
        var environment = ProcessInfo.processInfo.environment
        environment["DEEPRL_IMPL"] = "solutions"
        process.environment = environment
        process.standardOutput = FileHandle.standardError  // the build's progress lines
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: binary) else {
            throw ToolError("the reference did not build (exit status \(process.terminationStatus)); see the compiler output above")
        }
        let argv = [binary, "demo"] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        environment["DEEPRL_IMPL"] = "solutions"
        setenv("DEEPRL_IMPL", "solutions", 1)
        execv(binary, &cArguments)
        throw ToolError("could not start \(binary): errno \(errno)")
    }

    /// The full path of `swift` on PATH.
    static func swiftExecutablePath() throws -> String {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/swift"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError("swift is not on PATH")
    }
}

/// Ctrl-C during `deeprl watch`: the first press asks the watcher to stop
/// at its next look at the files (a build in progress gets the signal from
/// the terminal too and ends); a second press leaves at once.
enum WatchInterrupt {
    nonisolated(unsafe) static var watcher: Watcher?
    nonisolated(unsafe) static var presses = 0

    static func install(_ watcher: Watcher) {
        self.watcher = watcher
        // A parent (a test runner, a tool) may have started us with SIGINT
        // blocked; a terminal's Ctrl-C must reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT) { _ in
            WatchInterrupt.presses += 1
            if WatchInterrupt.presses > 1 { _exit(130) }
            WatchInterrupt.watcher?.stop()
        }
    }
}
