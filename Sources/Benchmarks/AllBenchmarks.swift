/// Every benchmark of `deeprl bench`, in report order.
///
/// - Parameter keys: the keys to run (nil: all).
public func runAllBenchmarks(only keys: Set<String>? = nil) throws -> [BenchmarkResult] {
    let environments = keys.map { !$0.isDisjoint(with: ["cartpole_step_us", "pendulum_step_us"]) } ?? true
    return try tensorBenchmarks(only: keys) + threadedBenchmarks(only: keys) + allocationBenchmarks(only: keys) + (environments ? environmentBenchmarks().filter { keys?.contains($0.key) ?? true } : [])
}

/// The keys `runAllBenchmarks` can report, in report order (the allocation
/// keys even where this build cannot count allocations), so that
/// `deeprl bench --only` can name a key it does not know instead of
/// printing an empty table.
public let benchmarkKeys: [String] = {
    let tensor = TrainingUpdate.allCases.map(\.timingKey) + ["matmul_256_gflops"]
    return tensor + ["thread_handoff_us"] + tensor.map { $0 + threadedSuffix }
        + ["sac_update_thread_speedup", "matmul_256_thread_speedup"]
        + ["dqn_update_allocations", "ppo_minibatch_allocations", "sac_update_allocations"]
        + ["cartpole_step_us", "pendulum_step_us"]
}()

/// The keys of `requested` that are neither in `benchmarkKeys` nor in
/// `extraKeys` (the agent benchmarks', which live with the lessons), sorted.
public func unknownBenchmarkKeys(_ requested: Set<String>, extraKeys: [String] = []) -> [String] {
    requested.subtracting(benchmarkKeys).subtracting(extraKeys).sorted()
}
