/// Every benchmark of `deeprl bench`, in report order.
///
/// - Parameter keys: the keys to run (nil: all).
public func runAllBenchmarks(only keys: Set<String>? = nil) throws -> [BenchmarkResult] {
    let environments = keys.map { !$0.isDisjoint(with: ["cartpole_step_us", "pendulum_step_us"]) } ?? true
    return try tensorBenchmarks(only: keys) + threadedBenchmarks(only: keys) + allocationBenchmarks(only: keys) + (environments ? environmentBenchmarks().filter { keys?.contains($0.key) ?? true } : [])
}
