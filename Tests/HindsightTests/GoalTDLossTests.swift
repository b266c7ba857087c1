import Environments
import Foundation
import Hindsight
import RLKit
import Testing

@Suite("10.3 goalConditionedInput, goalTDLoss")
struct GoalTDLossTests {
    @Test("the input is the state followed by the goal") func inputLayout() throws {
        for (state, goal) in [([1, 0, 1], [0, 1]), ([0, 0, 1, 1], [1, 0, 0, 1]), ([0.5], [-2])] as [([Float], [Float])] {
            let x = try goalConditionedInput(state: state, goal: goal)
            if x == state + goal { continue }
            let problem = x == goal + state ? "the state comes first, then the goal"
                : x.count == state.count ? "the goal is part of the input: append it after the state"
                : "the state first, then the goal, unchanged"
            Issue.record("10.3: goalConditionedInput(state: \(show(state)), goal: \(show(goal))) should be \(show(state + goal)), got \(show(x)): \(problem)")
        }
    }

    // Networks over inputs (s1, s2, g1, g2) with two actions, and five transitions: a plain one, one that
    // reached its goal (terminated), one cut by the time limit (truncated: it bootstraps), one whose
    // target lies above 0 and one whose target lies below -50.
    static let onlineWeight: [[Float]] = [[1, 0], [0, 2], [-1, 1], [0.5, -0.5]], onlineBias: [Float] = [0, -1]
    static let targetWeight: [[Float]] = [[2, -1], [1, 1], [0, -2], [-3, 0.5]], targetBias: [Float] = [0.5, 0]
    static let rows: [[Float]] = [[1, 0, 1, 1], [0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]
    static let next: [[Float]] = [[1, 1, 1, 1], [0, 0, 1, 1], [0, 1, 3, 1], [1, 1, 0, 0], [0, 0, 40, 20]]
    static let actions = [0, 1, 1, 0, 1], rewards: [Float] = [-1, 0, -1, -1, -1]
    static let terminated = [false, true, false, false, false], truncated = [false, false, true, false, false]

    static func batch() -> ReplayBatch {
        handBatch(observations: rows, actions: actions, rewards: rewards, nextObservations: next,
                  terminated: terminated, truncated: truncated, discounts: [Float](repeating: 0.98, count: 5))
    }

    /// x W + b, in Double.
    static func q(_ x: [Float], _ w: [[Float]], _ b: [Float]) -> [Double] {
        (0..<2).map { a in Double(b[a]) + (0..<4).reduce(0.0) { $0 + Double(x[$1]) * Double(w[$1][a]) } }
    }

    /// The targets with a network and options of choice (the reference, and the mistakes' versions).
    static func targets(network: ([[Float]], [Float]) = (targetWeight, targetBias), mask: Bool = true,
                        range: ClosedRange<Double>? = -50...0) -> [Double] {
        (0..<5).map { i in
            let bootstrap = q(next[i], network.0, network.1).max()!
            let raw = Double(rewards[i]) + 0.98 * (mask && terminated[i] ? 0 : 1) * bootstrap
            return range.map { Swift.min(Swift.max(raw, $0.lowerBound), $0.upperBound) } ?? raw
        }
    }

    static func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs(Double($0) - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
    }

    @Test("targets and loss on a hand-made batch") func handBatchValues() throws {
        let online = linearQ(GoalTDLossTests.onlineWeight, bias: GoalTDLossTests.onlineBias)
        let target = linearQ(GoalTDLossTests.targetWeight, bias: GoalTDLossTests.targetBias)
        let result = try goalTDLoss(online: online, target: target, batch: GoalTDLossTests.batch(), targetRange: -50...0)
        let y = result.targets.scalars, expected = GoalTDLossTests.targets()
        if !GoalTDLossTests.close(y, expected) {
            let shown = "expected y = \(expected.map { show($0, 4) }), got \(show(y))"
            if GoalTDLossTests.close(y, GoalTDLossTests.targets(range: nil)) {
                Issue.record("10.3: clip the targets to targetRange [-50, 0]: rows 3 and 4 give r + gamma max Q_target = 2.43 and -59.3, outside the returns a task with rewards -1 and 0 can have; \(shown)")
            } else if GoalTDLossTests.close(y, GoalTDLossTests.targets(mask: false)) {
                Issue.record("10.3: row 1 reached its goal (terminated), yet its target bootstraps from a transition whose goal was reached: multiply the bootstrap by (1 - terminated); \(shown)")
            } else if GoalTDLossTests.close(y, GoalTDLossTests.targets(network: (GoalTDLossTests.onlineWeight, GoalTDLossTests.onlineBias))) {
                Issue.record("10.3: the targets bootstrap from the online network: use the target network for max_a' Q_target(s' || g, a'); \(shown)")
            } else if Swift.abs(Double(y[2]) - expected[2]) > 1e-3 && y[2] >= -1 {
                Issue.record("10.3: row 2's target -2.47 lies inside targetRange [-50, 0] and must stay as it is (it was cut by the time limit, truncated: it still bootstraps); clip the targets to targetRange, no narrower; \(shown)")
            } else {
                Issue.record("10.3: y_i = clip(r_i + d_i (1 - terminated_i) max_a' Q_target(s'_i || g_i, a'), -50, 0); \(shown)")
            }
        }
        let predictions = result.predictions.scalars
        let expectedQ = (0..<5).map { GoalTDLossTests.q(GoalTDLossTests.rows[$0], GoalTDLossTests.onlineWeight, GoalTDLossTests.onlineBias)[GoalTDLossTests.actions[$0]] }
        #expect(GoalTDLossTests.close(predictions, expectedQ),
                "10.3: the predictions are Q(s || g, a) of the action taken in each row (gather the online network's outputs with the batch's actions, not the max): expected \(expectedQ.map { show($0, 4) }), got \(show(predictions))")
        let loss = Double(result.loss.scalar)
        let expectedLoss = zip(expectedQ, expected).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 5
        #expect(Swift.abs(loss - expectedLoss) < 1e-3 * expectedLoss,
                "10.3: the loss is the mean over the batch of (Q(s || g, a) - y)^2 = \(show(expectedLoss, 5)), got \(show(loss, 5))\(Swift.abs(loss - 5 * expectedLoss) < 1e-2 * expectedLoss ? " (the sum, not the mean over the batch)" : "")")
        // Checked from outside: PyTorch in float64 gives the loss 473.3122 on this batch (y = -0.51, 0, -2.47, 0, -50).
        #expect(Swift.abs(loss - 473.3122) < 1e-5 * 473.3122,
                "10.3: the loss on this batch is 473.3122 (PyTorch, float64), got \(show(loss, 7))")
        let unclipped = try goalTDLoss(online: online, target: target, batch: GoalTDLossTests.batch(), targetRange: nil)
        #expect(GoalTDLossTests.close(unclipped.targets.scalars, GoalTDLossTests.targets(range: nil)),
                "10.3: with targetRange nil the targets are not clipped: expected \(GoalTDLossTests.targets(range: nil).map { show($0, 4) }), got \(show(unclipped.targets.scalars))")
    }

    @Test("the targets are constants: gradients reach the online network only") func targetsAreConstant() throws {
        let online = linearQ(GoalTDLossTests.onlineWeight, bias: GoalTDLossTests.onlineBias)
        let target = linearQ(GoalTDLossTests.targetWeight, bias: GoalTDLossTests.targetBias)
        let result = try goalTDLoss(online: online, target: target, batch: GoalTDLossTests.batch(), targetRange: -50...0)
        #expect(!result.targets.requiresGradient,
                "10.3: the target must be a constant: compute Q_target(s' || g, .) inside withoutGradients { } (or take stopGradient()) so that no gradient reaches the target network")
        result.loss.backward()
        #expect(target.parameters.allSatisfy { $0.gradient.map { $0.scalars.allSatisfy { $0 == 0 } } ?? true },
                "10.3: a gradient reached the target network: the target must be a constant (withoutGradients or stopGradient)")
        // dL/db_a = 2/5 sum_{i: a_i = a} (Q(x_i, a_i) - y_i)
        let y = GoalTDLossTests.targets()
        var expected = [0.0, 0.0]
        for i in 0..<5 {
            let a = GoalTDLossTests.actions[i]
            expected[a] += 2.0 / 5 * (GoalTDLossTests.q(GoalTDLossTests.rows[i], GoalTDLossTests.onlineWeight, GoalTDLossTests.onlineBias)[a] - y[i])
        }
        let gradient = online.layers[0].bias.gradient?.scalars ?? []
        // PyTorch (float64) gives dL/db = (0.004, 20.988) on this batch.
        #expect(gradient.count == 2 && Swift.abs(Double(gradient[0]) - 0.004) < 1e-5 && Swift.abs(Double(gradient[1]) - 20.988) < 1e-4,
                "10.3: PyTorch (float64) gives the online bias gradient (0.004, 20.988) on this batch, got \(show(gradient))")
        #expect(GoalTDLossTests.close(gradient, expected, 1e-3),
                "10.3: the online network's bias gradient should be dL/db_a = 2/5 sum over the rows with action a of (Q - y) = \(expected.map { show($0, 4) }), got \(show(gradient))")
    }

    @Test("a minibatch from the shared replay storage holds (state, goal) rows") func fromReplayStorage() throws {
        var rng = SeededGenerator(seed: 7)
        let episode = try handEpisode()
        let transitions = try relabelForTest(episode)
        var buffer = try ReplayBuffer(capacity: 64, observationSize: 8)
        for t in transitions { try buffer.add(try t.replayTransition(gamma: 0.9)) }
        let batch = try buffer.batch(at: Array(0..<transitions.count))
        for (i, t) in transitions.enumerated() {
            let row = Array(batch.observations.arrayRows[i]), nextRow = Array(batch.nextObservations.arrayRows[i])
            #expect(row == t.state + t.goal && nextRow == t.nextState + t.goal,
                    "10.3: a stored transition's rows are (state, goal) and (next state, goal): expected \(show(t.state + t.goal)) and \(show(t.nextState + t.goal)), got \(show(row)) and \(show(nextRow))")
        }
        var network = SeededGenerator(seed: 8)
        let online = MLP([8, 16, 4], using: &network), target = online.copy()
        let sampled = try buffer.sample(batchSize: 6, using: &rng)
        let result = try goalTDLoss(online: online, target: target, batch: sampled, targetRange: -10...0)
        let q = withoutGradients { online(sampled.observations) }.arrayRows, qNext = withoutGradients { target(sampled.nextObservations) }.arrayRows
        let expected = (0..<6).map { i -> Double in
            let raw = Double(sampled.rewards.scalars[i]) + 0.9 * Double(1 - sampled.terminated.scalars[i]) * Double(qNext[i].max()!)
            return Swift.min(Swift.max(raw, -10), 0)
        }
        let predictions = (0..<6).map { Double(q[$0][sampled.actionIndices[$0]]) }
        let expectedLoss = zip(predictions, expected).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 6
        #expect(GoalTDLossTests.close(result.targets.scalars, expected) && Swift.abs(Double(result.loss.scalar) - expectedLoss) < 1e-4,
                "10.3: on a minibatch sampled from the replay buffer: targets \(expected.map { show($0, 4) }) and loss \(show(expectedLoss, 4)) expected, got \(show(result.targets.scalars)) and \(show(Double(result.loss.scalar), 4))")
    }

    /// The hand-made episode with the final goal, written out (no call to 10.2).
    func relabelForTest(_ episode: GoalEpisode) throws -> [GoalTransition] {
        let last = episode.steps[episode.steps.count - 1].achievedGoal
        return episode.steps.flatMap { s in
            [GoalTransition(state: s.state, action: s.action, reward: s.reward, nextState: s.nextState, goal: episode.goal,
                            terminated: s.terminated, truncated: s.truncated),
             GoalTransition(state: s.state, action: s.action, reward: s.achievedGoal == last ? 0 : -1, nextState: s.nextState,
                            goal: last, terminated: s.achievedGoal == last, truncated: s.truncated)]
        }
    }

    @Test("bad input is refused by name") func badInput() throws {
        let online = linearQ(GoalTDLossTests.onlineWeight, bias: GoalTDLossTests.onlineBias)
        var rng = SeededGenerator(seed: 9)
        let wide = MLP([4, 3, 2], using: &rng)
        #expect(errorText { _ = try goalTDLoss(online: online, target: wide, batch: GoalTDLossTests.batch()) }
            == "goalTDLoss(online:target:batch:targetRange:): invalid target: has layer sizes [4, 3, 2], the online network [4, 2]")
        let five = MLP([5, 2], using: &rng)
        #expect(errorText { _ = try goalTDLoss(online: five, target: five.copy(), batch: GoalTDLossTests.batch()) }
            == "goalTDLoss(online:target:batch:targetRange:): invalid batch: rows have 4 values, the network reads 5 (state and goal)")
        #expect(errorText { _ = try goalConditionedInput(state: [], goal: [1]) }
            == "goalConditionedInput(state:goal:): invalid state: got a state of 0 and a goal of 1 values, expected at least one of each")
        #expect(try goalConditionedInput(state: [1], goal: [0]) == [1, 0], "10.3: the input of state [1] and goal [0] is [1, 0]")
    }
}
