import Testing
import TensorCore

@Suite("Tensor values")
struct TensorTests {
    @Test func creationAndAccess() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3] && t.count == 6 && t.rank == 2)
        #expect(t[1, 2] == 6)
        t[0, 1] = 9
        #expect(t.scalars == [1, 9, 3, 4, 5, 6])
        #expect(Tensor.zeros([2]).scalars == [0, 0] && Tensor.ones([1, 2]).scalars == [1, 1])
        #expect(Tensor.full([3], value: 7).scalars == [7, 7, 7])
        #expect(Tensor(scalar: 3).shape == [] && Tensor(scalar: 3).scalar == 3)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        #expect(Tensor.normal([10], using: &a).scalars == Tensor.normal([10], using: &b).scalars)
        let u = Tensor.uniform([1000], low: -2, high: 3, using: &a)
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        let n = Tensor.normal([20_000], mean: 1, standardDeviation: 2, using: &a)
        let mean = n.mean().scalar, std = (n - mean).squared().mean().sqrt().scalar
        #expect(Swift.abs(mean - 1) < 0.05 && Swift.abs(std - 2) < 0.05)
    }

    @Test func broadcastingValues() {
        let m = Tensor([[1, 2], [3, 4]])
        #expect((m + Tensor([10, 20])).scalars == [11, 22, 13, 24])
        #expect((m * Tensor([[2], [3]])).scalars == [2, 4, 9, 12])
        #expect((Tensor([[1], [2]]) - Tensor([[1, 2, 3]])).scalars == [0, -1, -2, 1, 0, -1])
        #expect((1 - m).scalars == [0, -1, -2, -3])
    }

    @Test func reductionsAndSoftmax() {
        let m = Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(m.sum().scalar == 21)
        #expect(m.sum(alongAxis: 0).scalars == [5, 7, 9])
        #expect(m.sum(alongAxis: 1, keepingDimensions: true).shape == [2, 1])
        #expect(m.mean(alongAxis: 1).scalars == [3, 4])
        #expect(m.max(alongAxis: 1).scalars == [5, 6] && m.min(alongAxis: 0).scalars == [1, 2, 3])
        #expect(m.argmax() == [1, 2] && m.argmax(alongAxis: 0) == [1, 0, 1])
        let big = Tensor([[1000, 1000], [-1000, -1000]])
        let lse = big.logSumExp(alongAxis: 1).scalars
        #expect(Swift.abs(lse[0] - 1000.6931) < 1e-3 && Swift.abs(lse[1] + 999.3069) < 1e-3)
        let p = m.softmax()
        for row in p.arrayRows { #expect(Swift.abs(row.reduce(0, +) - 1) < 1e-6) }
        #expect(Swift.abs(p[0, 1] - 0.8668) < 1e-4)
    }

    @Test func indexing() {
        let m = Tensor([[1, 2], [3, 4], [5, 6]])
        #expect(m.transposed().scalars == [1, 3, 5, 2, 4, 6])
        #expect(m.reshaped(to: [2, 3]).shape == [2, 3])
        #expect(m.rows(1..<3).scalars == [3, 4, 5, 6])
        #expect(m.rows([2, 0]).scalars == [5, 6, 1, 2])
        #expect(m.gather([1, 0, 1]).scalars == [2, 3, 6])
        #expect(Tensor.concatenate([m, m], alongAxis: 1).arrayRows[0] == [1, 2, 1, 2])
        #expect(Tensor.concatenate([m, m]).shape == [6, 2])
        #expect(Tensor.oneHot([1, 0], classes: 3).scalars == [0, 1, 0, 1, 0, 0])
        #expect(Tensor.where(m.isGreater(than: 3), m, -m).scalars == [-1, -2, -3, 4, 5, 6])
        #expect(m.isLess(than: Tensor([2, 5])).scalars == [1, 1, 0, 1, 0, 0])
    }

    @Test func elementwiseValues() {
        let x = Tensor([-2, 0, 3])
        #expect(x.relu().scalars == [0, 0, 3] && x.abs().scalars == [2, 0, 3])
        #expect(x.clamped(min: -1, max: 1).scalars == [-1, 0, 1])
        #expect(Tensor.maximum(x, Tensor([0, 1, 1])).scalars == [0, 1, 3])
        #expect(Swift.abs(Tensor([100]).softplus().scalar - 100) < 1e-4)
        #expect(Swift.abs(Tensor([0]).sigmoid().scalar - 0.5) < 1e-7)
        #expect(Tensor([-100]).sigmoid().scalar >= 0)
    }
}
