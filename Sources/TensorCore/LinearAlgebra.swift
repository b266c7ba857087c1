/// Matrix products and transposition.
///
/// The loops themselves live in `Kernels*.swift`; this file states the math
/// and the gradients:
///
///     Y = A B        dA = dY B^T        dB = A^T dY
extension Tensor {
    /// The matrix product of `[m, k]` and `[k, n]`, shape `[m, n]`.
    ///
    /// - Complexity: O(m k n).
    public func matmul(_ other: Tensor) -> Tensor {
        let shape = checked { try Shapes.matmul(self.shape, other.shape) }
        let (m, k, n) = (self.shape[0], self.shape[1], other.shape[1])
        let y = Tensor.withPointers(self, other, count: m * n) { a, b, c in Kernels.matmul(a, b, c, m: m, k: k, n: n) }
        return Tensor.record("matmul", shape: shape, scalars: y, inputs: [self, other]) { [self] g in
            Tensor.addMatmulGradients(g, self, other, m: m, k: k, n: n)
        }
    }

    /// dA += dY B^T and dB += A^T dY, each only if that input needs it.
    static func addMatmulGradients(_ g: [Float], _ a: Tensor, _ b: Tensor, m: Int, k: Int, n: Int) {
        g.withUnsafeBufferPointer { g in
            let g = g.baseAddress!
            if a.requiresGradient {
                b.scalars.withUnsafeBufferPointer { b in
                    a.addOrWriteGradient { ga, accumulate in
                        Kernels.matmulTransposedB(g, b.baseAddress!, ga, m: m, k: n, n: k, accumulate: accumulate)
                    }
                }
            }
            if b.requiresGradient {
                a.scalars.withUnsafeBufferPointer { a in
                    b.addOrWriteGradient { gb, accumulate in
                        Kernels.matmulTransposedA(a.baseAddress!, g, gb, m: k, k: m, n: n, accumulate: accumulate)
                    }
                }
            }
        }
    }

    /// x W + b in one step: the affine map of a linear layer.
    ///
    /// `x` is `[batch, in]`, `weight` is `[in, out]` and `bias` is `[out]`
    /// (added to every row). Equal to `x.matmul(weight) + bias`, with the
    /// bias gradient (the column sums of dY) computed directly.
    public static func affine(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) -> Tensor {
        let shape = checked { try Shapes.matmul(x.shape, weight.shape) }
        let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[1])
        checked { try Shapes.same(bias.shape, [n], operation: "affine bias") }
        let y = withPointers(x, weight, count: m * n) { a, w, c in
            bias.scalars.withUnsafeBufferPointer { b in
                for i in 0..<m { for j in 0..<n { c[i &* n &+ j] = b[j] } }
            }
            Kernels.matmul(a, w, c, m: m, k: k, n: n, accumulate: true)
        }
        return record("affine", shape: shape, scalars: y, inputs: [x, weight, bias]) { g in
            addMatmulGradients(g, x, weight, m: m, k: k, n: n)
            bias.addOrWriteGradient { gb, accumulate in
                g.withUnsafeBufferPointer { g in
                    if !accumulate { for j in 0..<n { gb[j] = 0 } }
                    for i in 0..<m { for j in 0..<n { gb[j] += g[i &* n &+ j] } }
                }
            }
        }
    }

    /// A new array of `count` values that `body` must fill completely, given
    /// raw pointers to two tensors' scalars and to the (uninitialised) result.
    @inline(__always)
    static func withPointers(_ a: Tensor, _ b: Tensor, count: Int,
                             _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        // An operand is empty only when the inner dimension is 0 (the kernels
        // then read nothing) or the result is empty: a placeholder will do.
        let x = a.scalars.isEmpty ? [0] : a.scalars, y = b.scalars.isEmpty ? [0] : b.scalars
        return x.withUnsafeBufferPointer { pa in
            y.withUnsafeBufferPointer { pb in
                uninitializedScalars(count) { c in body(pa.baseAddress!, pb.baseAddress!, c) }
            }
        }
    }

    /// The transpose of a rank-2 tensor: `[m, n]` becomes `[n, m]`.
    ///
    /// Backward: the gradient is transposed back.
    public func transposed() -> Tensor {
        check(rank == 2, "transposed: needs a rank-2 tensor, got shape \(shape)")
        let (m, n) = (shape[0], shape[1])
        var y = [Float](repeating: 0, count: count)
        for i in 0..<m { for j in 0..<n { y[j * m + i] = scalars[i * n + j] } }
        return Tensor.record("transposed", shape: [n, m], scalars: y, inputs: [self]) { [self] g in
            accumulateGradient { gx in for i in 0..<m { for j in 0..<n { gx[i * n + j] += g[j * m + i] } } }
        }
    }
}
