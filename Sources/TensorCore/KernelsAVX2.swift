/// The AVX2 tier of the matrix product (see `Kernels.swift`).
extension Kernels {
    #if TENSORCORE_WIDE_SIMD && !arch(x86_64)
    #error("TENSORCORE_WIDE_SIMD is x86-64 only (AVX2 and FMA); Package.swift defines it only on x86-64 Linux")
    #endif
    #if TENSORCORE_WIDE_SIMD
    /// The gemm loop for CPUs with 256-bit vectors and fused multiply-add,
    /// compiled only with `-D TENSORCORE_WIDE_SIMD` (together with a
    /// `-target-cpu` such as `haswell`; see docs/BENCHMARKS.md).
    ///
    /// C is swept in panels of 16 columns, 6 rows at a time: a 6 x 16 block
    /// of C is 12 vector partial sums (with the two rows of B and one
    /// broadcast, 15 of the 16 vector registers), fed per step by 6
    /// broadcasts of A and two 8-wide vectors of B. The last rows use blocks
    /// of 4, 2 and 1 rows; the last n % 16 columns go through a zero-padded
    /// panel of 8 columns or, for more than 8, of 16 (`gemmPaddedTail`).
    ///
    /// Where B's rows would collide in L1 (`panelRowsCollide`), each panel of
    /// B is first copied into a contiguous k x 16 scratch matrix. Read in
    /// place, its k rows lie n floats apart: with n = 256
    /// that is 1 KB, and all k rows fall into 4 of the 64 sets of a 32 KB,
    /// 8-way L1 cache, so they evict each other and every step reads B from
    /// L2 (the 256 x 256 product ran at 55% of this core's peak; copied, at
    /// 90-95%). The copy costs k x 16 moves against m x k x 16 multiply-adds.
    ///
    /// - Complexity: O(m k n) floating-point operations.
    static func gemmWide(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                         _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, accumulate: Bool) {
        let n16 = n & ~15
        // A panel of a 16-column B is contiguous already; a few rows of A
        // do not repay the copy.
        let copiesPanels = n > 16 && m >= 12 && panelRowsCollide(rowStride: n, rows: k)
        withScratch(copiesPanels ? k &* 16 : 0) { panel in
            var j = 0
            while j < n16 {
                if copiesPanels {
                    for p in 0..<k {
                        let source = UnsafeRawPointer(b + (p &* n &+ j)), target = UnsafeMutableRawPointer(panel + p &* 16)
                        target.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                          toByteOffset: 32, as: SIMD8<Float>.self)
                    }
                    rowBlocksWide(a, rs, cs, panel, 16, c + j, n, m: m, k: k, accumulate: accumulate)
                } else {
                    rowBlocksWide(a, rs, cs, b + j, n, c + j, n, m: m, k: k, accumulate: accumulate)
                }
                j &+= 16
            }
        }
        if n16 < n {
            gemmPaddedTail(a, rowStride: rs, columnStride: cs, b, c, m: m, k: k, n: n, from: n16,
                           width: n &- n16 > 8 ? 16 : 8, accumulate: accumulate)
        }
    }

    /// True when `rows` rows of a panel, `rowStride` floats apart, would not
    /// all stay in L1 at once because their addresses fall into too few of
    /// its sets. With 64-byte lines and 64 sets (32 KB, 8-way), a stride of
    /// s lines uses 64 / gcd(s, 64) sets: all 64 for strides that are not a
    /// whole number of lines (84 or 120 floats), 4 for 256 floats. Half of
    /// those sets' lines are left to A and C.
    static func panelRowsCollide(rowStride n: Int, rows k: Int) -> Bool {
        guard n % 16 == 0 else { return false }
        var x = n / 16, y = 64
        while y != 0 { (x, y) = (y, x % y) }  // x = gcd(n / 16, 64)
        return k > 4 * (64 / x)
    }

    /// One 16-column (or, with `width` 8, 8-column) panel of C for all m
    /// rows: blocks of 6 rows, then 4, 2 and 1. The panel's rows of B are
    /// `bn` floats apart, C's rows `n`.
    @inline(__always)
    static func rowBlocksWide(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int,
                              _ c: UnsafeMutablePointer<Float>, _ n: Int, m: Int, k: Int, width: Int = 16,
                              accumulate: Bool) {
        let wide = width == 16
        var i = 0
        while i &+ 6 <= m {
            if wide { wideBlock6(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            else { narrowBlock6(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            i &+= 6
        }
        if i &+ 4 <= m {
            if wide { wideBlock4(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            else { narrowBlock4(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            i &+= 4
        }
        if i &+ 2 <= m {
            if wide { wideBlock2(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            else { narrowBlock2(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            i &+= 2
        }
        if i < m {
            if wide { wideBlock1(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
            else { narrowBlock1(a + i &* rs, rs, cs, b, bn, c + i &* n, n, k: k, accumulate: accumulate) }
        }
    }

    // One function per block shape, each with `wideBlock` inlined for its
    // constant number of rows and width (as in the AVX-512 tier).
    @inline(never) static func wideBlock6(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 6, accumulate: accumulate)
    }
    @inline(never) static func wideBlock4(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 4, accumulate: accumulate)
    }
    @inline(never) static func wideBlock2(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 2, accumulate: accumulate)
    }
    @inline(never) static func wideBlock1(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 1, accumulate: accumulate)
    }
    @inline(never) static func narrowBlock6(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 6, twoVectors: false, accumulate: accumulate)
    }
    @inline(never) static func narrowBlock4(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 4, twoVectors: false, accumulate: accumulate)
    }
    @inline(never) static func narrowBlock2(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 2, twoVectors: false, accumulate: accumulate)
    }
    @inline(never) static func narrowBlock1(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int, _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, accumulate: Bool) {
        wideBlock(a, rs, cs, b, bn, c, n, k: k, rows: 1, twoVectors: false, accumulate: accumulate)
    }

    /// The register block: `rows` (1, 2, 4 or 6, a constant after inlining)
    /// rows of C by 16 columns, or 8 without `twoVectors`. Unused partial
    /// sums are optimised away.
    @inline(__always)
    static func wideBlock(_ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Float>, _ bn: Int,
                          _ c: UnsafeMutablePointer<Float>, _ n: Int, k: Int, rows: Int, twoVectors: Bool = true,
                          accumulate: Bool) {
        typealias V = SIMD8<Float>
        var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V()
        var t0 = V(), t1 = V(), t2 = V(), t3 = V(), t4 = V(), t5 = V()
        var bp = b
        var q = 0
        for _ in 0..<k {
            let b0 = UnsafeRawPointer(bp).loadUnaligned(as: V.self)
            let b1 = twoVectors ? UnsafeRawPointer(bp + 8).loadUnaligned(as: V.self) : V()
            let x0 = V(repeating: a[q])
            s0.addProduct(x0, b0); if twoVectors { t0.addProduct(x0, b1) }
            if rows > 1 { let x = V(repeating: a[q &+ rs]); s1.addProduct(x, b0); if twoVectors { t1.addProduct(x, b1) } }
            if rows > 2 {
                let x2 = V(repeating: a[q &+ 2 &* rs]), x3 = V(repeating: a[q &+ 3 &* rs])
                s2.addProduct(x2, b0); if twoVectors { t2.addProduct(x2, b1) }
                s3.addProduct(x3, b0); if twoVectors { t3.addProduct(x3, b1) }
            }
            if rows > 4 {
                let x4 = V(repeating: a[q &+ 4 &* rs]), x5 = V(repeating: a[q &+ 5 &* rs])
                s4.addProduct(x4, b0); if twoVectors { t4.addProduct(x4, b1) }
                s5.addProduct(x5, b0); if twoVectors { t5.addProduct(x5, b1) }
            }
            bp += bn
            q &+= cs
        }
        @inline(__always) func put(_ s: V, _ t: V, _ row: Int) {
            let p = c + row &* n
            store(s, p, accumulate)
            if twoVectors { store(t, p + 8, accumulate) }
        }
        put(s0, t0, 0)
        if rows > 1 { put(s1, t1, 1) }
        if rows > 2 { put(s2, t2, 2); put(s3, t3, 3) }
        if rows > 4 { put(s4, t4, 4); put(s5, t5, 5) }
    }

    /// Columns `start ..< end` of C (`end` is n unless given), fewer than
    /// `width` (16, or 8 on AVX2), through one panel of that width: those columns of B are copied into a
    /// zero-padded k x width scratch matrix, the tier's kernel multiplies it
    /// into an m x width scratch result (or straight into C when the columns
    /// fill the panel), and the real columns are added into C. (Column-at-a-time
    /// loops on a tail of 4 columns took 40% of the time of a 128 x 120 x 84
    /// product; a 16-column panel for a tail of 8 or fewer spent half or more
    /// of its multiply-adds on zeros.)
    static func gemmPaddedTail(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                               _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                               m: Int, k: Int, n: Int, from start: Int, upTo end: Int? = nil, width: Int = 16,
                               accumulate: Bool) {
        let r = (end ?? n) &- start
        let fills = r == width
        withScratch(k &* width &+ (fills ? 0 : m &* width)) { scratch in
            let panel = scratch, out = scratch + k &* width
            for p in 0..<k {
                for s in 0..<width { panel[p &* width &+ s] = s < r ? b[p &* n &+ start &+ s] : 0 }
            }
            #if TENSORCORE_AVX512
            gemm512(a, rowStride: rs, columnStride: cs, panel, out, m: m, k: k, n: width, accumulate: false)
            #else
            if fills {
                return rowBlocksWide(a, rs, cs, panel, width, c + start, n, m: m, k: k, width: width, accumulate: accumulate)
            }
            rowBlocksWide(a, rs, cs, panel, width, out, width, m: m, k: k, width: width, accumulate: false)
            #endif
            for i in 0..<m {
                let ci = c + (i &* n &+ start), oi = out + i &* width
                for s in 0..<r { ci[s] = (accumulate ? ci[s] : 0) + oi[s] }
            }
        }
    }
    #endif
}
