import Testing
import TensorCore

@Suite("ProductProfile times each product by kind and shape", .serialized)
struct ProductProfileTests {
    /// One affine layer, forward and backward, with gradients for x and W:
    /// x W, then dW = x^T dY and dx = dY W^T, each once.
    @Test func anAffineLayerRunsItsThreeProducts() {
        var rng = SeededGenerator(seed: 7)
        let x = Tensor.normal([5, 3], using: &rng, requiresGradient: true)
        let w = Tensor.normal([3, 4], using: &rng, requiresGradient: true)
        let b = Tensor.zeros([4])
        let (_, entries) = ProductProfile.measure { Tensor.affine(x, w, b).sum().backward() }
        let seen = entries.map { "\($0.kind.rawValue) \($0.m)x\($0.k)x\($0.n) \($0.accumulates ? "+=" : "=") \($0.calls)" }
        #expect(Set(seen) == ["A B 5x3x4 += 1", "A^T B 3x5x4 = 1", "A B^T 5x4x3 = 1"], "\(seen)")
        for entry in entries {
            #expect(entry.flops == 2 * Double(entry.m * entry.k * entry.n), "\(entry)")
            #expect(entry.nanoseconds > 0 && entry.gigaflops > 0, "an entry without a time: \(entry)")
        }
    }

    @Test func callsAddUpAndNothingIsTimedOutsideAMeasurement() {
        let a = Tensor.ones([6, 8]), c = Tensor.ones([8, 2])
        _ = a.matmul(c)  // before: not counted
        let (product, entries) = ProductProfile.measure { () -> Tensor in
            for _ in 0..<4 { _ = a.matmul(c) }
            return a.matmul(c)
        }
        #expect(product.scalars == [Float](repeating: 8, count: 12))
        #expect(entries.count == 1 && entries.first?.calls == 5 && entries.first?.kind == .product, "\(entries)")
        #expect(ProductProfile.measure { 1 }.entries.isEmpty, "a new measurement starts empty")
    }

    @Test func measurementsDoNotNest() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ProductProfile.measure { ProductProfile.measure { 0 } }
        }
        #expect(standardError(result).contains("ProductProfile.measure: a measurement is already running"), "\(standardError(result))")
    }
}
