import Foundation
import Synchronization

/// How many threads TensorCore's large matrix products use, and the rule that
/// keeps every result identical whatever that number is.
///
/// The setting: `DEEPRL_THREADS` (a whole number from 1 to `maximum`), read on
/// first use; by default the cores the process may use, capped at `defaultCap`. A value
/// that is not a positive whole number prints one warning and keeps the
/// default. `TensorThreads.count` changes it at run time (the determinism
/// tests and `deeprl grade --threads` do).
///
/// Determinism: a product is split into bands of whole rows of C, each band
/// starting on a multiple of the kernel's row block (`Kernels.rowBlock`), so
/// every element of C is computed by the same block of the same kernel, with
/// its sum over k in the same order, as on one thread; only which thread runs
/// the band changes. Values, gradients and whole training runs are therefore
/// bit for bit the same with 1, 2 or 64 threads (Tests/BenchmarksTests,
/// `ThreadDeterminismTests`). PyTorch's CPU backend does not promise this.
public enum TensorThreads {
    /// The largest accepted setting.
    public static let maximum = 64

    /// The default's cap: beyond 8 threads, the bands of a 256-row product
    /// (the course's largest) hold too few row blocks to pay for the hand-off.
    public static let defaultCap = 8

    /// The cores this process may use: the machine's active processors, or
    /// fewer where its CPU affinity allows fewer (`taskset`, a container's cpuset).
    /// Read once, at first use.
    public static let cores: Int = max(1, Platform.availableProcessors())

    /// The number of threads large products use now (1 ... `maximum`).
    public static var count: Int {
        get { _ = configured; return setting.load(ordering: .relaxed) }
        set {
            _ = configured
            setting.store(min(max(newValue, 1), maximum), ordering: .relaxed)
        }
    }

    /// Reads `text` as a thread count: the count, or a sentence that says what
    /// was wrong and what is expected.
    public static func parse(_ text: String) -> Result<Int, ThreadSettingError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed), value >= 1, value <= maximum else {
            return .failure(ThreadSettingError(text: text))
        }
        return .success(value)
    }

    /// The default: the cores the process may use (`cores`), at most `defaultCap`.
    public static var defaultCount: Int { min(cores, defaultCap) }

    static let setting = Atomic<Int>(1)

    /// The fewest multiply-adds each band must hold for a product to be
    /// split (2^20 by default, about 7 us of work at 150 GFLOP/s): below it,
    /// the hand-off (`thread_handoff_us` in `deeprl bench`) and the bands'
    /// shorter loops cost more than the second thread saves (docs/BENCHMARKS.md,
    /// "Threads": DQN's 128 x 120 x 84 products were slower split in two).
    /// Tests lower it to split small products too; results never depend on it.
    public static var multiplyAddsPerBand: Int {
        get { bandMinimum.load(ordering: .relaxed) }
        set { bandMinimum.store(max(1, newValue), ordering: .relaxed) }
    }
    static let bandMinimum = Atomic<Int>(1 << 20)

    /// How many products (and large Adam updates and transposes) this process
    /// has computed in more than one band (a diagnostic: the determinism tests
    /// check that the split happened).
    public static var splitProducts: Int { splits.load(ordering: .relaxed) }
    static let splits = Atomic<Int>(0)

    /// How many panels of a band (AVX-512: `Kernels.inBandPanels`) a thread
    /// computed for another band's thread that was late or slower (a
    /// diagnostic: the tests check that taking over happens and changes no bit).
    public static var takenOverChunks: Int { WorkerPool.shared.takenOver.load(ordering: .relaxed) }

    /// Applies `DEEPRL_THREADS` once (a warning on standard error, and the
    /// default, if it is not a positive whole number).
    static let configured: Bool = {
        let (value, warning) = resolve(environment: Platform.environment("DEEPRL_THREADS"))
        if let warning { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        setting.store(value, ordering: .relaxed)
        return true
    }()

    /// The thread count for a value of `DEEPRL_THREADS` (nil: unset), and the
    /// warning to print when the value is not usable (the default is used).
    public static func resolve(environment text: String?) -> (count: Int, warning: String?) {
        guard let text else { return (defaultCount, nil) }
        switch parse(text) {
        case .success(let value): return (value, nil)
        case .failure(let error):
            return (defaultCount, "\(error.description); using \(defaultCount) (the cores this process may use, at most \(defaultCap))")
        }
    }
}

extension TensorThreads {
    /// The median microseconds of handing one empty band to a worker and
    /// waiting for it (the pool's fixed cost per split product; back to back,
    /// so the worker is spinning, as between the products of one update), over
    /// `rounds` rounds of `iterations` hand-offs; nil when the pool was busy.
    public static func handOffMicroseconds(rounds: Int = 7, iterations: Int = 2_000) -> Double? {
        var samples: [Double] = []
        for _ in 0...rounds {
            let start = Platform.monotonicNanoseconds()
            for _ in 0..<iterations {
                guard WorkerPool.shared.run(parts: 2, { _ in }) else { return nil }
            }
            samples.append(Double(Platform.monotonicNanoseconds() &- start) / 1_000 / Double(iterations))
        }
        samples.removeFirst()  // the warm-up round (it starts the worker)
        return samples.sorted()[samples.count / 2]
    }
}

/// A thread count that is not a whole number from 1 to `TensorThreads.maximum`.
public struct ThreadSettingError: Error, CustomStringConvertible, Sendable {
    /// The text as given.
    public var text: String
    public var description: String {
        "DEEPRL_THREADS must be a whole number of threads from 1 to \(TensorThreads.maximum), got '\(text)'"
    }
}

extension Kernels {
    /// A multiple of the row blocks of the panel kernels this build compiled,
    /// so that bands starting on multiples of it block every row as one
    /// thread would: 8 (AVX-512: 8-row blocks, and the portable 4 x 8 block
    /// for fewer than 8 columns), 12 (AVX2: 6-row blocks, and 4 x 8 for fewer
    /// than 16 columns; with 6, the 16 x 5 x 6 and 33 x 2 x 7 products differed
    /// in their last bits)
    /// or 4 (portable).
    static var rowBlock: Int {
        #if TENSORCORE_AVX512
        return 8
        #elseif TENSORCORE_WIDE_SIMD
        return 12
        #else
        return 4
        #endif
    }

    /// Runs `body(firstRow, rowCount)` over bands of the `m` rows of a product
    /// of `m * k * n` multiply-adds: on the calling thread alone when the
    /// product is small, one thread is set, or the pool is busy with another
    /// caller's product; otherwise on up to `TensorThreads.count` threads.
    /// Every band but the last starts and ends on a multiple of `block`.
    ///
    /// A product's work is its multiply-adds, or `multiplyAddsPerValue` for
    /// each of its m n results or of the m k values of A it reads if that is
    /// more, so that a product with a short dimension but many values to
    /// move splits like an elementwise step of as many values: the
    /// 256 x 1 x 256 outer product and the 256 x 256 x 1 matrix-vector
    /// product of a one-output head, or a 256 x 4 x 256 first layer. Each
    /// band then reads and writes only its own rows of A and C.
    @inline(__always)
    static func inRowBands(m: Int, k: Int, n: Int, block: Int, _ body: (_ first: Int, _ count: Int) -> Void) {
        inBands(m, block: block, work: productWork(m: m, k: k, n: n), minimum: TensorThreads.bandMinimum.load(ordering: .relaxed), body)
    }

    /// The work of an m x k x n product when deciding whether to split it
    /// (`inRowBands`).
    @inline(__always)
    static func productWork(m: Int, k: Int, n: Int) -> Int {
        max(m &* k &* n, m &* max(k, n) &* multiplyAddsPerValue)
    }

    /// What moving one value of a product (a result written, a value of A
    /// read) is worth in multiply-adds when deciding whether to split it: the
    /// default band minimum (2^20 multiply-adds) over `elementsPerBand` (2^15
    /// values), so that 2^15 values make a band as they do for an
    /// elementwise step.
    static let multiplyAddsPerValue = 32

    /// Runs `body(first, count)` over bands of `0 ..< total` (rows, or the
    /// elements of an elementwise kernel), each band but the last a multiple
    /// of `block` long, on up to `TensorThreads.count` threads, so that each
    /// band holds at least `minimum` of the `work`; on the calling thread
    /// alone when that leaves one band or the pool is busy.
    @inline(__always)
    static func inBands(_ total: Int, block: Int, work: Int, minimum: Int, _ body: (_ first: Int, _ count: Int) -> Void) {
        let parts = bandCount(total, block: block, work: work, minimum: minimum)
        if parts < 2 { return body(0, total) }
        let blocks = (total &+ block &- 1) / block
        if !WorkerPool.shared.run(parts: parts, { part in
            let first = part &* blocks / parts &* block
            let end = min(total, (part &+ 1) &* blocks / parts &* block)
            if end > first { body(first, end &- first) }
        }) {
            body(0, total)
        } else {
            TensorThreads.splits.add(1, ordering: .relaxed)
        }
    }

    /// How many bands `inBands` splits `total` into: up to
    /// `TensorThreads.count`, each at least `block` long and holding at
    /// least `minimum` of the `work`; 1 when that leaves one.
    @inline(__always)
    static func bandCount(_ total: Int, block: Int, work: Int, minimum: Int) -> Int {
        let threads = TensorThreads.setting.load(ordering: .relaxed)
        // The common case first, without a division: one thread, or too little work to split.
        if threads < 2 || work < minimum &* 2 || total < block &* 2 { return 1 }
        return max(1, min(threads, (total &+ block &- 1) / block, work / minimum))
    }

    /// Runs `body(claim)` on `parts` threads (the calling one and `parts - 1`
    /// workers), each calling `claim()` for a chunk of `0 ..< chunks` until
    /// it gets nil, so that every chunk is run once, by the thread that
    /// claimed it (`WorkerPool.run(parts:chunks:)`: each thread starts on its
    /// own contiguous share, then takes the last chunks of the others'). On
    /// the calling thread alone, every chunk in order, when `parts` is 1 or
    /// the pool is busy with another caller.
    @inline(__always)
    static func inChunks(_ chunks: Int, parts: Int, _ body: (_ claim: () -> Int?) -> Void) {
        if parts >= 2 {
            let pool = WorkerPool.shared
            if pool.run(parts: parts, chunks: chunks, { part in body { pool.claim(part) } }) {
                TensorThreads.splits.add(1, ordering: .relaxed)
                return
            }
        }
        var next = 0
        body {
            guard next < chunks else { return nil }
            next &+= 1
            return next &- 1
        }
    }

    /// The fewest elements each band of an elementwise kernel (Adam's update,
    /// a transpose, a layer's bias and activation) must hold: the band minimum
    /// over `multiplyAddsPerValue`, 2^15 by default, about 10 us of Adam's
    /// update, fifteen times the hand-off. (Lowering
    /// `TensorThreads.multiplyAddsPerBand` lowers it too, so that the
    /// determinism tests split every step.)
    static var elementsPerBand: Int {
        max(1, TensorThreads.bandMinimum.load(ordering: .relaxed) / multiplyAddsPerValue)
    }

    /// `gemm` with its rows split into bands (`inRowBands`); on the AVX-512
    /// tier, with a multiple of 32 columns, in the panels of its row bands
    /// (`inBandPanels`).
    @inline(__always)
    static func gemmInBands(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                            _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            m: Int, k: Int, n: Int, accumulate: Bool) {
        #if TENSORCORE_AVX512
        if n % 32 == 0 {
            return gemm512InBandPanels(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate)
        }
        #endif
        inRowBands(m: m, k: k, n: n, block: rowBlock) { first, count in
            gemm(a + first &* rs, rowStride: rs, columnStride: cs, b, c + first &* n, m: count, k: k, n: n, accumulate: accumulate)
        }
    }

    /// `dotProducts` with its rows split into bands of multiples of 4 rows
    /// (its row block).
    @inline(__always)
    static func dotProductsInBands(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                   m: Int, k: Int, n: Int, accumulate: Bool) {
        inRowBands(m: m, k: k, n: n, block: 4) { first, count in
            dotProducts(a + first &* k, b, c + first &* n, m: count, k: k, n: n, accumulate: accumulate)
        }
    }
}

extension KernelDiagnostics {
    /// `productBits` with every worker starting its part
    /// `lateWorkerMicroseconds` late, so that the calling thread takes over panels of the workers'
    /// bands (`TensorThreads.takenOverChunks` counts them): the bits must be
    /// those of one thread all the same.
    public static func productBits(m: Int, k: Int, n: Int, seed: UInt64, threads: Int, lateWorkerMicroseconds: Int) -> [UInt32] {
        WorkerPool.shared.lateStart.store(max(0, lateWorkerMicroseconds), ordering: .relaxed)
        defer { WorkerPool.shared.lateStart.store(0, ordering: .relaxed) }
        return productBits(m: m, k: k, n: n, seed: seed, threads: threads)
    }

    /// Which part ran each of `chunks` chunks shared among `parts` parts
    /// (`WorkerPool.run(parts:chunks:)`, each part claiming until none is
    /// left), with the workers starting `lateWorkerMicroseconds` late; nil
    /// when the pool was busy. Every entry must be set, once.
    public static func chunkOwners(parts: Int, chunks: Int, lateWorkerMicroseconds: Int) -> [Int]? {
        let pool = WorkerPool.shared
        let (parts, chunks) = (min(max(1, parts), TensorThreads.maximum), max(0, chunks))
        var owners = [Int](repeating: -1, count: chunks)
        pool.lateStart.store(max(0, lateWorkerMicroseconds), ordering: .relaxed)
        defer { pool.lateStart.store(0, ordering: .relaxed) }
        let ran = owners.withUnsafeMutableBufferPointer { owners in
            pool.run(parts: parts, chunks: chunks) { part in
                // Each chunk is claimed by one part, so no two threads write one entry.
                while let chunk = pool.claim(part) { owners[chunk] = owners[chunk] == -1 ? part : -2 }
            }
        }
        return ran ? owners : nil
    }
}
