/// Every benchmark of `deeprl bench`, in report order.
public func runAllBenchmarks() throws -> [BenchmarkResult] {
    try tensorBenchmarks() + environmentBenchmarks()
}
