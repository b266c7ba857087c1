/// The AVX-512 tier's products with a multiple of 32 columns, shared out
/// among threads one 32-column panel of one row band at a time.
///
/// The row bands are those `Kernels.inRowBands` would cut (one per thread,
/// each starting on a multiple of 8 rows, the 8 x 32 register block), and
/// each thread owns the panels of its band: with cores of equal speed each
/// thread computes the rows its band would, reading the rows of A that it
/// wrote in the step before. A thread that runs out of its own panels takes
/// the last panels of another band (`WorkerPool.claim`), so when the host
/// runs one vCPU slower than the other (measured 1.55x for minutes at a time,
/// docs/BENCHMARKS.md, "SAC with two threads") the faster one takes over
/// instead of waiting. Every panel of every band is computed by one thread
/// with the same blocks, in the same order over k, as on one thread: the
/// values are the same whatever the thread count and whoever took which.
extension Kernels {
    #if TENSORCORE_AVX512
    /// `gemm512` for n a multiple of 32, in the panels of its row bands
    /// (`inBandPanels(of:m:k:n:_:)`).
    ///
    /// - Complexity: O(m k n) floating-point operations.
    static func gemm512InBandPanels(_ a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                                    _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                    m: Int, k: Int, n: Int, accumulate: Bool) {
        inBandPanels(of: b, m: m, k: k, n: n) { panel, stride, j, first, rows in
            rowBlocks512(a + first &* rs, rs, cs, panel, stride, c + (first &* n &+ j), m: rows, k: k, n: n,
                         twoVectors: true, accumulate: accumulate)
        }
    }

    /// C[m x n] (+)= A B^T for A m x k and B stored n x k, n a multiple of 32
    /// (`matmulTransposedB` uses it for k >= 8): each 32-column panel of B^T
    /// is packed from 32 rows of B (`transposeBand`, 8 x 8 blocks through
    /// registers) into a k x 32 scratch panel, which the 8 x 32 blocks then
    /// sweep as `gemm512` sweeps a copied panel, so the values and their
    /// order are the same as for `gemm512` on a transposed copy of B.
    ///
    /// Each thread packs the panels it takes itself: the packing (k n moves
    /// against m k n multiply-adds per band) costs less than a transposed copy
    /// shared by the threads, which takes a split of its own and has each
    /// thread read the half of the copy the other one wrote.
    ///
    /// - Complexity: O(m k n) floating-point operations, O(k n) moves per band.
    static func gemm512TransposedB(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                   m: Int, k: Int, n: Int, accumulate: Bool) {
        inBandPanels(m: m, k: k, n: n) { next in
            withScratch(k &* 32) { panel in
                while let (j, first, rows) = next() {
                    transposeBand(b + j &* k, rows: 32, columns: k, into: panel, stride: 32)
                    rowBlocks512(a + first &* k, k, 1, panel, 32, c + (first &* n &+ j), m: rows, k: k, n: n,
                                 twoVectors: true, accumulate: accumulate)
                }
            }
        }
    }

    /// y[m x n] = x W + bias, then relu if `relu`, for n a multiple of 32
    /// (a layer's forward step): `gemm512`'s 32-column panels, each register
    /// block adding the bias row to its sums and applying relu as it stores
    /// them, so y is written once instead of three times (bias, product,
    /// activation). The same bits as those three passes: each sum over k
    /// starts from zero and the bias is added to it, as `storeV` adds the
    /// bias the first pass stored.
    ///
    /// - Complexity: O(m k n) floating-point operations.
    static func gemm512Affine(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                              _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, relu: Bool) {
        inBandPanels(of: w, m: m, k: k, n: n) { panel, stride, j, first, rows in
            rowBlocksAffine512(x + first &* k, k, panel, stride, y + (first &* n &+ j), m: rows, k: k, n: n,
                               bias: bias + j, relu: relu)
        }
    }

    /// `inBandPanels` for a product that reads B (k x n, n a multiple of 32)
    /// in 32-column panels: `body(panel, stride, column, first, rows)` with
    /// columns `column ..< column + 32` of B as a k x 32 copy (stride 32)
    /// where `gemm512` copies them (`copiesPanels512`), else in place
    /// (stride n). A thread copies each panel it takes once.
    @inline(__always)
    static func inBandPanels(of b: UnsafePointer<Float>, m: Int, k: Int, n: Int,
                             _ body: (_ panel: UnsafePointer<Float>, _ stride: Int, _ column: Int, _ first: Int, _ rows: Int) -> Void) {
        let copies = copiesPanels512(m: m, k: k, n: n)
        inBandPanels(m: m, k: k, n: n) { next in
            if copies {
                withScratch(k &* 32) { panel in
                    while let (j, first, rows) = next() {
                        copyPanel(b, rowStride: n, from: j, rows: k, into: panel)
                        body(panel, 32, j, first, rows)
                    }
                }
            } else {
                while let (j, first, rows) = next() { body(b + j, n, j, first, rows) }
            }
        }
    }

    /// Runs `body(next)` on each thread of an m x k x n product's split (n a
    /// multiple of 32), each calling `next()` until it gets nil: the first
    /// column of a 32-column panel, and the first row and row count of the
    /// band it is taken from. The bands are `inRowBands`' (`bandCount`, at
    /// multiples of 8 rows); thread t owns band t's panels, left to right.
    /// On one thread: every band's panels in order.
    @inline(__always)
    static func inBandPanels(m: Int, k: Int, n: Int,
                             _ body: (_ next: () -> (column: Int, first: Int, rows: Int)?) -> Void) {
        let blocks = (m &+ 7) / 8, panels = n / 32
        let bands = bandCount(m, block: 8, work: productWork(m: m, k: k, n: n),
                              minimum: TensorThreads.bandMinimum.load(ordering: .relaxed))
        inChunks(bands &* panels, parts: bands) { claim in
            withoutActuallyEscaping(claim) { claim in
                body {
                    guard let chunk = claim() else { return nil }
                    let band = chunk / panels
                    let first = band &* blocks / bands &* 8, end = min(m, (band &+ 1) &* blocks / bands &* 8)
                    return (chunk % panels &* 32, first, end &- first)
                }
            }
        }
    }
    #endif
}
