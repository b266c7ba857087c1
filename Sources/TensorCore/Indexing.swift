/// Reshaping, joining, selecting rows and entries, and masks.
///
/// These operations move values around without arithmetic, so their
/// backward passes move gradients back to where the values came from
/// (adding when one value was used several times).
extension Tensor {
    /// The same scalars viewed with a new shape (one entry may be -1, inferred).
    public func reshaped(to newShape: [Int]) -> Tensor {
        let shape = checked { try Shapes.reshape(self.shape, to: newShape) }
        return Tensor.node("reshaped", shape: shape, scalars: scalars, inputs: [self]) { [self] g, _ in accumulateGradient(g) }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        let shape = checked { try Shapes.concatenate(tensors.map(\.shape), axis: axis) }
        let a = axis < 0 ? axis + shape.count : axis
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        // Each input contributes a block of (its axis length) x inner per outer index.
        let widths = tensors.map { $0.shape[a] * inner }
        let total = widths.reduce(0, +)
        let y = uninitializedScalars(outer * total) { y in
            var start = 0
            for (t, width) in zip(tensors, widths) {
                t.scalars.withUnsafeBufferPointer { x in
                    for o in 0..<outer {
                        for i in 0..<width { y[o * total + start + i] = x[o * width + i] }
                    }
                }
                start += width
            }
        }
        return node("concatenate", shape: shape, scalars: y, inputs: tensors) { g, _ in
            var start = 0
            for (t, width) in zip(tensors, widths) {
                t.accumulateGradient { gt in
                    for o in 0..<outer { for i in 0..<width { gt[o * width + i] += g[o * total + start + i] } }
                }
                start += width
            }
        }
    }

    /// The rows (first-axis entries) in `range`, e.g. one minibatch.
    public func rows(_ range: Range<Int>) -> Tensor {
        checked { try Shapes.rows(shape, indices: range.isEmpty ? [] : [range.lowerBound, range.upperBound - 1]) }
        return rows(Array(range))
    }

    /// The rows (first-axis entries) at `indices`, in that order; repeats allowed.
    ///
    /// `observations.rows(batchIndices)` draws a minibatch. Backward adds
    /// each row's gradient back to the row it came from.
    public func rows(_ indices: [Int]) -> Tensor {
        checked { try Shapes.rows(shape, indices: indices) }
        let width = shape.dropFirst().reduce(1, *)
        let y = scalars.withUnsafeBufferPointer { x in
            Tensor.uninitializedScalars(indices.count * width) { y in
                for (r, source) in indices.enumerated() {
                    for i in 0..<width { y[r * width + i] = x[source * width + i] }
                }
            }
        }
        return Tensor.node("rows", shape: [indices.count] + shape.dropFirst(), scalars: y, inputs: [self]) { [self] g, _ in
            accumulateGradient { gx in
                for (r, source) in indices.enumerated() {
                    for i in 0..<width { gx[source * width + i] += g[r * width + i] }
                }
            }
        }
    }

    /// One entry per row: `result[i] = self[i, indices[i]]`, shape `[rows]`.
    ///
    /// With Q-values `[batch, actions]` and the actions taken,
    /// `q.gather(actions)` is Q(s, a). Backward sends each gradient to the
    /// entry that was picked.
    public func gather(_ indices: [Int]) -> Tensor {
        checked { try Shapes.gather(shape, indices: indices) }
        let columns = shape[1]
        let y = scalars.withUnsafeBufferPointer { x in
            Tensor.uninitializedScalars(indices.count) { y in for (r, c) in indices.enumerated() { y[r] = x[r * columns + c] } }
        }
        return Tensor.node("gather", shape: [indices.count], scalars: y, inputs: [self]) { [self] g, _ in
            accumulateGradient { gx in for (r, c) in indices.enumerated() { gx[r * columns + c] += g[r] } }
        }
    }

    /// A one-hot matrix `[indices.count, classes]` (a constant).
    public static func oneHot(_ indices: [Int], classes: Int) -> Tensor {
        var y = [Float](repeating: 0, count: checked { try Shapes.elementCount([indices.count, classes], operation: "oneHot") })
        for (r, c) in indices.enumerated() {
            check(c >= 0 && c < classes, "oneHot: index \(c) is out of range for \(classes) classes")
            y[r * classes + c] = 1
        }
        return Tensor(unchecked: [indices.count, classes], scalars: y)
    }

    /// A mask (1 where the comparison holds, else 0) against another tensor
    /// or a broadcast scalar; masks are constants (no gradient).
    func mask(_ other: Tensor, _ name: String, _ holds: (Float, Float) -> Bool) -> Tensor {
        let shape = checked { try Shapes.broadcast(self.shape, other.shape, operation: name) }
        let x = Tensor.expanded(scalars, from: self.shape, to: shape)
        let y = Tensor.expanded(other.scalars, from: other.shape, to: shape)
        return Tensor(unchecked: shape, scalars: zip(x, y).map { holds($0, $1) ? 1 : 0 })
    }

    /// 1 where self > other, else 0.
    public func isGreater(than other: Tensor) -> Tensor { mask(other, "isGreater", >) }
    /// 1 where self < other, else 0.
    public func isLess(than other: Tensor) -> Tensor { mask(other, "isLess", <) }
    /// 1 where self == other, else 0.
    public func isEqual(to other: Tensor) -> Tensor { mask(other, "isEqual", ==) }
    /// 1 where self > value, else 0.
    public func isGreater(than value: Float) -> Tensor { map { $0 > value ? 1 : 0 } }
    /// 1 where self < value, else 0.
    public func isLess(than value: Float) -> Tensor { map { $0 < value ? 1 : 0 } }

    /// `a` where `condition` is nonzero, else `b` (all three broadcast).
    ///
    /// The gradient goes to `a` where the condition holds and to `b`
    /// elsewhere; the condition itself gets none.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = checked {
            try Shapes.broadcast(try Shapes.broadcast(condition.shape, a.shape, operation: "where"), b.shape, operation: "where")
        }
        let c = expanded(condition.scalars, from: condition.shape, to: shape)
        let x = expanded(a.scalars, from: a.shape, to: shape)
        let y = expanded(b.scalars, from: b.shape, to: shape)
        let z = (0..<c.count).map { c[$0] != 0 ? x[$0] : y[$0] }
        return record("where", shape: shape, scalars: z, inputs: [a, b]) { g in
            if a.requiresGradient {
                a.accumulateGradient(reduced((0..<g.count).map { c[$0] != 0 ? g[$0] : 0 }, from: shape, to: a.shape))
            }
            if b.requiresGradient {
                b.accumulateGradient(reduced((0..<g.count).map { c[$0] != 0 ? 0 : g[$0] }, from: shape, to: b.shape))
            }
        }
    }
}
