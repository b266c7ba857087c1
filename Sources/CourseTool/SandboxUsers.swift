import Foundation

/// An unprivileged user id held by one sandboxed run, for as long as it runs.
///
/// As root, a run ends by killing every process of its user, so two runs
/// must never share a user: not two jobs of one grader, not a grader and the
/// watch mode in one test process, not two graders started side by side.
/// Each user id has a lock file in a folder only root can enter; a run holds
/// an exclusive `flock` on its file. The lock belongs to the open file, so
/// two threads of one process exclude each other as two processes do, and
/// the kernel releases it if the grader dies.
///
/// Complexity: one `open` and one `flock` per user id tried; at most
/// `SandboxPolicy.users` ids are tried per round.
public final class SandboxUser: @unchecked Sendable {
    /// The leased user id (also its group id).
    public let uid: UInt32
    private var descriptor: Int32

    private init(uid: UInt32, descriptor: Int32) {
        self.uid = uid
        self.descriptor = descriptor
    }

    /// The folder of the lock files: root's, mode 0700.
    public static let lockFolder = "/tmp/deeprl-sandbox-users"

    /// Leases the first free user id in `policy.firstUser ..< policy.firstUser + policy.users`,
    /// waiting while all are taken (up to `wait` seconds). Processes a crashed
    /// earlier run left behind under that id are killed first.
    public static func lease(_ policy: SandboxPolicy, wait: Double = 600) throws -> SandboxUser {
        try prepareLockFolder()
        let deadline = Date().addingTimeInterval(wait)
        while true {
            for offset in 0..<max(1, policy.users) {
                let uid = policy.firstUser + offset
                let fd = open("\(lockFolder)/\(uid)", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw ToolError("cannot open the sandbox lock \(lockFolder)/\(uid) (errno \(errno))") }
                if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                    _ = Platform.killEveryProcess(ofUser: uid)
                    return SandboxUser(uid: uid, descriptor: fd)
                }
                close(fd)
            }
            guard Date() < deadline else {
                throw ToolError("all \(policy.users) sandbox users (uid \(policy.firstUser) and up) stayed busy for \(Int(wait)) s: too many graders at once?")
            }
            usleep(50_000)
        }
    }

    /// Creates the lock folder, or checks that the one there is a real
    /// folder of this user that nobody else may write.
    private static func prepareLockFolder() throws {
        mkdir(lockFolder, 0o700)
        var info = stat()
        guard lstat(lockFolder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
              info.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            throw ToolError("\(lockFolder) is not a folder of user \(geteuid()) closed to others: remove it and grade again")
        }
    }

    /// Gives the user id back (also done when the lease is released by `deinit`).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
