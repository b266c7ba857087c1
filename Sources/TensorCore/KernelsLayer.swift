/// A linear layer's steps, each in the row bands of `inBands` when the layer
/// is large enough (a 256-sample batch of 256 units), so that they use the
/// cores the products use, and so that the rows a worker computed in one
/// step are the rows it reads in the next (they are still in its cache):
///
/// - forward: y = activation(x W + b), each band filling its rows with the
///   bias, adding its rows of x W and applying the activation in place (on
///   the AVX-512 tier, for relu or no activation and a multiple of 32 units,
///   in one pass: the register blocks add the bias and apply relu as they
///   store, `gemm512Affine`);
/// - backward: dz = dy * activation'(y) in the same row bands, and the bias
///   gradient (column sums of dz) in bands of columns.
///
/// Every output element is computed by one thread in the same order as on
/// one thread, so the results are the same bits whatever the thread count.
extension Kernels {
    /// The activations a layer step can apply in place.
    enum LayerActivation {
        case identity, relu, tanh
    }

    /// y[m x n] = activation(x[m x k] W[k x n] + bias[n]).
    ///
    /// Equal, bit for bit, to filling y with the bias, `matmul(..., accumulate:
    /// true)`, then the activation. With `ProductProfile` measuring, the
    /// product is timed with its bias and activation, which share its bands,
    /// except for a narrow head (fewer than 8 columns, 8 or more inputs),
    /// whose dot products are timed alone.
    ///
    /// - Complexity: O(m k n).
    static func affine(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                       _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, activation: LayerActivation) {
        guard m > 0, n > 0 else { return }
        if n < 8 && k >= 8 {
            // A narrow head (a value or a Q head): `matmul`'s dot products, then the activation.
            fillRows(bias, y, rows: m, columns: n)
            matmul(x, w, y, m: m, k: k, n: n, accumulate: true)
            activate(y, count: m &* n, activation)
            return
        }
        ProductProfile.timed(.product, m: m, k: k, n: n, accumulate: true) {
            #if TENSORCORE_AVX512
            if n % 32 == 0 && activation != .tanh {
                // One pass: the register blocks add the bias and apply relu as they store
                // (in the panels of each row band, `inBandPanels`).
                return gemm512Affine(x, w, bias, y, m: m, k: k, n: n, relu: activation == .relu)
            }
            #endif
            inRowBands(m: m, k: k, n: n, block: rowBlock) { first, rows in
                let band = y + first &* n
                fillRows(bias, band, rows: rows, columns: n)
                gemm(x + first &* k, rowStride: k, columnStride: 1, w, band, m: rows, k: k, n: n, accumulate: true)
                activate(band, count: rows &* n, activation)
            }
        }
    }

    /// dz = dy * activation'(y) for an m x n layer output y (relu: dy where
    /// y > 0; tanh: dy (1 - y^2)), in row bands.
    ///
    /// - Complexity: O(m n).
    static func activationGradient(_ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>,
                                   rows m: Int, columns n: Int, activation: LayerActivation) {
        inElementRowBands(rows: m, columns: n) { first, rows in
            let (dy, y, dz, count) = (dy + first &* n, y + first &* n, dz + first &* n, rows &* n)
            switch activation {
            case .relu: reluGradient(dy, y, dz, count: count, accumulate: false)
            case .tanh: for i in 0..<count { dz[i] = dy[i] * (1 - y[i] * y[i]) }
            case .identity: dz.update(from: dy, count: count)
            }
        }
    }

    /// gb[j] (+)= the sum over the m rows of g[i, j]: a bias gradient, in
    /// bands of columns. Each column's sum starts from gb[j] (or 0) and adds
    /// the rows in order, row 0 first, as the plain loop does, with 32
    /// columns at a time kept in two vector registers across all the rows,
    /// then 8, then one (the plain loop loaded and stored gb for every row).
    ///
    /// - Complexity: O(m n).
    static func columnSums(_ g: UnsafePointer<Float>, _ gb: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int,
                           accumulate: Bool) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        inBands(n, block: 16, work: m &* n, minimum: elementsPerBand) { first, count in
            let (g, gb) = (g + first, gb + first)
            var j = 0
            while j &+ 32 <= count {
                var s0 = accumulate ? load(gb + j) : V(), s1 = accumulate ? load(gb + (j &+ 16)) : V()
                for i in 0..<m {
                    let row = g + (i &* n &+ j)
                    s0 += load(row); s1 += load(row + 16)
                }
                store(s0, gb + j); store(s1, gb + (j &+ 16))
                j &+= 32
            }
            while j &+ 8 <= count {
                typealias W = SIMD8<Float>
                var s = accumulate ? UnsafeRawPointer(gb + j).loadUnaligned(as: W.self) : W()
                for i in 0..<m { s += UnsafeRawPointer(g + (i &* n &+ j)).loadUnaligned(as: W.self) }
                UnsafeMutableRawPointer(gb + j).storeBytes(of: s, as: W.self)
                j &+= 8
            }
            while j < count {
                var s: Float = accumulate ? gb[j] : 0
                for i in 0..<m { s += g[i &* n &+ j] }
                gb[j] = s
                j &+= 1
            }
        }
    }

    /// t <- t + tau (s - t) for `count` values: a Polyak (soft target) update,
    /// in bands for large tensors.
    ///
    /// - Complexity: O(count).
    static func polyakAverage(_ t: UnsafeMutablePointer<Float>, toward s: UnsafePointer<Float>, count: Int, tau: Float) {
        inBands(count, block: 16, work: count, minimum: elementsPerBand) { first, count in
            let (t, s) = (t + first, s + first)
            for i in 0..<count { t[i] += tau * (s[i] - t[i]) }
        }
    }

    /// Runs `body(firstRow, rowCount)` over the row bands of an elementwise
    /// step on an m x n array: the same bands as a product of m rows split
    /// in as many parts (both start on multiples of `rowBlock`), at least
    /// `elementsPerBand` elements each.
    @inline(__always)
    static func inElementRowBands(rows m: Int, columns n: Int, _ body: (_ first: Int, _ rows: Int) -> Void) {
        inBands(m, block: rowBlock, work: m &* n, minimum: elementsPerBand, body)
    }

    /// Every one of `rows` rows of `y` (n columns each) set to `row`: a plain
    /// loop, which the optimiser vectorises inline, rather than a `memmove`
    /// call per row of as few as 64 values.
    @inline(__always)
    static func fillRows(_ row: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns n: Int) {
        for i in 0..<rows {
            let yi = y + i &* n
            for j in 0..<n { yi[j] = row[j] }
        }
    }

    /// The activation applied in place to `count` values.
    @inline(__always)
    static func activate(_ y: UnsafeMutablePointer<Float>, count: Int, _ activation: LayerActivation) {
        switch activation {
        case .relu: relu(UnsafePointer(y), y, count: count)
        case .tanh: tanh(UnsafePointer(y), y, count: count)
        case .identity: break
        }
    }
}
