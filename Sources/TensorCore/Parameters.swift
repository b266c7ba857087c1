/// Operations on a module's parameters as a whole: counting, copying,
/// Polyak averaging, clearing gradients and finding NaN or infinity.
extension Module {
    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Checks that `other` has the same parameter names and shapes.
    public func validateCompatible(with other: any Module, operation: String) throws {
        let mine = namedParameters, theirs = other.namedParameters
        guard mine.count == theirs.count else {
            throw ShapeError("\(operation): \(mine.count) parameters versus \(theirs.count)")
        }
        for (a, b) in zip(mine, theirs) where a.tensor.shape != b.tensor.shape {
            throw ShapeError("\(operation): parameter '\(a.name)' has shapes \(a.tensor.shape) and \(b.tensor.shape)")
        }
    }

    /// Hard target update: every parameter takes `source`'s values.
    ///
    /// - Precondition: the same architecture (names and shapes).
    public func copyParameters(from source: any Module) {
        checked { try validateCompatible(with: source, operation: "copyParameters") }
        for (target, value) in zip(parameters, source.parameters) { target.assign(value.scalars) }
    }

    /// Polyak (soft) target update: w <- tau * w_source + (1 - tau) * w.
    ///
    /// With tau = 0.005 the target follows the source with a time constant
    /// of about 200 updates. tau = 1 is a hard copy (`copyParameters`: the
    /// values exactly, not w + (w_source - w) rounded).
    ///
    /// - Throws: `InvalidArgument` for tau outside [0, 1].
    public func polyakUpdate(toward source: any Module, tau: Float) throws {
        try Validate.inClosedRange(tau, 0, 1, "tau", in: "polyakUpdate")
        if tau == 1 { return copyParameters(from: source) }
        checked { try validateCompatible(with: source, operation: "polyakUpdate") }
        for (target, value) in zip(parameters, source.parameters) {
            value.scalars.withUnsafeBufferPointer { s in
                target.updateScalars { t in
                    guard let base = t.baseAddress, let s = s.baseAddress else { return }
                    Kernels.polyakAverage(base, toward: s, count: t.count, tau: tau)
                }
            }
        }
    }

    /// Freezes (`false`) or unfreezes (`true`) every parameter.
    ///
    /// A frozen network still passes gradients through to its inputs but
    /// computes none for its own weights: SAC freezes the critics while the
    /// actor loss backpropagates through them.
    public func setRequiresGradient(_ flag: Bool) {
        for p in parameters { p.setRequiresGradient(flag) }
    }

    /// Forgets every parameter's gradient (call before each backward pass).
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }

    /// Throws if any parameter value or gradient is NaN or infinite, naming
    /// the parameter and position, e.g. "NaN in gradient of layer 2 weight at [3, 7]".
    public func checkFinite() throws {
        for (name, tensor) in namedParameters {
            try tensor.checkFinite(name: name)
            if let gradient = tensor.gradient { try gradient.checkFinite(name: "gradient of \(name)") }
        }
    }
}

/// A NaN or infinity where a finite number was expected.
public struct NonFiniteError: Error, CustomStringConvertible, Equatable {
    /// What was found and where, e.g. "NaN in gradient of layer 2 weight at [3, 7]".
    public let description: String
    /// The multi-index of the first offending scalar.
    public let index: [Int]
}

extension Tensor {
    /// Throws if any scalar is NaN or infinite, naming `name` and the first
    /// offending multi-index.
    public func checkFinite(name: String = "tensor") throws {
        guard let (offset, kind) = Tensor.firstNonFinite(scalars) else { return }
        let index = Tensor.multiIndex(of: offset, in: shape)
        throw NonFiniteError(description: "\(kind) in \(name) at \(index)", index: index)
    }
}
