import Testing
import TensorCore

/// A trainable input tensor with values uniform in [low, high).
func parameter(_ shape: [Int], _ rng: inout SeededGenerator, low: Float = -1, high: Float = 1) -> Tensor {
    .uniform(shape, low: low, high: high, using: &rng, requiresGradient: true)
}

/// Compares the autodiff gradient of a random projection of `f(inputs)`
/// with central finite differences, for every scalar of every input.
///
/// The loss is sum(f(x) * w) with fixed random weights w, so every output
/// position carries a different upstream gradient.
func checkGradients(_ inputs: [Tensor], step h: Float = 1e-2, tolerance: Float = 1e-2,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) -> Tensor) {
    var rng = SeededGenerator(seed: 12345)
    let shape = withoutGradients { f(inputs) }.shape
    let weights = Tensor.normal(shape, using: &rng)
    func loss() -> Float { withoutGradients { (f(inputs) * weights).sum().scalar } }
    for x in inputs { x.zeroGradient() }
    (f(inputs) * weights).sum().backward()
    for (k, x) in inputs.enumerated() where x.requiresGradient {
        let analytic = x.gradient?.scalars ?? [Float](repeating: 0, count: x.count)
        let original = x.scalars
        for i in 0..<x.count {
            var plus = original, minus = original
            plus[i] += h
            minus[i] -= h
            x.assign(plus)
            let up = Double(loss())
            x.assign(minus)
            let down = Double(loss())
            x.assign(original)
            let numeric = Float((up - down) / (2 * Double(h)))
            let error = Swift.abs(numeric - analytic[i])
            #expect(error <= tolerance * (1 + Swift.abs(numeric)),
                    "input \(k) scalar \(i): autodiff \(analytic[i]) vs finite difference \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}
