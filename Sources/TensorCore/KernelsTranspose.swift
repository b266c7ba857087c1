/// The transposes behind the backward pass's products (see `Kernels.swift`).
///
/// A B^T and thin operands are computed from a copy transposed into rows, so
/// that the panel kernels can run; the copy moves 8 x 8 blocks through
/// registers.
extension Kernels {
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
        // Large matrices in bands of rows of x (multiples of 8) on several threads: a band of rows
        // of x is a band of columns of t, and a copy is the same whichever thread makes it.
        inBands(rows, block: 8, work: rows &* columns, minimum: elementsPerBand) { first, count in
            transposeBand(x + first &* columns, rows: count, columns: columns, into: t + first, stride: rows)
        }
    }

    /// `transpose` of `rows` rows of x into columns of t, whose rows are
    /// `stride` floats apart.
    static func transposeBand(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into t: UnsafeMutablePointer<Float>,
                              stride: Int) {
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
                let target = t + (s0 &* stride &+ r0)
                @inline(__always) func put(_ i: Int, _ v: V) { UnsafeMutableRawPointer(target + i &* stride).storeBytes(of: v, as: V.self) }
                put(0, block.0); put(1, block.1); put(2, block.2); put(3, block.3)
                put(4, block.4); put(5, block.5); put(6, block.6); put(7, block.7)
                s0 &+= 8
            }
            r0 &+= 8
        }
        for r in 0..<rows {  // the right edge (all rows), then the bottom edge
            for s in columns8..<columns { t[s &* stride &+ r] = x[r &* columns &+ s] }
        }
        for r in rows8..<rows {
            for s in 0..<columns8 { t[s &* stride &+ r] = x[r &* columns &+ s] }
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
}
