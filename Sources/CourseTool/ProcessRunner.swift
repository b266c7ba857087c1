import Foundation

/// The outcome of a child process run with a time limit.
struct ProcessOutcome {
    /// Everything it wrote to standard output and standard error.
    var output: String
    /// Its exit status, or the signal that ended it.
    var status: Int32
    /// True when it was ended by a signal (a crash, or our kill).
    var signalled: Bool
    /// True when it ran past the time limit and was stopped.
    var timedOut: Bool
    /// Wall-clock seconds.
    var seconds: Double
}

/// Runs `executable` with `arguments` in `directory`, output to a temporary
/// file (no pipe that could fill up), and stops it after `timeout` seconds:
/// SIGTERM, then SIGKILL two seconds later.
func runProcess(_ executable: String, _ arguments: [String], in directory: String,
                environment: [String: String] = [:], timeout: Double) throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
    let log = try FileHandle(forWritingTo: logURL)
    defer {
        try? log.close()
        try? FileManager.default.removeItem(at: logURL)
    }
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    let start = Date()
    try process.run()
    var timedOut = false
    if done.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        if done.wait(timeout: .now() + 2) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
    }
    let output = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    return ProcessOutcome(output: output, status: process.terminationStatus,
                          signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
                          seconds: Date().timeIntervalSince(start))
}

/// The full path of `swift` on PATH.
func swiftExecutable() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/swift"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw ToolError("swift is not on PATH; the grader builds the course with the Swift toolchain")
}

/// Removes ANSI colour escapes.
func strippingANSI(_ text: String) -> String {
    var out = ""
    var iterator = text.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
        if scalar == "\u{1B}" {
            // Skip "[...letter".
            while let next = iterator.next() {
                if next.properties.isAlphabetic { break }
            }
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
