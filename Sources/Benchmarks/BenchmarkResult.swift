import Foundation

/// One measured benchmark figure for `deeprl bench`.
public struct BenchmarkResult: Sendable, Equatable {
    /// The JSON key, for example "dqn_update_us".
    public var key: String
    /// The measured value (microseconds per operation unless the key says
    /// otherwise, as in "matmul_256_gflops").
    public var value: Double
    /// A one-line description of the workload.
    public var workload: String

    /// Creates a result.
    public init(key: String, value: Double, workload: String) {
        self.key = key
        self.value = value
        self.workload = workload
    }
}

/// Times `body` and returns the median microseconds per call over `rounds`
/// rounds of `iterations` calls each, after one warm-up round.
///
/// The median of several rounds is robust to a stray context switch on a
/// busy 2-core machine.
public func medianMicroseconds(rounds: Int = 7, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<iterations { try body() }
    var samples: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        let end = DispatchTime.now().uptimeNanoseconds
        samples.append(Double(end - start) / 1000 / Double(iterations))
    }
    samples.sort()
    return samples[samples.count / 2]
}
