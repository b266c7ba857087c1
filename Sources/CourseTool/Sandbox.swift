import Foundation

/// How a student's test process is confined (docs/INSTRUCTORS.md, "What the
/// grader protects against").
///
/// Every test process runs in its own session and process group, in a
/// fresh temporary folder, with a clean environment (no variable says it is
/// being graded), under resource limits (memory, CPU time, file size and,
/// as root, processes). When the grader runs as root on Linux (Gradescope,
/// CI), the process also runs as an unprivileged user of its own, so that
/// nothing but its temporary folder is writable by it: not the course copy,
/// not the test executable, not the reports. When it ends, its process group
/// is killed, and as root every process of its user too, and the grader
/// checks that none is left. Elsewhere (macOS) the grader keeps what the
/// system offers: sessions, process groups, CPU and file-size limits, the
/// executable check (`Platform.swift`); `protections` says what was in force.
public struct SandboxPolicy: Sendable {
    /// The memory limit (address space), bytes.
    public var memoryBytes: UInt64 = 2 << 30
    /// The CPU-time limit, seconds.
    public var cpuSeconds: UInt64 = 600
    /// The largest file the process may write, bytes.
    public var fileSizeBytes: UInt64 = 64 << 20
    /// The most processes (and threads) the sandbox user may run (as root only).
    public var processes: UInt64 = 512
    /// The first unprivileged user id the grader uses as root; each run leases
    /// a free one of `firstUser ..< firstUser + users` (see `SandboxUser`).
    public var firstUser: UInt32 = 61_000
    /// How many user ids runs may lease at once, across every grader on the machine.
    public var users: UInt32 = 64

    public init() {}

    /// True when the grader runs as root.
    public static var isRoot: Bool { geteuid() == 0 }

    /// True when the grader runs each test process as an unprivileged user of
    /// its own: as root on Linux (`Platform.separatesUsers`).
    public static var separatesUsers: Bool { isRoot && Platform.separatesUsers }

    /// True when another user can reach and run `path`: every folder on the
    /// way is searchable by others and the file is readable and executable
    /// by others (the course copy the test process reads must be too).
    public static func othersCanRun(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & (S_IROTH | S_IXOTH) == (S_IROTH | S_IXOTH) else { return false }
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            guard stat(url.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
        }
        return true
    }

    /// The protections in force, for the report, when the test executable
    /// is `executable`.
    public func protections(executable: String? = nil) -> [String] {
        var list = ["each exercise in its own process, session and process group, killed with all its processes when it ends",
                    "results read from Swift Testing's event stream against the test list of the build, not from the output",
                    "a clean environment and a fresh temporary working folder",
                    Platform.limitsMemory ? "limits: memory \(memoryBytes >> 20) MiB, CPU \(cpuSeconds) s, files \(fileSizeBytes >> 20) MiB"
                        : "limits: CPU \(cpuSeconds) s, files \(fileSizeBytes >> 20) MiB; no memory limit (this system does not enforce one)",
                    "the test executable's identity (device, inode, size, change time) checked before each exercise: a write to it changes its change time",
                    "submitted files taken only as regular UTF-8 files at lesson paths, never through a link in any component of the path"]
        if SandboxPolicy.isRoot && !Platform.separatesUsers {
            list.append("root, but separate users for test processes need Linux: test processes run as root (they could write what the grader can write, and signal it)")
        } else if SandboxPolicy.isRoot && !(executable.map(SandboxPolicy.othersCanRun) ?? true) {
            list.append("root, but the course copy is not readable by other users (a folder on its path lacks o+x): test processes run as root; make the folders readable to separate users")
        } else if SandboxPolicy.isRoot {
            list.append("test processes run as unprivileged users (uid \(firstUser) and up) that can write only their temporary folder; at most \(processes) processes each")
        } else {
            list.append("not root: test processes run as the grader's own user (they could write what it can write, and signal it); run as root, as Gradescope does, for user separation")
        }
        return list
    }
}

/// What a sandboxed run produced.
struct SandboxOutcome {
    /// Everything it wrote to standard output and standard error.
    var output: String
    /// The event stream lines (JSON) it wrote to its results channel.
    var events: [String]
    /// Its exit status, or the signal that ended it.
    var status: Int32
    /// True when a signal ended it.
    var signalled: Bool
    /// True when it ran past the time limit and was killed.
    var timedOut: Bool
    /// Processes it left behind that the grader had to kill.
    var leftovers: Int
}

/// Runs `executable` confined by `policy` (see `SandboxPolicy`), with the
/// event stream written to file descriptor 3 (`/dev/fd/3`), a pipe only the
/// grader reads.
///
/// - Parameters:
/// As root, the run leases a user id of its own (`SandboxUser`) and holds it
/// until every process of that user is gone.
func runSandboxed(_ executable: String, _ arguments: [String], environment: [String: String], policy: SandboxPolicy,
                  timeout: Double) throws -> SandboxOutcome {
    let root = SandboxPolicy.separatesUsers && SandboxPolicy.othersCanRun(executable)
    let user = root ? try SandboxUser.lease(policy) : nil
    defer { user?.release() }
    let uid = user?.uid ?? 0
    // A fresh working folder, owned by the sandbox user.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    if root { chown(folder.path, uid, uid); chmod(folder.path, 0o700) }
    // Standard output and error go to a file the grader owns.
    let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-log-\(UUID().uuidString)").path
    let logFD = open(logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard logFD >= 0 else { throw ToolError("cannot create \(logPath) (errno \(errno))") }
    defer { unlink(logPath) }
    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else { throw ToolError("cannot create a pipe (errno \(errno))") }
    let (readFD, writeFD) = (pipeFDs[0], pipeFDs[1])
    // The test process opens the pipe as /dev/fd/3, which checks the pipe's owner.
    if root { fchown(writeFD, uid, uid) }

    var env = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "TMPDIR": folder.path, "LANG": "C.UTF-8",
               "SWIFT_BACKTRACE": "enable=no", "NO_COLOR": "1"]
    for (key, value) in environment { env[key] = value }
    let devNull = open("/dev/null", O_RDONLY)
    defer { close(devNull) }
    let process = ConfinedProcess(executable: executable, arguments: arguments, environment: env, directory: folder.path,
                                  input: devNull, output: logFD, events: writeFD, memoryBytes: policy.memoryBytes,
                                  cpuSeconds: policy.cpuSeconds, fileSizeBytes: policy.fileSizeBytes,
                                  user: root ? uid : nil, processes: policy.processes)
    let start = Date()
    let pid: pid_t
    do {
        pid = try Platform.spawn(process)  // its own session, the limits, as root the sandbox user
    } catch {
        close(writeFD); close(logFD); close(readFD)
        throw error
    }
    close(writeFD)
    close(logFD)

    // Read the results channel until the child (and everything holding the pipe) is gone.
    let events = EventCollector()
    let reader = Thread {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pending = [UInt8]()
        while true {
            let n = read(readFD, &buffer, buffer.count)
            if n <= 0 { break }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 10) {
                events.append(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { events.append(String(decoding: pending, as: UTF8.self)) }
        close(readFD)
        events.finish()
    }
    reader.start()

    var status: Int32 = 0
    var timedOut = false
    while true {
        let done = waitpid(pid, &status, WNOHANG)
        if done == pid { break }
        if Date().timeIntervalSince(start) > timeout {
            timedOut = true
            kill(-pid, SIGKILL)
            waitpid(pid, &status, 0)
            break
        }
        usleep(2_000)
    }
    // Whatever the test process started is killed now: its group, and as root everything of its user.
    var leftovers = 0
    if kill(-pid, 0) == 0 { leftovers += 1; kill(-pid, SIGKILL) }
    if root { leftovers += Platform.killEveryProcess(ofUser: uid) }
    events.waitFinished(timeout: 5)
    let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
    let code = signalled ? status & 0x7f : (status >> 8) & 0xff
    return SandboxOutcome(output: output, events: events.lines, status: code, signalled: signalled, timedOut: timedOut, leftovers: leftovers)
}

/// The event-stream lines read so far, shared with the reader thread.
final class EventCollector: @unchecked Sendable {
    private var items: [String] = []
    private var finished = false
    private let condition = NSCondition()
    func append(_ line: String) { condition.lock(); items.append(line); condition.unlock() }
    func finish() { condition.lock(); finished = true; condition.broadcast(); condition.unlock() }
    func waitFinished(timeout: Double) {
        condition.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !finished && condition.wait(until: deadline) {}
        condition.unlock()
    }
    var lines: [String] { condition.lock(); defer { condition.unlock() }; return items }
}
