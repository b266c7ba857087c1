import Foundation
import DQN
import RLKit
import Testing

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
        var out: [Transition] = []
        for t in 0..<4 {
            out += try queue.push(Transition(observation: [Float(t)], action: 0, reward: Double(t + 1),
                                             nextObservation: [Float(t + 1)], terminated: false, truncated: t == 3,
                                             discount: 0.5))
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
