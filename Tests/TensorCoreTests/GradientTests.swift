import Testing
import TensorCore

@Suite("Gradients of elementwise operations against finite differences")
struct ElementwiseGradientTests {
    @Test func arithmeticSameShape() {
        var rng = SeededGenerator(seed: 1)
        let a = parameter([3, 4], &rng), b = parameter([3, 4], &rng, low: 0.5, high: 2)
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, b]) { $0[0] / $0[1] }
        checkGradients([a]) { -$0[0] }
    }

    @Test func arithmeticWithBroadcasting() {
        var rng = SeededGenerator(seed: 2)
        let matrix = parameter([3, 4], &rng), row = parameter([4], &rng, low: 0.5, high: 2)
        let column = parameter([3, 1], &rng, low: 0.5, high: 2), scalar = parameter([], &rng, low: 0.5, high: 2)
        let cube = parameter([2, 3, 4], &rng), rowMatrix = parameter([1, 4], &rng)
        checkGradients([matrix, row]) { $0[0] + $0[1] }
        checkGradients([matrix, row]) { $0[1] - $0[0] }
        checkGradients([matrix, column]) { $0[0] * $0[1] }
        checkGradients([matrix, column]) { $0[0] / $0[1] }
        checkGradients([matrix, scalar]) { $0[0] * $0[1] }
        checkGradients([scalar, matrix]) { $0[0] - $0[1] }
        checkGradients([cube, column]) { $0[0] * $0[1] }
        checkGradients([column, rowMatrix]) { $0[0] * $0[1] }  // both operands broadcast: [3, 4]
    }

    @Test func scalarOperators() {
        var rng = SeededGenerator(seed: 3)
        let a = parameter([2, 3], &rng, low: 0.5, high: 2)
        checkGradients([a]) { $0[0] + 2 }
        checkGradients([a]) { 2 - $0[0] }
        checkGradients([a]) { $0[0] * 3 }
        checkGradients([a]) { 3 / $0[0] }
        checkGradients([a]) { $0[0] / 4 - 1 }
    }

    @Test func functions() {
        var rng = SeededGenerator(seed: 4)
        let x = parameter([2, 5], &rng, low: -2, high: 2)
        let positive = parameter([2, 5], &rng, low: 0.5, high: 2)
        checkGradients([x]) { $0[0].exp() }
        checkGradients([positive]) { $0[0].log() }
        checkGradients([x]) { $0[0].tanh() }
        checkGradients([x]) { $0[0].sigmoid() }
        checkGradients([x]) { $0[0].softplus() }
        checkGradients([positive]) { $0[0].sqrt() }
        checkGradients([x]) { $0[0].squared() }
        checkGradients([positive]) { $0[0].pow(3) }
        checkGradients([positive]) { $0[0].pow(0.5) }
    }

    @Test func kinkedFunctionsAwayFromKinks() {
        // Values at least 0.1 from the kinks, so a step of 0.01 never crosses them.
        let x = Tensor([[-1.5, -0.4, 0.3, 1.2], [0.8, -0.9, 1.7, -0.2]], requiresGradient: true)
        let y = Tensor([[-1.0, 0.2, -0.3, 1.6], [0.1, -0.2, 1.2, 0.5]], requiresGradient: true)
        checkGradients([x]) { $0[0].relu() }
        checkGradients([x]) { $0[0].abs() }
        checkGradients([x]) { $0[0].clamped(min: -0.5, max: 1.0) }
        checkGradients([x, y]) { Tensor.minimum($0[0], $0[1]) }
        checkGradients([x, y]) { Tensor.maximum($0[0], $0[1]) }
        let bias = Tensor([0.05, -0.05, 0.0, 0.1], requiresGradient: true)
        checkGradients([x, bias]) { Tensor.maximum($0[0], $0[1]) }  // broadcast
    }

    @Test func whereSelectsGradients() {
        var rng = SeededGenerator(seed: 5)
        let a = parameter([3, 4], &rng), b = parameter([4], &rng)
        let condition = Tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]])
        checkGradients([a, b]) { Tensor.where(condition, $0[0], $0[1]) }
        let mask = a.isGreater(than: 0)
        #expect(mask.scalars == a.scalars.map { $0 > 0 ? 1 : 0 })
    }
}

@Suite("Gradients of reductions, matrix and indexing operations")
struct StructuralGradientTests {
    @Test func reductions() {
        var rng = SeededGenerator(seed: 6)
        let x = parameter([3, 4], &rng, low: -2, high: 2)
        let cube = parameter([2, 3, 4], &rng)
        for axis in [0, 1, -1] {
            for keep in [false, true] {
                checkGradients([x]) { $0[0].sum(alongAxis: axis, keepingDimensions: keep) }
                checkGradients([x]) { $0[0].mean(alongAxis: axis, keepingDimensions: keep) }
                checkGradients([x]) { $0[0].max(alongAxis: axis, keepingDimensions: keep) }
                checkGradients([x]) { $0[0].min(alongAxis: axis, keepingDimensions: keep) }
                checkGradients([x]) { $0[0].logSumExp(alongAxis: axis, keepingDimensions: keep) }
            }
        }
        checkGradients([x]) { $0[0].sum() }
        checkGradients([x]) { $0[0].mean() }
        checkGradients([x]) { $0[0].max() }
        checkGradients([x]) { $0[0].logSumExp() }
        checkGradients([cube]) { $0[0].sum(alongAxis: 1) }
        checkGradients([cube]) { $0[0].logSumExp(alongAxis: 1, keepingDimensions: true) }
    }

    @Test func softmaxFamily() {
        var rng = SeededGenerator(seed: 7)
        let x = parameter([3, 5], &rng, low: -2, high: 2)
        checkGradients([x]) { $0[0].softmax() }
        checkGradients([x]) { $0[0].logSoftmax() }
        checkGradients([x]) { $0[0].softmax(alongAxis: 0) }
        checkGradients([x]) { $0[0].logSoftmax(alongAxis: 0) }
    }

    @Test func matrixProducts() {
        var rng = SeededGenerator(seed: 8)
        let a = parameter([7, 13], &rng), b = parameter([13, 5], &rng), bias = parameter([5], &rng)
        checkGradients([a, b]) { $0[0].matmul($0[1]) }
        checkGradients([a, b, bias]) { Tensor.affine($0[0], $0[1], $0[2]) }
        checkGradients([a]) { $0[0].transposed() }
        let wide = parameter([9, 21], &rng), tall = parameter([21, 17], &rng)
        checkGradients([wide, tall], tolerance: 2e-2) { $0[0].matmul($0[1]) }
    }

    @Test func reshapingAndSelection() {
        var rng = SeededGenerator(seed: 9)
        let x = parameter([4, 3], &rng), y = parameter([2, 3], &rng), z = parameter([4, 2], &rng)
        checkGradients([x]) { $0[0].reshaped(to: [2, -1]) }
        checkGradients([x, y]) { Tensor.concatenate([$0[0], $0[1]], alongAxis: 0) }
        checkGradients([x, z]) { Tensor.concatenate([$0[0], $0[1]], alongAxis: 1) }
        checkGradients([x]) { $0[0].rows(1..<3) }
        checkGradients([x]) { $0[0].rows([3, 0, 3, 1]) }  // a repeated row accumulates
        checkGradients([x]) { $0[0].gather([2, 0, 1, 2]) }
    }

    @Test func reusedTensorAccumulates() {
        let x = Tensor([1, 2, 3], requiresGradient: true)
        let y = (x * x + x).sum()  // dy/dx = 2x + 1
        y.backward()
        #expect(x.gradient?.scalars == [3, 5, 7])
        (x * 2).sum().backward()  // gradients accumulate until zeroed
        #expect(x.gradient?.scalars == [5, 7, 9])
        x.zeroGradient()
        #expect(x.gradient == nil)
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let x = Tensor(scalar: 1, requiresGradient: true)
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        y.backward()
        let expected = Float(Foundation_pow(1.0001, 20_000))
        #expect(Swift.abs(x.gradient!.scalar - expected) < 1e-2 * expected)
    }

    @Test func stopGradientAndInferenceRecordNothing() {
        let x = Tensor([1, 2], requiresGradient: true)
        let y = (x.stopGradient() * x).sum()  // only the second factor carries gradient
        y.backward()
        #expect(x.gradient?.scalars == [1, 2])
        let z = withoutGradients { (x * x).sum() }
        #expect(!z.requiresGradient)
        #expect(withoutGradients { Tensor.isRecording } == false)
        #expect(Tensor.isRecording)
    }
}

func Foundation_pow(_ x: Double, _ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<n { result *= x }
    return result
}
