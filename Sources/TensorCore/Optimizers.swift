import Foundation

/// Something that updates parameters from their gradients.
///
/// Hyperparameters are checked when the optimiser is made (and when the
/// learning rate changes), as PyTorch's `torch.optim` checks them: a bad
/// value throws `InvalidArgument` naming it instead of turning the weights
/// into NaN a thousand steps later.
public protocol Optimizer: AnyObject {
    /// The tensors this optimiser updates, in a fixed order.
    var parameters: [Tensor] { get }
    /// The step size; change it between steps to anneal (see `setLearningRate`).
    var learningRate: Float { get }
    /// Changes the step size.
    ///
    /// - Throws: `InvalidArgument` for a negative or non-finite rate.
    func setLearningRate(_ rate: Float) throws
    /// Applies one update using the current gradients. Parameters without
    /// a gradient (none reached them) are left unchanged.
    func step()
    /// `clipGradientNorm(parameters, maxNorm:)` followed by `step()`, as one
    /// update: the update uses the clipped gradients. `Adam` does it in one
    /// pass over the gradients after the norm, without writing them (the
    /// stored gradients stay unclipped); the default clips, then steps.
    ///
    /// - Returns: the gradients' global norm before clipping.
    /// - Throws: `InvalidArgument` for a `maxNorm` that is not > 0.
    @discardableResult
    func step(clippingGradientNorm maxNorm: Float) throws -> Float
    /// Everything the optimiser remembers between steps (moments, velocities,
    /// the step count), as named value arrays, for checkpoints.
    func exportState() -> [(name: String, values: [Float])]
    /// Restores what `exportState` returned (same names and sizes).
    ///
    /// - Throws: `CheckpointError` if a name or a size differs; nothing
    ///   changes then.
    func importState(_ state: [(name: String, values: [Float])]) throws
}

extension Optimizer {
    @discardableResult
    public func step(clippingGradientNorm maxNorm: Float) throws -> Float {
        let norm = try clipGradientNorm(parameters, maxNorm: maxNorm)
        step()
        return norm
    }

    /// Forgets the gradients of all parameters (call before each backward pass).
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }
}

/// Checks that `state` has exactly the entries `expected` lists (names and sizes).
func validateState(_ state: [(name: String, values: [Float])], expected: [(name: String, count: Int)],
                   optimizer: String) throws {
    guard state.count == expected.count else {
        throw CheckpointError.malformed("\(optimizer) state has \(state.count) entries, expected \(expected.count)")
    }
    for (found, wanted) in zip(state, expected) where found.name != wanted.name || found.values.count != wanted.count {
        throw CheckpointError.malformed("\(optimizer) state entry '\(found.name)' with \(found.values.count) values, expected '\(wanted.name)' with \(wanted.count)")
    }
}

/// Stochastic gradient descent with optional (heavy-ball) momentum, as in PyTorch:
///
///     v <- momentum * v + g
///     w <- w - learningRate * v
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public private(set) var learningRate: Float
    /// The momentum coefficient (0 is plain SGD).
    public let momentum: Float
    var velocities: [[Float]]

    /// Creates an optimiser for `parameters`.
    ///
    /// - Throws: `InvalidArgument` for a negative or non-finite learning rate
    ///   or momentum (a negative rate would climb the loss).
    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0) throws {
        try Validate.nonNegative(learningRate, "learningRate", in: "SGD")
        try Validate.nonNegative(momentum, "momentum", in: "SGD")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocities = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func setLearningRate(_ rate: Float) throws {
        try Validate.nonNegative(rate, "learningRate", in: "SGD")
        learningRate = rate
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.gradientStorage else { continue }
            p.updateScalars { w in
                for i in 0..<w.count {
                    velocities[k][i] = momentum * velocities[k][i] + g[i]
                    w[i] -= learningRate * velocities[k][i]
                }
            }
        }
    }

    public func exportState() -> [(name: String, values: [Float])] {
        velocities.enumerated().map { ("velocity \($0.offset)", $0.element) }
    }

    public func importState(_ state: [(name: String, values: [Float])]) throws {
        try validateState(state, expected: velocities.enumerated().map { ("velocity \($0.offset)", $0.element.count) }, optimizer: "SGD")
        velocities = state.map(\.values)
    }
}

/// Adam (Kingma and Ba, 2015) with bias correction, matching PyTorch:
///
///     m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
///     m_hat = m / (1 - beta1^t)              v_hat = v / (1 - beta2^t)
///     w <- w - learningRate * m_hat / (sqrt(v_hat) + epsilon)
///
/// Note where epsilon goes: added to sqrt(v_hat), as PyTorch does (not
/// inside the square root).
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public private(set) var learningRate: Float
    /// Decay rates of the first and second moment averages.
    public let beta1: Float, beta2: Float
    /// Added to the denominator for numerical safety.
    public let epsilon: Float
    /// How many steps have been taken (t in the formulas).
    public private(set) var stepCount = 0
    var firstMoments: [[Float]]
    var secondMoments: [[Float]]

    /// Creates an optimiser for `parameters` (PyTorch's defaults).
    ///
    /// - Throws: `InvalidArgument`, as `torch.optim.Adam` raises, for a
    ///   learning rate or epsilon below 0 or not finite, or a beta outside
    ///   [0, 1) (beta1 = 1 never forgets the first gradient and makes
    ///   1 - beta1^t zero: the weights become NaN).
    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) throws {
        try Validate.nonNegative(learningRate, "learningRate", in: "Adam")
        try Validate.nonNegative(epsilon, "epsilon", in: "Adam")
        try Validate.inHalfOpenRange(beta1, 0, 1, "beta1", in: "Adam")
        try Validate.inHalfOpenRange(beta2, 0, 1, "beta2", in: "Adam")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func setLearningRate(_ rate: Float) throws {
        try Validate.nonNegative(rate, "learningRate", in: "Adam")
        learningRate = rate
    }

    public func step() { step(gradientScale: 1) }

    /// Clips and steps in one pass over each gradient (see the protocol):
    /// the scale maxNorm / (norm + 1e-6), when below 1, multiplies each
    /// gradient value inside the update instead of in a pass of its own.
    /// The result equals `clipGradientNorm` then `step()`, value for value.
    @discardableResult
    public func step(clippingGradientNorm maxNorm: Float) throws -> Float {
        let (norm, scale) = try gradientClipping(parameters, maxNorm: maxNorm)
        step(gradientScale: scale < 1 ? scale : 1)  // NaN (a NaN gradient): no clipping, as clipGradientNorm
        return norm
    }

    func step(gradientScale: Float) {
        stepCount += 1
        let t = Float(stepCount)
        let correction1 = 1 - Foundation.pow(beta1, t)
        let correction2 = 1 - Foundation.pow(beta2, t)
        let stepSize = learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        for (k, p) in parameters.enumerated() {
            guard let grad = p.gradientStorage else { continue }
            grad.withUnsafeBufferPointer { g in
                firstMoments[k].withUnsafeMutableBufferPointer { m in
                    secondMoments[k].withUnsafeMutableBufferPointer { v in
                        p.updateScalars { w in
                            Kernels.adamUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, count: w.count,
                                               beta1: beta1, beta2: beta2, stepSize: stepSize,
                                               rootCorrection2: rootCorrection2, epsilon: epsilon, gradientScale: gradientScale)
                        }
                    }
                }
            }
        }
    }

    /// The moments of every parameter and the step count (as two 24-bit
    /// halves, so that counts beyond 2^24 survive the Float storage).
    public func exportState() -> [(name: String, values: [Float])] {
        var state: [(name: String, values: [Float])] = [("step count", [Float(stepCount >> 24), Float(stepCount & 0xFF_FFFF)])]
        for k in parameters.indices {
            state.append(("first moment \(k)", firstMoments[k]))
            state.append(("second moment \(k)", secondMoments[k]))
        }
        return state
    }

    public func importState(_ state: [(name: String, values: [Float])]) throws {
        var expected: [(name: String, count: Int)] = [("step count", 2)]
        for k in parameters.indices {
            expected.append(("first moment \(k)", parameters[k].count))
            expected.append(("second moment \(k)", parameters[k].count))
        }
        try validateState(state, expected: expected, optimizer: "Adam")
        let count = state[0].values
        guard count.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 16_777_216 }) else {
            throw CheckpointError.malformed("Adam step count \(count) is not two integers in 0..<2^24")
        }
        stepCount = Int(count[0]) << 24 | Int(count[1])
        firstMoments = stride(from: 1, to: state.count, by: 2).map { state[$0].values }
        secondMoments = stride(from: 2, to: state.count, by: 2).map { state[$0].values }
    }
}

/// Scales all gradients down so that their combined (global) L2 norm is at
/// most `maxNorm`, as PyTorch's `clip_grad_norm_`:
///
///     norm = sqrt(sum over all parameters of sum g^2)
///     if norm > maxNorm: g <- g * maxNorm / (norm + 1e-6)
///
/// - Returns: the norm before clipping (worth logging).
/// - Throws: `InvalidArgument` for a `maxNorm` that is not positive (a
///   negative one would flip every gradient; 0 would erase them), or NaN.
///   `Float.infinity` is allowed and never clips.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) throws -> Float {
    let (norm, scale) = try gradientClipping(parameters, maxNorm: maxNorm, operation: "clipGradientNorm")
    if scale < 1 {
        for p in parameters where p.gradientStorage != nil {
            p.gradientStorage!.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        }
    }
    return norm
}

/// The global gradient norm of `parameters` and the clipping factor
/// maxNorm / (norm + 1e-6) (which clips only when below 1).
func gradientClipping(_ parameters: [Tensor], maxNorm: Float,
                      operation: String = "step(clippingGradientNorm:)") throws -> (norm: Float, scale: Float) {
    guard maxNorm > 0 else {
        throw InvalidArgument(operation, "maxNorm", "got \(maxNorm), expected a number > 0 (Float.infinity: no clipping)")
    }
    var total: Double = 0
    for p in parameters {
        guard let g = p.gradientStorage else { continue }
        total += g.withUnsafeBufferPointer { $0.baseAddress.map { Kernels.sumOfSquares($0, count: g.count) } ?? 0 }
    }
    let norm = Float(total.squareRoot())
    return (norm, maxNorm / (norm + 1e-6))
}

/// A value that moves linearly from `start` to `end` over `steps` steps and
/// then stays at `end`: learning-rate annealing, epsilon-greedy decay.
///
///     value(t) = start + (end - start) * min(t / steps, 1)
public struct LinearSchedule: Sendable, Equatable {
    /// The value at step 0.
    public let start: Float
    /// The value from step `steps` on.
    public let end: Float
    /// How many steps the change takes.
    public let steps: Int

    /// Creates a schedule from `start` to `end` over `steps` steps.
    ///
    /// - Throws: `InvalidArgument` for `steps < 1` or a non-finite end point.
    public init(from start: Float, to end: Float, over steps: Int) throws {
        try Validate.finite(start, "start", in: "LinearSchedule")
        try Validate.finite(end, "end", in: "LinearSchedule")
        try Validate.count(steps, "steps", in: "LinearSchedule")
        self.start = start
        self.end = end
        self.steps = steps
    }

    /// The value at step `step` (0-based; negative steps count as 0).
    public func value(at step: Int) -> Float {
        guard step < steps else { return end }
        return start + (end - start) * Float(Swift.max(step, 0)) / Float(steps)
    }
}
