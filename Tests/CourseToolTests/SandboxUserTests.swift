import CourseTool
import Foundation
import Testing

/// The sandbox's user leases: two runs at once never share a user id, since
/// the end of a run kills every process of its user (as root). A grader's
/// two jobs, the watch mode and a grader in one process, or two graders side
/// by side all lease from the same lock folder.
@Suite("sandbox user leases")
struct SandboxUserTests {
    /// Ids well away from the grader's, so that a grader running in this
    /// test process at the same time keeps its own.
    /// The two tests use disjoint ranges (`slot` 0 or 1 of a random block of 16).
    func policy(users: UInt32, slot: UInt32) -> SandboxPolicy {
        var policy = SandboxPolicy()
        policy.firstUser = 64_000 + UInt32.random(in: 0..<1_000) * 16 + slot * 8
        policy.users = users
        return policy
    }

    @Test("held leases are distinct, a released id is leased again, and a full set waits then names the problem")
    func leases() throws {
        let policy = policy(users: 2, slot: 0)
        let first = try SandboxUser.lease(policy)
        let second = try SandboxUser.lease(policy)
        #expect(first.uid != second.uid, "two runs at once got the same sandbox user \(first.uid)")
        #expect(Set([first.uid, second.uid]) == [policy.firstUser, policy.firstUser + 1])
        do {
            _ = try SandboxUser.lease(policy, wait: 0.2)
            Issue.record("a third lease of two users must wait and then fail")
        } catch {
            #expect("\(error)".contains("all 2 sandbox users"), "the error names the busy users: \(error)")
        }
        let freed = first.uid
        first.release()
        let third = try SandboxUser.lease(policy)
        #expect(third.uid == freed, "the released id \(freed) is free again, got \(third.uid)")
        second.release()
        third.release()
    }

    @Test("leases taken from many threads at once are all different")
    func concurrentLeases() throws {
        let policy = policy(users: 8, slot: 1)
        let box = LeaseBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let lease = try? SandboxUser.lease(policy, wait: 5) { box.add(lease) }
        }
        let uids = box.leases.map(\.uid)
        #expect(uids.count == 8 && Set(uids).count == 8, "8 concurrent leases of 8 users must all differ: \(uids.sorted())")
        box.leases.forEach { $0.release() }
    }
}

/// Leases collected from several threads.
final class LeaseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SandboxUser] = []
    func add(_ lease: SandboxUser) { lock.lock(); items.append(lease); lock.unlock() }
    var leases: [SandboxUser] { lock.lock(); defer { lock.unlock() }; return items }
}

/// The report's `protections` list is a promise: each line must say what the grader does.
@Suite("the report's protections say what the grader does")
struct ProtectionWordingTests {
    @Test("the test executable is checked by its identity, not by a checksum the grader never computes")
    func executableCheck() {
        let list = SandboxPolicy().protections(executable: "/nonexistent/DeepRLCoursePackageTests.xctest")
        #expect(!list.contains { $0.contains("checksum") }, "the grader compares the file's identity, it computes no checksum: \(list)")
        #expect(list.contains { $0.contains("test executable's identity (device, inode, size, change time) checked before each exercise") },
                "\(list)")
    }
}
