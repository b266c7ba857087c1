import Foundation
import TensorCore

/// The bit patterns of every parameter of `update`'s workload after `updates`
/// training updates with `threads` threads for the large products, splitting
/// every product of at least `multiplyAddsPerBand` multiply-adds per band (the
/// determinism check of `TensorThreads`: the answer must not depend on
/// either). Puts both settings back afterwards.
///
/// - Complexity: `updates` training updates.
public func trainedParameterBits(of update: TrainingUpdate, updates: Int, threads: Int,
                                 multiplyAddsPerBand: Int = TensorThreads.multiplyAddsPerBand) throws -> [UInt32] {
    let (before, bandBefore) = (TensorThreads.count, TensorThreads.multiplyAddsPerBand)
    (TensorThreads.count, TensorThreads.multiplyAddsPerBand) = (threads, multiplyAddsPerBand)
    defer { (TensorThreads.count, TensorThreads.multiplyAddsPerBand) = (before, bandBefore) }
    let training = try update.makeTraining()
    for _ in 0..<updates { try training.update() }
    return training.parameters.flatMap { $0.scalars.map(\.bitPattern) }
}

/// The update workloads of `tensorBenchmarks` again, each with the thread
/// count `deeprl bench` runs with by default (`TensorThreads.defaultCount`,
/// or `DEEPRL_THREADS`): the second column of docs/BENCHMARKS.md's tables.
/// Keys end in `_threads`, e.g. `sac_update_us_threads`.
///
/// - Parameter keys: the keys to measure (nil: all four).
func threadedBenchmarks(only keys: Set<String>?) throws -> [BenchmarkResult] {
    let threads = TensorThreads.count
    var handOff: [BenchmarkResult] = []
    if keys?.contains("thread_handoff_us") ?? true, let us = TensorThreads.handOffMicroseconds() {
        handOff = [BenchmarkResult(key: "thread_handoff_us", value: us,
                                   workload: "one empty band handed to a worker thread and waited for (the fixed cost of splitting a product)")]
    }
    var speedups: [BenchmarkResult] = []
    let sides: [(key: String, workload: String, iterations: Int, makeStep: () throws -> () throws -> Void)] = [
        ("sac_update_thread_speedup", "SAC update", 10, { try TrainingUpdate.sac.makeUpdate() }),
        ("matmul_256_thread_speedup", "256 x 256 product", 50, { productStep(size: 256) }),
    ]
    for side in sides where keys?.contains(side.key) ?? true {
        let ratio = try threadSpeedup(threads: threads, iterations: side.iterations, try side.makeStep())
        speedups.append(BenchmarkResult(key: side.key, value: ratio, workload: "\(side.workload): time on 1 thread over time on \(threads), "
                                        + "median of 15 paired rounds of \(side.iterations)"))
    }
    let wanted = keys.map { Set($0.compactMap { $0.hasSuffix(threadedSuffix) ? String($0.dropLast(threadedSuffix.count)) : nil }) }
    if wanted?.isEmpty ?? false { return handOff + speedups }
    return try handOff + tensorBenchmarks(only: wanted, threads: threads).map {
        BenchmarkResult(key: $0.key + threadedSuffix, value: $0.value,
                        workload: $0.workload + ", \(threads) thread\(threads == 1 ? "" : "s")")
    } + speedups
}

/// How many times faster `step` runs with `threads` threads than with one,
/// measured in one process: `pairs` pairs of rounds of `iterations` steps,
/// one round on one thread and one on `threads` (which goes first
/// alternates), and the median of the pairs' ratios. The host of a shared
/// virtual machine can halve its speed for a minute; both rounds of a pair
/// run within a fraction of a second, so a slow phase slows both, where
/// `sac_update_us` and `sac_update_us_threads`, measured seconds apart, can
/// land in different phases.
///
/// - Complexity: 2 (pairs + 1) iterations steps.
func threadSpeedup(threads: Int, pairs: Int = 15, iterations: Int, _ step: () throws -> Void) throws -> Double {
    let before = TensorThreads.count
    defer { TensorThreads.count = before }
    func round(_ count: Int) throws -> Double {
        TensorThreads.count = count
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try step() }
        return Double(DispatchTime.now().uptimeNanoseconds - start)
    }
    _ = try round(1); _ = try round(threads)  // warm-up: the workers start, the buffer pool fills
    var ratios: [Double] = []
    for pair in 0..<pairs {
        if pair % 2 == 0 {
            let one = try round(1)
            ratios.append(one / (try round(threads)))
        } else {
            let many = try round(threads)
            ratios.append((try round(1)) / many)
        }
    }
    return ratios.sorted()[ratios.count / 2]
}

/// One n x n by n x n product, as a step for `threadSpeedup`.
func productStep(size n: Int) -> () throws -> Void {
    var rng = SeededGenerator(seed: 4)
    let a = randomBatch([n, n], &rng), b = randomBatch([n, n], &rng)
    return { _ = a.matmul(b) }
}

/// The suffix of the keys measured with every thread (`threadedBenchmarks`).
let threadedSuffix = "_threads"
