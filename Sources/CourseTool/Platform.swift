import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The course tool's operating-system calls whose spelling or behaviour
/// differs between Linux (Glibc) and macOS (Darwin): the only file of
/// CourseTool that imports either (docs/ARCHITECTURE.md, "Platforms").
/// POSIX calls that read the same on both (`open`, `read`, `stat`, `pipe`,
/// `waitpid`, `kill`, `flock`) are used where they are needed, through
/// Foundation.
///
/// What differs:
/// - a confined test process is started with `fork` on Linux (session,
///   resource limits from `<sys/resource.h>`, as root an unprivileged user,
///   then `execve`) and with `posix_spawn` on macOS, where Swift offers no
///   `fork` (a new session, bash setting the limits with `ulimit`, then
///   `exec`);
/// - running each test process as an unprivileged user of its own needs
///   Linux and root (`separatesUsers`): the processes of a user are counted
///   in `/proc`;
/// - the memory limit (`RLIMIT_AS`) is enforced on Linux only;
/// - a file's change time is `st_ctim` on Linux, `st_ctimespec` on Darwin.
enum Platform {
    /// True where the grader, as root, runs each test process as an
    /// unprivileged user of its own and kills everything of that user
    /// afterwards: Linux only (the processes of a user are found in `/proc`).
    static var separatesUsers: Bool {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }

    /// True where a memory limit on a process is enforced: Linux's
    /// `RLIMIT_AS`. macOS enforces neither `RLIMIT_AS` nor `RLIMIT_DATA`, so
    /// there the grader sets none and the report says so.
    static var limitsMemory: Bool {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }

    /// A file's identity: device, inode, size and change time (seconds,
    /// nanoseconds), from `stat(2)` (`st_ctim` on Linux, `st_ctimespec` on
    /// Darwin); nil when it cannot be read. Any write to the file changes its
    /// change time, which an unprivileged process cannot set back.
    static func fileIdentity(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Glibc)
        let changed = info.st_ctim
        #elseif canImport(Darwin)
        let changed = info.st_ctimespec
        #endif
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(changed.tv_sec), Int(changed.tv_nsec)]
    }

    /// How many processes of user `uid` are running: on Linux the entries of
    /// `/proc` whose `status` file has that real user id on its `Uid:` line.
    /// Elsewhere 0: sandbox users exist only where `separatesUsers` holds.
    static func processCount(ofUser uid: UInt32) -> Int {
        #if os(Linux)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { continue }
            let ids = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
            if ids.first.map(String.init) == String(uid) { count += 1 }
        }
        return count
        #else
        return 0
        #endif
    }

    /// Kills every process of user `uid` and returns how many there were: on
    /// Linux a child `fork`s, becomes that user (`setgid`, `setuid`) and calls
    /// `kill(-1, SIGKILL)`, which reaches exactly the processes it may signal.
    /// Elsewhere 0 (no sandbox user runs anything there; see `separatesUsers`).
    static func killEveryProcess(ofUser uid: UInt32) -> Int {
        #if os(Linux)
        let count = processCount(ofUser: uid)
        guard count > 0 else { return 0 }
        let pid = fork()
        if pid == 0 {
            if setgid(uid) != 0 || setuid(uid) != 0 { _exit(1) }
            kill(-1, SIGKILL)
            _exit(0)
        }
        var status: Int32 = 0
        if pid > 0 { waitpid(pid, &status, 0) }
        return count
        #else
        return 0
        #endif
    }

    /// Starts `process` confined (see `runSandboxed`) and returns its process
    /// id, which is also its session and process group.
    ///
    /// - Linux: `fork`; the child calls `setsid`, `setrlimit` with
    ///   `RLIMIT_AS`, `RLIMIT_CPU`, `RLIMIT_FSIZE`, `RLIMIT_CORE` (0) and, for
    ///   a sandbox user, `RLIMIT_NPROC` (soft and hard limits alike, so the
    ///   process cannot raise them), `dup2`s its descriptors and closes the
    ///   rest, drops to the user (`setgroups`, `setgid`, `setuid`), `chdir`s
    ///   and `execve`s. Everything is prepared before `fork`; the child makes
    ///   system calls only.
    /// - macOS: `posix_spawn` of `/bin/bash` with `POSIX_SPAWN_SETSID` (a new
    ///   session) and `POSIX_SPAWN_CLOEXEC_DEFAULT` (only the descriptors
    ///   given by `posix_spawn_file_actions_adddup2` stay open), the working
    ///   folder by `posix_spawn_file_actions_addchdir_np`; bash sets the CPU,
    ///   file-size and core limits (`ulimit -t` seconds, `-f` in 1024-byte
    ///   blocks, `-c`; without `-H` or `-S` bash sets the soft and the hard
    ///   limit), then `exec`s the test executable. No memory limit
    ///   (`limitsMemory`) and no user (`separatesUsers`).
    ///
    /// - Throws: `ToolError` when the process cannot be started.
    static func spawn(_ process: ConfinedProcess) throws -> pid_t {
        let environment = process.environment.map { "\($0.key)=\($0.value)" }
        #if canImport(Glibc)
        let argv = cStrings([process.executable] + process.arguments), envp = cStrings(environment)
        let folder = strdup(process.directory)!
        defer { free(folder); freeCStrings(argv); freeCStrings(envp) }
        // <sys/resource.h>'s constants, which Swift imports as the enum __rlimit_resource
        // (RLIMIT_NPROC is a macro for __RLIMIT_NPROC, which Swift does not import).
        var limits: [(Int32, rlim_t)] = [(Int32(RLIMIT_AS.rawValue), rlim_t(process.memoryBytes)),
                                         (Int32(RLIMIT_CPU.rawValue), rlim_t(process.cpuSeconds)),
                                         (Int32(RLIMIT_FSIZE.rawValue), rlim_t(process.fileSizeBytes)),
                                         (Int32(RLIMIT_CORE.rawValue), 0)]
        if process.user != nil { limits.append((Int32(__RLIMIT_NPROC.rawValue), rlim_t(process.processes))) }
        let (dropsPrivileges, uid) = (process.user != nil, process.user ?? 0)
        let (input, output, events) = (process.input, process.output, process.events)
        let path = argv[0]!
        let pid = fork()
        if pid == 0 {
            setsid()
            for (resource, value) in limits {
                var limit = rlimit(rlim_cur: value, rlim_max: value)
                setrlimit(resource, &limit)
            }
            dup2(input, 0)
            dup2(output, 1)
            dup2(output, 2)
            dup2(events, 3)
            var fd: Int32 = 4
            while fd < 1024 { close(fd); fd += 1 }
            if dropsPrivileges {
                if setgroups(0, nil) != 0 || setgid(uid) != 0 || setuid(uid) != 0 { _exit(126) }
            }
            if chdir(folder) != 0 { _exit(126) }
            execve(path, argv, envp)
            _exit(127)
        }
        guard pid > 0 else { throw ToolError("cannot start \(process.executable) (fork failed, errno \(errno))") }
        return pid
        #elseif canImport(Darwin)
        let script = "ulimit -t \(process.cpuSeconds) && ulimit -f \(max(1, process.fileSizeBytes / 1024)) && ulimit -c 0"
            + " && exec \"$0\" \"$@\""
        let argv = cStrings(["/bin/bash", "-c", script, process.executable] + process.arguments), envp = cStrings(environment)
        defer { freeCStrings(argv); freeCStrings(envp) }
        var attributes: posix_spawnattr_t? = nil
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSID | POSIX_SPAWN_CLOEXEC_DEFAULT))
        var actions: posix_spawn_file_actions_t? = nil
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, process.input, 0)
        posix_spawn_file_actions_adddup2(&actions, process.output, 1)
        posix_spawn_file_actions_adddup2(&actions, process.output, 2)
        posix_spawn_file_actions_adddup2(&actions, process.events, 3)
        posix_spawn_file_actions_addchdir_np(&actions, process.directory)
        var pid: pid_t = 0
        let failure = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, envp)
        guard failure == 0 else { throw ToolError("cannot start \(process.executable) (posix_spawn failed, errno \(failure))") }
        return pid
        #endif
    }

    /// `strings` as C strings (`strdup`), followed by nil, for `execve` or `posix_spawn`.
    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { strdup($0) } + [nil]
    }

    /// Frees what `cStrings` made.
    private static func freeCStrings(_ pointers: [UnsafeMutablePointer<CChar>?]) {
        for pointer in pointers { free(pointer) }
    }
}

/// A test process to start confined (`Platform.spawn`).
struct ConfinedProcess {
    /// The test executable and its arguments.
    var executable: String
    var arguments: [String]
    /// Its whole environment.
    var environment: [String: String]
    /// Its working folder.
    var directory: String
    /// Its standard input; standard output and error; the event stream (descriptor 3).
    var input: Int32, output: Int32, events: Int32
    /// Its limits: address space and file size in bytes, CPU time in seconds.
    var memoryBytes: UInt64, cpuSeconds: UInt64, fileSizeBytes: UInt64
    /// The unprivileged user it runs as (as root on Linux), or nil for the grader's own.
    var user: UInt32?
    /// The most processes that user may run.
    var processes: UInt64
}
