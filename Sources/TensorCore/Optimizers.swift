import Foundation

/// Something that updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    /// The tensors this optimiser updates, in a fixed order.
    var parameters: [Tensor] { get }
    /// The step size; change it between steps to anneal.
    var learningRate: Float { get set }
    /// Applies one update using the current gradients. Parameters without
    /// a gradient (none reached them) are left unchanged.
    func step()
}

extension Optimizer {
    /// Forgets the gradients of all parameters (call before each backward pass).
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }
}

/// Stochastic gradient descent with optional (heavy-ball) momentum, as in PyTorch:
///
///     v <- momentum * v + g
///     w <- w - learningRate * v
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    /// The momentum coefficient (0 is plain SGD).
    public var momentum: Float
    var velocities: [[Float]]

    /// Creates an optimiser for `parameters`.
    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocities = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.gradientStorage else { continue }
            for i in 0..<p.count {
                velocities[k][i] = momentum * velocities[k][i] + g[i]
                p.scalars[i] -= learningRate * velocities[k][i]
            }
        }
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
    public var learningRate: Float
    /// Decay rates of the first and second moment averages.
    public let beta1: Float, beta2: Float
    /// Added to the denominator for numerical safety.
    public let epsilon: Float
    /// How many steps have been taken (t in the formulas).
    public private(set) var stepCount = 0
    var firstMoments: [[Float]]
    var secondMoments: [[Float]]

    /// Creates an optimiser for `parameters` (PyTorch's defaults).
    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func step() {
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
                        p.scalars.withUnsafeMutableBufferPointer { w in
                            Kernels.adamUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, count: w.count,
                                               beta1: beta1, beta2: beta2, stepSize: stepSize,
                                               rootCorrection2: rootCorrection2, epsilon: epsilon)
                        }
                    }
                }
            }
        }
    }
}

/// Scales all gradients down so that their combined (global) L2 norm is at
/// most `maxNorm`, as PyTorch's `clip_grad_norm_`:
///
///     norm = sqrt(sum over all parameters of sum g^2)
///     if norm > maxNorm: g <- g * maxNorm / (norm + 1e-6)
///
/// - Returns: the norm before clipping (worth logging).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.gradientStorage else { continue }
        for x in g { total += Double(x) * Double(x) }
    }
    let norm = Float(total.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in parameters where p.gradientStorage != nil {
            p.gradientStorage!.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        }
    }
    return norm
}

/// A value that moves linearly from `start` to `end` over `steps` steps and
/// then stays at `end`: learning-rate annealing, epsilon-greedy decay.
///
///     value(t) = start + (end - start) * min(t / steps, 1)
public struct LinearSchedule: Sendable, Equatable {
    public var start: Float, end: Float
    public var steps: Int

    /// Creates a schedule from `start` to `end` over `steps` steps.
    public init(from start: Float, to end: Float, over steps: Int) {
        precondition(steps > 0, "LinearSchedule: steps must be positive, got \(steps)")
        self.start = start
        self.end = end
        self.steps = steps
    }

    /// The value at step `step` (0-based).
    public func value(at step: Int) -> Float {
        guard step < steps else { return end }
        return start + (end - start) * Float(Swift.max(step, 0)) / Float(steps)
    }
}
