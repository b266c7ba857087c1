/// Broadcasting: using a smaller operand as if it were repeated.
///
/// Shapes are aligned at their last dimension; a dimension of 1 (or a missing
/// leading dimension) is repeated to match the other operand. For example
/// `[128, 3] + [3]` adds the vector to every row, and `[128, 3] - [128, 1]`
/// subtracts each row's own value.
///
/// Forward, an operand is expanded to the result shape (`expanded(_:from:to:)`).
/// Backward, the expansion is undone by summing the gradient over the
/// repeated positions (`reduced(_:from:to:)`): if one value was used in k
/// places, its gradient is the sum of those k gradients.
extension Tensor {
    /// `values` (of shape `shape`) repeated to fill `target`.
    ///
    /// - Complexity: O(target count); returns `values` unchanged if the
    ///   shapes are equal.
    static func expanded(_ values: [Float], from shape: [Int], to target: [Int]) -> [Float] {
        if shape == target { return values }
        let total = target.reduce(1, *)
        if values.count == 1 { return filledScalars(total, with: values[0]) }
        let map = broadcastMap(from: shape, to: target)
        return uninitializedScalars(total) { y in for i in 0..<total { y[i] = values[map[i]] } }
    }

    /// The sum of `gradient` (of shape `target`) over the positions that
    /// broadcasting filled from each scalar of `shape`.
    static func reduced(_ gradient: [Float], from target: [Int], to shape: [Int]) -> [Float] {
        if shape == target { return gradient }
        var result = zeroedScalars(shape.reduce(1, *))
        if result.count == 1 {
            var sum: Float = 0
            for g in gradient { sum += g }
            result[0] = sum
            return result
        }
        let map = broadcastMap(from: shape, to: target)
        for (i, source) in map.enumerated() { result[source] += gradient[i] }
        return result
    }

    /// For each position of the broadcast result (row-major), the offset of
    /// the operand scalar it reads.
    static func broadcastMap(from shape: [Int], to target: [Int]) -> [Int] {
        let rank = target.count
        let padded = [Int](repeating: 1, count: rank - shape.count) + shape
        // Operand strides, with 0 on repeated dimensions.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in (0..<rank).reversed() {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        let total = target.reduce(1, *)
        var map = [Int](repeating: 0, count: total)
        guard total > 0 else { return map }
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<total {
            map[i] = offset
            // Increment the multi-index like an odometer.
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < target[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return map
    }

    /// The engine of every two-operand elementwise operation.
    ///
    /// Computes z = f(x, y) over the broadcast shape and, when a gradient is
    /// needed, the local partial derivatives dz/dx and dz/dy at each
    /// position; backward multiplies them by the incoming gradient and sums
    /// away the broadcasting.
    ///
    /// - Parameters:
    ///   - name: the operation's name for errors.
    ///   - f: the forward function.
    ///   - partials: (x, y, z) -> (dz/dx, dz/dy).
    @inline(__always)
    static func binary(_ a: Tensor, _ b: Tensor, _ name: String,
                       _ f: (Float, Float) -> Float,
                       partials: (Float, Float, Float) -> (Float, Float)) -> Tensor {
        let shape = checked { try Shapes.broadcast(a.shape, b.shape, operation: name) }
        var x = expanded(a.scalars, from: a.shape, to: shape)
        var y = expanded(b.scalars, from: b.shape, to: shape)
        defer {  // expansions go back to the pool (an operand's own scalars stay: they are shared)
            TensorMemory.recycle(&x)
            TensorMemory.recycle(&y)
        }
        let n = x.count
        let z = uninitializedScalars(n) { z in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    for i in 0..<n { z[i] = f(x[i], y[i]) }
                }
            }
        }
        guard (a.requiresGradient || b.requiresGradient) && recordsGradients else {
            return constant(name, shape: shape, scalars: z, inputs: [a, b])
        }
        // The local derivatives, only for the operands that need a gradient.
        let dx = !a.requiresGradient ? [] : uninitializedScalars(n) { dx in
            for i in 0..<n { dx[i] = partials(x[i], y[i], z[i]).0 }
        }
        let dy = !b.requiresGradient ? [] : uninitializedScalars(n) { dy in
            for i in 0..<n { dy[i] = partials(x[i], y[i], z[i]).1 }
        }
        return node(name, shape: shape, scalars: z, inputs: [a, b], saving: dx, savingSecond: dy) { g, node in
            if a.requiresGradient { addGradient(g, times: node.saved, shape: shape, into: a) }
            if b.requiresGradient { addGradient(g, times: node.savedSecond, shape: shape, into: b) }
        }
    }

    /// Adds g * d (elementwise, both of shape `shape`), summed back to
    /// `input`'s shape where it was broadcast, into `input`'s gradient.
    static func addGradient(_ g: [Float], times d: [Float], shape: [Int], into input: Tensor) {
        let n = g.count
        if input.shape == shape {
            input.addOrWriteGradient { gx, accumulate in
                g.withUnsafeBufferPointer { g in
                    d.withUnsafeBufferPointer { d in
                        if accumulate { for i in 0..<n { gx[i] += g[i] * d[i] } }
                        else { for i in 0..<n { gx[i] = g[i] * d[i] } }
                    }
                }
            }
        } else {
            var product = uninitializedScalars(n) { p in for i in 0..<n { p[i] = g[i] * d[i] } }
            var summed = reduced(product, from: shape, to: input.shape)
            TensorMemory.recycle(&product)
            input.accumulateGradient(summed)  // kept as the gradient if it is the first, else added
            TensorMemory.recycle(&summed)     // back to the pool unless the gradient keeps it
        }
    }

    /// The engine of every one-operand elementwise operation: y = f(x) with
    /// local derivative dy/dx = derivative(x, y), so backward is g * dy/dx.
    @inline(__always)
    func unary(_ name: String, _ f: (Float) -> Float, derivative: (Float, Float) -> Float) -> Tensor {
        let n = count
        let y = Tensor.uninitializedScalars(n) { y in
            scalars.withUnsafeBufferPointer { x in
                for i in 0..<n { y[i] = f(x[i]) }
            }
        }
        return unary(name, output: y, derivative: derivative)
    }

    /// `unary` with the forward values already computed (by a fast kernel).
    @inline(__always)
    func unary(_ name: String, output y: [Float], derivative: (Float, Float) -> Float) -> Tensor {
        let n = count
        guard requiresGradient && Tensor.recordsGradients else {
            return Tensor.constant(name, shape: shape, scalars: y, inputs: [self])
        }
        let dydx = Tensor.uninitializedScalars(n) { dydx in
            scalars.withUnsafeBufferPointer { x in
                for i in 0..<n { dydx[i] = derivative(x[i], y[i]) }
            }
        }
        return Tensor.node(name, shape: shape, scalars: y, inputs: [self], saving: dydx) { [self] g, node in
            addOrWriteGradient { gx, accumulate in
                g.withUnsafeBufferPointer { g in
                    node.saved.withUnsafeBufferPointer { d in
                        if accumulate { for i in 0..<n { gx[i] += g[i] * d[i] } }
                        else { for i in 0..<n { gx[i] = g[i] * d[i] } }
                    }
                }
            }
        }
    }
}
