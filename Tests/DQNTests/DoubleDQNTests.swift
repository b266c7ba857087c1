import DQN
import RLKit
import Testing

@Suite("4.2 doubleDQNTargets")
struct DoubleDQNTests {
    /// The online network disagrees with the target network about the best
    /// next action: online Q(s', .) rows [2, -1], [-3, 3], [-1, 2], [-2, 1].
    func onlineNetwork() -> MLP { linearQ([[2, -1], [-3, 3]], bias: [0, 0]) }

    @Test func onlinePicksTargetEvaluates() throws {
        let online = onlineNetwork()
        let nextOnline = rows(withoutGradients { online(targetBatch.nextObservations) })
        let nextTarget = rows(withoutGradients { targetNetwork()(targetBatch.nextObservations) })
        // online rows [2, -1], [-3, 3], [-1, 2], [-2, 1]: a* = 0, 1, 1, 1.
        // target rows [1.5, 2], [3.5, -1], [4.5, 1], [-0.5, -2].
        let expected: [Double] = [1 + 0.9 * 1.5, 2, 0.5 + 0.9 * 1, -1 + 0.5 * -2]
        let y = try doubleDQNTargets(online: online, target: targetNetwork(), batch: targetBatch)
        try #require(y.shape == [4], "4.2: one target per transition, shape [4], got \(y.shape)")
        let got = y.scalars.map(Double.init)
        let plainMax = [1 + 0.9 * 2, 2, 0.5 + 0.9 * 4.5, -1 + 0.5 * -0.5]
        #expect(maxError(y.scalars, plainMax) > 1e-3, "4.2: this is plain DQN's target (the target network's max): in Double DQN the online network picks a* = argmax Q_online(s', .) and the target network evaluates Q_target(s', a*)")
        let onlineEvaluates = [1 + 0.9 * nextOnline[0][0], 2, 0.5 + 0.9 * nextOnline[2][1], -1 + 0.5 * nextOnline[3][1]]
        #expect(maxError(y.scalars, onlineEvaluates) > 1e-3, "4.2: the online network evaluates its own choice: the target network must evaluate a* (that decoupling is what removes the bias)")
        let targetPicks = (0..<4).map { i -> Double in
            let a = nextTarget[i][0] >= nextTarget[i][1] ? 0 : 1
            return [1, 2, 0.5, -1][i] + [0.9, 0.9, 0.9, 0.5][i] * (i == 1 ? 0 : nextOnline[i][a])
        }
        #expect(maxError(y.scalars, targetPicks) > 1e-3, "4.2: the roles are swapped: the online network picks a*, the target network evaluates it")
        #expect(Swift.abs(got[1] - 2) < 1e-5, "4.2: bootstraps from a terminal state: when terminated, y = r; got \(got[1])")
        #expect(Swift.abs(got[2] - 0.5) > 1e-4, "4.2: treats truncation as termination: a truncated transition still bootstraps")
        #expect(maxError(y.scalars, expected) < 1e-5, "4.2: expected \(expected), got \(got)")
    }

    @Test func targetsAreConstantsAndBadNetworksAreNamed() throws {
        let online = onlineNetwork()
        let y = try doubleDQNTargets(online: online, target: targetNetwork(), batch: targetBatch)
        #expect(!y.requiresGradient, "4.2: the target must be a constant: compute both networks' Q(s', .) inside withoutGradients { }")
        let wider = linearQ([[1, 0, 0], [0, 1, 0]], bias: [0, 0, 0])
        #expect(errorText { _ = try doubleDQNTargets(online: online, target: wider, batch: targetBatch) }
            .hasPrefix("doubleDQNTargets(online:target:batch:): invalid target: has another architecture than the online network"))
        // With identical networks the choice and the evaluation agree: the plain max.
        let same = try doubleDQNTargets(online: targetNetwork(), target: targetNetwork(), batch: targetBatch)
        #expect(maxError(same.scalars, [2.8, 2, 4.55, -1.25]) < 1e-5, "4.2: with identical networks Double DQN equals the plain max target, got \(same.scalars)")
    }
}
