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
///   AVX2 and AVX-512 builds also copy B^T for A B^T with 16 or more columns,
///   where their panel kernels beat dot products by more than the copy costs);
/// - vectorised tanh and Adam, which the C library would otherwise keep
///   scalar (`SIMD16.squareRoot()` compiles to one vector instruction because
///   TensorCore is built with `-Xcc -fno-math-errno`; see `Package.swift`).
///
/// Three builds, chosen by `Package.swift` from the build machine's CPU:
/// - portable (`DEEPRL_PORTABLE=1`, or not x86-64): baseline x86-64, SSE2,
///   4-wide and no fused multiply-add (`block4x8`);
/// - `-D TENSORCORE_WIDE_SIMD` with `-target-cpu haswell`: 8-wide fused
///   multiply-adds (`gemmWide`, a 6 x 16 block, and 8-wide dot products),
///   about twice as fast;
/// - `-D TENSORCORE_AVX512` (plus the above) with `-target-cpu skylake-avx512`:
///   16-wide vectors and an 8 x 32 register block (`gemm512`), about twice
///   as fast again on the large products.
/// The kernel tests run whichever path the build compiled.
///
/// The file layout: this file has the dispatch and the portable loops
/// (matrix products, dot products); `KernelsAVX2.swift` and
/// `KernelsAVX512.swift` the wider tiers; `KernelsElementwise.swift` tanh and
/// Adam; `KernelReference.swift` the plain reference loops and the public
/// `KernelDiagnostics` that tests compare them through; `Allocator.swift`
/// the allocator setting; `CPUFeatures.swift` the start-up check that the
/// CPU can run the tier this build compiled.
///
/// All matrices are row-major. `accumulate: true` adds into `c` (C += A B),
/// which lets backward passes add straight into a gradient buffer.
enum Kernels {
    // MARK: - C = A B and C = A^T B

    /// C[m x n] (+)= A B, where A is m x k and B is k x n.
    ///
    /// - Complexity: O(m k n) floating-point operations.
    static func matmul(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
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
        withScratch(rows &* columns) { t in
            transpose(x, rows: rows, columns: columns, into: t)
            body(t)
        }
    }

    /// t = x^T: `x` is `rows x columns`, `t` is `columns x rows` (row-major).
    ///
    /// 8 x 8 blocks go through registers (`transpose8x8`); the edges, fewer
    /// than 8 rows or columns, one value at a time. (One value at a time
    /// throughout, the strided stores made this 6% of a SAC update.)
    ///
    /// - Complexity: O(rows * columns).
    static func transpose(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into t: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        let rows8 = rows & ~7, columns8 = columns & ~7
        var r0 = 0
        while r0 < rows8 {
            var s0 = 0
            while s0 < columns8 {
                let source = x + (r0 &* columns &+ s0)
                @inline(__always) func row(_ i: Int) -> V { UnsafeRawPointer(source + i &* columns).loadUnaligned(as: V.self) }
                var block = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
                transpose8x8(&block)
                let target = t + (s0 &* rows &+ r0)
                @inline(__always) func put(_ i: Int, _ v: V) { UnsafeMutableRawPointer(target + i &* rows).storeBytes(of: v, as: V.self) }
                put(0, block.0); put(1, block.1); put(2, block.2); put(3, block.3)
                put(4, block.4); put(5, block.5); put(6, block.6); put(7, block.7)
                s0 &+= 8
            }
            r0 &+= 8
        }
        for r in 0..<rows {  // the right edge (all rows), then the bottom edge
            for s in columns8..<columns { t[s &* rows &+ r] = x[r &* columns &+ s] }
        }
        for r in rows8..<rows {
            for s in 0..<columns8 { t[s &* rows &+ r] = x[r &* columns &+ s] }
        }
    }

    /// Transposes eight rows of eight values in registers.
    ///
    /// Read the 64 values as one row-major vector, index 8 r + c: the
    /// transpose swaps the three bits of r with the three of c. Taking the
    /// even then the odd values of that vector (a perfect unshuffle) rotates
    /// the six index bits right by one, so three unshuffles swap the halves.
    /// One unshuffle makes row j from the even values of rows 2j and 2j + 1,
    /// and row 4 + j from their odd values.
    @inline(__always)
    static func transpose8x8(_ rows: inout (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                                            SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
        for _ in 0..<3 {
            let (a, b, c, d, e, f, g, h) = rows
            let ab = SIMD16(lowHalf: a, highHalf: b), cd = SIMD16(lowHalf: c, highHalf: d)
            let ef = SIMD16(lowHalf: e, highHalf: f), gh = SIMD16(lowHalf: g, highHalf: h)
            rows = (ab.evenHalf, cd.evenHalf, ef.evenHalf, gh.evenHalf, ab.oddHalf, cd.oddHalf, ef.oddHalf, gh.oddHalf)
        }
    }

    /// The plain loop that `transpose` must match.
    static func referenceTranspose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: .nan, count: rows * columns)
        for r in 0..<rows { for s in 0..<columns { t[s * rows + r] = x[r * columns + s] } }
        return t
    }

    /// C[m x n] (+)= A^T B, where A is stored k x m and B is k x n.
    ///
    /// This is dW = x^T dY in a linear layer's backward pass.
    static func matmulTransposedA(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        if n < 8 && m >= 8 {
            // Narrow result: compute C^T = B^T A (n x m, wide) and add it back transposed.
            withScratch(n &* m) { ct in
                gemm(b, rowStride: 1, columnStride: n, a, ct, m: n, k: k, n: m, accumulate: false)
                for i in 0..<m {
                    for j in 0..<n { c[i &* n &+ j] = (accumulate ? c[i &* n &+ j] : 0) + ct[j &* m &+ i] }
                }
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
        if n >= 8 { return gemm512(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate) }
        #endif
        #if TENSORCORE_WIDE_SIMD
        if n >= 16 { return gemmWide(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate) }
        #endif
        withScratch(16 &* max(k, 1)) { scratch in
            scratch.withMemoryRebound(to: SIMD4<Float>.self, capacity: 4 &* max(k, 1)) { packed in
                gemm4x8(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, accumulate: accumulate, packed: packed)
            }
        }
    }

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


    // MARK: - C = A B^T

    /// C[m x n] (+)= A B^T, where A is m x k and B is stored n x k.
    ///
    /// Each entry is a dot product of two contiguous rows; a 4 x 2 block of
    /// dot products runs at once with 4-wide partial sums. This is
    /// dx = dY W^T in a linear layer's backward pass.
    static func matmulTransposedB(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        #if TENSORCORE_WIDE_SIMD
        let copyTranspose = n >= 16 || (k < 8 && n >= 8)
        #else
        let copyTranspose = k < 8 && n >= 8
        #endif
        if copyTranspose {
            // Dot products this short are all overhead (e.g. dY W^T with 2 actions),
            // and with 256- and 512-bit vectors the panel kernel beats dot products
            // anyway (the copy costs k n moves against m k n multiply-adds; on AVX2
            // the dot products were 27% of a DQN update): copy B^T into rows and use
            // the panel kernel.
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

}
