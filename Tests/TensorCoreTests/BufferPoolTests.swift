import Testing
import TensorCore

/// The buffer pool never hands out an array that something still holds:
/// values kept from a tensor that went away, a view's shared scalars and a
/// kept gradient stay as they were while new tensors of the same size are
/// made (and the pool reuses what they left).
@Suite("buffer pool: reuse never touches values still in use")
struct BufferPoolTests {
    /// Makes `rounds` tensors of `count` scalars, each from the previous one.
    func churn(count: Int, rounds: Int = 50) {
        var t = Tensor.full([count], value: -7)
        for _ in 0..<rounds { t = (t * 3 + 1).exp() }
        _ = t.scalars.first
    }

    @Test("kept scalars of a tensor that went away") func keptScalars() {
        let a = Tensor((0..<300).map { Float($0) }), b = Tensor.ones([300])
        let kept = (a + b).scalars  // the sum is gone after this line
        churn(count: 300)
        #expect(kept == (0..<300).map { Float($0) + 1 })
    }

    @Test("a reshaped view outlives the tensor it shares scalars with") func view() {
        let a = Tensor((0..<120).map { Float($0) })
        var view: Tensor? = nil
        do { view = (a * 2).reshaped(to: [12, 10]) }
        churn(count: 120)
        #expect(view!.scalars == (0..<120).map { 2 * Float($0) })
    }

    @Test("a gradient kept across zeroGradient and the next backward pass") func keptGradient() {
        let w = Tensor([1, 2, 3, 4], requiresGradient: true)
        (w * w).sum().backward()
        let first = w.gradient!
        w.zeroGradient()
        (w * 10).sum().backward()
        churn(count: 4)
        #expect(first.scalars == [2, 4, 6, 8])
        #expect(w.gradient!.scalars == [10, 10, 10, 10])
    }

    @Test("pooled results equal fresh ones") func sameValues() {
        let x = Tensor((0..<256).map { Float($0) / 256 }, requiresGradient: true)
        func run() -> ([Float], [Float]) {
            x.zeroGradient()
            let y = (x.tanh() * x).exp().sum()
            y.backward()
            return (y.scalars, x.gradient!.scalars)
        }
        let first = run()
        churn(count: 256)
        for _ in 0..<5 { #expect(run() == first) }
    }
}
