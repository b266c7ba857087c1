/// Every benchmark of `deeprl bench`, in report order.
public func runAllBenchmarks() -> [BenchmarkResult] {
    tensorBenchmarks() + environmentBenchmarks()
}
