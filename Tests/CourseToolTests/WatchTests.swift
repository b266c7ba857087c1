import CourseKit
import CourseTool
import Foundation
import Testing

/// A thread-safe text buffer for the watcher's output.
final class OutputBuffer: @unchecked Sendable {
    private var text = ""
    private let lock = NSLock()
    func append(_ more: String) { lock.lock(); text += more; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
    func count(of needle: String) -> Int { value.components(separatedBy: needle).count - 1 }

    /// Waits until `condition` holds of the text (true), or `timeout` seconds pass (false).
    func wait(timeout: Double, until condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(value) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition(value)
    }
}

/// `deeprl watch` and `deeprl check` on a student copy (a handout): a
/// scripted edit of a lesson file, then Ctrl-C. The copy builds once (a
/// minute or two), so the suite runs with the grader fixtures
/// (DEEPRL_GRADER_FIXTURES=1, as in .ci/run).
@Suite("watch mode and check on a student copy", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_GRADER_FIXTURES"] == "1" && courseRoot.hasSolutions,
                "set DEEPRL_GRADER_FIXTURES=1 (in the instructors' repository) to build a student copy"))
struct WatchTests {
    /// The reference file `Solutions/<path>` without its markers.
    func solved(_ path: String) -> String {
        (courseRoot.read("Solutions/\(path)") ?? "").components(separatedBy: "\n")
            .filter { !$0.contains("// BEGIN SOLUTION") && !$0.contains("// END SOLUTION") }
            .joined(separator: "\n")
    }

    @Test("a saved exercise is rebuilt once, passes, and watch moves on; Ctrl-C stops the tool cleanly")
    func scriptedEdit() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try Handout.write(from: courseRoot, to: copy.path)
        let student = CourseRoot(path: copy.path)
        let output = OutputBuffer()
        let watcher = Watcher(root: student, interval: 0.2) { output.append($0) }
        let finished = DispatchSemaphore(value: 0)
        let failure = OutputBuffer()
        Thread.detachNewThread {
            do { try watcher.run(start: "1.1") } catch { failure.append("\(error)") }
            finished.signal()
        }
        defer { watcher.stop(); _ = finished.wait(timeout: .now() + 30) }
        #expect(output.wait(timeout: 900) { $0.contains("waiting for changes") }, "the first build and check never finished: \(output.value)")
        #expect(output.value.contains("✘ 1.1") && output.value.contains("not started"), "the untouched 1.1 is reported as not started: \(output.value)")
        #expect(output.count(of: "building ...") == 1)

        // A burst of saves: a half-written file, then the finished one, in quick succession.
        let file = copy.appendingPathComponent("Lessons/01-MDPs/Returns.swift")
        try (solved("01-MDPs/Returns.swift") + "\n// still typing").write(to: file, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 0.05)
        try solved("01-MDPs/Returns.swift").write(to: file, atomically: true, encoding: .utf8)
        #expect(output.wait(timeout: 600) { $0.contains("✔ 1.1") && $0.contains("next: exercise 1.2") && $0.components(separatedBy: "waiting for changes").count == 3 },
                "after the edit 1.1 passes and watch moves on to 1.2: \(output.value)")
        #expect(output.count(of: "building ...") == 2, "one rebuild per burst of saves, got \(output.count(of: "building ..."))")
        #expect(output.value.contains("lesson 01 [") && output.value.contains("1/7 exercises"), "the lesson's progress bar: \(output.value)")
        watcher.stop()
        #expect(finished.wait(timeout: .now() + 30) == .success && output.value.hasSuffix("watch stopped\n"), "stop() ends the loop: \(output.value)")
        #expect(failure.value.isEmpty, "\(failure.value)")

        // deeprl check on the same copy: 1.1 passes, exit status 0; 1.2 does not, status 1.
        let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deeprl").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { Issue.record("no deeprl next to the test executable at \(tool)"); return }
        let pass = try run(tool, ["check", "1.1"], in: copy)
        #expect(pass.status == 0 && pass.output.contains("✔ 1.1"), "deeprl check 1.1: \(pass.output)")
        let fail = try run(tool, ["check", "1.2"], in: copy)
        #expect(fail.status == 1 && fail.output.contains("✘ 1.2") && fail.output.contains("hint:"), "deeprl check 1.2: \(fail.output)")

        // A student copy has no reference to build (a tool built from the reference runs its own demo).
        let reference = try run(tool, ["demo", "mdps", "--reference"], in: copy)
        let builtFromReference = reference.output.contains("summary: mdps") && !reference.output.contains("this build compiled Lessons/")
        #expect(builtFromReference || (reference.status != 0 && reference.output.contains("--reference needs the reference solutions (Solutions/)")),
                "deeprl demo --reference in a handout: \(reference.output.suffix(400))")

        // The tool itself under Ctrl-C: SIGINT ends it with "watch stopped" and status 0.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["watch", "1.2", "--interval", "0.2"]
        process.currentDirectoryURL = copy
        let log = copy.appendingPathComponent("watch.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let tail = OutputBuffer()
        let ready = tail.wait(timeout: 600) { _ in (try? String(contentsOf: log, encoding: .utf8))?.contains("waiting for changes") == true }
        #expect(ready, "deeprl watch never got to waiting: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationReason == .exit && process.terminationStatus == 0 && text.hasSuffix("watch stopped\n"),
                "Ctrl-C leaves cleanly: status \(process.terminationStatus) (\(process.terminationReason)), output \(text.suffix(300))")
    }

    func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let log = folder.appendingPathComponent("run-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

/// What `deeprl watch ID` follows first, before anything is built.
@Suite("watch: the exercise or lesson to start from")
struct WatchStartTests {
    @Test("an id that is neither an exercise nor a lesson is an error that lists both")
    func unknownStart() {
        let watcher = Watcher(root: courseRoot, interval: 0.2) { _ in }
        #expect {
            try watcher.run(start: "99", maxRounds: 0)
        } throws: { error in
            let text = "\(error)"
            return text.contains("'99' is neither an exercise") && text.contains("4.1") && text.contains("10)")
        }
    }

    @Test("a lesson's id or name is accepted, as in deeprl check")
    func lessonStart() throws {
        let output = OutputBuffer()
        for start in ["04", "dqn", "4.1"] {
            try Watcher(root: courseRoot, interval: 0.2) { output.append($0) }.run(start: start, maxRounds: 0)
        }
        #expect(output.value.components(separatedBy: "watch stopped").count == 4, "\(output.value)")
    }
}
