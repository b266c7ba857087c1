import Foundation
import RLKit
import SAC
import Testing

@Suite("8.3 twinCriticLoss")
struct TwinCriticLossTests {
    static var batch: ReplayBatch { handBatch(observations: [[1, 0], [0.5, -1], [2, 1]], actions: [[0.5], [-0.8], [0.1]], rewards: [1, 0, 2],
                                 nextObservations: [[2, 1], [1, -2], [-1, 3]], terminated: [false, false, false],
                                 truncated: [false, false, false], discounts: [0.9, 0.9, 0.9]) }
    static let targets: [Float] = [2, -1, 3.5]
    static let w1: [Float] = [1, -1, 2], b1: Float = 0.5, w2: [Float] = [0.5, 0, -1], b2: Float = 1

    /// Q_j at the given observations and actions, in Double.
    static func q(_ w: [Float], _ b: Float, observations: [[Float]], actions: [[Float]]) -> [Double] {
        zip(observations, actions).map { s, a in
            Double(w[0]) * Double(s[0]) + Double(w[1]) * Double(s[1]) + Double(w[2]) * Double(a[0]) + Double(b)
        }
    }

    static func mse(_ q: [Double]) -> Double { zip(q, targets).map { ($0 - Double($1)) * ($0 - Double($1)) }.reduce(0, +) / Double(q.count) }

    static let s: [[Float]] = [[1, 0], [0.5, -1], [2, 1]], a: [[Float]] = [[0.5], [-0.8], [0.1]]
    static let q1 = q(w1, b1, observations: s, actions: a), q2 = q(w2, b2, observations: s, actions: a)

    static func diagnosis(_ loss: Double) -> String {
        let (l1, l2) = (mse(q1), mse(q2))
        func near(_ x: Double) -> Bool { Swift.abs(loss - x) < 1e-3 }
        if near(l1) || near(l2) { return "one critic only: both critics regress on the targets, L = L_1 + L_2" }
        if near(mse(zip(q1, q2).map { Swift.min($0, $1) })) { return "the min of the critics is for targets and the actor; each critic regresses Q_j(s, a) on y by itself" }
        if near((l1 + l2) / 2) { return "L is the sum of the two mean squared errors (as CleanRL writes it), not their average" }
        if near(3 * (l1 + l2)) { return "each loss is a mean over the batch, not a sum" }
        let next = [[Float]]([[2, 1], [1, -2], [-1, 3]])
        if near(mse(q(w1, b1, observations: next, actions: a)) + mse(q(w2, b2, observations: next, actions: a))) {
            return "the critics are evaluated at s (batch.observations), the state the action was taken in, not at s'"
        }
        return "L = mean_i (Q_1(s_i, a_i) - y_i)^2 + mean_i (Q_2(s_i, a_i) - y_i)^2"
    }

    func loss() throws -> (CriticLossResult, TwinCritics) {
        let critics = linearTwin(Self.w1, Self.b1, Self.w2, Self.b2, observationSize: 2)
        return (try twinCriticLoss(critics: critics, batch: Self.batch, targets: Tensor(Self.targets)), critics)
    }

    @Test("L = L_1 + L_2, each critic's mean squared error at the actions in the buffer")
    func handValues() throws {
        let (result, _) = try loss()
        let expected = Self.mse(Self.q1) + Self.mse(Self.q2)
        #expect(result.loss.shape == [] || result.loss.count == 1, "8.3: the loss is a scalar")
        let got = Double(result.loss.scalars.first ?? .nan)
        #expect(Swift.abs(got - expected) < 1e-4, "8.3: \(Self.diagnosis(got)); expected L = \(rounded(Self.mse(Self.q1), 4)) + \(rounded(Self.mse(Self.q2), 4)) = \(rounded(expected, 4)), got \(rounded(got, 4))")
        #expect(Swift.abs(Double(result.q1Loss) - Self.mse(Self.q1)) < 1e-4 && Swift.abs(Double(result.q2Loss) - Self.mse(Self.q2)) < 1e-4,
                "8.3: q1Loss and q2Loss are each critic's own mean squared error, \(rounded(Self.mse(Self.q1), 4)) and \(rounded(Self.mse(Self.q2), 4)), got \(result.q1Loss) and \(result.q2Loss)")
        #expect(zip(result.q1Values.scalars, Self.q1).allSatisfy { Swift.abs(Double($0) - $1) < 1e-4 }
                && zip(result.q2Values.scalars, Self.q2).allSatisfy { Swift.abs(Double($0) - $1) < 1e-4 } && result.q1Values.shape == [3],
                "8.3: q1Values and q2Values are Q_1(s_i, a_i) and Q_2(s_i, a_i), [batch], expected \(rounded(Self.q1)) and \(rounded(Self.q2))")
    }

    @Test("one backward pass trains both critics, each on its own error")
    func gradientsReachBothCritics() throws {
        let (result, critics) = try loss()
        result.loss.backward()
        for (name, network, q) in [("Q_1", critics.q1, Self.q1), ("Q_2", critics.q2, Self.q2)] {
            // dL/dw = 2/B sum_i (Q(s_i, a_i) - y_i) [s_i, a_i]
            let errors = zip(q, Self.targets).map { $0 - Double($1) }
            let expected = (0..<3).map { k in
                (0..<3).map { i in 2 * errors[i] * Double(k < 2 ? Self.s[i][k] : Self.a[i][0]) }.reduce(0, +) / 3
            }
            let got = network.network.layers[0].weight.gradient?.scalars.map(Double.init) ?? []
            #expect(got.count == 3 && zip(got, expected).allSatisfy { Swift.abs($0 - $1) < 1e-3 },
                    "8.3: \(name)'s weights get the gradient of its own squared error, 2/B sum_i (Q(s_i, a_i) - y_i) [s_i, a_i] = \(rounded(expected)), got \(got.isEmpty ? "none (is \(name) in the loss, and not through a min of the two?)" : rounded(got))")
        }
    }

    @Test func badInputIsNamed() throws {
        let critics = linearTwin(Self.w1, Self.b1, Self.w2, Self.b2, observationSize: 2)
        #expect(errorText { _ = try twinCriticLoss(critics: critics, batch: Self.batch, targets: Tensor([[1], [2], [3]])) }
                == "twinCriticLoss(critics:batch:targets:): invalid targets: has shape [3, 1], expected [3] (one target per transition)")
        #expect(try loss().0.loss.count == 1, "8.3: the loss is one number")
    }
}
