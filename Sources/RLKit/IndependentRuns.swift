import CourseKit
import Foundation
import Synchronization

/// Independent training runs side by side: the seeds of a demo's comparison
/// (`deeprl demo --jobs N`) or of a maintainers' learning sweep
/// (`DEEPRL_JOBS=N`, `sweepJobs`).
///
/// Such runs share nothing: each has its own seed, its own generator and its
/// own networks, and TensorCore's results do not depend on which thread
/// computes them (`TensorThreads`). So running them `jobs` at a time gives the
/// same numbers, tables and figures as one after another; only the wall time
/// changes (docs/BENCHMARKS.md, "Threads"). The results come back in run
/// order; the progress bar advances as runs succeed.
///
/// `body(0)`, ..., `body(count - 1)` run up to `jobs` at once (each on a
/// thread of its own, the calling thread among them); `body` must touch
/// nothing but its own run's values. Once a run throws, no further run
/// starts; those already running finish, and the error of the lowest index
/// is rethrown: the one the runs one after another would have stopped at
/// (every run not started has a higher index than every run started).
///
/// - Complexity: `count` calls of `body`; wall time about that of
///   `ceil(count / jobs)` calls when the machine has `jobs` free cores.
public func independentRuns<T>(_ count: Int, jobs: Int, bar: inout ProgressBar,
                               _ body: (Int) throws -> T) throws -> [T] {
    var optional: ProgressBar? = bar
    defer { bar = optional! }
    return try runSideBySide(count, jobs: jobs, bar: &optional, body)
}

/// `independentRuns` without a progress bar (the sweeps print their results at the end).
public func independentRuns<T>(_ count: Int, jobs: Int, _ body: (Int) throws -> T) throws -> [T] {
    var none: ProgressBar? = nil
    return try runSideBySide(count, jobs: jobs, bar: &none, body)
}

private func runSideBySide<T>(_ count: Int, jobs: Int, bar: inout ProgressBar?,
                              _ body: (Int) throws -> T) throws -> [T] {
    let workers = max(1, min(jobs, count))
    if workers == 1 {
        return try (0..<count).map { index in
            let result = try body(index)
            bar?.advance()
            return result
        }
    }
    let shared = RunsInFlight<T>(count: count, bar: bar)
    withoutActuallyEscaping(body) { body in
        let unchecked = UncheckedBody(body: body)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = shared.nextIndex() {
                shared.finish(index, Result { try unchecked.body(index) })
            }
        }
    }
    bar = shared.bar
    return try shared.results()
}

/// The runs a learning sweep trains at once: `DEEPRL_JOBS` (a positive whole
/// number), else 1.
public var sweepJobs: Int {
    ProcessInfo.processInfo.environment["DEEPRL_JOBS"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
}

/// The non-escaping run function handed to the worker threads; it is called
/// once per index and touches only that run's own values.
private struct UncheckedBody<T>: @unchecked Sendable {
    let body: (Int) throws -> T
}

/// The runs' shared state: the next index to start, whether a run has
/// failed, the results so far, the bar; `lock` guards `slots` and `bar`.
private final class RunsInFlight<T>: @unchecked Sendable {
    private let next = Atomic<Int>(0)
    private let failed = Atomic<Bool>(false)
    private let count: Int
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]
    private(set) var bar: ProgressBar?

    init(count: Int, bar: ProgressBar?) {
        self.count = count
        slots = [Result<T, any Error>?](repeating: nil, count: count)
        self.bar = bar
    }

    /// The next run to start, or nil when all have started or one has failed.
    func nextIndex() -> Int? {
        guard !failed.load(ordering: .acquiring) else { return nil }
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    func finish(_ index: Int, _ result: Result<T, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
        if case .failure = result {
            failed.store(true, ordering: .releasing)
        } else {
            bar?.advance()
        }
    }

    /// The results in index order, or the error of the lowest index that
    /// failed (after every started run has finished).
    func results() throws -> [T] {
        for slot in slots { if case .failure(let error)? = slot { throw error } }
        return slots.map { try! $0!.get() }
    }
}
