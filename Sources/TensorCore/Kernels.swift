import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The hot loops of the tensor core, in one place, each beside the plain
/// reference loop that the tests compare it against.
///
/// Everything else in TensorCore is written for reading; this file is written
/// for speed. The techniques:
/// - raw pointers (`UnsafePointer`) and wrapping index arithmetic (`&+`, `&*`)
///   so the optimiser sees no bounds or overflow checks;
/// - SIMD partial sums (`SIMD4<Float>`, `SIMD8<Float>`), which the compiler
///   maps to vector registers;
/// - register blocking: the matrix product computes a 4 x 8 block of the
///   result at a time, keeping its 32 partial sums in registers while it
///   streams four (pre-broadcast) values of A and one row of B per step;
/// - transpose-free variants: backward passes need A^T B and A B^T, which are
///   computed from A and B as stored instead of materialising a transpose
///   (only thin operands, fewer than 8 columns, are copied transposed; the
///   AVX-512 build also copies B^T for A B^T, where its panel kernel beats
///   dot products by more than the copy costs);
/// - vectorised tanh and Adam, which the C library and `Float.squareRoot()`
///   would otherwise keep scalar.
///
/// Three builds, chosen by `Package.swift` from the build machine's CPU:
/// - portable (`DEEPRL_PORTABLE=1`, or not x86-64): baseline x86-64, SSE2,
///   4-wide and no fused multiply-add (`block4x8`);
/// - `-D TENSORCORE_WIDE_SIMD` with `-target-cpu haswell`: 8-wide fused
///   multiply-adds (`gemmWide`, 8-wide dot products), about twice as fast;
/// - `-D TENSORCORE_AVX512` (plus the above) with `-target-cpu skylake-avx512`:
///   16-wide vectors and an 8 x 32 register block (`gemm512`), about twice
///   as fast again on the large products.
/// The kernel tests run whichever path the build compiled.
///
/// `allocatorTuned` (at the end) is not a loop but belongs here: it stops
/// the C allocator from returning memory to the system between training
/// steps, which otherwise costs more than many of the loops.
///
/// All matrices are row-major. `accumulate: true` adds into `c` (C += A B),
/// which lets backward passes add straight into a gradient buffer.
public enum Kernels {
    // MARK: - C = A B and C = A^T B

    /// C[m x n] (+)= A B, where A is m x k and B is k x n.
    ///
    /// - Complexity: O(m k n) floating-point operations.
    public static func matmul(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                              m: Int, k: Int, n: Int, accumulate: Bool = false) {
        if n < 8 && k >= 8 {
            // Too narrow for 8-column panels (e.g. a 2-action Q head): use dot
            // products against the columns of B, copied into rows (k n copies).
            withTransposed(b, rows: k, columns: n) { bt in
                matmulTransposedB(a, bt, c, m: m, k: k, n: n, accumulate: accumulate)
            }
        } else {
            gemm(a, rowStride: k, columnStride: 1, b, c, m: m, k: k, n: n, accumulate: accumulate)
        }
    }

    /// Runs `body` with a scratch copy of the `rows x columns` matrix `x` transposed.
    @inline(__always)
    static func withTransposed(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                               _ body: (UnsafePointer<Float>) -> Void) {
        let t = UnsafeMutablePointer<Float>.allocate(capacity: rows &* columns)
        defer { t.deallocate() }
        // 16 x 16 tiles, so that both the reads and the strided writes stay in cache.
        var r0 = 0
        while r0 < rows {
            var s0 = 0
            while s0 < columns {
                for r in r0..<min(r0 &+ 16, rows) {
                    for s in s0..<min(s0 &+ 16, columns) { t[s &* rows &+ r] = x[r &* columns &+ s] }
                }
                s0 &+= 16
            }
            r0 &+= 16
        }
        body(t)
    }

    /// C[m x n] (+)= A^T B, where A is stored k x m and B is k x n.
    ///
    /// This is dW = x^T dY in a linear layer's backward pass.
    public static func matmulTransposedA(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        if n < 8 && m >= 8 {
            // Narrow result: compute C^T = B^T A (n x m, wide) and add it back transposed.
            let ct = UnsafeMutablePointer<Float>.allocate(capacity: n &* m)
            defer { ct.deallocate() }
            gemm(b, rowStride: 1, columnStride: n, a, ct, m: n, k: k, n: m, accumulate: false)
            for i in 0..<m {
                for j in 0..<n { c[i &* n &+ j] = (accumulate ? c[i &* n &+ j] : 0) + ct[j &* m &+ i] }
            }
        } else {
            gemm(a, rowStride: 1, columnStride: m, b, c, m: m, k: k, n: n, accumulate: accumulate)
        }
    }

    /// The shared loop of `matmul` and `matmulTransposedA`: A(i, p) lives at
    /// `a[i * rowStride + p * columnStride]`; B and C are contiguous rows.
    ///
    /// For each block of 4 rows of A, the 4 x k values are first packed as
    /// 4-wide broadcasts (`SIMD4(repeating: A(i, p))`), so the inner loop
    /// only loads and multiply-adds (no shuffles); then every 8-column panel
    /// of B is swept with the 4 x 8 register block.
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                     _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                     m: Int, k: Int, n: Int, accumulate: Bool) {
        #if TENSORCORE_AVX512
        if n >= 16 { return gemm512(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate) }
        #endif
        #if TENSORCORE_WIDE_SIMD
        if n >= 16 { return gemmWide(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate) }
        #endif
        let packed = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 4 &* max(k, 1))
        defer { packed.deallocate() }
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
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (k &+ m) &* 16)
        defer { scratch.deallocate() }
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
    #endif

    #if TENSORCORE_AVX512 && !TENSORCORE_WIDE_SIMD
    #error("TENSORCORE_AVX512 needs TENSORCORE_WIDE_SIMD too (Package.swift defines both)")
    #endif
    #if TENSORCORE_AVX512
    /// The gemm loop for CPUs with 512-bit vectors (AVX-512), compiled only
    /// with `-D TENSORCORE_AVX512` and a CPU such as `-target-cpu skylake-avx512`.
    /// C is swept in panels of 32 columns (two 16-wide vectors), 8 rows at a
    /// time: 16 partial sums in registers, fed per step by 8 broadcasts of A
    /// and two vectors of B. The last rows use blocks of 4, 2 and 1 rows, a
    /// 16-column panel takes one vector per row, and the last n % 16
    /// columns go through a zero-padded 16-column panel (`gemmPaddedTail`).
    static func gemm512(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                        _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, k: Int, n: Int, accumulate: Bool) {
        var j = 0
        while j &+ 32 <= n {
            rowBlocks512(a, rs, cs, b + j, c + j, m: m, k: k, n: n, twoVectors: true, accumulate: accumulate)
            j &+= 32
        }
        if j &+ 16 <= n {
            rowBlocks512(a, rs, cs, b + j, c + j, m: m, k: k, n: n, twoVectors: false, accumulate: accumulate)
            j &+= 16
        }
        if j < n { gemmPaddedTail(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: j, accumulate: accumulate) }
    }

    /// One column panel (16 or 32 wide) of C for all m rows: blocks of 8 rows,
    /// then 4, 2 and 1 for the rest.
    @inline(__always)
    static func rowBlocks512(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>,
                             _ c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int,
                             twoVectors: Bool, accumulate: Bool) {
        var i = 0
        while i &+ 8 <= m {
            if twoVectors { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 8, twoVectors: true, accumulate: accumulate) }
            else { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 8, twoVectors: false, accumulate: accumulate) }
            i &+= 8
        }
        if i &+ 4 <= m {
            if twoVectors { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 4, twoVectors: true, accumulate: accumulate) }
            else { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 4, twoVectors: false, accumulate: accumulate) }
            i &+= 4
        }
        if i &+ 2 <= m {
            if twoVectors { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 2, twoVectors: true, accumulate: accumulate) }
            else { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 2, twoVectors: false, accumulate: accumulate) }
            i &+= 2
        }
        if i < m {
            if twoVectors { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 1, twoVectors: true, accumulate: accumulate) }
            else { block512(a + i &* rs, rs, cs, b, c + i &* n, k: k, n: n, rows: 1, twoVectors: false, accumulate: accumulate) }
        }
    }

    /// The register block: `rows` (1, 2, 4 or 8, a constant after inlining)
    /// rows of C by 16 or 32 columns. Unused partial sums are optimised away.
    @inline(__always)
    static func block512(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, k: Int, n: Int, rows: Int,
                         twoVectors: Bool, accumulate: Bool) {
        typealias V = SIMD16<Float>
        var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V(), s6 = V(), s7 = V()
        var t0 = V(), t1 = V(), t2 = V(), t3 = V(), t4 = V(), t5 = V(), t6 = V(), t7 = V()
        var bp = b
        var q = 0
        for _ in 0..<k {
            let b0 = UnsafeRawPointer(bp).loadUnaligned(as: V.self)
            let b1 = twoVectors ? UnsafeRawPointer(bp + 16).loadUnaligned(as: V.self) : V()
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
            bp += n
            q &+= cs
        }
        @inline(__always) func put(_ s: V, _ t: V, _ row: Int) {
            let p = c + row &* n
            store16(s, p, accumulate)
            if twoVectors { store16(t, p + 16, accumulate) }
        }
        put(s0, t0, 0)
        if rows > 1 { put(s1, t1, 1) }
        if rows > 2 { put(s2, t2, 2); put(s3, t3, 3) }
        if rows > 4 { put(s4, t4, 4); put(s5, t5, 5); put(s6, t6, 6); put(s7, t7, 7) }
    }

    @inline(__always)
    static func store16(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        let old = accumulate ? raw.loadUnaligned(as: SIMD16<Float>.self) : SIMD16<Float>()
        raw.storeBytes(of: old + v, as: SIMD16<Float>.self)
    }
    #endif

    // MARK: - C = A B^T

    /// C[m x n] (+)= A B^T, where A is m x k and B is stored n x k.
    ///
    /// Each entry is a dot product of two contiguous rows; a 4 x 2 block of
    /// dot products runs at once with 4-wide partial sums. This is
    /// dx = dY W^T in a linear layer's backward pass.
    public static func matmulTransposedB(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        #if TENSORCORE_AVX512
        let copyTranspose = n >= 16 || (k < 8 && n >= 8)
        #else
        let copyTranspose = k < 8 && n >= 8
        #endif
        if copyTranspose {
            // Dot products this short are all overhead (e.g. dY W^T with 2 actions),
            // and with 512-bit vectors the panel kernel beats dot products anyway
            // (the copy costs k n moves against m k n multiply-adds):
            // copy B^T into rows and use the panel kernel.
            withTransposed(b, rows: n, columns: k) { bt in
                gemm(a, rowStride: k, columnStride: 1, bt, c, m: m, k: k, n: n, accumulate: accumulate)
            }
            return
        }
        let kv = k & ~(DotVector.scalarCount &- 1)
        var i = 0
        while i < m {
            let rows = min(4, m &- i)
            var j = 0
            while j < n {
                let cols = min(2, n &- j)
                if rows == 4 && cols == 2 {
                    let a0 = a + i &* k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
                    let b0 = b + j &* k, b1 = b0 + k
                    var s00 = DotVector(), s01 = DotVector(), s10 = DotVector(), s11 = DotVector()
                    var s20 = DotVector(), s21 = DotVector(), s30 = DotVector(), s31 = DotVector()
                    var p = 0
                    while p < kv {
                        let x0 = loadDot(b0 + p), x1 = loadDot(b1 + p)
                        let y0 = loadDot(a0 + p), y1 = loadDot(a1 + p), y2 = loadDot(a2 + p), y3 = loadDot(a3 + p)
                        multiplyAdd(&s00, y0, x0); multiplyAdd(&s01, y0, x1)
                        multiplyAdd(&s10, y1, x0); multiplyAdd(&s11, y1, x1)
                        multiplyAdd(&s20, y2, x0); multiplyAdd(&s21, y2, x1)
                        multiplyAdd(&s30, y3, x0); multiplyAdd(&s31, y3, x1)
                        p &+= DotVector.scalarCount
                    }
                    var t00 = s00.sum(), t01 = s01.sum(), t10 = s10.sum(), t11 = s11.sum()
                    var t20 = s20.sum(), t21 = s21.sum(), t30 = s30.sum(), t31 = s31.sum()
                    while p < k {
                        t00 += a0[p] * b0[p]; t01 += a0[p] * b1[p]
                        t10 += a1[p] * b0[p]; t11 += a1[p] * b1[p]
                        t20 += a2[p] * b0[p]; t21 += a2[p] * b1[p]
                        t30 += a3[p] * b0[p]; t31 += a3[p] * b1[p]
                        p &+= 1
                    }
                    let c0 = c + (i &* n &+ j), c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
                    if accumulate {
                        c0[0] += t00; c0[1] += t01; c1[0] += t10; c1[1] += t11
                        c2[0] += t20; c2[1] += t21; c3[0] += t30; c3[1] += t31
                    } else {
                        c0[0] = t00; c0[1] = t01; c1[0] = t10; c1[1] = t11
                        c2[0] = t20; c2[1] = t21; c3[0] = t30; c3[1] = t31
                    }
                } else {
                    for r in i..<(i &+ rows) {
                        for s in j..<(j &+ cols) {
                            c[r &* n &+ s] = (accumulate ? c[r &* n &+ s] : 0) + dot(a + r &* k, b + s &* k, k)
                        }
                    }
                }
                j &+= cols
            }
            i &+= rows
        }
    }

    #if TENSORCORE_WIDE_SIMD
    /// The partial-sum vector of the dot-product kernel: 8 lanes with
    /// fused multiply-add on wide CPUs.
    typealias DotVector = SIMD8<Float>
    @inline(__always)
    static func multiplyAdd(_ s: inout DotVector, _ x: DotVector, _ y: DotVector) { s.addProduct(x, y) }
    #else
    /// The partial-sum vector of the dot-product kernel: 4 lanes (one SSE register).
    typealias DotVector = SIMD4<Float>
    @inline(__always)
    static func multiplyAdd(_ s: inout DotVector, _ x: DotVector, _ y: DotVector) { s += x * y }
    #endif

    @inline(__always)
    static func loadDot(_ p: UnsafePointer<Float>) -> DotVector {
        UnsafeRawPointer(p).loadUnaligned(as: DotVector.self)
    }

    @inline(__always)
    static func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    /// The dot product of two contiguous vectors of length `k`, with two
    /// vectors of partial sums (so that consecutive multiply-adds do not wait
    /// for each other). This is every entry of a matrix-vector product such
    /// as a one-output head (n = 1).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ k: Int) -> Float {
        let w = DotVector.scalarCount
        var s0 = DotVector(), s1 = DotVector()
        var p = 0
        while p &+ 2 &* w <= k {
            multiplyAdd(&s0, loadDot(x + p), loadDot(y + p))
            multiplyAdd(&s1, loadDot(x + (p &+ w)), loadDot(y + (p &+ w)))
            p &+= 2 &* w
        }
        if p &+ w <= k { multiplyAdd(&s0, loadDot(x + p), loadDot(y + p)); p &+= w }
        var total = (s0 + s1).sum()
        while p < k { total += x[p] * y[p]; p &+= 1 }
        return total
    }

    // MARK: - tanh

    /// y = tanh(x) for `count` values, eight at a time, by a rational
    /// approximation p(x) / q(x) (odd degree-13 over even degree-6, the
    /// coefficients used by Eigen) on x clamped to [-7.9053, 7.9053], where
    /// tanh is within float rounding of +-1. The error stays below 5e-7 (tested
    /// against `Foundation.tanh`); about 9 times faster than the C library.
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
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
        let x = input.clamped(lowerBound: SIMD8(repeating: -7.90531110763549805),
                              upperBound: SIMD8(repeating: 7.90531110763549805))
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

    /// The C library's tanh, one value at a time (the reference for `tanh`).
    public static func referenceTanh(_ x: [Float]) -> [Float] { x.map { Foundation.tanh($0) } }

    // MARK: - Adam

    /// One Adam update of `count` parameters, eight at a time:
    ///
    ///     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
    ///     w <- w - stepSize * m / (sqrt(v) / rootCorrection2 + eps)
    ///
    /// with stepSize = lr / (1 - b1^t) and rootCorrection2 = sqrt(1 - b2^t).
    public static func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                                  _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                                  beta1 b1: Float, beta2 b2: Float, stepSize: Float, rootCorrection2: Float, epsilon eps: Float) {
        typealias V = SIMD8<Float>
        let inverseRoot = 1 / rootCorrection2
        var i = 0
        while i &+ 8 <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gi * gi
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V.self) - stepSize * mi / (squareRoot8(vi) * inverseRoot + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: V.self)
            i &+= 8
        }
        while i < count {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            w[i] -= stepSize * m[i] / (v[i].squareRoot() * inverseRoot + eps)
            i &+= 1
        }
    }

    /// sqrt(x) for eight non-negative values without a library call.
    ///
    /// `Float.squareRoot()` compiles to a scalar instruction plus an error
    /// check, which stops vectorisation. Here 1/sqrt(x) starts from the
    /// classic bit-level estimate (within 3.5%) and three Newton steps
    /// r <- r (1.5 - 0.5 x r^2) bring it to float precision; sqrt(x) = x r.
    @inline(__always)
    static func squareRoot8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (unsafeBitCast(x, to: SIMD8<UInt32>.self) &>> 1)
        var r = unsafeBitCast(bits, to: SIMD8<Float>.self)
        let half = 0.5 * x
        for _ in 0..<3 { r = r * (1.5 - half * r * r) }
        return (x * r).replacing(with: 0, where: x .<= 0)
    }

    /// The scalar Adam update that `adamUpdate` must match.
    public static func referenceAdamUpdate(_ w: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float],
                                           beta1 b1: Float, beta2 b2: Float, stepSize: Float,
                                           rootCorrection2: Float, epsilon eps: Float) {
        for i in w.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            w[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
        }
    }

    // MARK: - The memory allocator

    /// Keeps freed memory in the process for reuse; evaluated once, on the
    /// first tensor (see `Tensor.init`).
    ///
    /// Every operation allocates its result array and every training step
    /// frees them all at the end. With its default settings glibc's `malloc`
    /// hands free memory at the top of the heap back to the system as soon as
    /// more than 128 KB is free there, and serves blocks of 128 KB or more
    /// (a 256 x 256 activation) by `mmap`, so the next step has to fault the
    /// same pages in again, one 4 KB page at a time: that took a quarter of a
    /// DQN update and half of a SAC update. Raising both thresholds (64 MB of
    /// free heap kept, `mmap` only from 16 MB) makes the next step reuse the
    /// pages. Other platforms' allocators are left alone.
    static let allocatorTuned: Bool = {
        #if os(Linux) && canImport(Glibc)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>
        return mallopt(trimThreshold, 64 << 20) == 1 && mallopt(mmapThreshold, 16 << 20) == 1
        #else
        return false
        #endif
    }()

    // MARK: - Reference loops

    /// The plain triple loop C = op(A) op(B) that the fast kernels must match.
    ///
    /// - Parameters:
    ///   - transposeA: A is stored k x m and used transposed.
    ///   - transposeB: B is stored n x k and used transposed.
    public static func referenceMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int,
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

    /// Array front end to the fast kernels (used by tests and benchmarks).
    public static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int,
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
