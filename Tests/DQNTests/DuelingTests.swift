import Foundation
import DQN
import RLKit
import Testing

@Suite("4.3 DuelingQNetwork")
struct DuelingTests {
    /// h = relu(x); V = h0 + h1 + 0.5; A = [h0, 2 h1, 1 - h0].
    func handNetwork(valueBias: Float = 0.5, advantageBias: [Float] = [0, 0, 1]) throws -> DuelingQNetwork {
        let trunk = MLP(layers: [Linear(weight: Tensor([[1, 0], [0, 1]]), bias: Tensor([0, 0]))], activation: .relu, outputActivation: .relu)
        return try DuelingQNetwork(trunk: trunk, valueHead: Linear(weight: Tensor([[1], [1]]), bias: Tensor([valueBias])),
                                   advantageHead: Linear(weight: Tensor([[1, 0, -1], [0, 2, 0]]), bias: Tensor(advantageBias)))
    }

    let x = Tensor([[1, 2], [-1, 3]])

    @Test func qIsValuePlusCentredAdvantage() throws {
        let q = try handNetwork()(x)
        try #require(q.shape == [2, 3], "4.3: Q must have one row per state and one column per action, [2, 3], got \(q.shape)")
        // Row 1: h = [1, 2], V = 3.5, A = [1, 4, 0], mean 5/3. Row 2: h = [0, 3], V = 3.5, A = [0, 6, 1], mean 7/3.
        let expected: [Double] = [3.5 + 1 - 5.0 / 3, 3.5 + 4 - 5.0 / 3, 3.5 - 5.0 / 3, 3.5 - 7.0 / 3, 3.5 + 6 - 7.0 / 3, 3.5 + 1 - 7.0 / 3]
        #expect(maxError(q.scalars, [4.5, 7.5, 3.5, 3.5, 9.5, 4.5]) > 1e-3,
                "4.3: Q = V + A without subtracting the mean advantage: V and A are then not identifiable; subtract each state's mean of A over the actions")
        #expect(maxError(q.scalars, [4, 2.5, 3, 3, 4.5, 4]) > 1e-3,
                "4.3: the mean advantage is taken over the batch (axis 0); it must be each state's mean over its actions (axis 1, keeping the dimension)")
        #expect(maxError(q.scalars, [2.5, 5.5, 1.5, 1.5, 7.5, 2.5]) > 1e-3,
                "4.3: the mean is taken over all the batch's advantages; it must be each state's own mean over actions")
        #expect(maxError(q.scalars, [0.5, 3.5, -0.5, -2.5, 3.5, -1.5]) > 1e-3,
                "4.3: subtracts the largest advantage instead of the mean (the mean is the course's and the paper's choice)")
        #expect(maxError(q.scalars, expected.map { $0 - 3.5 }) > 1e-3, "4.3: the value V(s) is missing: Q = V + A - mean A")
        #expect(maxError(q.scalars, expected) < 1e-5, "4.3: expected Q = \(expected), got \(q.scalars)")
    }

    @Test func aConstantAddedToEveryAdvantageChangesNothing() throws {
        let a = try handNetwork()(x), b = try handNetwork(advantageBias: [2, 2, 3])(x)
        #expect(maxError(a.scalars, b.scalars.map(Double.init)) < 1e-5,
                "4.3: adding 2 to every advantage must not change Q: the mean subtraction removes A's offset, so only V sets Q's level; got \(a.scalars) and \(b.scalars)")
        // The mean of Q over the actions is V.
        let q = a.arrayRows
        for (row, value) in zip(q, [3.5, 3.5]) {
            #expect(Swift.abs(Double(row.reduce(0, +)) / 3 - value) < 1e-5, "4.3: the mean of Q(s, .) over the actions must be V(s) = \(value), got \(row)")
        }
    }

    @Test func gradientsReachEveryParameter() throws {
        var rng = SeededGenerator(seed: 5)
        let network = try DuelingQNetwork(observationSize: 3, hiddenSizes: [6, 5], actionCount: 4, using: &rng)
        let input = Tensor.normal([5, 3], using: &rng)
        let report = try gradientCheck(network.parameters, step: 1e-3, tolerance: 2e-2) { _ in try network(input) }
        #expect(report.passed, "4.3: Q's gradient with respect to the trunk and both heads: \(report)")
        let copy = try network.copy()
        #expect(try copy(input).scalars == (try network(input)).scalars, "4.3: copy() must give the same Q-values")
        #expect(network.actionCount == 4 && network.observationSize == 3)
    }
}
