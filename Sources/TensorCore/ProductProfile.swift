import Diagnostics
import Synchronization

/// Where the matrix products of some code spend their time: every product's
/// kind and shape, how often it ran and how long it took in all.
///
/// A profile of a sampling profiler says how much of an update is spent in
/// the product kernels; this says which products they were, timed where they
/// run (with the rest of the update around them, not alone with their data
/// in cache). `deeprl bench --products` prints it for the three training
/// updates; docs/BENCHMARKS.md has the tables.
///
///     let (_, entries) = ProductProfile.measure { for _ in 0..<100 { update() } }
///     for entry in entries { print(entry.kind, entry.m, entry.k, entry.n, entry.gigaflops) }
///
/// Only the products of the thread that calls `measure` are timed (tests
/// that run in parallel do not see each other's). While nothing is
/// measured, each product pays one relaxed atomic load. A product is timed
/// at the kernel's entry (`Kernels.matmul`, `matmulTransposedA`,
/// `matmulTransposedB`), copies of transposed operands included, and a
/// layer's forward product with the bias and activation that share its
/// bands (`Kernels.affine`).
public enum ProductProfile {
    /// Which product: C = A B, C = A^T B or C = A B^T.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// C = A B: a layer's forward pass, x W.
        case product = "A B"
        /// C = A^T B: a weight's gradient, x^T dY.
        case transposedA = "A^T B"
        /// C = A B^T: an input's gradient, dY W^T.
        case transposedB = "A B^T"
    }

    /// One kind and shape of product, and its calls.
    public struct Entry: Sendable, Equatable {
        /// Which product.
        public var kind: Kind
        /// The result's rows, the inner dimension and the result's columns.
        public var m: Int, k: Int, n: Int
        /// Whether it added into C (C += ...) rather than writing C.
        public var accumulates: Bool
        /// How many times it ran.
        public var calls: Int
        /// Its total time, in nanoseconds.
        public var nanoseconds: UInt64

        /// The floating-point operations of all its calls: 2 m k n each.
        public var flops: Double { 2 * Double(m) * Double(k) * Double(n) * Double(calls) }
        /// Its rate over all its calls (0 if it took no measurable time).
        public var gigaflops: Double { nanoseconds == 0 ? 0 : flops / Double(nanoseconds) }
    }

    /// Runs `body` with every matrix product of this thread timed, and
    /// returns its result with the products that ran, the slowest in total
    /// first.
    ///
    /// One measurement runs at a time: calling `measure` inside `body`, or
    /// on another thread meanwhile, stops the program with a message.
    public static func measure<Result>(_ body: () throws -> Result) rethrows -> (result: Result, entries: [Entry]) {
        let (free, _) = owner.compareExchange(expected: 0, desired: currentThread(), ordering: .acquiringAndReleasing)
        check(free, "ProductProfile.measure: a measurement is already running; one runs at a time, and they do not nest")
        table.withLock { $0 = [:] }
        defer { owner.store(0, ordering: .releasing) }
        let result = try body()
        let entries = table.withLock { table in
            table.map { key, value in
                Entry(kind: key.kind, m: key.m, k: key.k, n: key.n, accumulates: key.accumulates,
                      calls: value.calls, nanoseconds: value.nanoseconds)
            }
        }
        return (result, entries.sorted { ($0.nanoseconds, $0.flops) > ($1.nanoseconds, $1.flops) })
    }

    /// The rate of `entry`'s product timed alone, in GFLOP/s: the same kind
    /// and shape on seeded operands that stay in cache, the best of five
    /// rounds of `repetitions` calls. Set against `entry.gigaflops`, it shows
    /// what running inside the update costs the product.
    ///
    /// - Complexity: O(repetitions * m * k * n).
    public static func gigaflopsAlone(_ entry: Entry, repetitions: Int = 20) -> Double {
        let (m, k, n) = (entry.m, entry.k, entry.n)
        guard m > 0, k > 0, n > 0 else { return 0 }
        var rng = SeededGenerator(seed: 11)
        let a = KernelDiagnostics.random(m * k, &rng), b = KernelDiagnostics.random(k * n, &rng)
        var c = [Float](repeating: 0, count: m * n)
        var best = UInt64.max
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    func run() {
                        switch entry.kind {
                        case .product: Kernels.matmul(pa, pb, pc, m: m, k: k, n: n, accumulate: entry.accumulates)
                        case .transposedA: Kernels.matmulTransposedA(pa, pb, pc, m: m, k: k, n: n, accumulate: entry.accumulates)
                        case .transposedB: Kernels.matmulTransposedB(pa, pb, pc, m: m, k: k, n: n, accumulate: entry.accumulates)
                        }
                    }
                    for _ in 0..<3 { run() }
                    for _ in 0..<5 {
                        let start = monotonicNanoseconds()
                        for _ in 0..<repetitions { run() }
                        best = Swift.min(best, monotonicNanoseconds() &- start)
                    }
                }
            }
        }
        return 2 * Double(m) * Double(k) * Double(n) * Double(repetitions) / Double(Swift.max(best, 1))
    }

    // MARK: - Recording

    struct Key: Hashable {
        var kind: Kind, m: Int, k: Int, n: Int, accumulates: Bool
    }

    /// The measuring thread (0: none).
    static let owner = Atomic<UInt>(0)
    static let table = Mutex<[Key: (calls: Int, nanoseconds: UInt64)]>([:])

    /// Runs one product, timed if a measurement is running.
    @inline(__always)
    static func timed(_ kind: Kind, m: Int, k: Int, n: Int, accumulate: Bool, _ product: () -> Void) {
        let measuring = owner.load(ordering: .relaxed)
        guard measuring != 0, measuring == currentThread() else { return product() }
        let start = monotonicNanoseconds()
        product()
        let elapsed = monotonicNanoseconds() &- start
        let key = Key(kind: kind, m: m, k: k, n: n, accumulates: accumulate)
        table.withLock { table in
            let old = table[key] ?? (0, 0)
            table[key] = (old.calls + 1, old.nanoseconds &+ elapsed)
        }
    }

    /// This thread's identity, never 0.
    @inline(__always)
    static func currentThread() -> UInt {
        Platform.currentThread()
    }

    /// The monotonic clock, in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        Platform.monotonicNanoseconds()
    }
}
