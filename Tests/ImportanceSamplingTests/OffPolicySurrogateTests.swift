import CourseKit
import Foundation
import ImportanceSampling
import Testing
import TensorCore

/// The gradient of `surrogate(l)` with respect to a leaf l = `logPi`.
func surrogateOnLeaf(logPi: [Double], logB: [Double], rewards: [Double], gamma: Double,
                     clip: Double) throws -> (value: Double, gradient: [Double]) {
    let leaf = Tensor(logPi.map(Float.init), requiresGradient: true)
    let loss = try offPolicySurrogate(targetLogProbabilities: leaf, behaviourLogProbabilities: logB, rewards: rewards,
                                      gamma: gamma, clip: clip)
    guard loss.count == 1 else {
        Issue.record("6.5: the surrogate is one number (a scalar to differentiate), got shape \(loss.shape)")
        return (.nan, [])
    }
    loss.backward()
    let gradient = leaf.gradient?.scalars.map(Double.init) ?? Array(repeating: 0, count: logPi.count)
    return (Double(loss.scalars[0]), gradient)
}

@Suite("6.5 offPolicySurrogate")
struct OffPolicySurrogateTests {
    // Ratios pi / b: 0.9 / 0.3 = 3, 0.25 / 0.5 = 0.5, 0.8 / 0.4 = 2, so rho_{0:t} = 3, 1.5, 3;
    // clipped at 2.5: 2.5, 1.5, 2.5. Rewards 1, 2, 4 and gamma 0.5: rewards-to-go 3, 4, 4.
    // Coefficients w_t G_t = 7.5, 6, 10: dL / d log pi_t = -(7.5, 6, 10).
    let logPi = [0.9, 0.25, 0.8].map { log($0) }, logB = [0.3, 0.5, 0.4].map { log($0) }
    let rewards = [1.0, 2, 4]

    @Test("by hand: the gradient with respect to log pi is -(7.5, 6, 10)") func gradientByHand() throws {
        let (value, gradient) = try surrogateOnLeaf(logPi: logPi, logB: logB, rewards: rewards, gamma: 0.5, clip: 2.5)
        let expected = [-7.5, -6, -10]
        func matches(_ coefficients: [Double]) -> Bool { close(gradient, coefficients.map { -$0 }, 1e-4) }
        #expect(!matches([-7.5, -6, -10]), "6.5: the sign is flipped: the surrogate is a loss to minimise, L = -sum_t w_t G_t log pi, so its gradient with respect to log pi_t is -w_t G_t = \(f4(expected)); got \(f4(gradient))")
        #expect(!matches([1, 8.0 / 3, 4.0 / 3]), "6.5: the ratio is inverted: pi / b (target over behaviour), not b / pi; expected gradient \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([7.5, 2, 8]), "6.5: the weights are cumulative: step t is weighted by rho_0 rho_1 ... rho_t (how much likelier pi makes the whole path to (S_t, A_t)), not by rho_t alone; expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([7.5, 10, 10]), "6.5: step t is weighted by the ratios of steps 0...t only, not by the whole episode's ratio (later actions cannot change what happened at t); expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([9, 6, 12]), "6.5: the weights are not clipped: w_t = min(rho_0:t, c) with c = 2.5 gives 2.5, 1.5, 2.5; expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([7.5, 5, 10]), "6.5: clip the cumulative ratio rho_0:t at c, not each step's ratio before multiplying them; expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([7.5, 4.5, 7.5]), "6.5: use each step's reward-to-go G_t = R_(t+1) + gamma R_(t+2) + ..., not the whole episode's return G_0 at every step; expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([17.5, 9, 10]), "6.5: the reward-to-go is discounted: G_t = R_(t+1) + gamma G_(t+1) (gamma 0.5 gives 3, 4, 4, not 7, 6, 4); expected \(f4(expected)), got \(f4(gradient))")
        #expect(!matches([2.5, 2, 10.0 / 3]), "6.5: sum over the steps of the episode, not their mean; expected \(f4(expected)), got \(f4(gradient))")
        let expectedValue = -zip([7.5, 6, 10], logPi).map { $0 * $1 }.reduce(0, +)
        #expect(!(close(value, expectedValue, 1e-4) && !close(gradient, expected, 1e-4)),
                "6.5: the weights w_t must be constants: compute them from the values (targetLogProbabilities.scalars), so that no gradient flows through rho; the surrogate's value is right (\(f4(value))) but its gradient is \(f4(gradient)) instead of \(f4(expected))")
        #expect(close(gradient, expected, 1e-4), "6.5: ratios 3, 0.5, 2 (cumulative 3, 1.5, 3, clipped at 2.5) times rewards-to-go 3, 4, 4 give dL / d log pi = \(f4(expected)), got \(f4(gradient))")
        #expect(close(value, expectedValue, 1e-4), "6.5: L = -sum_t w_t G_t log pi_t = \(f4(expectedValue)), got \(f4(value))")
    }

    @Test("on a softmax policy the gradient is the off-policy estimate") func matchesTheAnalyticEstimatorOnASoftmaxPolicy() throws {
        // A tabular softmax policy over 3 states and 2 actions; theta's gradient must be
        // -sum_t w_t G_t (onehot(A_t) - pi(. | S_t)) in the row of S_t.
        let theta = Tensor([[0.2, -0.4], [1.0, 0.3], [-0.5, 0.5]], requiresGradient: true)
        let states = [0, 2, 0, 1], actions = [1, 0, 0, 1]
        let bProbabilities = [0.5, 0.7, 0.2, 0.4]
        let rewards = [0.5, -1, 2, 1], gamma = 0.9, clip = 3.0
        let logPi = theta.logSoftmax(alongAxis: 1).rows(states).gather(actions)
        let loss = try offPolicySurrogate(targetLogProbabilities: logPi, behaviourLogProbabilities: bProbabilities.map { log($0) },
                                          rewards: rewards, gamma: gamma, clip: clip)
        loss.backward()
        let table = theta.arrayRows.map { $0.map(Double.init) }
        let probabilities = softmaxRows(table)
        let coefficients = surrogateCoefficients(logPi: states.indices.map { log(probabilities[states[$0]][actions[$0]]) },
                                                 logB: bProbabilities.map { log($0) }, rewards: rewards, gamma: gamma, clip: clip)
        var expected = Array(repeating: Array(repeating: 0.0, count: 2), count: 3)
        for t in states.indices {
            for a in 0..<2 { expected[states[t]][a] -= coefficients[t] * ((a == actions[t] ? 1 : 0) - probabilities[states[t]][a]) }
        }
        let got = theta.gradient?.arrayRows.map { $0.map(Double.init) } ?? []
        #expect(close(got.flatMap { $0 }, expected.flatMap { $0 }, 1e-4),
                "6.5: on a softmax policy the surrogate's gradient must be the off-policy estimate -sum_t w_t G_t grad log pi(A_t | S_t): expected \(expected.map(f4)), got \(got.map(f4))")
    }

    @Test("with b = pi it is REINFORCE with reward-to-go") func onPolicyItIsReinforceWithRewardToGo() throws {
        // b = pi: every ratio is 1, below any clip >= 1, so the coefficients are the rewards-to-go.
        let (_, gradient) = try surrogateOnLeaf(logPi: logPi, logB: logPi, rewards: rewards, gamma: 0.5, clip: 1)
        #expect(close(gradient, [-3, -4, -4], 1e-4), "6.5: with b = pi every ratio is 1 and the gradient is REINFORCE with reward-to-go, -(3, 4, 4); got \(f4(gradient))")
    }

    /// Three states; from state 0, action 0 leads to state 1 and action 1 to
    /// state 2; one more action there ends the episode. Rewards r(s, a).
    /// Averaging the estimate over all four episodes, weighted by their
    /// probability under b, gives exactly
    ///     sum_a0 pi(a0|0) grad log pi(a0|0) Q_b(0, a0) + sum_a0 pi(a0|0) sum_a1 pi(a1|s1) grad log pi(a1|s1) r(s1, a1),
    /// the policy gradient with b's values after the first step (the
    /// cumulative ratio makes the second state's distribution pi's).
    @Test("exact over every episode: the cumulative ratio reweights to pi") func expectationOverEveryEpisode() throws {
        let thetaValues: [[Double]] = [[0.3, -0.2], [0.8, -0.6], [-1.0, 0.4]]
        let b: [[Double]] = [[0.7, 0.3], [0.4, 0.6], [0.5, 0.5]]
        let r: [[Double]] = [[1, 0.5], [2, -1], [0, 3]]
        let gamma = 0.8
        let pi = softmaxRows(thetaValues)
        var average = Array(repeating: 0.0, count: 6)
        for a0 in 0..<2 {
            for a1 in 0..<2 {
                let s1 = 1 + a0
                let theta = Tensor(thetaValues.map { $0.map(Float.init) }, requiresGradient: true)
                let logPi = theta.logSoftmax(alongAxis: 1).rows([0, s1]).gather([a0, a1])
                let loss = try offPolicySurrogate(targetLogProbabilities: logPi, behaviourLogProbabilities: [log(b[0][a0]), log(b[s1][a1])],
                                                  rewards: [r[0][a0], r[s1][a1]], gamma: gamma, clip: .infinity)
                loss.backward()
                let probability = b[0][a0] * b[s1][a1]
                for (i, g) in (theta.gradient?.scalars ?? []).enumerated() { average[i] += probability * Double(g) }
            }
        }
        // The expected estimate, computed directly (the loss's gradient is minus the estimate).
        var expected = Array(repeating: 0.0, count: 6)
        for a0 in 0..<2 {
            let s1 = 1 + a0
            let qB = r[0][a0] + gamma * (0..<2).map { b[s1][$0] * r[s1][$0] }.reduce(0, +)
            for a in 0..<2 { expected[a] -= pi[0][a0] * ((a == a0 ? 1 : 0) - pi[0][a]) * qB }
            for a1 in 0..<2 {
                for a in 0..<2 { expected[2 * s1 + a] -= pi[0][a0] * pi[s1][a1] * ((a == a1 ? 1 : 0) - pi[s1][a]) * r[s1][a1] }
            }
        }
        #expect(close(average, expected, 1e-4),
                "6.5: averaged over the four episodes b can produce (weighted by their probabilities under b), the unclipped estimate should reweight each step to pi's distribution of (S_t, A_t): expected gradient \(f4(expected)), got \(f4(average))")
    }

    @Test("bad input throws InvalidArgument (empty, lengths, b = 0, gamma, clip)") func rejectsBadInput() throws {
        let three = Tensor(logPi.map(Float.init))
        #expect(throwsInvalidArgument { _ = try offPolicySurrogate(targetLogProbabilities: Tensor([Float]()), behaviourLogProbabilities: [], rewards: [], gamma: 1, clip: 2) },
                "6.5: an empty episode must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try offPolicySurrogate(targetLogProbabilities: three, behaviourLogProbabilities: logB, rewards: [1, 2], gamma: 1, clip: 2) },
                "6.5: 2 rewards for 3 log-probabilities must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try offPolicySurrogate(targetLogProbabilities: three, behaviourLogProbabilities: [0, -.infinity, 0], rewards: rewards, gamma: 1, clip: 2) },
                "6.5: a behaviour log-probability of -infinity (b = 0) must throw InvalidArgument: the ratio is undefined")
        #expect(throwsInvalidArgument { _ = try offPolicySurrogate(targetLogProbabilities: three, behaviourLogProbabilities: logB, rewards: rewards, gamma: -0.1, clip: 2) },
                "6.5: gamma -0.1 must throw InvalidArgument (gamma is in [0, 1])")
        #expect(throwsInvalidArgument { _ = try offPolicySurrogate(targetLogProbabilities: three, behaviourLogProbabilities: logB, rewards: rewards, gamma: 1, clip: 0) },
                "6.5: clip 0 must throw InvalidArgument (c > 0)")
        let (_, gradient) = try surrogateOnLeaf(logPi: [log(0.5)], logB: [log(0.25)], rewards: [3], gamma: 1, clip: .infinity)
        #expect(close(gradient, [-6], 1e-4), "6.5: one step with ratio 2 and reward 3, unclipped: dL / d log pi = -6, got \(f4(gradient))")
    }
}
