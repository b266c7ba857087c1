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
        return Tensor.node("matmul", shape: shape, scalars: y, inputs: [self, other]) { [self] g, _ in
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
    ///
    /// - Complexity: O(batch * in * out).
    public static func affine(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) -> Tensor {
        let (shape, y, m, k, n) = affineValues(x, weight, bias)
        return node("affine", shape: shape, scalars: y, inputs: [x, weight, bias]) { g, _ in
            addAffineGradients(g, x, weight, bias, m: m, k: k, n: n)
        }
    }

    /// activation(x W + b) as one operation: a linear layer and its
    /// activation, as `MLP` uses them.
    ///
    /// Equal, value for value and gradient for gradient, to
    /// `activation(Tensor.affine(x, weight, bias))`. For `.relu` and `.tanh`
    /// it is one graph node with one result array: the activation runs in
    /// place on the product, and the backward pass first multiplies dY by the
    /// derivative read from the saved output (1 where y > 0 for relu,
    /// 1 - y^2 for tanh), then takes the affine map's gradients. Other
    /// activations, and every call inside an anomaly scope (so that a NaN is
    /// reported by the step that made it), take the two-step path.
    ///
    /// - Complexity: O(batch * in * out).
    public static func affine(_ x: Tensor, _ weight: Tensor, _ bias: Tensor, activation: Activation) -> Tensor {
        guard activation == .relu || activation == .tanh,
              !(activeAnomalyScopes.load(ordering: .relaxed) > 0 && detectsAnomalies) else {
            return activation(affine(x, weight, bias))
        }
        let (shape, y, m, k, n) = affineValues(x, weight, bias, activation: activation == .relu ? .relu : .tanh)
        let kind: Kernels.LayerActivation = activation == .relu ? .relu : .tanh
        return node(activation == .relu ? "affine+relu" : "affine+tanh", shape: shape, scalars: y,
                    inputs: [x, weight, bias]) { g, node in
            var gz = uninitializedScalars(g.count) { gz in
                g.withUnsafeBufferPointer { g in
                    node.scalars.withUnsafeBufferPointer { y in
                        guard !y.isEmpty else { return }
                        Kernels.activationGradient(g.baseAddress!, y.baseAddress!, gz, rows: m, columns: n, activation: kind)
                    }
                }
            }
            addAffineGradients(gz, x, weight, bias, m: m, k: k, n: n)
            TensorMemory.recycle(&gz)
        }
    }

    /// The forward values of `affine`: activation(x W + b), each row band
    /// filled with the bias, x W added and the activation applied in place
    /// (`Kernels.affine`).
    @inline(__always)
    static func affineValues(_ x: Tensor, _ weight: Tensor, _ bias: Tensor,
                             activation: Kernels.LayerActivation = .identity) -> (shape: [Int], y: [Float], m: Int, k: Int, n: Int) {
        let shape = checked { try Shapes.matmul(x.shape, weight.shape) }
        let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[1])
        checked { try Shapes.same(bias.shape, [n], operation: "affine bias") }
        let y = withPointers(x, weight, count: m * n) { a, w, c in
            bias.scalars.withUnsafeBufferPointer { b in
                Kernels.affine(a, w, b.baseAddress ?? UnsafePointer(c), c, m: m, k: k, n: n, activation: activation)
            }
        }
        return (shape, y, m, k, n)
    }

    /// The affine map's backward step: dx = dY W^T, dW = x^T dY and
    /// db = the column sums of dY, each only where a gradient is needed.
    static func addAffineGradients(_ g: [Float], _ x: Tensor, _ weight: Tensor, _ bias: Tensor, m: Int, k: Int, n: Int) {
        addMatmulGradients(g, x, weight, m: m, k: k, n: n)
        bias.addOrWriteGradient { gb, accumulate in
            g.withUnsafeBufferPointer { g in
                guard n > 0 else { return }
                if let g = g.baseAddress { Kernels.columnSums(g, gb, rows: m, columns: n, accumulate: accumulate) }
                else if !accumulate { gb.update(repeating: 0, count: n) }  // no rows: a zero gradient
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
        let y = scalars.withUnsafeBufferPointer { x in
            Tensor.uninitializedScalars(count) { y in for i in 0..<m { for j in 0..<n { y[j * m + i] = x[i * n + j] } } }
        }
        return Tensor.node("transposed", shape: [n, m], scalars: y, inputs: [self]) { [self] g, _ in
            accumulateGradient { gx in for i in 0..<m { for j in 0..<n { gx[i * n + j] += g[j * m + i] } } }
        }
    }
}
