import Foundation
import PPO
import RLKit
import Testing

@Suite("7.2 generalizedAdvantages")
struct GAETests {
    /// The first wrong computation that `got` matches, if `got` is not `expected`.
    func misconception(_ got: [Float], expected: [Double], _ candidates: [(String, [Double])]) -> String? {
        guard maxError(got, expected) > 1e-4 else { return nil }
        return candidates.first { maxError(got, $0.1) < 1e-4 }?.0
    }

    @Test func oneEnvironmentByHand() throws {
        // gamma 0.9, lambda 0.8, no episode end, V(s_3) = 2 from lastValues.
        let rollout = try handRollout([HandStep(rewards: [1], values: [0.5]), HandStep(rewards: [1], values: [1]),
                                       HandStep(rewards: [1], values: [1.5])])
        let result = try generalizedAdvantages(rollout, lastValues: [2], gamma: 0.9, lambda: 0.8)
        // delta = [1 + 0.9 - 0.5, 1 + 1.35 - 1, 1 + 1.8 - 1.5] = [1.4, 1.35, 1.3]; A_t = delta_t + 0.72 A_{t+1}.
        let expected = [1.4 + 0.72 * (1.35 + 0.72 * 1.3), 1.35 + 0.72 * 1.3, 1.3]
        try #require(result.advantages.count == 3 && result.returns.count == 3,
                     "7.2: one advantage and one return per stored step (T x N = 3), got \(result.advantages.count) and \(result.returns.count)")
        let wrong = misconception(result.advantages, expected: expected, [
            ("the rollout's last step must bootstrap from lastValues (V of the state after it), not from 0",
             [1.4 + 0.72 * (1.35 + 0.72 * -0.5), 1.35 + 0.72 * -0.5, -0.5]),
            ("lambda and gamma: A_t = delta_t + gamma lambda A_{t+1} (the discount is applied inside each delta and again in the sum)",
             [1.4 + 0.8 * (1.35 + 0.8 * 1.3), 1.35 + 0.8 * 1.3, 1.3]),
            ("A_t = delta_t + gamma lambda A_{t+1} sums forward in time: walk the steps backwards, from the last",
             [1.4, 1.35 + 0.72 * 1.4, 1.3 + 0.72 * (1.35 + 0.72 * 1.4)]),
        ])
        #expect(maxError(result.advantages, expected) < 1e-5,
                "7.2: \(wrong ?? "A_t = delta_t + gamma lambda A_{t+1} with delta_t = r_t + gamma V(s_{t+1}) - V(s_t)"): expected \(rounded(expected, 4)), got \(rounded(result.advantages, 4))")
        #expect(maxError(result.returns, zip(expected, [0.5, 1, 1.5]).map { $0 + $1 }) < 1e-5,
                "7.2: returns = advantages + values (the lambda-returns the critic regresses onto), got \(rounded(result.returns, 4))")
    }

    @Test func aTerminationEndsTheSumWithoutBootstrap() throws {
        // Step 1 terminates; step 2 starts a new episode. gamma 0.9, lambda 0.8.
        let rollout = try handRollout([HandStep(rewards: [1], values: [1]),
                                       HandStep(rewards: [2], values: [3], terminated: [true]),
                                       HandStep(rewards: [1], values: [4])])
        let a = try generalizedAdvantages(rollout, lastValues: [5], gamma: 0.9, lambda: 0.8).advantages
        let d2 = 1 + 0.9 * 5 - 4.0, d1 = 2 - 3.0, d0 = 1 + 0.9 * 3 - 1.0
        let expected = [d0 + 0.72 * d1, d1, d2]
        let wrong = misconception(a, expected: expected, [
            ("bootstraps through a terminal state: after a terminated step V(next) counts as 0 (delta = r - V(s))",
             [d0 + 0.72 * (d1 + 0.9 * 4), d1 + 0.9 * 4, d2]),
            ("bootstraps through a terminal state and runs across the episode end (no reset)",
             [d0 + 0.72 * (d1 + 0.9 * 4 + 0.72 * d2), d1 + 0.9 * 4 + 0.72 * d2, d2]),
            ("runs across the episode end into the next episode: reset the sum at an episode end (no reset)",
             [d0 + 0.72 * (d1 + 0.72 * d2), d1 + 0.72 * d2, d2]),
        ])
        #expect(maxError(a, expected) < 1e-5,
                "7.2: \(wrong ?? "a terminated step ends its episode: delta = r - V(s), and the sum stops there"): expected \(rounded(expected, 4)), got \(rounded(a, 4))")
    }

    @Test func aTruncationBootstrapsFromTheFinalObservation() throws {
        // Step 1 is cut by a time limit; V(final observation) = 6 is in truncationValues; step 2 starts a new episode.
        let rollout = try handRollout([HandStep(rewards: [1], values: [1]),
                                       HandStep(rewards: [2], values: [3], truncated: [true], truncationValues: [6]),
                                       HandStep(rewards: [1], values: [4])])
        let a = try generalizedAdvantages(rollout, lastValues: [5], gamma: 0.9, lambda: 0.8).advantages
        let d2 = 1 + 0.9 * 5 - 4.0, d1 = 2 + 0.9 * 6 - 3.0, d0 = 1 + 0.9 * 3 - 1.0
        let expected = [d0 + 0.72 * d1, d1, d2]
        let wrong = misconception(a, expected: expected, [
            ("no bootstrap at truncation: a time limit is not a terminal state, so delta = r + gamma V(final observation) - V(s) with V from truncationValues",
             [d0 + 0.72 * (2 - 3.0), 2 - 3.0, d2]),
            ("bootstraps a truncated step from the next row's value, which is the next episode's first state: use truncationValues",
             [d0 + 0.72 * (2 + 0.9 * 4 - 3.0), 2 + 0.9 * 4 - 3.0, d2]),
            ("runs across the episode end into the next episode: a truncation ends the sum too (no reset)",
             [d0 + 0.72 * (d1 + 0.72 * d2), d1 + 0.72 * d2, d2]),
        ])
        #expect(maxError(a, expected) < 1e-5,
                "7.2: \(wrong ?? "a truncated step bootstraps from truncationValues and ends the sum"): expected \(rounded(expected, 4)), got \(rounded(a, 4))")
    }

    @Test func environmentsAreSeparate() throws {
        // Two environments, time first: entry t * 2 + e. Environment 1 terminates at step 0.
        let rollout = try handRollout([HandStep(rewards: [1, 10], values: [0, 1], terminated: [false, true]),
                                       HandStep(rewards: [2, 20], values: [1, 2])])
        let result = try generalizedAdvantages(rollout, lastValues: [3, 4], gamma: 0.5, lambda: 1)
        // Environment 0: delta = [1 + 0.5 - 0, 2 + 1.5 - 1] = [1.5, 2.5], A = [2.75, 2.5].
        // Environment 1: delta = [10 - 1, 20 + 2 - 2] = [9, 20], A = [9, 20] (the termination cuts the sum).
        let expected: [Double] = [2.75, 9, 2.5, 20]
        #expect(maxError(result.advantages, expected) < 1e-5,
                "7.2: the rollout holds N environments side by side, entry t x N + e (time first): each environment's sum runs over its own entries t x N + e; expected \(expected), got \(rounded(result.advantages, 4))")
    }

    @Test func lambdaZeroIsTheTDResidualAndLambdaOneTheMonteCarloAdvantage() throws {
        var rng = SeededGenerator(seed: 72)
        for _ in 0..<20 {
            let (steps, n) = (1 + rng.nextInt(below: 8), 1 + rng.nextInt(below: 3))
            let rollout = try randomRollout(steps: steps, n: n, using: &rng)
            let last = (0..<n).map { _ in Float(rng.uniform(-3, 3)) }
            let gamma = [0.5, 0.9, 0.99][rng.nextInt(below: 3)]
            // lambda = 0: the one-step TD residual.
            let td = bruteForceGAE(rollout, lastValues: last, gamma: gamma, lambda: 0)
            let zero = try generalizedAdvantages(rollout, lastValues: last, gamma: gamma, lambda: 0).advantages
            guard maxError(zero, td) < 1e-4 else {
                Issue.record("7.2: lambda = 0 must give the TD residual delta_t = r_t + gamma (1 - terminated_t) V(next) - V(s_t) (steps \(steps), environments \(n), gamma \(gamma)): expected \(rounded(td)), got \(rounded(zero))")
                return
            }
            // lambda = 1: the discounted rewards to the episode's end (or the rollout's, then its bootstrap) minus V(s_t).
            var monteCarlo = [Double](repeating: 0, count: steps * n)
            for e in 0..<n {
                for t in 0..<steps {
                    var g = 0.0, factor = 1.0, u = t
                    while true {
                        let i = u * n + e
                        g += factor * Double(rollout.rewards[i])
                        factor *= gamma
                        if rollout.terminated[i] == 1 { break }
                        if rollout.truncated[i] == 1 { g += factor * Double(rollout.truncationValues[i]); break }
                        if u == steps - 1 { g += factor * Double(last[e]); break }
                        u += 1
                    }
                    monteCarlo[t * n + e] = g - Double(rollout.values[t * n + e])
                }
            }
            let one = try generalizedAdvantages(rollout, lastValues: last, gamma: gamma, lambda: 1).advantages
            guard maxError(one, monteCarlo) < 1e-4 else {
                Issue.record("7.2: lambda = 1 must give the Monte Carlo advantage: the discounted rewards to the episode's end (bootstrapped at a truncation or the rollout's end) minus V(s_t) (steps \(steps), environments \(n), gamma \(gamma)): expected \(rounded(monteCarlo)), got \(rounded(one))")
                return
            }
        }
    }

    @Test func agreesWithTheDoubleLoopOnRandomRollouts() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<50 {
            let (steps, n) = (1 + rng.nextInt(below: 12), 1 + rng.nextInt(below: 4))
            let rollout = try randomRollout(steps: steps, n: n, using: &rng, ends: 0.2)
            let last = (0..<n).map { _ in Float(rng.uniform(-3, 3)) }
            let (gamma, lambda) = ([0.9, 0.99, 1][rng.nextInt(below: 3)], [0.5, 0.8, 0.95][rng.nextInt(below: 3)])
            let want = bruteForceGAE(rollout, lastValues: last, gamma: gamma, lambda: lambda)
            let got = try generalizedAdvantages(rollout, lastValues: last, gamma: gamma, lambda: lambda)
            let returns = zip(want, rollout.values).map { $0 + Double($1) }
            guard maxError(got.advantages, want) < 1e-4, maxError(got.returns, returns) < 1e-4 else {
                Issue.record("7.2: on a random rollout of \(steps) steps x \(n) environments (gamma \(gamma), lambda \(lambda)), the sum over l of (gamma lambda)^l delta_{t+l} up to each episode's end gives \(rounded(want)), got \(rounded(got.advantages)) (returns \(rounded(got.returns)))")
                return
            }
        }
    }

    @Test func badInputsAreNamed() throws {
        let rollout = try handRollout([HandStep(rewards: [1, 2], values: [0, 0])])
        let function = "generalizedAdvantages(_:lastValues:gamma:lambda:)"
        _ = try generalizedAdvantages(rollout, lastValues: [0, 0], gamma: 0.9, lambda: 0.95)  // valid: no error
        #expect(errorText { _ = try generalizedAdvantages(rollout, lastValues: [0, 0], gamma: 0.9, lambda: 1.5) }
            .hasPrefix("\(function): invalid lambda: got 1.5, expected a number in [0, 1]"))
        #expect(errorText { _ = try generalizedAdvantages(rollout, lastValues: [0, 0], gamma: 0.9, lambda: -0.1) }
            .hasPrefix("\(function): invalid lambda: got -0.1"))
        #expect(errorText { _ = try generalizedAdvantages(rollout, lastValues: [0], gamma: 0.9, lambda: 0.95) }
            == "\(function): invalid lastValues: got 1 values, expected 2 (one per environment)")
        #expect(errorText { _ = try generalizedAdvantages(rollout, lastValues: [0, 0], gamma: 2, lambda: 0.95) }
            == "\(function): invalid gamma: got 2.0, expected a discount factor in [0, 1]")
    }
}
