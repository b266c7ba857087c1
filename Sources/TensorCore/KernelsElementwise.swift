import Foundation

/// The vectorised elementwise kernels: relu, the sum of squares, tanh and the Adam update.
extension Kernels {
    // MARK: - relu

    /// y = max(x, 0) for `count` values, eight at a time, as the plain
    /// `x > 0 ? x : 0` (so NaN gives 0). Written with vector selects: left to
    /// itself the optimiser compiled the plain loop to a branch per value
    /// on the portable (SSE2) tier, a tenth of the SAC update there.
    /// `x` and `y` may be the same array (the fused layer step runs in place).
    static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD8<Float>
        var i = 0
        while i &+ 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: V().replacing(with: v, where: v .> 0), as: V.self)
            i &+= 8
        }
        while i < count { y[i] = x[i] > 0 ? x[i] : 0; i &+= 1 }
    }

    /// relu's backward from its saved output: out = g where y > 0, else 0
    /// (added into `out` when `accumulate`), eight at a time.
    static func reluGradient(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             count: Int, accumulate: Bool) {
        typealias V = SIMD8<Float>
        var i = 0
        while i &+ 8 <= count {
            let v = UnsafeRawPointer(y + i).loadUnaligned(as: V.self)
            var d = V().replacing(with: UnsafeRawPointer(g + i).loadUnaligned(as: V.self), where: v .> 0)
            if accumulate { d += UnsafeRawPointer(out + i).loadUnaligned(as: V.self) }
            UnsafeMutableRawPointer(out + i).storeBytes(of: d, as: V.self)
            i &+= 8
        }
        while i < count {
            let d: Float = y[i] > 0 ? g[i] : 0
            out[i] = accumulate ? out[i] + d : d
            i &+= 1
        }
    }

    // MARK: - Sum of squares

    /// The sum of x_i^2 over `count` values, in `Double`, sixteen at a time
    /// in four vector partial sums (the squared global norm of gradient
    /// clipping). The plain loop adds one value at a time, each add waiting
    /// for the one before: 12 times slower here on AVX-512 and AVX2, 6 times
    /// on the portable tier. Plain multiply and add, not `addProduct`, which
    /// calls the C library's `fma` where the CPU has none.
    ///
    /// - Complexity: O(count).
    static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        typealias D = SIMD4<Double>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> D {
            let f = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
            return D(Double(f[0]), Double(f[1]), Double(f[2]), Double(f[3]))
        }
        var s0 = D(), s1 = D(), s2 = D(), s3 = D()
        var i = 0
        while i &+ 16 <= count {
            let a = load(x + i), b = load(x + (i &+ 4)), c = load(x + (i &+ 8)), d = load(x + (i &+ 12))
            s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
            i &+= 16
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < count { let v = Double(x[i]); total += v * v; i &+= 1 }
        return total
    }

    // MARK: - tanh

    /// y = tanh(x) for `count` values, eight at a time, by a rational
    /// approximation p(x) / q(x) (odd degree-13 over even degree-6, the
    /// coefficients used by Eigen) on x clamped to [-7.9053, 7.9053], where
    /// tanh is within float rounding of +-1. The error stays below 5e-7 (tested
    /// against `Foundation.tanh`); about 9 times faster than the C library.
    static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD8<Float>
        var i = 0
        while i &+ 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: tanh8(v), as: V.self)
            i &+= 8
        }
        if i < count {  // the tail, through one zero-padded vector
            var v = V()
            for j in 0..<(count &- i) { v[j] = x[i &+ j] }
            let t = tanh8(v)
            for j in 0..<(count &- i) { y[i &+ j] = t[j] }
        }
    }

    @inline(__always)
    static func tanh8(_ input: SIMD8<Float>) -> SIMD8<Float> {
        // Clamped with two selects: `clamped(lowerBound:upperBound:)` compiled
        // to two out-of-line calls per vector (a fifth of the PPO minibatch).
        // NaN stays NaN (both comparisons are false).
        let bound: Float = 7.90531110763549805
        var x = input.replacing(with: -bound, where: input .< -bound)
        x.replace(with: bound, where: x .> bound)
        let x2 = x * x
        var p = SIMD8<Float>(repeating: -2.76076847742355e-16)
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 - 8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q = SIMD8<Float>(repeating: 1.19825839466702e-06)
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        let small = input.replacing(with: 0, where: .!(input .< 0.0004 .& input .> -0.0004))
        return (p / q).replacing(with: small, where: input .< 0.0004 .& input .> -0.0004)
    }

    // MARK: - Adam

    /// One Adam update of `count` parameters, sixteen at a time:
    ///
    ///     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
    ///     w <- w - stepSize * m / (sqrt(v) / rootCorrection2 + eps)
    ///
    /// with stepSize = lr / (1 - b1^t) and rootCorrection2 = sqrt(1 - b2^t).
    /// With a `gradientScale` s other than 1, g is s times the stored
    /// gradient (gradient clipping in the same pass, the stored gradient
    /// left as it was); s g is rounded once, as when the gradient is scaled first.
    static func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                                  _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                                  beta1 b1: Float, beta2 b2: Float, stepSize: Float, rootCorrection2: Float, epsilon eps: Float,
                                  gradientScale s: Float = 1) {
        if s != 1 {
            return adamUpdateBody(w, g, m, v, count: count, beta1: b1, beta2: b2, stepSize: stepSize,
                                  rootCorrection2: rootCorrection2, epsilon: eps, scale: s)
        }
        adamUpdateBody(w, g, m, v, count: count, beta1: b1, beta2: b2, stepSize: stepSize,
                       rootCorrection2: rootCorrection2, epsilon: eps, scale: nil)
    }

    /// `adamUpdate`'s loop, specialised for an absent scale (no multiply).
    @inline(__always)
    static func adamUpdateBody(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                               _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                               beta1 b1: Float, beta2 b2: Float, stepSize: Float, rootCorrection2: Float, epsilon eps: Float,
                               scale: Float?) {
        typealias V = SIMD16<Float>
        let inverseRoot = 1 / rootCorrection2
        var i = 0
        while i &+ 16 <= count {
            var gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            if let scale { gi = gi * scale }
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gi * gi
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V.self) - stepSize * mi / (vi.squareRoot() * inverseRoot + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: V.self)
            i &+= 16
        }
        while i < count {
            let gi = scale.map { g[i] * $0 } ?? g[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            w[i] -= stepSize * m[i] / (v[i].squareRoot() * inverseRoot + eps)
            i &+= 1
        }
    }
}
