import Foundation
import Synchronization

/// A small persistent pool of worker threads for the bands of large products
/// (`Kernels.inRowBands`) and the band panels of the AVX-512 tier
/// (`Kernels.inBandPanels`, through `run(parts:chunks:)` and `claim(_:)`).
///
/// - Workers are started lazily, the first time a product needs them, and
///   live for the process; no thread is created per call.
/// - One caller at a time: `run` returns false at once, running nothing, when
///   another thread's product holds the pool (tests run in parallel, and two
///   products of one training step never overlap), and that caller computes
///   its product alone. Results do not depend on it.
/// - Hand-off: after each band a worker spins for `spinNanoseconds` (1 ms)
///   on its state before it sleeps on a semaphore, so the next product of
///   the same update starts without a wake-up from the kernel (with 100 us,
///   SAC's update took 13% longer: the gaps between its products are often
///   longer than that). The caller computes band 0 itself, then waits.
///
/// Each worker's state is one atomic: `idle` (spinning or about to sleep),
/// `asleep` (waiting on its semaphore) or `given` (a band is waiting). The
/// caller swaps in `given` and signals the semaphore only if the swap found
/// `asleep`; a worker goes to sleep only by swapping `idle` for `asleep`, so a
/// band handed over while it was deciding is never missed.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle worker watches for the next band before it sleeps.
    static let spinNanoseconds: UInt64 = 1_000_000

    private static let idle = 0, asleep = 1, given = 2

    private final class Worker: @unchecked Sendable {
        let state = Atomic<Int>(WorkerPool.idle)
        let wake = DispatchSemaphore(value: 0)
        var part = 0
    }

    /// Held by the caller whose product is running.
    private let busy = Atomic<Bool>(false)
    /// Bands not yet finished by the workers.
    private let remaining = Atomic<Int>(0)
    private var workers: [Worker] = []
    /// The band function of the running product (set before any worker is
    /// given a band, read by workers only while they hold one).
    private var task: ((Int) -> Void)?

    /// The chunks of a split run with `run(parts:chunks:)`, one word per
    /// participant: the next chunk of its own range in the low 32 bits, the
    /// end of that range in the high 32 bits.
    private final class ChunkRange: @unchecked Sendable {
        let bounds = Atomic<Int>(0)
        // Padding, so that two participants' words do not share a cache line.
        var padding: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    }
    private let ranges: [ChunkRange] = (0..<TensorThreads.maximum).map { _ in ChunkRange() }
    /// The participants of the running chunked split.
    private var chunkParts = 0
    /// Chunks taken from another part's range (`TensorThreads.takenOverChunks`).
    let takenOver = Atomic<Int>(0)
    /// Microseconds each worker waits before it starts its part: 0, except in
    /// the tests that make a worker late on purpose (`KernelDiagnostics`).
    let lateStart = Atomic<Int>(0)

    /// Runs `body(0)` on the calling thread and `body(1)` ... `body(parts - 1)`
    /// on workers, and returns when all have finished; false (nothing run)
    /// when the pool is busy with another caller. `prepare` runs first, once
    /// the pool is this caller's and before any worker starts.
    func run(parts: Int, _ body: (Int) -> Void, prepare: () -> Void = {}) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        while workers.count < parts &- 1 { start() }
        prepare()
        withoutActuallyEscaping(body) { body in
            task = body
            remaining.store(parts &- 1, ordering: .relaxed)
            for w in 0..<(parts &- 1) {
                let worker = workers[w]
                worker.part = w &+ 1
                if worker.state.exchange(WorkerPool.given, ordering: .acquiringAndReleasing) == WorkerPool.asleep {
                    worker.wake.signal()
                }
            }
            body(0)
            var spins = 0
            while remaining.load(ordering: .acquiring) != 0 {
                spins &+= 1
                if spins & 1023 == 0 { Platform.yieldThread() }
            }
            task = nil
        }
        return true
    }

    /// Runs `body(part)` for `part` in `0 ..< parts` as `run(parts:_:prepare:)` does,
    /// with the chunks `0 ..< chunks` shared out for `claim(_:)`: part p owns
    /// chunks `p * chunks / parts ..< (p + 1) * chunks / parts`, takes them
    /// from the front, and once it has none left takes the last ones of the
    /// other parts' ranges, so that a part on a slower (or later) core leaves
    /// its work to a faster one instead of making it wait. Each chunk is
    /// claimed exactly once (one compare-and-swap on its owner's word).
    func run(parts: Int, chunks: Int, _ body: (Int) -> Void) -> Bool {
        run(parts: parts, body) {
            // Set while the pool is ours and before any worker is given its part.
            chunkParts = parts
            for p in 0..<parts {
                let first = p &* chunks / parts, end = (p &+ 1) &* chunks / parts
                ranges[p].bounds.store(end << 32 | first, ordering: .relaxed)
            }
        }
    }

    /// The next chunk for participant `part` of a `run(parts:chunks:)`: the
    /// front of its own range, else the back of another's; nil when none is left.
    func claim(_ part: Int) -> Int? {
        let own = ranges[part]
        var word = own.bounds.load(ordering: .relaxed)
        while word & 0xFFFF_FFFF < word >> 32 {
            let (done, found) = own.bounds.compareExchange(expected: word, desired: word &+ 1, ordering: .relaxed)
            if done { return word & 0xFFFF_FFFF }
            word = found
        }
        var other = part
        for _ in 1..<max(chunkParts, 1) {
            other = other &+ 1 == chunkParts ? 0 : other &+ 1
            let theirs = ranges[other]
            word = theirs.bounds.load(ordering: .relaxed)
            while word & 0xFFFF_FFFF < word >> 32 {
                let (done, found) = theirs.bounds.compareExchange(expected: word, desired: word &- (1 << 32), ordering: .relaxed)
                if done {
                    takenOver.add(1, ordering: .relaxed)
                    return (word >> 32) &- 1
                }
                word = found
            }
        }
        return nil
    }

    private func start() {
        let worker = Worker()
        workers.append(worker)
        let thread = Thread { [unowned self] in self.serve(worker) }
        thread.name = "TensorCore worker \(workers.count)"
        thread.start()
    }

    /// A worker's loop: wait for a band (spinning, then asleep), run it, report.
    private func serve(_ worker: Worker) {
        while true {
            var spinStart: UInt64 = 0
            var spins = 0
            while worker.state.load(ordering: .acquiring) != WorkerPool.given {
                spins &+= 1
                guard spins & 2047 == 0 else { continue }
                // Give way now and then: where the process has fewer cores than threads (a
                // container's quota), the caller may be waiting for this one.
                Platform.yieldThread()
                let now = Platform.monotonicNanoseconds()
                if spinStart == 0 { spinStart = now; continue }
                if now &- spinStart > WorkerPool.spinNanoseconds,
                   worker.state.compareExchange(expected: WorkerPool.idle, desired: WorkerPool.asleep,
                                                ordering: .acquiringAndReleasing).exchanged {
                    worker.wake.wait()
                    break
                }
            }
            worker.state.store(WorkerPool.idle, ordering: .relaxed)
            let delay = lateStart.load(ordering: .relaxed)
            if delay > 0 { Thread.sleep(forTimeInterval: Double(delay) / 1_000_000) }
            task!(worker.part)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
