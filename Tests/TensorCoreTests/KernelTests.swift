import Testing
import TensorCore

@Suite("Fast kernels agree with the reference loops")
struct KernelTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (7, 13, 5), (1, 1, 1), (4, 8, 8), (5, 17, 9), (12, 3, 33), (9, 64, 16), (33, 2, 7), (128, 4, 120),
        (8, 10, 12), (16, 5, 6), (6, 9, 15), (13, 1, 23), (3, 40, 3), (5, 7, 30), (13, 20, 84), (6, 33, 19),
        // Wide enough for the 16- and 32-column panels and 8-row blocks of the
        // AVX-512 kernel, with every kind of remainder (rows 4 + 2 + 1, columns 16 + 8 + 4 + 3).
        (15, 7, 63), (23, 12, 32), (17, 30, 48), (9, 16, 17), (2, 19, 100), (31, 5, 1), (40, 70, 2),
        // The AVX2 kernel's 6-row blocks with every remainder (m % 6 from 1 to 5),
        // 8-column tails (n % 16 from 1 to 8) and panels of B copied because their
        // rows would collide in L1 (m >= 12, n a multiple of 128, k above 16 or 32).
        (25, 9, 40), (26, 13, 47), (27, 6, 35), (28, 5, 80), (29, 11, 48), (12, 3, 17), (7, 10, 24),
        (13, 70, 256), (20, 40, 128),
        // The AVX-512 kernel's 8- and 4-column panels read in place (8-row blocks,
        // the last m % 8 rows padded), alone and after the 16- and 32-column panels.
        (16, 9, 8), (24, 6, 12), (19, 11, 13), (41, 12, 45), (33, 21, 84), (18, 17, 120),
        // One output column (a critic's head), four rows at a time with every
        // remainder of rows (m % 4) and of the inner dimension (k % 16, k % 8).
        (9, 40, 1), (6, 17, 1), (7, 23, 1), (12, 8, 1), (37, 256, 1), (5, 33, 3),
        // A B^T with a multiple of 32 columns, whose AVX-512 panels are packed from
        // B's rows (`gemm512TransposedB`) when k >= 8, with k % 8 from 0 to 7.
        (11, 8, 64), (6, 9, 32), (45, 17, 96), (7, 23, 32), (19, 46, 64), (3, 31, 128),
        // An inner dimension of 1 (a one-output head's dx = dy W^T), one multiply per value.
        (37, 1, 256), (9, 1, 33), (1, 1, 17),
    ]

    @Test(arguments: shapes.indices)
    func matmulVariants(index: Int) {
        let (m, k, n) = KernelTests.shapes[index]
        let errors = KernelDiagnostics.matmulErrors(m: m, k: k, n: n, seed: UInt64(index))
        #expect(errors.ab < 1e-5, "A B \(m)x\(k)x\(n) on the \(KernelDiagnostics.tier) tier: largest relative difference \(errors.ab)")
        #expect(errors.transposedA < 1e-5, "A^T B \(m)x\(k)x\(n): \(errors.transposedA)")
        #expect(errors.transposedB < 1e-5, "A B^T \(m)x\(k)x\(n): \(errors.transposedB)")
    }

    @Test func tensorMatmulAndItsGradientsMatchPlainLoops() {
        var rng = SeededGenerator(seed: 42)
        let a = Tensor.normal([7, 13], using: &rng, requiresGradient: true), b = Tensor.normal([13, 5], using: &rng, requiresGradient: true)
        let g = Tensor.normal([7, 5], using: &rng)
        (a.matmul(b) * g).sum().backward()
        func loop(_ x: [Float], _ y: [Float], _ m: Int, _ k: Int, _ n: Int, _ xAt: (Int, Int) -> Int, _ yAt: (Int, Int) -> Int) -> [Float] {
            (0..<(m * n)).map { ij in (0..<k).reduce(Float(0)) { $0 + x[xAt(ij / n, $1)] * y[yAt($1, ij % n)] } }
        }
        let product = loop(a.scalars, b.scalars, 7, 13, 5, { $0 * 13 + $1 }, { $0 * 5 + $1 })
        let dA = loop(g.scalars, b.scalars, 7, 5, 13, { $0 * 5 + $1 }, { $1 * 5 + $0 })   // dY B^T
        let dB = loop(a.scalars, g.scalars, 13, 7, 5, { $1 * 13 + $0 }, { $0 * 5 + $1 })   // A^T dY
        for (x, y) in zip(withoutGradients { a.matmul(b) }.scalars, product) { #expect(Swift.abs(x - y) < 1e-4) }
        for (x, y) in zip(a.gradient!.scalars, dA) { #expect(Swift.abs(x - y) < 1e-4) }
        for (x, y) in zip(b.gradient!.scalars, dB) { #expect(Swift.abs(x - y) < 1e-4) }
        let bias = Tensor.normal([5], using: &rng)
        let fused = Tensor.affine(a, b, bias).scalars, separate = (a.matmul(b) + bias).scalars
        #expect(zip(fused, separate).allSatisfy { Swift.abs($0 - $1) < 1e-5 }, "affine equals matmul + bias")
    }
}

@Suite("Fast elementwise kernels agree with the C library")
struct ElementwiseKernelTests {
    @Test func tanhMatchesFoundation() {
        var x: [Float] = stride(from: Float(-12), through: 12, by: 0.001).map { $0 }
        x += [0, 1e-5, -1e-5, 3e-4, -3e-4, 5e-4, .infinity, -.infinity, 20, -20]
        let worst = KernelDiagnostics.tanhError(x)
        #expect(worst < 5e-7, "largest tanh error \(worst)")
        #expect(KernelDiagnostics.tanhError([0.3, -2, 5]) < 5e-7)  // a tail shorter than 8
        #expect(Tensor([0.3, -2, 5]).tanh().scalars.count == 3)
    }

    /// Within 2 ulps of the correctly rounded value everywhere, and in
    /// particular where |x| is large: between 7.9 and 9.01 tanh is still 1 to
    /// 5 ulps below 1 in Float (a squashed Gaussian's samples live there), and
    /// only from 9.01 on does it round to 1.
    @Test func tanhIsWithinTwoUlpsOfTheCorrectlyRoundedValue() {
        var x: [Float] = stride(from: Float(-12), through: 12, by: 0.0007).map { $0 }
        x += stride(from: Float(3.5), through: 10.5, by: 0.00013).flatMap { [$0, -$0] }
        x += [0, -0.0, 1e-5, -1e-5, 3e-4, -3e-4, 5e-4, 1e-30, -1e-38, .leastNonzeroMagnitude, 20, -20, 44, 1e6]
        let worst = KernelDiagnostics.tanhUlpError(x)
        #expect(worst.ulps <= 2, "tanh on the \(KernelDiagnostics.tier) tier is \(worst.ulps) ulps from the correctly rounded value at x = \(worst.at)")
        // From 7.9 to 8.1 tanh is 3 to 5 ulps below 1, so within 2 ulps means below 1 (the old kernel returned 1).
        let below = Tensor(stride(from: Float(7.9), through: 8.1, by: 0.0001).map { $0 }).tanh().scalars
        #expect(below.allSatisfy { $0 < 1 }, "tanh(x) for x in [7.9, 8.1] is 3 to 5 ulps below 1 in Float, got 1 at x = \(7.9 + 0.0001 * Double(below.firstIndex { $0 >= 1 } ?? 0))")
        let t = Tensor([8.5, -8.5, 9.5, .infinity, -.infinity, 0, -0.0]).tanh().scalars
        #expect(t[0] >= Float(1).nextDown && t[1] == -t[0], "tanh(8.5) is 1 ulp below 1 in Float, got \(t[0])")
        #expect(t[2] == 1 && t[3] == 1 && t[4] == -1, "tanh rounds to +-1 from 9.01 on and at infinity, got \(t[2...4])")
        #expect(t[5] == 0 && t[6] == 0 && t[6].sign == .minus, "tanh(-0) is -0, got \(t[6])")
        #expect(Tensor([.nan, 1]).tanh().scalars[0].isNaN, "NaN stays NaN")
    }
}

@Suite("The vectorised relu agrees with the plain loop")
struct ReluKernelTests {
    /// Every count from 0 to 40 (each tail length of the 8-wide loop), with
    /// zeros of both signs, NaN and infinities among the values.
    @Test func reluAndItsGradientMatchThePlainLoops() {
        var rng = SeededGenerator(seed: 21)
        let specials: [Float] = [0, -0.0, .nan, .infinity, -.infinity, 1e-30, -1e-30]
        for count in 0...40 {
            let x = (0..<count).map { i in i % 5 == 4 ? specials[i % specials.count] : Float(rng.uniform(-1, 1)) }
            let g = (0..<count).map { _ in Float(rng.uniform(-1, 1)) }
            #expect(KernelDiagnostics.reluMatches(x, g), "relu kernels differ from the plain loops at count \(count): \(x)")
        }
    }
}

@Suite("The vectorised column sums (a bias gradient) agree with the plain loop")
struct ColumnSumsKernelTests {
    /// Column counts with every tail of the 32- and 8-wide loops, a few row
    /// counts, written and added, with zeros of both signs and values far
    /// apart in size.
    @Test func columnSumsMatchThePlainLoop() {
        var rng = SeededGenerator(seed: 23)
        for n in [1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 84, 120, 256] {
            for m in [1, 2, 5, 128] {
                let g = (0..<(m * n)).map { i -> Float in i % 11 == 5 ? -0.0 : Float(rng.uniform(-1, 1)) * (i % 7 == 3 ? 1e4 : 1) }
                let start = (0..<n).map { _ in Float(rng.uniform(-1, 1)) }
                #expect(KernelDiagnostics.columnSumsMatch(g, rows: m, columns: n, start: start),
                        "column sums of a \(m) x \(n) matrix differ from the plain loop's")
            }
        }
    }
}

@Suite("The vectorised sum of squares agrees with the plain loop")
struct SumOfSquaresKernelTests {
    /// Every count from 0 to 40 (each tail of the 16-wide loop) and a long
    /// gradient, including values far apart in size.
    @Test func sumOfSquaresMatchesThePlainLoop() {
        var rng = SeededGenerator(seed: 22)
        for count in [Array(0...40), [1_000, 9_217]].joined() {
            let x = (0..<count).map { i in Float(rng.uniform(-1, 1)) * (i % 7 == 3 ? 1e4 : 1) }
            let error = KernelDiagnostics.sumOfSquaresError(x)
            #expect(error < 1e-12, "sum of squares of \(count) values: relative error \(error)")
        }
        #expect(KernelDiagnostics.sumOfSquaresError([3, 4]) == 0)
    }
}

@Suite("The blocked transpose agrees with the plain loop")
struct TransposeKernelTests {
    @Test(arguments: [(1, 1), (8, 8), (7, 9), (9, 7), (16, 24), (17, 31), (120, 84), (84, 2), (2, 84), (256, 256), (0, 5)])
    func transposeMatchesReference(shape: (rows: Int, columns: Int)) {
        #expect(KernelDiagnostics.transposeMatches(rows: shape.rows, columns: shape.columns, seed: UInt64(shape.rows * 1000 + shape.columns)),
                "the \(shape.rows) x \(shape.columns) transpose differs from the plain loop")
    }
}

@Suite("The vectorised Adam update agrees with the scalar loop")
struct AdamKernelTests {
    @Test(arguments: [1, 7, 8, 15, 16, 17, 29, 1000])
    func adamUpdateMatchesReference(count: Int) {
        let (error, momentsEqual) = KernelDiagnostics.adamError(count: count, seed: UInt64(count))
        #expect(momentsEqual)
        #expect(error < 1e-5, "largest relative difference \(error)")
    }

    @Test("with the gradient scaled inside (clipping in the same pass)", arguments: [1, 7, 8, 15, 16, 17, 29, 1000])
    func scaledUpdateMatchesReference(count: Int) {
        let (error, momentsEqual) = KernelDiagnostics.adamError(count: count, seed: UInt64(count) + 99, gradientScale: 0.37)
        #expect(momentsEqual, "the moments differ from the loop given the gradient times 0.37")
        #expect(error < 1e-5, "largest relative difference \(error)")
    }
}
