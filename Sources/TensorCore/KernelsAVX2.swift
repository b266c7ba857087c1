/// The AVX2 tier of the matrix product (see `Kernels.swift`).
extension Kernels {
    #if TENSORCORE_WIDE_SIMD
    /// The gemm loop for CPUs with 256-bit vectors and fused multiply-add,
    /// compiled only with `-D TENSORCORE_WIDE_SIMD` (together with a
    /// `-target-cpu` such as `haswell`; see docs/BENCHMARKS.md). A 4 x 16
    /// register block of C: per step, 4 broadcasts of A (loads, no shuffles on
    /// AVX) and two 8-wide rows of B feed 8 fused multiply-adds.
    static func gemmWide(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                         _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, accumulate: Bool) {
        typealias V = SIMD8<Float>
        let n16 = n & ~15
        var j = 0
        while j < n16 {
            var i = 0
            while i < m {
                let rows = min(4, m &- i)
                let a0 = a + i &* rs
                let a1 = rows > 1 ? a0 + rs : a0, a2 = rows > 2 ? a0 + 2 &* rs : a0, a3 = rows > 3 ? a0 + 3 &* rs : a0
                var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
                var bp = b + j
                for p in 0..<k {
                    let b0 = UnsafeRawPointer(bp).loadUnaligned(as: V.self)
                    let b1 = UnsafeRawPointer(bp + 8).loadUnaligned(as: V.self)
                    let q = p &* cs
                    let x0 = V(repeating: a0[q]), x1 = V(repeating: a1[q]), x2 = V(repeating: a2[q]), x3 = V(repeating: a3[q])
                    c00.addProduct(x0, b0); c01.addProduct(x0, b1)
                    c10.addProduct(x1, b0); c11.addProduct(x1, b1)
                    c20.addProduct(x2, b0); c21.addProduct(x2, b1)
                    c30.addProduct(x3, b0); c31.addProduct(x3, b1)
                    bp += n
                }
                let c0 = c + (i &* n &+ j)
                store(c00, c0, accumulate); store(c01, c0 + 8, accumulate)
                if rows > 1 { store(c10, c0 + n, accumulate); store(c11, c0 + (n &+ 8), accumulate) }
                if rows > 2 { store(c20, c0 + 2 &* n, accumulate); store(c21, c0 + (2 &* n &+ 8), accumulate) }
                if rows > 3 { store(c30, c0 + 3 &* n, accumulate); store(c31, c0 + (3 &* n &+ 8), accumulate) }
                i &+= 4
            }
            j &+= 16
        }
        if n16 < n { gemmPaddedTail(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: n16, accumulate: accumulate) }
    }

    /// Columns `start..<n` of C, fewer than 16, through a 16-column panel:
    /// those columns of B are copied into a zero-padded k x 16 scratch matrix,
    /// the full-width kernel multiplies it into an m x 16 scratch result, and
    /// the real columns are added into C. (Column-at-a-time loops on a tail
    /// of 4 columns took 40% of the time of a 128 x 120 x 84 product.)
    static func gemmPaddedTail(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                               _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                               m: Int, k: Int, n: Int, from start: Int, accumulate: Bool) {
        let r = n &- start
        withScratch((k &+ m) &* 16) { scratch in
            let panel = scratch, out = scratch + k &* 16
            for p in 0..<k {
                for s in 0..<16 { panel[p &* 16 &+ s] = s < r ? b[p &* n &+ start &+ s] : 0 }
            }
            #if TENSORCORE_AVX512
            gemm512(a, rowStride: rs, columnStride: cs, panel, out, m: m, k: k, n: 16, accumulate: false)
            #else
            gemmWide(a, rowStride: rs, columnStride: cs, panel, out, m: m, k: k, n: 16, accumulate: false)
            #endif
            for i in 0..<m {
                let ci = c + (i &* n &+ start), oi = out + i &* 16
                for s in 0..<r { ci[s] = (accumulate ? ci[s] : 0) + oi[s] }
            }
        }
    }
    #endif
}
