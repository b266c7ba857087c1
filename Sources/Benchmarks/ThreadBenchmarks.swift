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
    let wanted = keys.map { Set($0.compactMap { $0.hasSuffix(threadedSuffix) ? String($0.dropLast(threadedSuffix.count)) : nil }) }
    if wanted?.isEmpty ?? false { return handOff }
    return try handOff + tensorBenchmarks(only: wanted, threads: threads).map {
        BenchmarkResult(key: $0.key + threadedSuffix, value: $0.value,
                        workload: $0.workload + ", \(threads) thread\(threads == 1 ? "" : "s")")
    }
}

/// The suffix of the keys measured with every thread (`threadedBenchmarks`).
let threadedSuffix = "_threads"
