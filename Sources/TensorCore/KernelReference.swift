import Foundation

/// The plain loops the fast kernels must match (see `KernelDiagnostics`).
extension Kernels {
    // MARK: - Reference loops

    /// The plain triple loop C = op(A) op(B) that the fast kernels must match.
    ///
    /// - Parameters:
    ///   - transposeA: A is stored k x m and used transposed.
    ///   - transposeB: B is stored n x k and used transposed.
    static func referenceMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int,
                                       transposeA: Bool = false, transposeB: Bool = false) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Double = 0
                for p in 0..<k {
                    let x = transposeA ? a[p * m + i] : a[i * k + p]
                    let y = transposeB ? b[j * k + p] : b[p * n + j]
                    sum += Double(x) * Double(y)
                }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }

    /// The plain loop that `transpose` must match.
    static func referenceTranspose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: .nan, count: rows * columns)
        for r in 0..<rows { for s in 0..<columns { t[s * rows + r] = x[r * columns + s] } }
        return t
    }

    /// The C library's tanh, one value at a time (a reference for `tanh`).
    static func referenceTanh(_ x: [Float]) -> [Float] { x.map { Foundation.tanh($0) } }

    /// tanh computed in `Double` and rounded once to `Float`: the correctly
    /// rounded value (the reference for `tanh`'s error in ulps).
    static func correctlyRoundedTanh(_ x: [Float]) -> [Float] { x.map { Float(Foundation.tanh(Double($0))) } }

    /// How many representable `Float`s lie between `a` and `b` (0 when
    /// equal, including two NaNs; `Int.max` when only one is NaN).
    static func ulpDistance(_ a: Float, _ b: Float) -> Int {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : Int.max }
        // Floats in order map to integers in order: negative ones mirrored below zero.
        func key(_ f: Float) -> Int {
            let bits = Int(Int32(bitPattern: f.bitPattern))
            return bits < 0 ? Int(Int32.min) - bits : bits
        }
        return Swift.abs(key(a) - key(b))
    }

    /// The scalar Adam update that `adamUpdate` must match.
    static func referenceAdamUpdate(_ w: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float],
                                           beta1 b1: Float, beta2 b2: Float, stepSize: Float,
                                           rootCorrection2: Float, epsilon eps: Float) {
        for i in w.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            w[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
        }
    }

    /// Array front end to the fast kernels.
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int,
                              transposeA: Bool = false, transposeB: Bool = false) -> [Float] {
        check(!(transposeA && transposeB), "Kernels.matmul: A^T B^T is not provided")
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    guard let a = pa.baseAddress, let b = pb.baseAddress, let c = pc.baseAddress else { return }
                    if transposeA {
                        matmulTransposedA(a, b, c, m: m, k: k, n: n)
                    } else if transposeB {
                        matmulTransposedB(a, b, c, m: m, k: k, n: n)
                    } else {
                        matmul(a, b, c, m: m, k: k, n: n)
                    }
                }
            }
        }
        return c
    }
}

/// The one public window onto the fast kernels, for their tests: each
/// function runs a kernel and its plain reference loop on the same seeded
/// inputs and returns the largest relative difference
/// |fast - reference| / (1 + |reference|). The kernels themselves stay
/// internal.
public enum KernelDiagnostics {
    /// The SIMD tier this build compiled: "avx512", "avx2" or "portable".
    public static var tier: String {
        #if TENSORCORE_AVX512
        return "avx512"
        #elseif TENSORCORE_WIDE_SIMD
        return "avx2"
        #else
        return "portable"
        #endif
    }

    static func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(rng.uniform(-1, 1)) }
    }

    static func worst(_ fast: [Float], _ reference: [Float]) -> Float {
        // A value the kernel never wrote (the NaN that `matmulErrors` fills C
        // with when it does not accumulate) counts as an infinite error.
        guard fast.count == reference.count, !fast.contains(where: \.isNaN) else { return .infinity }
        return zip(fast, reference).map { Swift.abs($0 - $1) / (1 + Swift.abs($1)) }.max() ?? 0
    }

    /// The largest differences of the three products A B, A^T B and A B^T
    /// (each also with `accumulate: true` onto a random C) for an m x k by
    /// k x n product.
    public static func matmulErrors(m: Int, k: Int, n: Int, seed: UInt64) -> (ab: Float, transposedA: Float, transposedB: Float) {
        for shape in [[m, k], [k, n], [m, n]] { _ = checked { try Shapes.elementCount(shape, operation: "matmulErrors") } }
        var rng = SeededGenerator(seed: seed)
        let a = random(m * k, &rng), b = random(k * n, &rng), at = random(k * m, &rng), bt = random(n * k, &rng)
        let c0 = random(m * n, &rng)
        func run(_ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Bool) -> Void,
                 _ x: [Float], _ y: [Float], accumulate: Bool) -> [Float] {
            var c = accumulate ? c0 : [Float](repeating: .nan, count: m * n)
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    c.withUnsafeMutableBufferPointer { kernel(x.baseAddress!, y.baseAddress!, $0.baseAddress!, accumulate) }
                }
            }
            return c
        }
        func plus(_ r: [Float], _ accumulate: Bool) -> [Float] { accumulate ? zip(r, c0).map(+) : r }
        var errors: (Float, Float, Float) = (0, 0, 0)
        for accumulate in [false, true] {
            let ab = run({ Kernels.matmul($0, $1, $2, m: m, k: k, n: n, accumulate: $3) }, a, b, accumulate: accumulate)
            errors.0 = Swift.max(errors.0, worst(ab, plus(Kernels.referenceMatmul(a, b, m: m, k: k, n: n), accumulate)))
            let atb = run({ Kernels.matmulTransposedA($0, $1, $2, m: m, k: k, n: n, accumulate: $3) }, at, b, accumulate: accumulate)
            errors.1 = Swift.max(errors.1, worst(atb, plus(Kernels.referenceMatmul(at, b, m: m, k: k, n: n, transposeA: true), accumulate)))
            let abt = run({ Kernels.matmulTransposedB($0, $1, $2, m: m, k: k, n: n, accumulate: $3) }, a, bt, accumulate: accumulate)
            errors.2 = Swift.max(errors.2, worst(abt, plus(Kernels.referenceMatmul(a, bt, m: m, k: k, n: n, transposeB: true), accumulate)))
        }
        return errors
    }

    /// The bit patterns of the three fast products A B, A^T B and A B^T
    /// (each written and accumulated onto a random C) of random m x k by
    /// k x n operands, computed with `threads` threads (`TensorThreads.count`,
    /// put back afterwards): the determinism tests compare them across
    /// thread counts.
    public static func productBits(m: Int, k: Int, n: Int, seed: UInt64, threads: Int) -> [UInt32] {
        withThreads(threads, m: m, k: k, n: n, operation: "productBits") { productBitsOnThisSetting(m: m, k: k, n: n, seed: seed) }
    }

    /// Runs `body` with `threads` threads (`TensorThreads.count`, put back
    /// afterwards), once m x k, k x n and m x n are checked to be valid shapes.
    static func withThreads<Result>(_ threads: Int, m: Int, k: Int, n: Int, operation: String, _ body: () -> Result) -> Result {
        for shape in [[m, k], [k, n], [m, n]] { _ = checked { try Shapes.elementCount(shape, operation: operation) } }
        let before = TensorThreads.count
        TensorThreads.count = threads
        defer { TensorThreads.count = before }
        return body()
    }

    /// `productBits` with the thread count as it is set.
    static func productBitsOnThisSetting(m: Int, k: Int, n: Int, seed: UInt64) -> [UInt32] {
        var rng = SeededGenerator(seed: seed)
        let a = random(m * k, &rng), b = random(k * n, &rng), at = random(k * m, &rng), bt = random(n * k, &rng)
        let c0 = random(m * n, &rng)
        var bits: [UInt32] = []
        for accumulate in [false, true] {
            for (x, y, kernel) in [(a, b, Kernels.matmul), (at, b, Kernels.matmulTransposedA), (a, bt, Kernels.matmulTransposedB)] {
                var c = accumulate ? c0 : [Float](repeating: 0, count: m * n)
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        c.withUnsafeMutableBufferPointer {
                            kernel(x.baseAddress!, y.baseAddress!, $0.baseAddress!, m, k, n, accumulate)
                        }
                    }
                }
                bits += c.map(\.bitPattern)
            }
        }
        return bits
    }

    /// The bit patterns of a linear layer's steps on random m x k inputs and
    /// k x n weights, computed with `threads` threads (put back afterwards):
    /// `Tensor.affine` with relu, tanh and no activation, each forward value
    /// and the gradients of x, W and b after backpropagating a random dY, then
    /// a Polyak average of the weights toward others. The determinism tests
    /// compare them across thread counts (with the band minimum lowered, so
    /// that the elementwise steps split too).
    public static func layerBits(m: Int, k: Int, n: Int, seed: UInt64, threads: Int) -> [UInt32] {
        withThreads(threads, m: m, k: k, n: n, operation: "layerBits") { layerBitsOnThisSetting(m: m, k: k, n: n, seed: seed) }
    }

    /// `layerBits` with the thread count as it is set.
    static func layerBitsOnThisSetting(m: Int, k: Int, n: Int, seed: UInt64) -> [UInt32] {
        var rng = SeededGenerator(seed: seed)
        let weights = random(k * n, &rng), bias = random(n, &rng), dy = Tensor(shape: [m, n], scalars: random(m * n, &rng))
        let x = Tensor(shape: [m, k], scalars: random(m * k, &rng), requiresGradient: true)
        var bits: [UInt32] = []
        for activation in [Activation.relu, .tanh, .identity] {
            let w = Tensor(shape: [k, n], scalars: weights, requiresGradient: true)
            let b = Tensor(shape: [n], scalars: bias, requiresGradient: true)
            x.zeroGradient()
            let y = activation == .identity ? Tensor.affine(x, w, b) : Tensor.affine(x, w, b, activation: activation)
            (y * dy).sum().backward()
            for tensor in [y, x.gradient, w.gradient, b.gradient] { bits += (tensor?.scalars ?? []).map(\.bitPattern) }
        }
        let target = Linear(weight: Tensor(shape: [k, n], scalars: weights), bias: Tensor(shape: [n], scalars: bias))
        let source = Linear(weight: Tensor(shape: [k, n], scalars: random(k * n, &rng)), bias: Tensor(shape: [n], scalars: random(n, &rng)))
        checked { try target.polyakUpdate(toward: source, tau: 0.3) }
        for tensor in target.parameters { bits += tensor.scalars.map(\.bitPattern) }
        return bits
    }

    /// Whether the vectorised relu and its backward give exactly the plain
    /// loops' values (`x > 0 ? x : 0`; g where y > 0, written and added)
    /// on `x` (as both input and saved output) and the upstream gradient `g`.
    public static func reluMatches(_ x: [Float], _ g: [Float]) -> Bool {
        check(x.count == g.count, "reluMatches: x has \(x.count) values and g \(g.count); they must be equally long")
        let n = x.count
        var y = [Float](repeating: 0, count: n), written = y, added = [Float](repeating: 1, count: n)
        x.withUnsafeBufferPointer { x in
            g.withUnsafeBufferPointer { g in
                y.withUnsafeMutableBufferPointer { Kernels.relu(x.baseAddress!, $0.baseAddress!, count: n) }
                written.withUnsafeMutableBufferPointer {
                    Kernels.reluGradient(g.baseAddress!, x.baseAddress!, $0.baseAddress!, count: n, accumulate: false)
                }
                added.withUnsafeMutableBufferPointer {
                    Kernels.reluGradient(g.baseAddress!, x.baseAddress!, $0.baseAddress!, count: n, accumulate: true)
                }
            }
        }
        let plainY = x.map { $0 > 0 ? $0 : 0 }
        let plainWritten = zip(x, g).map { $0 > 0 ? $1 : 0 }
        let plainAdded = plainWritten.map { 1 + $0 }
        func same(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }
        return same(y, plainY) && same(written, plainWritten) && same(added, plainAdded)
    }

    /// Whether the vectorised column sums (a bias gradient) give exactly
    /// the plain loop's bits: gb[j] = (start + g[0, j]) + g[1, j] + ...,
    /// with start 0 (written) or `start[j]` (added), on an m x n matrix `g`.
    public static func columnSumsMatch(_ g: [Float], rows m: Int, columns n: Int, start: [Float]) -> Bool {
        check(g.count == m * n && start.count == n, "columnSumsMatch: g needs m n = \(m * n) values and start n = \(n), got \(g.count) and \(start.count)")
        var plainWritten = [Float](repeating: 0, count: n), plainAdded = start
        for i in 0..<m { for j in 0..<n { plainWritten[j] += g[i * n + j]; plainAdded[j] += g[i * n + j] } }
        var written = [Float](repeating: .nan, count: n), added = start
        g.withUnsafeBufferPointer { g in
            guard let g = g.baseAddress, n > 0 else { return }
            written.withUnsafeMutableBufferPointer { Kernels.columnSums(g, $0.baseAddress!, rows: m, columns: n, accumulate: false) }
            added.withUnsafeMutableBufferPointer { Kernels.columnSums(g, $0.baseAddress!, rows: m, columns: n, accumulate: true) }
        }
        func same(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }
        return same(written, plainWritten) && same(added, plainAdded)
    }

    /// The relative difference of the vectorised sum of squares from the
    /// plain one-at-a-time `Double` loop on `x`.
    public static func sumOfSquaresError(_ x: [Float]) -> Double {
        let fast = x.withUnsafeBufferPointer { $0.baseAddress.map { Kernels.sumOfSquares($0, count: x.count) } ?? 0 }
        var plain: Double = 0
        for v in x { plain += Double(v) * Double(v) }
        return plain == 0 ? Swift.abs(fast) : Swift.abs(fast - plain) / plain
    }

    /// The largest absolute difference of the vectorised tanh from the C
    /// library's on `x`.
    public static func tanhError(_ x: [Float]) -> Float {
        zip(fastTanh(x), Kernels.referenceTanh(x)).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    /// The vectorised tanh's largest error on `x` in ulps of the correctly
    /// rounded value (tanh in `Double`, rounded once), and the input where it
    /// is largest (the first such).
    public static func tanhUlpError(_ x: [Float]) -> (ulps: Int, at: Float) {
        var worst = (ulps: 0, at: Float.nan)
        for (input, (fast, exact)) in zip(x, zip(fastTanh(x), Kernels.correctlyRoundedTanh(x))) {
            let distance = Kernels.ulpDistance(fast, exact)
            if distance > worst.ulps || worst.at.isNaN { worst = (distance, input) }
        }
        return worst
    }

    /// The vectorised tanh of `x`.
    static func fastTanh(_ x: [Float]) -> [Float] {
        let n = x.count
        var y = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { if let x = x.baseAddress { Kernels.tanh(x, $0.baseAddress!, count: n) } }
        }
        return y
    }

    /// Whether the blocked transpose of a seeded `rows x columns` matrix
    /// equals the plain loop's, every value written (the output starts as NaN).
    public static func transposeMatches(rows: Int, columns: Int, seed: UInt64) -> Bool {
        _ = checked { try Shapes.elementCount([rows, columns], operation: "transposeMatches") }
        var rng = SeededGenerator(seed: seed)
        let x = (0..<(rows * columns)).map { _ in Float(rng.uniform(-1, 1)) }
        var t = [Float](repeating: .nan, count: rows * columns)
        x.withUnsafeBufferPointer { x in
            t.withUnsafeMutableBufferPointer { t in
                guard let source = x.baseAddress, let target = t.baseAddress else { return }
                Kernels.transpose(source, rows: rows, columns: columns, into: target)
            }
        }
        return t == Kernels.referenceTranspose(x, rows: rows, columns: columns)
    }

    /// The largest relative difference of the vectorised Adam update from
    /// the scalar loop on `count` seeded parameters (one with a zero second
    /// moment), and whether the moments agree exactly. With a
    /// `gradientScale`, the kernel scales the gradient itself and the loop
    /// gets the gradient scaled beforehand (clipping, then the step).
    public static func adamError(count: Int, seed: UInt64, gradientScale: Float = 1) -> (weights: Float, momentsEqual: Bool) {
        var rng = SeededGenerator(seed: seed)
        func random(_ scale: Double) -> [Float] { (0..<count).map { _ in Float(rng.uniform(-scale, scale)) } }
        var w = random(1), m = random(0.1), v = random(0.01).map { Swift.abs($0) }
        let g = random(1)
        if count > 0 { v[0] = 0 }
        var (w2, m2, v2) = (w, m, v)
        Kernels.referenceAdamUpdate(&w2, g.map { $0 * gradientScale }, &m2, &v2, beta1: 0.9, beta2: 0.999, stepSize: 0.01,
                                    rootCorrection2: 0.3, epsilon: 1e-8)
        w.withUnsafeMutableBufferPointer { w in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in
                        Kernels.adamUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, count: count,
                                           beta1: 0.9, beta2: 0.999, stepSize: 0.01, rootCorrection2: 0.3, epsilon: 1e-8,
                                           gradientScale: gradientScale)
                    }
                }
            }
        }
        let error = zip(w, w2).map { Swift.abs($0 - $1) / (1e-3 + Swift.abs($1)) }.max() ?? 0
        return (error, m == m2 && v == v2)
    }
}
