import DQN
import RLKit
import Testing

/// The batch of the 4.1 and 4.2 tests: an ordinary transition, a terminated
/// one, a truncated one and one with a 2-step discount (0.5 = 0.707^2).
nonisolated(unsafe) let targetBatch = handBatch(
    observations: [[0, 0], [0, 0], [0, 0], [0, 0]], actions: [0, 1, 0, 1], rewards: [1, 2, 0.5, -1],
    nextObservations: [[1, 0], [0, 1], [1, 1], [-1, 0]],
    terminated: [false, true, false, false], truncated: [false, false, true, false], discounts: [0.9, 0.9, 0.9, 0.5])

/// Q_target(s', .) = s' W + b: rows [1.5, 2], [3.5, -1], [4.5, 1], [-0.5, -2].
func targetNetwork() -> MLP { linearQ([[1, 2], [3, -1]], bias: [0.5, 0]) }

@Suite("4.1 dqnTargets and tdLoss")
struct DQNTargetTests {
    @Test func targetsByHand() throws {
        let y = try dqnTargets(target: targetNetwork(), batch: targetBatch)
        // y = r + d (1 - terminated) max_a Q_target(s', a)
        let expected: [Double] = [1 + 0.9 * 2, 2, 0.5 + 0.9 * 4.5, -1 + 0.5 * -0.5]
        try #require(y.shape == [4], "4.1: dqnTargets must return one target per transition, shape [4], got \(y.shape)")
        let got = y.scalars.map(Double.init)
        #expect(Swift.abs(got[1] - (2 + 0.9 * 3.5)) > 1e-4, "4.1: bootstraps from a terminal state: when terminated, y = r (Q(s', .) counts as 0); got \(got[1]), expected 2")
        #expect(Swift.abs(got[2] - 0.5) > 1e-4, "4.1: treats truncation as termination: a time limit is not a terminal state, so a truncated transition still bootstraps: y = r + d max Q(s', .) = 4.55")
        #expect(Swift.abs(got[3] - (-1 + 0.9 * -0.5)) > 1e-4 && Swift.abs(got[3] - (-1 - 0.5)) > 1e-4 && Swift.abs(got[0] - 2.98) > 1e-4,
                "4.1: ignores the transition's own discount: use batch.discounts (gamma for one step, gamma^K for K folded rewards), got \(got)")
        #expect(Swift.abs(got[0] - (1 + 0.9 * 1.75)) > 1e-4 && Swift.abs(got[0] - (1 + 0.9 * 1.5)) > 1e-4,
                "4.1: the target takes the max over the actions of Q_target(s', .) (axis 1), not the mean or the min; got \(got[0]), expected 2.8")
        #expect(maxError(y.scalars, expected) < 1e-5, "4.1: expected targets \(expected), got \(got)")
    }

    @Test func targetsAreConstants() throws {
        let network = targetNetwork()
        let y = try dqnTargets(target: network, batch: targetBatch)
        #expect(!y.requiresGradient, "4.1: the target must be a constant: compute Q_target(s', .) inside withoutGradients { } (or take stopGradient()) so that no gradient reaches the target network")
        // Even when the target network is the online network itself, the
        // loss's gradient is that of a regression onto fixed numbers.
        // The loss, written out here (not with tdLoss, so that this test is about the target alone).
        let loss = (network(targetBatch.observations).gather(targetBatch.actionIndices) - y).squared().mean()
        loss.backward()
        let q = rows(withoutGradients { network(targetBatch.observations) })  // all observations are 0: Q = b
        let predictions = zip(targetBatch.actionIndices, q).map { $1[$0] }
        let ys = y.scalars.map(Double.init)
        // dL/db_a = (2 / 4) sum over rows with action a of (Q - y); dL/dW = 0 (the inputs are 0).
        var expected = [0.0, 0.0]
        for i in 0..<4 { expected[targetBatch.actionIndices[i]] += 0.5 * (predictions[i] - ys[i]) }
        let gradient = network.layers[0].bias.gradient?.scalars ?? []
        #expect(maxError(gradient, expected) < 1e-5,
                "4.1: a gradient flowed through the target into the network: expected dL/db = \(expected), got \(gradient); the target must be computed without recording")
        #expect(network.layers[0].weight.gradient.map { $0.scalars.allSatisfy { $0 == 0 } } ?? true,
                "4.1: no gradient may reach the target network's weights through the target")
    }

    /// Online Q(s, .) = s W + b with rows [1, 3], [2, 1], [0, -1] on this batch.
    let online = linearQ([[1, 0], [0, 2]], bias: [0, 1])
    let lossBatch = handBatch(observations: [[1, 1], [2, 0], [0, -1]], actions: [1, 0, 1], rewards: [0, 0, 0],
                              nextObservations: [[0, 0], [0, 0], [0, 0]], terminated: [false, false, false],
                              truncated: [false, false, false], discounts: [0.9, 0.9, 0.9])
    let targets = Tensor([2, 2.5, 1])

    @Test func lossByHand() throws {
        // Q(s, a) = [3, 2, -1]; y - Q = [-1, 0.5, 2].
        let squared = try tdLoss(online: online, batch: lossBatch, targets: targets, kind: .squared)
        #expect(maxError(squared.predictions.scalars, [3, 2, -1]) < 1e-6,
                "4.1: Q(s, a) is the online output at the action actually taken (gather with batch.actionIndices): expected [3, 2, -1], got \(squared.predictions.scalars)")
        #expect(squared.loss.shape == [] || squared.loss.count == 1, "4.1: the loss is one number (the mean over the batch), got shape \(squared.loss.shape)")
        #expect(Swift.abs(Double(squared.loss.scalars[0]) - 5.25) > 1e-3,
                "4.1: the loss is the mean over the batch, not the sum (expected 1.75, got 5.25)")
        #expect(Swift.abs(squared.loss.scalars[0] - 1.75) < 1e-5, "4.1: the squared loss of errors [-1, 0.5, 2] is mean(1, 0.25, 4) = 1.75, got \(squared.loss.scalars[0])")
        #expect(maxError(squared.tdErrors, [-1, 0.5, 2]) < 1e-6, "4.1: tdErrors are y - Q(s, a) = [-1, 0.5, 2] (as documented; their size sets the priorities), got \(squared.tdErrors)")
        let huber = try tdLoss(online: online, batch: lossBatch, targets: targets, kind: .huber(delta: 1))
        #expect(Swift.abs(Double(huber.loss.scalars[0]) - 2.125 / 3) < 1e-5,
                "4.1: the Huber loss (delta 1) of [-1, 0.5, 2] is mean(0.5, 0.125, 1.5) = 0.7083, got \(huber.loss.scalars[0]); kind must choose the loss")
        let weights = Tensor([1, 2, 0.5])
        let weighted = try tdLoss(online: online, batch: lossBatch, targets: targets, kind: .squared, weights: weights)
        #expect(Swift.abs(Double(weighted.loss.scalars[0]) - 3.5 / 3) < 1e-5,
                "4.1: importance weights multiply each transition's loss: mean(1 x 1, 2 x 0.25, 0.5 x 4) = 1.1667, got \(weighted.loss.scalars[0]) (pass weights to the loss)")
        let weightedHuber = try tdLoss(online: online, batch: lossBatch, targets: targets, kind: .huber(delta: 1), weights: weights)
        #expect(Swift.abs(Double(weightedHuber.loss.scalars[0]) - 0.5) < 1e-5, "4.1: weighted Huber: mean(0.5, 0.25, 0.75) = 0.5, got \(weightedHuber.loss.scalars[0])")
    }

    @Test func lossGradientsMatchFiniteDifferences() throws {
        for kind in [TDLossKind.squared, .huber(delta: 1)] {
            let report = try gradientCheck(online.parameters) { _ in
                try tdLoss(online: online, batch: lossBatch, targets: targets, kind: kind, weights: Tensor([1, 2, 0.5])).loss
            }
            #expect(report.passed, "4.1: the loss's gradient with respect to the online network (\(kind)): \(report)")
        }
    }

    @Test func badShapesAreNamedErrors() throws {
        // Well-formed calls work, so the errors below come from the checks, not from an unfinished function.
        _ = try dqnTargets(target: targetNetwork(), batch: targetBatch)
        _ = try tdLoss(online: online, batch: lossBatch, targets: targets)
        #expect(errorText { _ = try tdLoss(online: online, batch: lossBatch, targets: Tensor([1, 2])) }
            == "tdLoss(online:batch:targets:kind:weights:): invalid targets: has shape [2], expected [3] (one target per transition)")
        let threeActions = linearQ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], bias: [0, 0, 0])
        #expect(errorText { _ = try dqnTargets(target: threeActions, batch: targetBatch) }
            .hasPrefix("dqnTargets(target:batch:): invalid batch: observations have 2 features, the network reads 3"))
        let oneOutput = linearQ([[1], [1]], bias: [0])
        #expect(errorText { _ = try tdLoss(online: oneOutput, batch: lossBatch, targets: targets) }
            .hasPrefix("tdLoss(online:batch:targets:kind:weights:): invalid batch: holds action 1, the network has 1 outputs"))
    }
}
