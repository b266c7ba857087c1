import Foundation
import Testing
import TensorCore

@Suite("Distributions against closed forms")
struct DistributionTests {
    @Test func categorical() throws {
        let logits = Tensor([[Float(Foundation.log(1.0)), Float(Foundation.log(2.0)), Float(Foundation.log(3.0))], [0, 0, 10]])
        let d = try Categorical(logits: logits)
        let p = d.probabilities.arrayRows[0]
        for (a, b) in zip(p, [1.0 / 6, 2.0 / 6, 3.0 / 6] as [Double]) { #expect(Swift.abs(Double(a) - b) < 1e-6) }
        let probabilities: [Double] = [1.0 / 6, 2.0 / 6, 3.0 / 6]
        let entropy: Double = -probabilities.map { $0 * Foundation.log($0) }.reduce(0, +)
        #expect(Swift.abs(Double(d.entropy().scalars[0]) - entropy) < 1e-5)
        #expect(Swift.abs(Double(d.logProbability(of: [1, 2]).scalars[0]) - Foundation.log(2.0 / 6)) < 1e-6)
        #expect(d.mode == [2, 2])
        var rng = SeededGenerator(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<6000 { counts[d.sample(using: &rng)[0]] += 1 }
        #expect(Swift.abs(Double(counts[2]) / 6000 - 0.5) < 0.03 && Swift.abs(Double(counts[0]) / 6000 - 1.0 / 6) < 0.03)
        // KL([1/6, 2/6, 3/6] || uniform) = sum p log(3p)
        let uniform = try Categorical(logits: Tensor([[0, 0, 0], [0, 0, 0]]))
        let kl: Double = probabilities.map { $0 * Foundation.log(3 * $0) }.reduce(0, +)
        #expect(Swift.abs(Double(klDivergence(d, uniform).scalars[0]) - kl) < 1e-5)
        #expect(Swift.abs(klDivergence(d, d).scalars[1]) < 1e-6)
    }

    @Test func categoricalGradients() throws {
        var rng = SeededGenerator(seed: 2)
        let logits = parameter([3, 4], &rng, low: -2, high: 2)
        try checkGradients([logits]) { try Categorical(logits: $0[0]).entropy() }
        try checkGradients([logits]) { try Categorical(logits: $0[0]).logProbability(of: [0, 3, 1]) }
    }

    @Test func diagonalGaussian() throws {
        let d = try DiagonalGaussian(mean: Tensor([[1, 0]]), logStandardDeviation: Tensor([Float(Foundation.log(2.0)), 0]))
        let x = Tensor([[2, 1]])
        let expected = (-0.5 * 0.25 - Foundation.log(2.0) - 0.5 * Foundation.log(2 * Double.pi))
            + (-0.5 - 0.5 * Foundation.log(2 * Double.pi))
        #expect(Swift.abs(Double(d.logProbability(of: x).scalar) - expected) < 1e-5)
        let entropy = 0.5 * Foundation.log(2 * Double.pi * M_E * 4) + 0.5 * Foundation.log(2 * Double.pi * M_E)
        #expect(Swift.abs(Double(d.entropy().scalar) - entropy) < 1e-5)
        // KL(N(0, 1) || N(1, 2^2)) = log 2 + (1 + 1) / 8 - 1/2
        let p = try DiagonalGaussian(mean: Tensor([[0]]), logStandardDeviation: Tensor([[0]]))
        let q = try DiagonalGaussian(mean: Tensor([[1]]), logStandardDeviation: Tensor([[Float(Foundation.log(2.0))]]))
        #expect(Swift.abs(Double(klDivergence(p, q).scalar) - (Foundation.log(2.0) + 0.25 - 0.5)) < 1e-6)
        // Reparameterised samples have the right moments.
        var rng = SeededGenerator(seed: 3)
        let wide = try DiagonalGaussian(mean: Tensor.full([20_000, 1], value: 3), logStandardDeviation: Tensor([Float(Foundation.log(0.5))]))
        let s = wide.sample(using: &rng)
        let mean = s.mean().scalar, std = (s - mean).squared().mean().sqrt().scalar
        #expect(Swift.abs(mean - 3) < 0.02 && Swift.abs(std - 0.5) < 0.02)
    }

    @Test func gaussianGradients() throws {
        var rng = SeededGenerator(seed: 4)
        let mean = parameter([3, 2], &rng), logStd = parameter([2], &rng, low: -0.5, high: 0.5)
        let x = Tensor.normal([3, 2], using: &rng)
        try checkGradients([mean, logStd]) { try DiagonalGaussian(mean: $0[0], logStandardDeviation: $0[1]).logProbability(of: x) }
        try checkGradients([mean, logStd]) {
            var g = SeededGenerator(seed: 7)
            return try DiagonalGaussian(mean: $0[0], logStandardDeviation: $0[1]).sample(using: &g)
        }
        let other = try DiagonalGaussian(mean: Tensor.zeros([3, 2]), logStandardDeviation: Tensor([0.3, -0.2]))
        try checkGradients([mean, logStd]) { klDivergence(try DiagonalGaussian(mean: $0[0], logStandardDeviation: $0[1]), other) }
    }

    @Test func squashedGaussian() throws {
        var rng = SeededGenerator(seed: 5)
        let mean = Tensor([[0.3], [-1.2], [2.0]]), logStd = Tensor([[-0.5], [0.1], [-1]])
        let d = try SquashedGaussian(mean: mean, logStandardDeviation: logStd, scale: 2)
        var replay = rng
        let (action, logPi) = d.sample(using: &rng)
        let u = d.base.sample(using: &replay)  // same noise: the pre-squash value
        for i in 0..<3 {
            let ui = Double(u.scalars[i]), m = Double(mean.scalars[i]), s = Foundation.exp(Double(logStd.scalars[i]))
            #expect(Swift.abs(Double(action.scalars[i]) - 2 * Foundation.tanh(ui)) < 1e-5)
            let logNormal = -0.5 * Foundation.pow((ui - m) / s, 2) - Foundation.log(s) - 0.5 * Foundation.log(2 * Double.pi)
            let t = Foundation.tanh(ui)
            let expected = logNormal - Foundation.log(2 * (1 - t * t) + 1e-6)
            #expect(Swift.abs(Double(logPi.scalars[i]) - expected) < 1e-4)
        }
        #expect(action.scalars.allSatisfy { Swift.abs($0) < 2 })
        #expect(Swift.abs(d.mode.scalars[0] - 2 * Foundation.tanh(0.3)) < 1e-6)
    }

    @Test func squashedGaussianGradients() throws {
        var rng = SeededGenerator(seed: 6)
        let mean = parameter([4, 1], &rng), logStd = parameter([4, 1], &rng, low: -1, high: 0)
        try checkGradients([mean, logStd], tolerance: 2e-2) {
            var g = SeededGenerator(seed: 8)
            return try SquashedGaussian(mean: $0[0], logStandardDeviation: $0[1], scale: 2).sample(using: &g).logProbability
        }
        try checkGradients([mean, logStd]) {
            var g = SeededGenerator(seed: 8)
            return try SquashedGaussian(mean: $0[0], logStandardDeviation: $0[1], scale: 2).sample(using: &g).action
        }
    }
}
