import Foundation
import PolicyGradient
import RLKit
import Testing

@Suite("5.1 softmaxScore and gaussianScore")
struct ScoreFunctionTests {
    /// log pi(a | s) of a linear softmax, in Double, by the definition (stable).
    static func logSoftmaxPolicy(_ features: [[Double]], _ theta: [Double], _ a: Int) -> Double {
        let scores = features.map { zip($0, theta).reduce(0.0) { $0 + $1.0 * $1.1 } }
        let top = scores.max()!
        return scores[a] - top - Foundation.log(scores.reduce(0.0) { $0 + Foundation.exp($1 - top) })
    }

    /// log N(a; theta . phi, sigma^2), in Double.
    static func logGaussianPolicy(_ phi: [Double], _ theta: [Double], _ sigma: Double, _ a: Double) -> Double {
        let mu = zip(phi, theta).reduce(0.0) { $0 + $1.0 * $1.1 }
        return -(a - mu) * (a - mu) / (2 * sigma * sigma) - Foundation.log(sigma) - 0.5 * Foundation.log(2 * Double.pi)
    }

    /// Random features, parameters and an action.
    static func randomSoftmaxCase(_ rng: inout SeededGenerator) -> (features: [[Double]], theta: [Double], action: Int) {
        let k = 2 + rng.nextInt(below: 3), d = 1 + rng.nextInt(below: 4)
        let features = (0..<k).map { _ in (0..<d).map { _ in rng.uniform(-2, 2) } }
        return (features, (0..<d).map { _ in rng.uniform(-1.5, 1.5) }, rng.nextInt(below: k))
    }

    @Test func softmaxByHand() throws {
        // phi(s, .) = (1, 0), (0, 1), (1, 1); theta = (0, ln 2): scores 0, ln 2, ln 2, so pi = (0.2, 0.4, 0.4)
        // and E_pi[phi] = (0.6, 0.8) (the notes' worked example).
        let features: [[Double]] = [[1, 0], [0, 1], [1, 1]], theta = [0, Foundation.log(2.0)]
        let score = try softmaxScore(features: features, theta: theta, action: 0)
        let expected = [0.4, -0.8]
        if maxError(score, expected) > 1e-12 {
            let hint = maxError(score, [1, 0]) < 1e-9 ? "that is phi(s, a) alone: subtract the policy's average features E_pi[phi(s, .)]"
                : maxError(score, [-0.4, 0.8]) < 1e-9 ? "the sign is flipped: phi(s, a) - E_pi[phi(s, .)], not the other way round"
                : maxError(score, [1.0 / 3, -2.0 / 3]) < 1e-9
                    ? "the average must weight every action's features by pi(b | s) (softmax of the scores)"
                : "grad log pi(a | s) = phi(s, a) - sum_b pi(b | s) phi(s, b)"
            Issue.record("5.1: softmaxScore with phi(s, .) = (1, 0), (0, 1), (1, 1), theta = (0, ln 2), a = 0: expected \(rounded(expected)) (pi = (0.2, 0.4, 0.4), E_pi[phi] = (0.6, 0.8)), got \(rounded(score)); \(hint)")
        }
        let last = try softmaxScore(features: features, theta: theta, action: 2)
        #expect(maxError(last, [0.4, 0.2]) < 1e-12, "5.1: softmaxScore for a = 2 in the same state: (1, 1) - (0.6, 0.8) = (0.4, 0.2), got \(rounded(last))")
    }

    @Test func gaussianByHand() throws {
        // phi = (1, 2), theta = (0.5, 0.25): mu = 1; sigma = 0.5 and a = 2, so z = 2.
        let g = try gaussianScore(features: [1, 2], theta: [0.5, 0.25], sigma: 0.5, action: 2)
        let (thetaExpected, sigmaExpected) = ([4.0, 8.0], 6.0)
        if maxError(g.theta, thetaExpected) > 1e-12 {
            let hint = maxError(g.theta, [2, 4]) < 1e-9 ? "divide by sigma^2, not sigma"
                : maxError(g.theta, [-4, -8]) < 1e-9 ? "the sign is flipped: an action above the mean pulls the mean up, (a - mu) not (mu - a)"
                : maxError(g.theta, [1, 2]) < 1e-9 ? "(a - mu) / sigma^2 multiplies phi(s): the score is not phi alone"
                : "grad_theta log pi(a | s) = (a - mu(s)) phi(s) / sigma^2"
            Issue.record("5.1: gaussianScore with phi = (1, 2), theta = (0.5, 0.25) (mu = 1), sigma = 0.5, a = 2: expected theta score \(thetaExpected), got \(rounded(g.theta)); \(hint)")
        }
        if Swift.abs(g.sigma - sigmaExpected) > 1e-12 {
            let hint = Swift.abs(g.sigma - 8) < 1e-9 ? "the -1 / sigma from the normaliser's log sigma is missing"
                : Swift.abs(g.sigma + 6) < 1e-9 ? "the sign is flipped: d/d sigma log pi = (a - mu)^2 / sigma^3 - 1 / sigma"
                : Swift.abs(g.sigma - 2) < 1e-9 ? "(a - mu)^2 is divided by sigma^3 (the derivative of -(a - mu)^2 / (2 sigma^2)), not sigma"
                : "d/d sigma log pi(a | s) = (a - mu)^2 / sigma^3 - 1 / sigma"
            Issue.record("5.1: gaussianScore's sigma derivative for the same case: expected 6 (= 1 / 0.125 - 1 / 0.5), got \(rounded(g.sigma)); \(hint)")
        }
        let near = try gaussianScore(features: [1, 2], theta: [0.5, 0.25], sigma: 2, action: 1)
        #expect(maxError(near.theta, [0, 0]) < 1e-12 && Swift.abs(near.sigma + 0.5) < 1e-12,
                "5.1: at a = mu the theta score is 0 and d/d sigma log pi = -1 / sigma = -0.5 (narrowing raises the density at the mean), got \(rounded(near.theta)) and \(rounded(near.sigma))")
    }

    @Test func softmaxAgreesWithAutodiff() throws {
        var rng = SeededGenerator(seed: 51)
        for _ in 0..<60 {
            let (features, theta, a) = ScoreFunctionTests.randomSoftmaxCase(&rng)
            let score = try softmaxScore(features: features, theta: theta, action: a)
            let t = Tensor(shape: [theta.count, 1], scalars: theta.map(Float.init), requiresGradient: true)
            let logits = Tensor(features.map { $0.map(Float.init) }).matmul(t).reshaped(to: [1, features.count])
            logits.logSoftmax(alongAxis: 1).gather([a]).sum().backward()
            let autodiff = doubles(t.gradient)
            guard maxError(score, autodiff) < 1e-4 else {
                Issue.record("5.1: softmaxScore disagrees with the tensor core's autodiff of log softmax(theta . phi)[a] for features \(rounded(features, 3)), theta \(rounded(theta, 3)), a = \(a): got \(rounded(score)), autodiff \(rounded(autodiff))")
                return
            }
        }
    }

    @Test func gaussianAgreesWithAutodiff() throws {
        var rng = SeededGenerator(seed: 52)
        for _ in 0..<60 {
            let d = 1 + rng.nextInt(below: 4)
            let phi = (0..<d).map { _ in rng.uniform(-2, 2) }, theta = (0..<d).map { _ in rng.uniform(-1, 1) }
            let sigma = rng.uniform(0.3, 2), action = rng.uniform(-3, 3)
            let g = try gaussianScore(features: phi, theta: theta, sigma: sigma, action: action)
            let t = Tensor(shape: [d, 1], scalars: theta.map(Float.init), requiresGradient: true)
            let s = Tensor([Float(sigma)], requiresGradient: true)
            let mean = Tensor(shape: [1, d], scalars: phi.map(Float.init)).matmul(t)
            let policy = try DiagonalGaussian(mean: mean, logStandardDeviation: s.log())
            policy.logProbability(of: Tensor([[Float(action)]])).sum().backward()
            let thetaGradient = doubles(t.gradient), sigmaGradient = (doubles(s.gradient).first ?? .nan)
            let scale = 1 + Swift.abs(sigmaGradient)
            guard maxError(g.theta, thetaGradient) < 1e-3 * (1 + thetaGradient.map(Swift.abs).max()!),
                  Swift.abs(g.sigma - sigmaGradient) < 1e-3 * scale else {
                Issue.record("5.1: gaussianScore disagrees with autodiff of DiagonalGaussian.logProbability for phi \(rounded(phi, 3)), theta \(rounded(theta, 3)), sigma \(rounded(sigma, 3)), a = \(rounded(action, 3)): got theta \(rounded(g.theta)), sigma \(rounded(g.sigma)); autodiff theta \(rounded(thetaGradient)), sigma \(rounded(sigmaGradient))")
                return
            }
        }
    }

    @Test func bothAgreeWithFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 53)
        let h = 1e-5
        for _ in 0..<40 {
            let (features, theta, a) = ScoreFunctionTests.randomSoftmaxCase(&rng)
            let score = try softmaxScore(features: features, theta: theta, action: a)
            let numeric = theta.indices.map { j -> Double in
                var up = theta, down = theta
                up[j] += h
                down[j] -= h
                return (ScoreFunctionTests.logSoftmaxPolicy(features, up, a) - ScoreFunctionTests.logSoftmaxPolicy(features, down, a)) / (2 * h)
            }
            guard maxError(score, numeric) < 1e-6 else {
                Issue.record("5.1: softmaxScore disagrees with central finite differences of log pi(a | s) for features \(rounded(features, 3)), theta \(rounded(theta, 3)), a = \(a): got \(rounded(score)), finite differences \(rounded(numeric))")
                return
            }
            let phi = features[0], sigma = rng.uniform(0.3, 2), action = rng.uniform(-3, 3)
            let g = try gaussianScore(features: phi, theta: theta, sigma: sigma, action: action)
            let f = { (t: [Double], s: Double) in ScoreFunctionTests.logGaussianPolicy(phi, t, s, action) }
            let thetaNumeric = theta.indices.map { j -> Double in
                var up = theta, down = theta
                up[j] += h
                down[j] -= h
                return (f(up, sigma) - f(down, sigma)) / (2 * h)
            }
            let sigmaNumeric = (f(theta, sigma + h) - f(theta, sigma - h)) / (2 * h)
            guard maxError(g.theta, thetaNumeric) < 1e-5 * (1 + thetaNumeric.map(Swift.abs).max()!),
                  Swift.abs(g.sigma - sigmaNumeric) < 1e-5 * (1 + Swift.abs(sigmaNumeric)) else {
                Issue.record("5.1: gaussianScore disagrees with central finite differences of log pi(a | s) for phi \(rounded(phi, 3)), theta \(rounded(theta, 3)), sigma \(rounded(sigma, 3)), a = \(rounded(action, 3)): got theta \(rounded(g.theta)), sigma \(rounded(g.sigma)); finite differences theta \(rounded(thetaNumeric)), sigma \(rounded(sigmaNumeric))")
                return
            }
        }
    }

    @Test("the score has mean zero under the policy: E_pi[grad log pi] = 0") func meanZero() throws {
        var rng = SeededGenerator(seed: 54)
        for _ in 0..<30 {
            let (features, theta, _) = ScoreFunctionTests.randomSoftmaxCase(&rng)
            let p = features.indices.map { Foundation.exp(ScoreFunctionTests.logSoftmaxPolicy(features, theta, $0)) }
            var mean = [Double](repeating: 0, count: theta.count)
            for a in features.indices {
                let score = try softmaxScore(features: features, theta: theta, action: a)
                for j in mean.indices { mean[j] += p[a] * score[j] }
            }
            #expect(maxError(mean, [Double](repeating: 0, count: theta.count)) < 1e-12,
                    "5.1: sum_a pi(a | s) grad log pi(a | s) = grad sum_a pi(a | s) = grad 1 = 0, got \(rounded(mean)) for features \(rounded(features, 3)), theta \(rounded(theta, 3))")
        }
    }

    @Test("large scores and near-certain actions keep their precision") func precision() throws {
        // Scores of 1000: exp overflows unless the largest score is subtracted first.
        let big = try softmaxScore(features: [[1, 0], [0, 1]], theta: [1_000, 0], action: 1)
        #expect(maxError(big, [-1, 1]) < 1e-12, "5.1: theta . phi = 1000 and 0: pi = (1, 0), so the score of a = 1 is (0, 1) - (1, 0) = (-1, 1), got \(big); subtract the largest score before exp so that it cannot overflow")
        // pi(0 | s) = 1 - 9.4e-14: phi(s, a) - E_pi[phi] subtracts two vectors equal to 13 digits.
        let p1 = 1 / (1 + Foundation.exp(30.0))
        let certain = try softmaxScore(features: [[1, 0], [0, 1]], theta: [30, 0], action: 0)
        #expect(maxError(certain, [p1, -p1]) < 1e-9 * p1,
                "5.1: with pi(a | s) = 1 - \(rounded(p1, 3)) the score is (pi(1 | s), -pi(1 | s)) = (\(rounded(p1, 6)), \(rounded(-p1, 6))), got \(rounded(certain, 6)); phi(s, a) - E_pi[phi] loses its digits here: write it as sum_b pi(b | s) (phi(s, a) - phi(s, b))")
        let narrow = try gaussianScore(features: [1], theta: [0], sigma: 1e-3, action: 1e-3)
        #expect(Swift.abs(narrow.sigma) < 1e-6 && Swift.abs(narrow.theta[0] - 1e3) < 1e-6,
                "5.1: one sigma from the mean (z = 1) the sigma derivative is 0 and the theta score 1 / sigma = 1000, got \(narrow)")
    }

    @Test func badInputIsNamed() throws {
        let g = try gaussianScore(features: [2], theta: [1], sigma: 1, action: 3)
        #expect(maxError(g.theta, [2]) < 1e-12 && Swift.abs(g.sigma) < 1e-12, "5.1: phi = 2, mu = 2, sigma = 1, a = 3: theta score 2, sigma derivative 0, got \(g)")
        expectError("5.1", "gaussianScore(features:theta:sigma:action:): invalid sigma: got 0.0, expected a finite number > 0") {
            _ = try gaussianScore(features: [1], theta: [1], sigma: 0, action: 0)
        }
        expectError("5.1", containing: "invalid sigma") { _ = try gaussianScore(features: [1], theta: [1], sigma: -1, action: 0) }
        expectError("5.1", "softmaxScore(features:theta:action:): invalid action: got 2, expected an index in 0..<2") {
            _ = try softmaxScore(features: [[1], [2]], theta: [1], action: 2)
        }
        expectError("5.1", containing: "invalid features") { _ = try softmaxScore(features: [[1, 2], [3]], theta: [1, 1], action: 0) }
        expectError("5.1", containing: "invalid features: is empty") { _ = try softmaxScore(features: [], theta: [], action: 0) }
    }
}
