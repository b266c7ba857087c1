/// The portable tier of the matrix product (see `Kernels.swift`): SSE2's
/// 4-wide vectors, no fused multiply-add, a 4 x 8 register block.
///
/// `gemm` in `Kernels.swift` comes here when the build has no wider tier, and
/// on the wider tiers for the results too narrow for their panels.
extension Kernels {
    /// The portable body of `gemm`, with room for 4 x k packed broadcasts.
    @inline(__always)
    static func gemm4x8(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                        _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, k: Int, n: Int, accumulate: Bool, packed: UnsafeMutablePointer<SIMD4<Float>>) {
        let n8 = n & ~7
        var i = 0
        while i &+ 4 <= m {
            let a0 = a + i &* rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs
            for p in 0..<k {
                let q = p &* cs
                packed[4 &* p] = SIMD4(repeating: a0[q])
                packed[4 &* p &+ 1] = SIMD4(repeating: a1[q])
                packed[4 &* p &+ 2] = SIMD4(repeating: a2[q])
                packed[4 &* p &+ 3] = SIMD4(repeating: a3[q])
            }
            var j = 0
            while j < n8 {
                block4x8(packed, b + j, c + (i &* n &+ j), k: k, n: n, accumulate: accumulate)
                j &+= 8
            }
            if j &+ 4 <= n {  // a 4-column remainder panel
                block4x4(packed, b + j, c + (i &* n &+ j), k: k, n: n, accumulate: accumulate)
                j &+= 4
            }
            for jj in j..<n {  // the last n % 4 columns of these rows
                for r in 0..<4 {
                    var sum: Float = accumulate ? c[(i &+ r) &* n &+ jj] : 0
                    for p in 0..<k { sum += packed[4 &* p &+ r][0] * b[p &* n &+ jj] }
                    c[(i &+ r) &* n &+ jj] = sum
                }
            }
            i &+= 4
        }
        while i < m {  // the last m % 4 rows, eight columns at a time
            var j = 0
            while j < n8 {
                block1x8(a + i &* rs, cs, b + j, c + (i &* n &+ j), k: k, n: n, accumulate: accumulate)
                j &+= 8
            }
            i &+= 1
        }
        if n8 < n {  // the last n % 8 columns of the last m % 4 rows
            for i in (m & ~3)..<m {
                let ai = a + i &* rs
                for jj in n8..<n {
                    var sum: Float = accumulate ? c[i &* n &+ jj] : 0
                    for p in 0..<k { sum += ai[p &* cs] * b[p &* n &+ jj] }
                    c[i &* n &+ jj] = sum
                }
            }
        }
    }

    /// The register-blocked micro-kernel: a 4 x 8 block of C from packed
    /// broadcasts of 4 rows of A and an 8-column panel of B.
    @inline(__always)
    static func block4x8(_ packed: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c10 = SIMD4<Float>(), c11 = SIMD4<Float>()
        var c20 = SIMD4<Float>(), c21 = SIMD4<Float>(), c30 = SIMD4<Float>(), c31 = SIMD4<Float>()
        var p = 0
        var bp = b
        var ap = packed
        while p < k {
            let b0 = load4(bp), b1 = load4(bp + 4)
            c00 += ap[0] * b0; c01 += ap[0] * b1
            c10 += ap[1] * b0; c11 += ap[1] * b1
            c20 += ap[2] * b0; c21 += ap[2] * b1
            c30 += ap[3] * b0; c31 += ap[3] * b1
            bp += n
            ap += 4
            p &+= 1
        }
        store(SIMD8(lowHalf: c00, highHalf: c01), c, accumulate)
        store(SIMD8(lowHalf: c10, highHalf: c11), c + n, accumulate)
        store(SIMD8(lowHalf: c20, highHalf: c21), c + 2 &* n, accumulate)
        store(SIMD8(lowHalf: c30, highHalf: c31), c + 3 &* n, accumulate)
    }

    /// A 4 x 4 block of C (for a remainder of 4 to 7 columns).
    @inline(__always)
    static func block4x4(_ packed: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        var c0 = SIMD4<Float>(), c1 = SIMD4<Float>(), c2 = SIMD4<Float>(), c3 = SIMD4<Float>()
        for p in 0..<k {
            let b0 = load4(b + p &* n), ap = packed + 4 &* p
            c0 += ap[0] * b0; c1 += ap[1] * b0; c2 += ap[2] * b0; c3 += ap[3] * b0
        }
        store4(c0, c, accumulate)
        store4(c1, c + n, accumulate)
        store4(c2, c + 2 &* n, accumulate)
        store4(c3, c + 3 &* n, accumulate)
    }

    @inline(__always)
    static func store4(_ v: SIMD4<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        let old = accumulate ? raw.loadUnaligned(as: SIMD4<Float>.self) : SIMD4<Float>()
        raw.storeBytes(of: old + v, as: SIMD4<Float>.self)
    }

    /// One row of C by eight columns (for the last m % 4 rows).
    @inline(__always)
    static func block1x8(_ a: UnsafePointer<Float>, _ cs: Int, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool) {
        var c0 = SIMD8<Float>()
        for p in 0..<k {
            c0 += SIMD8(repeating: a[p &* cs]) * UnsafeRawPointer(b + p &* n).loadUnaligned(as: SIMD8<Float>.self)
        }
        store(c0, c, accumulate)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        let old = accumulate ? raw.loadUnaligned(as: SIMD8<Float>.self) : SIMD8<Float>()
        raw.storeBytes(of: old + v, as: SIMD8<Float>.self)
    }
}
