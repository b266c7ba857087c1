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

    /// y = tanh(x) for `count` values, eight at a time, through expm1:
    ///
    ///     tanh |x| = (1 - e^z) / (1 + e^z) = -expm1(z) / (2 + expm1(z)),   z = -2 |x|
    ///
    /// with the sign of x put back (so tanh(-0) = -0 and NaN stays NaN).
    /// expm1(z) = 2^n expm1(r) + (2^n - 1) with n = round(z / ln 2) and
    /// |r| <= ln(2) / 2, expm1(r) = r + r^2 p(r) with a degree-4 minimax p
    /// (relative error 2.5e-8). Within 2 ulps of the correctly rounded value
    /// for every x (tested against a Double computation), including large |x|:
    /// the result is +-1 only from |x| = 9.01 on, where tanh rounds to +-1 in
    /// Float. (The rational approximation this replaced was 4 to 7 ulps off
    /// above |x| = 1 and returned +-1 from 7.9, where tanh is still 5 ulps
    /// below 1; a squashed Gaussian's log-probability needs that tail.) About
    /// as fast as it was (1.15 times its time on AVX-512, 1.1 on AVX2, the same
    /// on the portable tier) and about 8 times faster than the C library.
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
        // Written with bit masks and selects, not `abs`, `rounded` or `clamped`, which compiled to
        // calls or one value at a time (and SSE2 has no rounding instruction): the magic number
        // 1.5 * 2^23 rounds z / ln 2 to an integer n in the low mantissa bits, which then build 2^n.
        typealias V = SIMD8<Float>
        typealias I = SIMD8<Int32>
        let bits = unsafeBitCast(input, to: I.self)
        let sign = bits & I(repeating: Int32(bitPattern: 0x8000_0000))
        var z = unsafeBitCast(bits & I(repeating: 0x7FFF_FFFF), to: V.self) * -2   // z = -2 |x|
        z.replace(with: -87, where: z .< -87)   // keeps 2^n normal; tanh is 1 in Float long before
        let shifted = z * 1.44269504088896341 + 12_582_912
        let n = shifted - 12_582_912
        let r = z - n * 0.693147180559945309
        var p = V(repeating: 1.393364352362146e-3)
        p = p * r + 8.363175565465647e-3
        p = p * r + 4.166646497611045e-2
        p = p * r + 1.6666577003160302e-1
        p = p * r + 0.5000000013462221
        let expm1r = p * (r * r) + r
        let twoToN = unsafeBitCast((unsafeBitCast(shifted, to: I.self) &- I(repeating: 0x4B40_0000 - 127))
                                   &<< I(repeating: 23), to: V.self)
        let expm1z = twoToN * expm1r + (twoToN - 1)
        let t = expm1z / (-2 - expm1z)           // tanh |x|, >= 0 (or NaN)
        return unsafeBitCast((unsafeBitCast(t, to: I.self) & I(repeating: 0x7FFF_FFFF)) | sign, to: V.self)
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
        // Large tensors (a 256 x 256 layer) in bands of multiples of 16 on several threads
        // (`inBands`): each element's update is the same whichever thread computes it.
        inBands(count, block: 16, work: count, minimum: elementsPerBand) { first, count in
            let (w, g, m, v) = (w + first, g + first, m + first, v + first)
            if s != 1 {
                return adamUpdateBody(w, g, m, v, count: count, beta1: b1, beta2: b2, stepSize: stepSize,
                                      rootCorrection2: rootCorrection2, epsilon: eps, scale: s)
            }
            adamUpdateBody(w, g, m, v, count: count, beta1: b1, beta2: b2, stepSize: stepSize,
                           rootCorrection2: rootCorrection2, epsilon: eps, scale: nil)
        }
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
