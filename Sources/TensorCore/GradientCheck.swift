/// A central-difference gradient checker: compares what `backward()` computes
/// with (L(x + h) - L(x - h)) / 2h for every scalar of every input.
///
/// Use it on any differentiable operation, the core's own or one made with
/// `Tensor.record`:
///
///     let report = gradientCheck([x, w]) { $0[0].matmul($0[1]).tanh() }
///     #expect(report.passed, "\(report)")
///
/// The loss is L = sum_i f(x)_i w_i with fixed random weights w, so that every
/// output position carries a different upstream gradient; L is accumulated in
/// Double and the difference quotient is taken in Double.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// One scalar whose autodiff gradient disagrees with the finite difference.
    public struct Mismatch: Sendable, CustomStringConvertible {
        /// Which input (position in the list given to `gradientCheck`).
        public var input: Int
        /// The scalar's multi-index in that input.
        public var index: [Int]
        /// dL/dx from `backward()`.
        public var analytic: Double
        /// dL/dx from central differences.
        public var numeric: Double

        public var description: String {
            "input \(input) at \(index): autodiff \(analytic), finite difference \(numeric)"
        }
    }

    /// Every disagreement beyond the tolerance, in input and scalar order.
    public var mismatches: [Mismatch] = []
    /// The largest |analytic - numeric| / (1 + |numeric|) seen.
    public var largestRelativeError = 0.0
    /// How many scalars were compared.
    public var comparedScalars = 0

    /// True when every scalar agreed within the tolerance.
    public var passed: Bool { mismatches.isEmpty }

    public var description: String {
        if passed { return "gradient check passed (\(comparedScalars) scalars, largest relative error \(largestRelativeError))" }
        return "gradient check failed at \(mismatches.count) of \(comparedScalars) scalars; first: \(mismatches[0])"
    }
}

/// Compares autodiff with central finite differences for `f` at `inputs`.
///
/// - Parameters:
///   - inputs: the tensors to differentiate; those with `requiresGradient`
///     are checked (their values are restored afterwards).
///   - step: h, the perturbation of each scalar.
///   - tolerance: the allowed |analytic - numeric| / (1 + |numeric|).
///   - seed: the seed of the random output weights w.
///   - f: the function, called several times per scalar.
/// - Complexity: 2 evaluations of `f` per input scalar, plus one backward pass.
public func gradientCheck(_ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 1e-2, seed: UInt64 = 12345,
                          of f: ([Tensor]) throws -> Tensor) rethrows -> GradientCheckReport {
    var rng = SeededGenerator(seed: seed)
    let output = try withoutGradients { try f(inputs) }
    let weights = (0..<output.count).map { _ in rng.normal() }
    func loss() throws -> Double {
        let values = try withoutGradients { try f(inputs) }.scalars
        var total = 0.0
        for (value, weight) in zip(values, weights) { total += Double(value) * weight }
        return total
    }
    for x in inputs { x.zeroGradient() }
    let projection = Tensor(shape: output.shape, scalars: weights.map { Float($0) })
    try (f(inputs) * projection).sum().backward()
    var report = GradientCheckReport()
    for (k, x) in inputs.enumerated() where x.requiresGradient {
        let analytic = x.gradient?.scalars ?? [Float](repeating: 0, count: x.count)
        let original = x.scalars
        for i in 0..<x.count {
            var shifted = original
            shifted[i] = original[i] + step
            x.assign(shifted)
            let up = try loss()
            shifted[i] = original[i] - step
            x.assign(shifted)
            let down = try loss()
            x.assign(original)
            let numeric = (up - down) / (Double(original[i] + step) - Double(original[i] - step))
            let error = Swift.abs(numeric - Double(analytic[i])) / (1 + Swift.abs(numeric))
            report.comparedScalars += 1
            report.largestRelativeError = Swift.max(report.largestRelativeError, error)
            if !(error <= tolerance) {
                report.mismatches.append(.init(input: k, index: Tensor.multiIndex(of: i, in: x.shape),
                                               analytic: Double(analytic[i]), numeric: numeric))
            }
        }
        x.zeroGradient()
    }
    return report
}
