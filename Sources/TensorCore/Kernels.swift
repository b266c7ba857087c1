import Foundation

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
///   where their panel kernels beat dot products by more than the copy costs,
///   and AVX-512 packs each 32-column panel of B^T straight from B's rows
///   when the columns are a multiple of 32);
/// - vectorised tanh and Adam, which the C library would otherwise keep
///   scalar (`SIMD16.squareRoot()` compiles to one vector instruction because
///   TensorCore is built with `-Xcc -fno-math-errno`; see `Package.swift`).
///
/// Three builds, chosen by `Package.swift` from the build machine's CPU:
/// - portable (`DEEPRL_PORTABLE=1`, or not x86-64 Linux): 4-wide and no fused
///   multiply-add (`block4x8`), SSE2 on x86-64 and NEON on arm64 (the
///   compiler maps `SIMD4<Float>` to either); Apple silicon builds this tier;
/// - `-D TENSORCORE_WIDE_SIMD` with `-target-cpu haswell`: 8-wide fused
///   multiply-adds (`gemmWide`, a 6 x 16 block, and 8-wide dot products),
///   about twice as fast;
/// - `-D TENSORCORE_AVX512` (plus the above) with `-target-cpu skylake-avx512`:
///   16-wide vectors and an 8 x 32 register block (`gemm512`), about twice
///   as fast again on the large products.
/// The kernel tests run whichever path the build compiled.
///
/// The file layout: this file has the entry points, the dispatch between
/// the tiers and the dot products; `KernelsPortable.swift` the portable
/// 4 x 8 register block; `KernelsTranspose.swift` the transposes that the
/// backward pass copies; `KernelsAVX2.swift` and `KernelsAVX512.swift` the
/// wider tiers (`KernelsAVX512Bands.swift`: the AVX-512 products that are
/// shared among threads panel by panel); `KernelsElementwise.swift` tanh and
/// Adam; `KernelReference.swift` the plain reference loops and the public
/// `KernelDiagnostics` that tests compare them through; `KernelsAllocator.swift`
/// the allocator setting; `KernelsStartUp.swift` the start-up check that the
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
        ProductProfile.timed(.product, m: m, k: k, n: n, accumulate: accumulate) {
            if k == 1 {
                rankOne(a, b, c, m: m, n: n, accumulate: accumulate)
            } else if n < 8 && k >= 8 {
                // Too narrow for 8-column panels (e.g. a 2-action Q head): use dot
                // products against the columns of B, copied into rows (k n copies).
                withTransposed(b, rows: k, columns: n) { bt in
                    dotProductsInBands(a, bt, c, m: m, k: k, n: n, accumulate: accumulate)
                }
            } else {
                gemmInBands(a, rowStride: k, columnStride: 1, b, c, m: m, k: k, n: n, accumulate: accumulate)
            }
        }
    }

    /// C[m x n] (+)= A^T B, where A is stored k x m and B is k x n.
    ///
    /// This is dW = x^T dY in a linear layer's backward pass.
    static func matmulTransposedA(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        ProductProfile.timed(.transposedA, m: m, k: k, n: n, accumulate: accumulate) {
            if k == 1 {
                rankOne(a, b, c, m: m, n: n, accumulate: accumulate)
            } else if n < 8 && m >= 8 {
                // Narrow result: compute C^T = B^T A (n x m, wide) and add it back transposed.
                withScratch(n &* m) { ct in
                    gemm(b, rowStride: 1, columnStride: n, a, ct, m: n, k: k, n: m, accumulate: false)
                    for i in 0..<m {
                        for j in 0..<n { c[i &* n &+ j] = (accumulate ? c[i &* n &+ j] : 0) + ct[j &* m &+ i] }
                    }
                }
            } else {
                gemmInBands(a, rowStride: 1, columnStride: m, b, c, m: m, k: k, n: n, accumulate: accumulate)
            }
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

    // MARK: - C = A B^T

    /// C[m x n] (+)= A B^T, where A is m x k and B is stored n x k.
    ///
    /// This is dx = dY W^T in a linear layer's backward pass. Each entry is a
    /// dot product of two contiguous rows (`dotProducts`), unless B is copied
    /// transposed for the panel kernel: when the dot products would be short
    /// (k < 8, with 8 or more columns) and, on the AVX2 and AVX-512 tiers,
    /// whenever there are 16 or more columns. (On AVX-512, with a multiple of
    /// 32 columns and k >= 8, each thread packs the panels of B^T it takes
    /// from B's rows itself instead: `gemm512TransposedB`.)
    static func matmulTransposedB(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                         m: Int, k: Int, n: Int, accumulate: Bool = false) {
        #if TENSORCORE_WIDE_SIMD
        let copyTranspose = n >= 16 || (k < 8 && n >= 8)
        #else
        let copyTranspose = k < 8 && n >= 8
        #endif
        ProductProfile.timed(.transposedB, m: m, k: k, n: n, accumulate: accumulate) {
            if k == 1 { return rankOne(a, b, c, m: m, n: n, accumulate: accumulate) }
            #if TENSORCORE_AVX512
            if copyTranspose && n % 32 == 0 && k >= 8 {
                // Each thread packs B^T's 32-column panels straight from B's rows (no
                // transposed copy of B, and no second split for it; `gemm512TransposedB`).
                // (With k < 8 the copy is a few hundred values, moved one at a time either way.)
                return gemm512TransposedB(a, b, c, m: m, k: k, n: n, accumulate: accumulate)
            }
            #endif
            if copyTranspose {
                // Dot products this short are all overhead (e.g. dY W^T with 2 actions),
                // and with 256- and 512-bit vectors the panel kernel beats dot products
                // anyway (the copy costs k n moves against m k n multiply-adds; on AVX2
                // the dot products were 27% of a DQN update): copy B^T into rows and use
                // the panel kernel.
                withTransposed(b, rows: n, columns: k) { bt in
                    gemmInBands(a, rowStride: k, columnStride: 1, bt, c, m: m, k: k, n: n, accumulate: accumulate)
                }
            } else {
                dotProductsInBands(a, b, c, m: m, k: k, n: n, accumulate: accumulate)
            }
        }
    }

    // MARK: - C = a b^T (k = 1)

    /// C[m x n] (+)= a b^T for a column a of m values and a row b of n
    /// values: a product whose inner dimension is 1 (A B, A^T B and A B^T
    /// alike, since a 1-wide operand is the same values either way), such as
    /// dx = dy W^T of a one-output head (256 x 1 x 256). Row i of C is a[i]
    /// times b, added to C or to zero, in the row bands of `inRowBands`.
    ///
    /// The panel kernels spent a register block, a loop and a store of every
    /// sum on a single multiply-add per value (8 GFLOP/s inside SAC's update,
    /// `deeprl bench --products`); this is one multiply (and one add) per
    /// value. The values are theirs, (C +) a[i] b[j] rounded once (they
    /// computed (0 or C) + fma(a[i], b[j], 0), which can differ from it only
    /// in the sign of a zero).
    ///
    /// - Complexity: O(m n).
    static func rankOne(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, n: Int, accumulate: Bool) {
        inRowBands(m: m, k: 1, n: n, block: rowBlock) { first, rows in
            for i in first..<(first &+ rows) {
                let (x, row) = (a[i], c + i &* n)
                if accumulate {
                    for j in 0..<n { row[j] += x * b[j] }
                } else {
                    for j in 0..<n { row[j] = x * b[j] }
                }
            }
        }
    }

    /// C[m x n] (+)= A B^T as dot products of contiguous rows: blocks of
    /// 4 rows by 2 columns, a last odd column 4 rows at a time (`block4x1`),
    /// and the last m % 4 rows one dot product at a time.
    ///
    /// Not inlined: inlined into a product's caller (an affine layer's
    /// backward closure, with every other kernel), the compiler left
    /// `loadUnaligned` as a call per vector and kept the sums on the stack,
    /// and SAC's 256 x 256 x 4 dx = dz W^T ran at 7 GFLOP/s on one thread
    /// (70 in the bands of two threads, whose closure is a function of its own).
    @inline(never)
    static func dotProducts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            m: Int, k: Int, n: Int, accumulate: Bool) {
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
                } else if rows == 4 {
                    // One column left (n odd; all of a one-output head): four rows at once.
                    block4x1(a + i &* k, b + j &* k, c + (i &* n &+ j), k: k, n: n, accumulate: accumulate)
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

    /// Four dot products against one row of B: C[r, 0] (+)= A[r] . b for the
    /// four rows of A from `a` (a column of C, `n` apart).
    ///
    /// Each row keeps two vectors of partial sums, eight chains in all, so
    /// that the multiply-adds do not wait for each other (one `dot` per row
    /// waited: a 256 x 256 matrix times a vector, a SAC critic's head, ran at
    /// 17 GFLOP/s).
    @inline(__always)
    static func block4x1(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         k: Int, n: Int, accumulate: Bool) {
        let w = DotVector.scalarCount
        let a0 = a, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var s0 = DotVector(), s1 = DotVector(), s2 = DotVector(), s3 = DotVector()
        var u0 = DotVector(), u1 = DotVector(), u2 = DotVector(), u3 = DotVector()
        var p = 0
        while p &+ 2 &* w <= k {
            let x = loadDot(b + p), y = loadDot(b + (p &+ w))
            multiplyAdd(&s0, loadDot(a0 + p), x); multiplyAdd(&u0, loadDot(a0 + (p &+ w)), y)
            multiplyAdd(&s1, loadDot(a1 + p), x); multiplyAdd(&u1, loadDot(a1 + (p &+ w)), y)
            multiplyAdd(&s2, loadDot(a2 + p), x); multiplyAdd(&u2, loadDot(a2 + (p &+ w)), y)
            multiplyAdd(&s3, loadDot(a3 + p), x); multiplyAdd(&u3, loadDot(a3 + (p &+ w)), y)
            p &+= 2 &* w
        }
        if p &+ w <= k {
            let x = loadDot(b + p)
            multiplyAdd(&s0, loadDot(a0 + p), x); multiplyAdd(&s1, loadDot(a1 + p), x)
            multiplyAdd(&s2, loadDot(a2 + p), x); multiplyAdd(&s3, loadDot(a3 + p), x)
            p &+= w
        }
        var t0 = (s0 + u0).sum(), t1 = (s1 + u1).sum(), t2 = (s2 + u2).sum(), t3 = (s3 + u3).sum()
        while p < k {
            t0 += a0[p] * b[p]; t1 += a1[p] * b[p]; t2 += a2[p] * b[p]; t3 += a3[p] * b[p]
            p &+= 1
        }
        if accumulate { c[0] += t0; c[n] += t1; c[2 &* n] += t2; c[3 &* n] += t3 }
        else { c[0] = t0; c[n] = t1; c[2 &* n] = t2; c[3 &* n] = t3 }
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
