/// The AVX-512 tier of the matrix product (see `Kernels.swift`).
extension Kernels {
    #if TENSORCORE_AVX512 && !TENSORCORE_WIDE_SIMD
    #error("TENSORCORE_AVX512 needs TENSORCORE_WIDE_SIMD too (Package.swift defines both)")
    #endif
    #if TENSORCORE_AVX512
    /// The gemm loop for CPUs with 512-bit vectors (AVX-512), compiled only
    /// with `-D TENSORCORE_AVX512` and a CPU such as `-target-cpu skylake-avx512`.
    /// C is swept in panels of 32 columns (two 16-wide vectors), 8 rows at a
    /// time: 16 partial sums in registers, fed per step by 8 broadcasts of A
    /// and two vectors of B. The last rows use blocks of 4, 2 and 1 rows, and
    /// a 16-column panel takes one vector per row. The last n % 16 columns
    /// go through panels of 8 and 4 columns (`narrowPanel512`), and the
    /// last n % 4 through a zero-padded 16-column panel (`gemmPaddedTail`).
    ///
    /// - Complexity: O(m k n) floating-point operations.
    static func gemm512(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                        _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, k: Int, n: Int, accumulate: Bool) {
        var j = 0
        if copiesPanels512(m: m, k: k, n: n) {
            withScratch(k &* 32) { panel in
                while j &+ 32 <= n {
                    copyPanel(b, rowStride: n, from: j, rows: k, into: panel)
                    rowBlocks512(a, rs, cs, panel, 32, c + j, m: m, k: k, n: n, twoVectors: true, accumulate: accumulate)
                    j &+= 32
                }
            }
        }
        while j &+ 32 <= n {
            rowBlocks512(a, rs, cs, b + j, n, c + j, m: m, k: k, n: n, twoVectors: true, accumulate: accumulate)
            j &+= 32
        }
        if j &+ 16 <= n {
            rowBlocks512(a, rs, cs, b + j, n, c + j, m: m, k: k, n: n, twoVectors: false, accumulate: accumulate)
            j &+= 16
        }
        if j &+ 8 <= n {
            narrowPanel512(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: j, width: 8, accumulate: accumulate)
            j &+= 8
        }
        if j &+ 4 <= n {
            narrowPanel512(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: j, width: 4, accumulate: accumulate)
            j &+= 4
        }
        if j < n { gemmPaddedTail(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: j, accumulate: accumulate) }
    }

    /// Whether `gemm512` (and `gemm512Affine`) copy each 32-column panel of B
    /// into a contiguous k x 32 matrix first: where B's rows collide in L1
    /// (n = 256: every row of a panel in 4 of the 64 sets), as the AVX2 tier
    /// does (`gemmWide`), with 16 rows or more to sweep each copy.
    @inline(__always)
    static func copiesPanels512(m: Int, k: Int, n: Int) -> Bool {
        n >= 64 && m >= 16 && panelRowsCollide(rowStride: n, rows: k)
    }

    /// Copies columns `j ..< j + 32` of the `rows` rows of B (`rowStride`
    /// floats apart) into the contiguous `rows x 32` matrix `panel`.
    @inline(__always)
    static func copyPanel(_ b: UnsafePointer<Float>, rowStride n: Int, from j: Int, rows k: Int,
                          into panel: UnsafeMutablePointer<Float>) {
        for p in 0..<k {
            let source = UnsafeRawPointer(b + (p &* n &+ j)), target = UnsafeMutableRawPointer(panel + p &* 32)
            target.storeBytes(of: source.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                              toByteOffset: 64, as: SIMD16<Float>.self)
        }
    }

    /// Columns `start ..< start + width` of C (`width` 8 or 4), read from B
    /// in place, in blocks of 8 rows by one 256- or 128-bit vector; the last
    /// m % 8 rows through the zero-padded 16-column panel.
    ///
    /// On a CPU that executes a 512-bit multiply-add as two 256-bit halves
    /// (AMD's Zen 4), a 256- or 128-bit multiply-add takes one half, so the
    /// 8 or 4 columns left of a 120- or 84-wide layer cost half of a padded
    /// 16-column panel. (Padded, they made the 128 x 120 x 84 product run at
    /// 98 GFLOP/s of useful work against 108 with these panels.)
    @inline(__always)
    static func narrowPanel512(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                               _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                               m: Int, k: Int, n: Int, from start: Int, width: Int, accumulate: Bool) {
        var i = 0
        while i &+ 8 <= m {
            if width == 8 { block8x8(a + i &* rs, rs, cs, b + start, n, c + (i &* n &+ start), k: k, n: n, accumulate: accumulate) }
            else { block8x4(a + i &* rs, rs, cs, b + start, n, c + (i &* n &+ start), k: k, n: n, accumulate: accumulate) }
            i &+= 8
        }
        if i < m {
            gemmPaddedTail(a + i &* rs, rowStride: rs, columnStride: cs, b, c + i &* n, m: m &- i, k: k, n: n,
                           from: start, upTo: start &+ width, accumulate: accumulate)
        }
    }

    /// One column panel (16 or 32 wide) of C for all m rows: blocks of 8 rows,
    /// then 4, 2 and 1 for the rest.
    @inline(__always)
    static func rowBlocks512(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int,
                             _ c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int,
                             twoVectors: Bool, accumulate: Bool) {
        var i = 0
        while i &+ 8 <= m {
            if twoVectors { block8x32(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            else { block8x16(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            i &+= 8
        }
        if i &+ 4 <= m {
            if twoVectors { block4x32(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            else { block4x16(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            i &+= 4
        }
        if i &+ 2 <= m {
            if twoVectors { block2x32(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            else { block2x16(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            i &+= 2
        }
        if i < m {
            if twoVectors { block1x32(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
            else { block1x16(a + i &* rs, rs, cs, b, bn, c + i &* n, k: k, n: n, accumulate: accumulate) }
        }
    }

    /// One 32-column panel of a layer's forward step for all m rows (A is x,
    /// row-major with row stride `rs`): blocks of 8 rows, then 4, 2 and 1,
    /// each adding the bias and applying relu as it stores (`storeAffine`).
    /// Separate from `rowBlocks512` so the plain products keep their own code.
    @inline(__always)
    static func rowBlocksAffine512(_ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ bn: Int,
                                   _ c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int,
                                   bias: UnsafePointer<Float>, relu: Bool) {
        var i = 0
        while i &+ 8 <= m { block8x32Affine(a + i &* rs, rs, b, bn, c + i &* n, k: k, n: n, bias: bias, relu: relu); i &+= 8 }
        if i &+ 4 <= m { block4x32Affine(a + i &* rs, rs, b, bn, c + i &* n, k: k, n: n, bias: bias, relu: relu); i &+= 4 }
        if i &+ 2 <= m { block2x32Affine(a + i &* rs, rs, b, bn, c + i &* n, k: k, n: n, bias: bias, relu: relu); i &+= 2 }
        if i < m { block1x32Affine(a + i &* rs, rs, b, bn, c + i &* n, k: k, n: n, bias: bias, relu: relu) }
    }

    @inline(never) static func block8x32Affine(_ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, bias: UnsafePointer<Float>, relu: Bool) {
        block512(SIMD16<Float>.self, a, rs, 1, b, bn, c, k: k, n: n, rows: 8, twoVectors: true, accumulate: false, bias: bias, relu: relu)
    }
    @inline(never) static func block4x32Affine(_ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, bias: UnsafePointer<Float>, relu: Bool) {
        block512(SIMD16<Float>.self, a, rs, 1, b, bn, c, k: k, n: n, rows: 4, twoVectors: true, accumulate: false, bias: bias, relu: relu)
    }
    @inline(never) static func block2x32Affine(_ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, bias: UnsafePointer<Float>, relu: Bool) {
        block512(SIMD16<Float>.self, a, rs, 1, b, bn, c, k: k, n: n, rows: 2, twoVectors: true, accumulate: false, bias: bias, relu: relu)
    }
    @inline(never) static func block1x32Affine(_ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, bias: UnsafePointer<Float>, relu: Bool) {
        block512(SIMD16<Float>.self, a, rs, 1, b, bn, c, k: k, n: n, rows: 1, twoVectors: true, accumulate: false, bias: bias, relu: relu)
    }

    // One function per block shape, each with `block512` inlined for its
    // constant rows and width. Left to the optimiser, the big gemm functions
    // stopped inlining the blocks of 4, 2 and 1 rows and called one generic
    // `block512` that tested `rows` inside its loop (a third of the DQN update).
    @inline(never) static func block8x8(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD8<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 8, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block8x4(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD4<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 8, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block8x32(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 8, twoVectors: true, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block8x16(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 8, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block4x32(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 4, twoVectors: true, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block4x16(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 4, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block2x32(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 2, twoVectors: true, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block2x16(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 2, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block1x32(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 1, twoVectors: true, accumulate: accumulate, bias: nil, relu: false)
    }
    @inline(never) static func block1x16(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        block512(SIMD16<Float>.self, a, rs, cs, b, bn, c, k: k, n: n, rows: 1, twoVectors: false, accumulate: accumulate, bias: nil, relu: false)
    }

    /// The register block: `rows` (1, 2, 4 or 8, a constant after inlining)
    /// rows of C by one or two vectors V (16-wide for the panels of 16 and 32
    /// columns, 8- or 4-wide for the narrow panels). Unused partial sums are
    /// optimised away.
    @inline(__always)
    static func block512<V: SIMD>(_: V.Type, _ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>,
                         _ bn: Int, _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, rows: Int,
                         twoVectors: Bool, accumulate: Bool, bias: UnsafePointer<Float>?, relu: Bool) where V.Scalar == Float {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V(), s6 = V(), s7 = V()
        var t0 = V(), t1 = V(), t2 = V(), t3 = V(), t4 = V(), t5 = V(), t6 = V(), t7 = V()
        var bp = b
        var q = 0
        for _ in 0..<k {
            let b0 = UnsafeRawPointer(bp).loadUnaligned(as: V.self)
            let b1 = twoVectors ? UnsafeRawPointer(bp + V.scalarCount).loadUnaligned(as: V.self) : V()
            let x0 = V(repeating: a[q])
            s0.addProduct(x0, b0); if twoVectors { t0.addProduct(x0, b1) }
            if rows > 1 {
                let x1 = V(repeating: a[q &+ rs])
                s1.addProduct(x1, b0); if twoVectors { t1.addProduct(x1, b1) }
            }
            if rows > 2 {
                let x2 = V(repeating: a[q &+ 2 &* rs]), x3 = V(repeating: a[q &+ 3 &* rs])
                s2.addProduct(x2, b0); if twoVectors { t2.addProduct(x2, b1) }
                s3.addProduct(x3, b0); if twoVectors { t3.addProduct(x3, b1) }
            }
            if rows > 4 {
                let x4 = V(repeating: a[q &+ 4 &* rs]), x5 = V(repeating: a[q &+ 5 &* rs])
                let x6 = V(repeating: a[q &+ 6 &* rs]), x7 = V(repeating: a[q &+ 7 &* rs])
                s4.addProduct(x4, b0); if twoVectors { t4.addProduct(x4, b1) }
                s5.addProduct(x5, b0); if twoVectors { t5.addProduct(x5, b1) }
                s6.addProduct(x6, b0); if twoVectors { t6.addProduct(x6, b1) }
                s7.addProduct(x7, b0); if twoVectors { t7.addProduct(x7, b1) }
            }
            bp += bn
            q &+= cs
        }
        @inline(__always) func put(_ s: V, _ t: V, _ row: Int) {
            let p = c + row &* n
            if let bias {
                // Only the 32-column blocks of a layer step take a bias (V is SIMD16<Float>);
                // the concrete type gets the stdlib's vector select, where the generic one
                // was compiled to a branch per value.
                storeAffine(unsafeBitCast(s, to: SIMD16<Float>.self), bias, p, relu)
                if twoVectors { storeAffine(unsafeBitCast(t, to: SIMD16<Float>.self), bias + 16, p + 16, relu) }
            } else {
                storeV(s, p, accumulate)
                if twoVectors { storeV(t, p + V.scalarCount, accumulate) }
            }
        }
        put(s0, t0, 0)
        if rows > 1 { put(s1, t1, 1) }
        if rows > 2 { put(s2, t2, 2); put(s3, t3, 3) }
        if rows > 4 { put(s4, t4, 4); put(s5, t5, 5); put(s6, t6, 6); put(s7, t7, 7) }
    }

    /// c[0 ..< 16] = bias + v, then max(., 0) if `relu` (as
    /// `Kernels.relu`: NaN gives 0); the same bits as storing the bias,
    /// adding v to it, then applying `Kernels.relu`.
    @inline(__always)
    static func storeAffine(_ v: SIMD16<Float>, _ bias: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ relu: Bool) {
        let y = UnsafeRawPointer(bias).loadUnaligned(as: SIMD16<Float>.self) + v
        UnsafeMutableRawPointer(c).storeBytes(of: relu ? SIMD16<Float>().replacing(with: y, where: y .> 0) : y,
                                              as: SIMD16<Float>.self)
    }

    /// c[0 ..< V.scalarCount] (+)= v.
    @inline(__always)
    static func storeV<V: SIMD>(_ v: V, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) where V.Scalar == Float {
        let raw = UnsafeMutableRawPointer(c)
        let old = accumulate ? raw.loadUnaligned(as: V.self) : V()
        raw.storeBytes(of: old + v, as: V.self)
    }
    #endif
}
