import Testing
import TensorCore

/// A trainable input tensor with values uniform in [low, high).
func parameter(_ shape: [Int], _ rng: inout SeededGenerator, low: Float = -1, high: Float = 1) -> Tensor {
    .uniform(shape, low: low, high: high, using: &rng, requiresGradient: true)
}

/// Expects TensorCore's public gradient checker (`gradientCheck`) to find
/// autodiff and central finite differences in agreement for `f` at `inputs`.
func checkGradients(_ inputs: [Tensor], step h: Float = 1e-2, tolerance: Double = 1e-2,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) throws -> Tensor) rethrows {
    let report = try gradientCheck(inputs, step: h, tolerance: tolerance, of: f)
    #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
}
