import Foundation

/// Reductions along one axis or over all scalars, and the softmax family.
///
/// A reduction along `axis` views the tensor as `[outer, length, inner]`
/// (everything before the axis, the axis, everything after) and combines the
/// `length` values of each (outer, inner) pair. With `keepingDimensions`, the
/// reduced axis stays as a 1, so the result broadcasts against the input
/// (`x - x.max(alongAxis: 1, keepingDimensions: true)`).
extension Tensor {
    /// The `[outer, length, inner]` view of a reduction and its result shape.
    struct AxisLayout {
        var outer: Int, length: Int, inner: Int
        var resultShape: [Int]
    }

    /// Computes the layout; `axis == nil` reduces over all scalars.
    func layout(axis: Int?, keepingDimensions: Bool, operation: String) -> AxisLayout {
        guard let axis else {
            return AxisLayout(outer: 1, length: count, inner: 1,
                              resultShape: keepingDimensions ? shape.map { _ in 1 } : [])
        }
        let a = checked { try Shapes.axis(axis, rank: rank, operation: operation) }
        var resultShape = shape
        if keepingDimensions { resultShape[a] = 1 } else { resultShape.remove(at: a) }
        return AxisLayout(outer: shape[..<a].reduce(1, *), length: shape[a],
                          inner: shape[(a + 1)...].reduce(1, *), resultShape: resultShape)
    }

    /// The sum along `axis` (or of all scalars when `axis` is nil).
    ///
    /// Backward: every input position receives the gradient of its sum.
    public func sum(alongAxis axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        let l = layout(axis: axis, keepingDimensions: keepingDimensions, operation: "sum")
        var y = Tensor.zeroedScalars(l.outer * l.inner)
        for o in 0..<l.outer {
            for a in 0..<l.length {
                let base = (o * l.length + a) * l.inner
                for i in 0..<l.inner { y[o * l.inner + i] += scalars[base + i] }
            }
        }
        return Tensor.node("sum", shape: l.resultShape, scalars: y, inputs: [self]) { [self] g, _ in
            accumulateGradient { gx in
                for o in 0..<l.outer {
                    for a in 0..<l.length {
                        let base = (o * l.length + a) * l.inner
                        for i in 0..<l.inner { gx[base + i] += g[o * l.inner + i] }
                    }
                }
            }
        }
    }

    /// The mean along `axis` (or of all scalars): sum / length.
    public func mean(alongAxis axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        let l = layout(axis: axis, keepingDimensions: keepingDimensions, operation: "mean")
        return sum(alongAxis: axis, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(l.length, 1)))
    }

    /// The index of the largest (or smallest) value of every (outer, inner) slice.
    func extremeIndices(_ l: AxisLayout, largest: Bool) -> [Int] {
        var indices = [Int](repeating: 0, count: l.outer * l.inner)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                var best = 0
                var bestValue = scalars[o * l.length * l.inner + i]
                for a in 1..<Swift.max(l.length, 1) {
                    let v = scalars[(o * l.length + a) * l.inner + i]
                    if largest ? v > bestValue : v < bestValue { best = a; bestValue = v }
                }
                indices[o * l.inner + i] = best
            }
        }
        return indices
    }

    /// Max or min along an axis; the gradient flows to the first extreme position.
    func extreme(axis: Int?, keepingDimensions: Bool, largest: Bool) -> Tensor {
        let l = layout(axis: axis, keepingDimensions: keepingDimensions, operation: largest ? "max" : "min")
        check(l.length > 0, "\(largest ? "max" : "min"): cannot reduce an empty axis of shape \(shape)")
        let best = extremeIndices(l, largest: largest)
        let positions = (0..<best.count).map { (($0 / l.inner) * l.length + best[$0]) * l.inner + $0 % l.inner }
        let y = scalars.withUnsafeBufferPointer { x in
            Tensor.uninitializedScalars(positions.count) { y in for (j, p) in positions.enumerated() { y[j] = x[p] } }
        }
        return Tensor.node(largest ? "max" : "min", shape: l.resultShape, scalars: y, inputs: [self]) { [self] g, _ in
            accumulateGradient { gx in for (j, p) in positions.enumerated() { gx[p] += g[j] } }
        }
    }

    /// The maximum along `axis` (or of all scalars).
    public func max(alongAxis axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        extreme(axis: axis, keepingDimensions: keepingDimensions, largest: true)
    }

    /// The minimum along `axis` (or of all scalars).
    public func min(alongAxis axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        extreme(axis: axis, keepingDimensions: keepingDimensions, largest: false)
    }

    /// The position of the maximum along `axis` for every other index
    /// (row-major order of the remaining dimensions); ties pick the first.
    ///
    /// For Q-values of shape `[batch, actions]`, `q.argmax()` is the greedy
    /// action of every row. Not differentiable.
    public func argmax(alongAxis axis: Int = -1) -> [Int] {
        let l = layout(axis: axis, keepingDimensions: false, operation: "argmax")
        check(l.length > 0, "argmax: cannot take the argmax of an empty axis of shape \(shape)")
        return extremeIndices(l, largest: true)
    }

    /// log(sum(exp(x))) along `axis`, computed as m + log(sum(exp(x - m)))
    /// with m the maximum, so it never overflows.
    ///
    /// Backward: d/dx_i = exp(x_i - logSumExp) = softmax(x)_i.
    public func logSumExp(alongAxis axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        let l = layout(axis: axis, keepingDimensions: keepingDimensions, operation: "logSumExp")
        var y = Tensor.zeroedScalars(l.outer * l.inner)
        for o in 0..<l.outer {
            for i in 0..<l.inner {
                var m = -Float.infinity
                for a in 0..<l.length { m = Swift.max(m, scalars[(o * l.length + a) * l.inner + i]) }
                var s: Float = 0
                for a in 0..<l.length { s += Foundation.exp(scalars[(o * l.length + a) * l.inner + i] - m) }
                y[o * l.inner + i] = m.isFinite ? m + Foundation.log(s) : m
            }
        }
        return Tensor.node("logSumExp", shape: l.resultShape, scalars: y, inputs: [self]) { [self] g, node in
            let y = node.scalars
            accumulateGradient { gx in
                for o in 0..<l.outer {
                    for a in 0..<l.length {
                        for i in 0..<l.inner {
                            let p = (o * l.length + a) * l.inner + i
                            gx[p] += g[o * l.inner + i] * Foundation.exp(scalars[p] - y[o * l.inner + i])
                        }
                    }
                }
            }
        }
    }

    /// log softmax(x) = x - logSumExp(x) along `axis` (default: the last).
    ///
    /// The log-probabilities of a categorical distribution with logits x.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        self - logSumExp(alongAxis: axis, keepingDimensions: true)
    }

    /// softmax(x)_i = exp(x_i) / sum_j exp(x_j) along `axis` (default: the last).
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        logSoftmax(alongAxis: axis).exp()
    }
}
