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
    ]

    func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(rng.uniform(-1, 1)) }
    }

    func expectClose(_ fast: [Float], _ reference: [Float], _ label: String) {
        #expect(fast.count == reference.count)
        let worst = zip(fast, reference).map { Swift.abs($0 - $1) / (1 + Swift.abs($1)) }.max() ?? 0
        #expect(worst < 1e-5, "\(label): largest relative difference \(worst)")
    }

    @Test(arguments: shapes.indices)
    func matmulVariants(index: Int) {
        let (m, k, n) = KernelTests.shapes[index]
        var rng = SeededGenerator(seed: UInt64(index))
        let a = random(m * k, &rng), b = random(k * n, &rng)
        expectClose(Kernels.matmul(a, b, m: m, k: k, n: n),
                    Kernels.referenceMatmul(a, b, m: m, k: k, n: n), "A B \(m)x\(k)x\(n)")
        let at = random(k * m, &rng)  // stored k x m
        expectClose(Kernels.matmul(at, b, m: m, k: k, n: n, transposeA: true),
                    Kernels.referenceMatmul(at, b, m: m, k: k, n: n, transposeA: true), "A^T B \(m)x\(k)x\(n)")
        let bt = random(n * k, &rng)  // stored n x k
        expectClose(Kernels.matmul(a, bt, m: m, k: k, n: n, transposeB: true),
                    Kernels.referenceMatmul(a, bt, m: m, k: k, n: n, transposeB: true), "A B^T \(m)x\(k)x\(n)")
    }

    @Test func tensorMatmulMatchesReference() {
        var rng = SeededGenerator(seed: 42)
        let a = Tensor.normal([7, 13], using: &rng), b = Tensor.normal([13, 5], using: &rng)
        expectClose(a.matmul(b).scalars, Kernels.referenceMatmul(a.scalars, b.scalars, m: 7, k: 13, n: 5), "Tensor.matmul")
        let bias = Tensor.normal([5], using: &rng)
        expectClose(Tensor.affine(a, b, bias).scalars, (a.matmul(b) + bias).scalars, "affine")
    }
}

@Suite("Fast elementwise kernels agree with the C library")
struct ElementwiseKernelTests {
    @Test func tanhMatchesFoundation() {
        var x: [Float] = stride(from: Float(-12), through: 12, by: 0.001).map { $0 }
        x += [0, 1e-5, -1e-5, 3e-4, -3e-4, 5e-4, .infinity, -.infinity, 20, -20]
        let fast = Tensor(x).tanh().scalars, reference = Kernels.referenceTanh(x)
        let worst = zip(fast, reference).map { Swift.abs($0 - $1) }.max()!
        #expect(worst < 5e-7, "largest tanh error \(worst)")
        #expect(Tensor([0.3, -2, 5]).tanh().scalars.count == 3)  // a tail shorter than 8
    }
}

@Suite("The vectorised Adam update agrees with the scalar loop")
struct AdamKernelTests {
    @Test(arguments: [1, 7, 8, 29, 1000])
    func adamUpdateMatchesReference(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        func random(_ scale: Double) -> [Float] { (0..<count).map { _ in Float(rng.uniform(-scale, scale)) } }
        var w = random(1), m = random(0.1), v = random(0.01).map { Swift.abs($0) }
        let g = random(1)
        v[0] = 0  // a zero second moment must stay finite
        var (w2, m2, v2) = (w, m, v)
        Kernels.referenceAdamUpdate(&w2, g, &m2, &v2, beta1: 0.9, beta2: 0.999, stepSize: 0.01, rootCorrection2: 0.3, epsilon: 1e-8)
        w.withUnsafeMutableBufferPointer { w in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in
                        Kernels.adamUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, count: count,
                                           beta1: 0.9, beta2: 0.999, stepSize: 0.01, rootCorrection2: 0.3, epsilon: 1e-8)
                    }
                }
            }
        }
        #expect(m == m2 && v == v2)
        let worst = zip(w, w2).map { Swift.abs($0 - $1) / (1e-3 + Swift.abs($1)) }.max()!
        #expect(worst < 1e-5, "largest relative difference \(worst)")
    }
}
