import Foundation

/// Elementwise arithmetic and functions, all differentiable.
///
/// Two-operand operations broadcast (see `Broadcasting.swift`); operators
/// with a `Float` apply it to every scalar. Each definition states the local
/// derivative that its backward pass uses.
extension Tensor {
    /// a + b (d/da = 1, d/db = 1).
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "add", { $0 + $1 }, partials: { _, _, _ in (1, 1) })
    }

    /// a - b (d/da = 1, d/db = -1).
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "subtract", { $0 - $1 }, partials: { _, _, _ in (1, -1) })
    }

    /// a * b (d/da = b, d/db = a).
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "multiply", { $0 * $1 }, partials: { x, y, _ in (y, x) })
    }

    /// a / b (d/da = 1 / b, d/db = -a / b^2).
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "divide", { $0 / $1 }, partials: { x, y, _ in (1 / y, -x / (y * y)) })
    }

    /// The elementwise minimum; the gradient goes to the smaller operand
    /// (to `a` on ties).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, "minimum", { Swift.min($0, $1) }, partials: { x, y, _ in x <= y ? (1, 0) : (0, 1) })
    }

    /// The elementwise maximum; the gradient goes to the larger operand
    /// (to `a` on ties).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, "maximum", { Swift.max($0, $1) }, partials: { x, y, _ in x >= y ? (1, 0) : (0, 1) })
    }

    /// -a.
    public static prefix func - (a: Tensor) -> Tensor { a.unary("negate", { -$0 }, derivative: { _, _ in -1 }) }

    /// a + s for every scalar.
    public static func + (a: Tensor, s: Float) -> Tensor { a.unary("add", { $0 + s }, derivative: { _, _ in 1 }) }
    /// s + a for every scalar.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    /// a - s for every scalar.
    public static func - (a: Tensor, s: Float) -> Tensor { a.unary("subtract", { $0 - s }, derivative: { _, _ in 1 }) }
    /// s - a for every scalar.
    public static func - (s: Float, a: Tensor) -> Tensor { a.unary("subtract", { s - $0 }, derivative: { _, _ in -1 }) }
    /// a * s for every scalar.
    public static func * (a: Tensor, s: Float) -> Tensor { a.unary("multiply", { $0 * s }, derivative: { _, _ in s }) }
    /// s * a for every scalar.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    /// a / s for every scalar.
    public static func / (a: Tensor, s: Float) -> Tensor { a.unary("divide", { $0 / s }, derivative: { _, _ in 1 / s }) }
    /// s / a for every scalar (d/da = -s / a^2).
    public static func / (s: Float, a: Tensor) -> Tensor {
        a.unary("divide", { s / $0 }, derivative: { x, _ in -s / (x * x) })
    }

    /// e^x (derivative e^x).
    public func exp() -> Tensor { unary("exp", { Foundation.exp($0) }, derivative: { _, y in y }) }

    /// The natural logarithm (derivative 1 / x).
    public func log() -> Tensor { unary("log", { Foundation.log($0) }, derivative: { x, _ in 1 / x }) }

    /// The hyperbolic tangent (derivative 1 - tanh(x)^2, computed in the
    /// backward pass from the saved output).
    public func tanh() -> Tensor {
        let x = scalars
        let y = Tensor.uninitializedScalars(count) { y in
            x.withUnsafeBufferPointer { Kernels.tanh($0.baseAddress!, y, count: $0.count) }
        }
        guard requiresGradient && Tensor.recordsGradients else { return Tensor.constant("tanh", shape: shape, scalars: y, inputs: [self]) }
        return Tensor.node("tanh", shape: shape, scalars: y, inputs: [self]) { [self] g, node in
            addOrWriteGradient { gx, accumulate in
                g.withUnsafeBufferPointer { g in
                    node.scalars.withUnsafeBufferPointer { y in
                        if accumulate { for i in 0..<y.count { gx[i] += g[i] * (1 - y[i] * y[i]) } }
                        else { for i in 0..<y.count { gx[i] = g[i] * (1 - y[i] * y[i]) } }
                    }
                }
            }
        }
    }

    /// max(x, 0) (derivative 1 for x > 0, else 0; read in the backward pass
    /// from the saved output, which is positive exactly where x is).
    public func relu() -> Tensor {
        let x = scalars
        let y = Tensor.uninitializedScalars(count) { y in
            x.withUnsafeBufferPointer { if let x = $0.baseAddress { Kernels.relu(x, y, count: $0.count) } }
        }
        guard requiresGradient && Tensor.recordsGradients else { return Tensor.constant("relu", shape: shape, scalars: y, inputs: [self]) }
        return Tensor.node("relu", shape: shape, scalars: y, inputs: [self]) { [self] g, node in
            addOrWriteGradient { gx, accumulate in
                g.withUnsafeBufferPointer { g in
                    node.scalars.withUnsafeBufferPointer { y in
                        if let g = g.baseAddress, let y = y.baseAddress { Kernels.reluGradient(g, y, gx, count: count, accumulate: accumulate) }
                    }
                }
            }
        }
    }

    /// 1 / (1 + e^-x) (derivative y (1 - y)), computed without overflow.
    public func sigmoid() -> Tensor {
        unary("sigmoid", { x in
            x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        }, derivative: { _, y in y * (1 - y) })
    }

    /// log(1 + e^x) (derivative sigmoid(x)), computed as
    /// max(x, 0) + log(1 + e^-|x|) so that it never overflows.
    public func softplus() -> Tensor {
        unary("softplus", { x in Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) },
              derivative: { x, _ in x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) })
    }

    /// The square root (derivative 1 / (2 sqrt(x))).
    public func sqrt() -> Tensor { unary("sqrt", { $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }

    /// x^2 (derivative 2x).
    public func squared() -> Tensor { unary("squared", { $0 * $0 }, derivative: { x, _ in 2 * x }) }

    /// |x| (derivative sign(x), 0 at 0).
    public func abs() -> Tensor {
        unary("abs", { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }

    /// x^p for a constant exponent (derivative p x^(p-1)).
    public func pow(_ exponent: Float) -> Tensor {
        unary("pow", { Foundation.pow($0, exponent) }, derivative: { x, _ in exponent * Foundation.pow(x, exponent - 1) })
    }

    /// Every scalar limited to `[low, high]`; the gradient passes where the
    /// value was inside the range and is 0 where it was clamped.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        check(low <= high, "clamped: min \(low) is greater than max \(high)")
        return unary("clamped", { Swift.min(Swift.max($0, low), high) },
                     derivative: { x, _ in x >= low && x <= high ? 1 : 0 })
    }

    /// Applies `f` to every scalar without recording a gradient.
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(unchecked: shape, scalars: scalars.map(f))
    }
}
