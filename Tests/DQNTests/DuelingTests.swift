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

@Suite("4.4 nStepReturn")
struct NStepReturnTests {
    /// The plain recursion the exercise must agree with.
    func reference(_ rewards: [Double], _ terminated: [Bool], _ truncated: [Bool], n: Int, gamma: Double) -> NStepReturn {
        var reward = 0.0
        var k = 0
        while k < min(n, rewards.count) {
            reward += Foundation.pow(gamma, Double(k)) * rewards[k]
            k += 1
            if terminated[k - 1] || truncated[k - 1] { break }
        }
        return NStepReturn(reward: reward, discount: terminated[k - 1] ? 0 : Foundation.pow(gamma, Double(k)), steps: k,
                           terminated: terminated[k - 1], truncated: truncated[k - 1])
    }

    @Test func foldsUpToNRewards() throws {
        let r = try nStepReturn(rewards: [1, 2, 4, 8], terminated: [false, false, false, false], truncated: [false, false, false, false], n: 3, gamma: 0.5)
        #expect(r.steps == 3, "4.4: with no episode end, n = 3 transitions are folded, got \(r.steps)")
        #expect(Swift.abs(r.reward - 3) < 1e-12, "4.4: R = 1 + 0.5 x 2 + 0.25 x 4 = 3 (reward k is multiplied by gamma^k), got \(r.reward)")
        #expect(Swift.abs(r.discount - 0.25) > 1e-12, "4.4: off by one: after folding K = 3 rewards the bootstrap discount is gamma^3 = 0.125, not gamma^2")
        #expect(Swift.abs(r.discount - 0.125) < 1e-12, "4.4: the bootstrap discount is gamma^K = 0.125, got \(r.discount)")
        #expect(!r.terminated && !r.truncated)
        let one = try nStepReturn(rewards: [5, 7], terminated: [false, false], truncated: [false, false], n: 1, gamma: 0.9)
        #expect(one == NStepReturn(reward: 5, discount: 0.9, steps: 1, terminated: false, truncated: false),
                "4.4: n = 1 is the one-step transition: R = r, discount gamma, got \(one)")
    }

    @Test func cutAtATerminalWithoutBootstrap() throws {
        let r = try nStepReturn(rewards: [1, 2, 4], terminated: [false, true, false], truncated: [false, false, false], n: 3, gamma: 0.5)
        #expect(r.steps == 2, "4.4: the sum stops at the first terminated transition (it may run into the next episode otherwise): K = 2, got \(r.steps)")
        #expect(Swift.abs(r.reward - 2) < 1e-12, "4.4: R = 1 + 0.5 x 2 = 2, got \(r.reward)")
        #expect(r.discount == 0 && r.terminated, "4.4: bootstraps from a terminal state: after a terminal transition the discount is 0, got \(r.discount)")
    }

    @Test func cutAtATruncationWithBootstrap() throws {
        let r = try nStepReturn(rewards: [1, 2, 4], terminated: [false, false, false], truncated: [true, false, false], n: 3, gamma: 0.5)
        #expect(r.steps == 1, "4.4: the sum stops at a truncated transition too (the next reward belongs to the next episode): K = 1, got \(r.steps)")
        #expect(r.discount != 0, "4.4: treats truncation as termination: a time limit is not a terminal state, the bootstrap stays (discount gamma^K)")
        #expect(r == NStepReturn(reward: 1, discount: 0.5, steps: 1, terminated: false, truncated: true), "4.4: expected R 1, discount 0.5, K 1, truncated; got \(r)")
        let short = try nStepReturn(rewards: [3, 1], terminated: [false, false], truncated: [false, false], n: 5, gamma: 0.9)
        #expect(short.steps == 2 && Swift.abs(short.discount - 0.81) < 1e-12 && Swift.abs(short.reward - 3.9) < 1e-12,
                "4.4: a window shorter than n folds what it has: K = 2, discount gamma^2, got \(short)")
    }

    @Test func agreesWithTheRecursionOnRandomWindows() throws {
        var rng = SeededGenerator(seed: 44)
        for _ in 0..<300 {
            let count = 1 + rng.nextInt(below: 6), n = 1 + rng.nextInt(below: 5)
            let rewards = (0..<count).map { _ in rng.uniform(-2, 2) }
            let terminated = (0..<count).map { _ in rng.nextDouble() < 0.2 }
            let truncated = (0..<count).map { _ in rng.nextDouble() < 0.15 }
            let gamma = [0, 0.5, 0.99, 1][rng.nextInt(below: 4)]
            let got = try nStepReturn(rewards: rewards, terminated: terminated, truncated: truncated, n: n, gamma: gamma)
            let want = reference(rewards, terminated, truncated, n: n, gamma: gamma)
            guard got.steps == want.steps && Swift.abs(got.reward - want.reward) < 1e-9 && Swift.abs(got.discount - want.discount) < 1e-12
                    && got.terminated == want.terminated && got.truncated == want.truncated else {
                Issue.record("4.4: for rewards \(rewards), terminated \(terminated), truncated \(truncated), n \(n), gamma \(gamma): expected \(want), got \(got)")
                return
            }
        }
    }

    @Test func theQueueBootstrapsFromTheRightState() throws {
        // An episode of four steps that ends by truncation, with n = 3.
        var queue = try NStepQueue(n: 3, gamma: 0.5)
        var out: [FoldedTransition] = []
        for t in 0..<4 {
            out += try queue.push(ObservedStep(observation: [Float(t)], action: 0, reward: Double(t + 1), nextObservation: [Float(t + 1)],
                                               terminated: false, truncated: t == 3))
        }
        try #require(out.count == 4, "4.4: four steps give four folded transitions, got \(out.count)")
        #expect(out.map(\.observation) == [[0], [1], [2], [3]])
        #expect(out.map(\.nextObservation) == [[3], [4], [4], [4]], "4.4: each transition bootstraps from the state after its K-th step, got \(out.map(\.nextObservation))")
        let folded: [Double] = [2.75, 4.5, 5, 4]  // 1 + 0.5 x 2 + 0.25 x 3, 2 + 0.5 x 3 + 0.25 x 4, 3 + 0.5 x 4, 4
        let rewards = out.map(\.reward)
        #expect(rewards == folded, "4.4: folded rewards, got \(rewards)")
        #expect(out.map(\.discount) == [0.125, 0.125, 0.25, 0.5], "4.4: discounts gamma^K, got \(out.map(\.discount))")
        #expect(out.map(\.truncated) == [false, true, true, true])
    }

    @Test func rejectsBadArguments() throws {
        #expect(errorText { _ = try nStepReturn(rewards: [1], terminated: [false], truncated: [false], n: 0, gamma: 0.9) }
            == "nStepReturn(rewards:terminated:truncated:n:gamma:): invalid n: got 0, expected an integer >= 1")
        #expect(errorText { _ = try nStepReturn(rewards: [], terminated: [], truncated: [], n: 2, gamma: 0.9) }
            .hasSuffix("invalid rewards: is empty, expected at least one transition"))
        #expect(errorText { _ = try NStepQueue(n: 0, gamma: 0.9) } == "NStepQueue: invalid n: got 0, expected an integer >= 1")
        let r = try nStepReturn(rewards: [2], terminated: [false], truncated: [false], n: 2, gamma: 0.9)
        #expect(r.reward == 2 && Swift.abs(r.discount - 0.9) < 1e-12, "4.4: one reward: R 2, discount 0.9, got \(r)")
    }
}
