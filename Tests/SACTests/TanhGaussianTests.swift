import Foundation
import RLKit
import SAC
import Testing

@Suite("8.2 TanhGaussian")
struct TanhGaussianTests {
    /// One-dimensional distributions, one per row: (u, mean, log sigma).
    static func logProbabilities(_ rows: [(u: Double, mean: Double, logStd: Double)]) throws -> [Double] {
        let d = try TanhGaussian(mean: Tensor(rows.map { [Float($0.mean)] }),
                                 logStandardDeviation: Tensor(rows.map { [Float($0.logStd)] }))
        let result = try d.logProbability(preSquash: Tensor(rows.map { [Float($0.u)] }))
        return result.scalars.map(Double.init)
    }

    /// log N(u; mean, sigma) alone, in Double.
    static func gaussian(_ u: Double, _ mean: Double, _ logStd: Double) -> Double {
        let z = (u - mean) / Foundation.exp(logStd)
        return -0.5 * z * z - logStd - 0.5 * Foundation.log(2 * Double.pi)
    }

    /// What the most common wrong formulas give, to name the one a student wrote.
    static func diagnosis(u: Double, mean: Double, logStd: Double, got: Double) -> String {
        let correction = logOneMinusTanhSquared(u), n = gaussian(u, mean, logStd)
        let tanhU = Double(Float(Foundation.tanh(Float(u))))
        let naive = n - Foundation.log(1 - tanhU * tanhU + 1e-6)
        let close = { (x: Double) in Swift.abs(got - x) <= 1e-3 * Swift.max(1, Swift.abs(x)) }
        if close(n) { return "log N(u) alone: subtract log(1 - tanh(u)^2), the change of variables of a = tanh(u)" }
        if close(n + correction) { return "the tanh correction is subtracted, not added: log pi(a) = log N(u) - log(1 - tanh(u)^2)" }
        if close(gaussian(Foundation.tanh(u), mean, logStd) - correction) {
            return "the Gaussian's log-density is taken at a = tanh(u); it belongs at u, before the squash"
        }
        if close(n + logStd - correction) { return "the Gaussian's log-density needs -log sigma" }
        if Swift.abs(u) > 4 && (close(naive) || !got.isFinite) {
            return "log(1 - tanh(u)^2 + eps) loses the correction where tanh(u) rounds to +-1 in Float (|u| of 5 and more): "
                + "use the stable form 2 (log 2 - u - softplus(-2u))"
        }
        return "log pi(tanh(u)) = -((u - mu)/sigma)^2/2 - log sigma - log(2 pi)/2 - log(1 - tanh(u)^2)"
    }

    @Test("log pi(a) is log N(u) minus log(1 - tanh(u)^2), summed over the action coordinates, one value per row")
    func handValues() throws {
        // Worked example of the notes (section 4): u = 0.5, mu = 0, sigma = 1.
        let worked = try TanhGaussianTests.logProbabilities([(0.5, 0, 0)])
        #expect(worked.count == 1 && Swift.abs(worked[0] - (-0.8037)) < 1e-3,
                "8.2: the notes' worked example (u = 0.5, mu = 0, sigma = 1) gives log pi = -1.0439 + 0.2402 = -0.8037, got \(rounded(worked, 4)); \(worked.count == 1 ? TanhGaussianTests.diagnosis(u: 0.5, mean: 0, logStd: 0, got: worked[0]) : "one value per row")")
        let rows: [(u: Double, mean: Double, logStd: Double)] = [(0.3, 0.1, -0.5), (-1.2, 0.4, 0.2), (2.5, 2, -1), (-0.05, -0.3, 0.7), (1.7, -0.2, -2)]
        let got = try TanhGaussianTests.logProbabilities(rows)
        #expect(got.count == rows.count, "8.2: one log-probability per row, [batch]: sum over the action coordinates (axis 1), not over the batch; got \(got.count) values for \(rows.count) rows")
        for (row, value) in zip(rows, got) where got.count == rows.count {
            let expected = referenceLogProbability(u: row.u, mean: row.mean, logStd: row.logStd)
            #expect(Swift.abs(value - expected) <= 1e-4 * Swift.max(1, Swift.abs(expected)),
                    "8.2: at u = \(row.u), mu = \(row.mean), log sigma = \(row.logStd) log pi = \(rounded(expected, 5)), got \(rounded(value, 5)): \(TanhGaussianTests.diagnosis(u: row.u, mean: row.mean, logStd: row.logStd, got: value))")
        }
        // Two action coordinates: the log-probabilities of independent coordinates add up.
        let d = try TanhGaussian(mean: Tensor([[0.2, -0.4], [1, 0]]), logStandardDeviation: Tensor([[-0.3, 0.1], [0, -1]]))
        let two = try d.logProbability(preSquash: Tensor([[0.5, -1], [0.7, 0.2]])).scalars.map(Double.init)
        let expected = [referenceLogProbability(u: 0.5, mean: 0.2, logStd: -0.3) + referenceLogProbability(u: -1, mean: -0.4, logStd: 0.1),
                        referenceLogProbability(u: 0.7, mean: 1, logStd: 0) + referenceLogProbability(u: 0.2, mean: 0, logStd: -1)]
        #expect(two.count == 2 && zip(two, expected).allSatisfy { Swift.abs($0 - $1) < 1e-4 },
                "8.2: with two action coordinates log pi is the sum over the coordinates of each row (sum along axis 1), one value per row: expected \(rounded(expected, 4)), got \(rounded(two, 4))")
    }

    @Test("the log-probability agrees with a float64 computation for |u| up to 10, where tanh(u) is +-1 in Float")
    func largePreSquashValues() throws {
        var rows: [(u: Double, mean: Double, logStd: Double)] = []
        for u in stride(from: -10.0, through: 10.0, by: 0.25) { rows.append((u, u / 2, 0.5)) }
        for u in [4.0, 5.5, 7.0, 7.9, 8.3, 9.0, 9.5, 10.0] { rows += [(u, 0, 0), (-u, 0.5, 1), (u, u - 0.3, -1)] }
        let got = try TanhGaussianTests.logProbabilities(rows)
        var worst: (error: Double, row: Int) = (0, 0)
        for (i, (row, value)) in zip(rows, got).enumerated() {
            let expected = referenceLogProbability(u: row.u, mean: row.mean, logStd: row.logStd)
            let error = value.isFinite ? Swift.abs(value - expected) / Swift.max(1, Swift.abs(expected)) : .infinity
            if error > worst.error { worst = (error, i) }
        }
        let row = rows[worst.row]
        #expect(worst.error <= 1e-5,
                "8.2: at u = \(row.u), mu = \(row.mean), log sigma = \(row.logStd) log pi = \(rounded(referenceLogProbability(u: row.u, mean: row.mean, logStd: row.logStd), 4)) in float64, got \(rounded(got[worst.row], 4)): \(TanhGaussianTests.diagnosis(u: row.u, mean: row.mean, logStd: row.logStd, got: got[worst.row]))")
    }

    @Test("the density of a = tanh(u) integrates to 1 over (-1, 1), and its mean is E[tanh(u)] (quadrature on a grid)")
    func changeOfVariablesIntegral() throws {
        let n = 20_000
        let grid = (0..<n).map { -1 + (Double($0) + 0.5) * 2 / Double(n) }   // midpoints in (-1, 1)
        let u = grid.map { Float(Foundation.atanh($0)) }
        for (mean, logStd) in [(0.4, -0.5), (-0.8, 0.0), (1.2, -1.0)] {
            let d = try TanhGaussian(mean: Tensor(shape: [n, 1], scalars: [Float](repeating: Float(mean), count: n)),
                                     logStandardDeviation: Tensor(shape: [n, 1], scalars: [Float](repeating: Float(logStd), count: n)))
            let density = try d.logProbability(preSquash: Tensor(shape: [n, 1], scalars: u)).scalars.map { Foundation.exp(Double($0)) }
            let total = density.reduce(0, +) * 2 / Double(n)
            let meanAction = zip(grid, density).map { $0 * $1 }.reduce(0, +) * 2 / Double(n)
            let expectedMean = tanhGaussianExpectation(mean: mean, logStd: logStd) { u, _ in Foundation.tanh(u) }
            #expect(Swift.abs(total - 1) < 1e-3,
                    "8.2: the density of a = tanh(u) (mu = \(mean), log sigma = \(logStd)) must integrate to 1 over (-1, 1), got \(rounded(total)); \(total < 0.9 ? "without the correction the density of u is read as the density of a: subtract log(1 - tanh(u)^2), the change of variables" : "log pi(a) = log N(u) - log(1 - tanh(u)^2)")")
            #expect(Swift.abs(meanAction - expectedMean) < 1e-3,
                    "8.2: the mean of a under the density exp(log pi(a)) should be E[tanh(u)] = \(rounded(expectedMean)), got \(rounded(meanAction))")
        }
    }

    @Test("the log-probability agrees with TensorCore's squashed Gaussian away from the tails")
    func agreesWithTheCore() throws {
        var rng = SeededGenerator(seed: 3)
        let mean = Tensor.normal([64, 2], standardDeviation: 0.5, using: &rng)
        let logStd = Tensor.normal([64, 2], mean: -0.5, standardDeviation: 0.3, using: &rng)
        let core = try SquashedGaussian(mean: mean, logStandardDeviation: logStd).sample(using: &rng)
        let u = core.action.map { Foundation.atanh(Swift.min(Swift.max($0, -0.999), 0.999)) }
        let ours = try TanhGaussian(mean: mean, logStandardDeviation: logStd).logProbability(preSquash: u).scalars
        let actions = core.action.scalars
        #expect(ours.count == 64, "8.2: one log-probability per row, [batch]: sum over the action coordinates (axis 1), not over the batch; got \(ours.count) values for 64 rows")
        guard ours.count == 64 else { return }
        var compared = 0, worst = 0.0
        for row in 0..<64 where Swift.abs(actions[2 * row]) < 0.99 && Swift.abs(actions[2 * row + 1]) < 0.99 {
            compared += 1
            worst = Swift.max(worst, Swift.abs(Double(ours[row]) - Double(core.logProbability.scalars[row])))
        }
        #expect(compared > 40 && worst < 1e-3,
                "8.2: log pi differs from TensorCore's SquashedGaussian by up to \(rounded(worst, 5)) where tanh(u) is far from +-1 (\(compared) rows compared)")
    }

    @Test("sample: u = mu + sigma epsilon per row, a = tanh(u), and log pi of that u")
    func sampleIsConsistent() throws {
        let mean = Tensor([[0.3, -1], [2, 0], [-0.5, 0.5]]), logStd = Tensor([[-0.2, 0.4], [-1, 0], [0.3, -2]])
        let d = try TanhGaussian(mean: mean, logStandardDeviation: logStd)
        var rng = SeededGenerator(seed: 11)
        let s = try d.sample(using: &rng)
        #expect(s.action.shape == [3, 2] && s.preSquash.shape == [3, 2] && s.logProbability.shape == [3],
                "8.2: a sample of 3 rows of 2 actions has action and preSquash [3, 2] and logProbability [3], got \(s.action.shape), \(s.preSquash.shape), \(s.logProbability.shape)")
        guard s.action.shape == [3, 2], s.preSquash.shape == [3, 2], s.logProbability.shape == [3] else { return }
        let squashed = s.preSquash.scalars.map { Foundation.tanh(Double($0)) }
        #expect(zip(s.action.scalars, squashed).allSatisfy { Swift.abs(Double($0) - $1) < 1e-6 },
                "8.2: the action is tanh(u) of the pre-squash sample u, got actions \(s.action.scalars) for u = \(s.preSquash.scalars)")
        for row in 0..<3 {
            var expected = 0.0
            for k in 0..<2 {
                expected += referenceLogProbability(u: Double(s.preSquash.scalars[2 * row + k]), mean: Double(mean.scalars[2 * row + k]),
                                                    logStd: Double(logStd.scalars[2 * row + k]))
            }
            #expect(Swift.abs(Double(s.logProbability.scalars[row]) - expected) < 1e-4 * Swift.max(1, Swift.abs(expected)),
                    "8.2: the sample's logProbability is log pi(tanh(u)) at the u it drew: row \(row) expected \(rounded(expected, 4)), got \(rounded(Double(s.logProbability.scalars[row]), 4))")
        }
        var again = SeededGenerator(seed: 11), other = SeededGenerator(seed: 12)
        #expect(try d.sample(using: &again).preSquash.scalars == s.preSquash.scalars && (try d.sample(using: &other).preSquash.scalars) != s.preSquash.scalars,
                "8.2: draw epsilon from the generator you are given: the same seed gives the same sample, another seed another one")
    }

    @Test("sample: u has mean mu and standard deviation sigma = exp(log sigma), each row its own noise")
    func sampleHasTheRightDistribution() throws {
        let n = 4_000
        let d = try TanhGaussian(mean: Tensor(shape: [n, 2], scalars: (0..<n).flatMap { _ in [Float(0.7), -1.5] }),
                                 logStandardDeviation: Tensor(shape: [n, 2], scalars: (0..<n).flatMap { _ in [Float(-0.5), 0.3] }))
        var rng = SeededGenerator(seed: 5)
        let u = try d.sample(using: &rng).preSquash.scalars.map(Double.init)
        for (k, (mu, logStd)) in [(0.7, -0.5), (-1.5, 0.3)].enumerated() {
            let column = stride(from: k, to: u.count, by: 2).map { u[$0] }
            let sampleMean = column.reduce(0, +) / Double(n)
            let sampleStd = (column.map { ($0 - sampleMean) * ($0 - sampleMean) }.reduce(0, +) / Double(n - 1)).squareRoot()
            let sigma = Foundation.exp(logStd)
            #expect(Swift.abs(sampleMean - mu) < 5 * sigma / Double(n).squareRoot() && Swift.abs(sampleStd / sigma - 1) < 0.06,
                    "8.2: u = mu + sigma epsilon with sigma = exp(log sigma): column \(k) should have mean \(mu) and standard deviation \(rounded(sigma)), got \(rounded(sampleMean)) and \(rounded(sampleStd))\(Swift.abs(sampleStd - Swift.abs(logStd)) < 0.05 ? " (sigma is exp(log sigma), not log sigma)" : "")")
        }
        let distinctRows = Set(stride(from: 0, to: 200, by: 2).map { u[$0] }).count
        #expect(distinctRows > 90, "8.2: each row draws its own epsilon (a [batch, actions] tensor of noise), got \(distinctRows) distinct values in 100 rows")
    }

    @Test("sample: the action is reparameterised, so gradients reach mu and log sigma")
    func sampleIsReparameterised() throws {
        let mean = Tensor([[0.3, -1], [1.5, 0.2]], requiresGradient: true), logStd = Tensor([[-0.2, 0.4], [-1, 0.1]], requiresGradient: true)
        var rng = SeededGenerator(seed: 8)
        let s = try TanhGaussian(mean: mean, logStandardDeviation: logStd).sample(using: &rng)
        s.action.sum().backward()
        let a = s.action.scalars, u = s.preSquash.scalars
        let expectedMean = a.map { 1 - Double($0) * Double($0) }
        let expectedLogStd = (0..<4).map { i in (1 - Double(a[i]) * Double(a[i])) * (Double(u[i]) - Double(mean.scalars[i])) }
        let gotMean = mean.gradient?.scalars.map(Double.init) ?? [], gotLogStd = logStd.gradient?.scalars.map(Double.init) ?? []
        #expect(gotMean.count == 4 && zip(gotMean, expectedMean).allSatisfy { Swift.abs($0 - $1) < 1e-4 },
                "8.2: the sample must be reparameterised, u = mu + sigma * epsilon built from the mean and log sigma tensors, so that d sum(a)/d mu = 1 - a^2 = \(rounded(expectedMean)); got \(gotMean.isEmpty ? "no gradient (was u drawn directly, or cut off with stopGradient or withoutGradients?)" : rounded(gotMean))")
        #expect(gotLogStd.count == 4 && zip(gotLogStd, expectedLogStd).allSatisfy { Swift.abs($0 - $1) < 1e-4 },
                "8.2: d sum(a)/d log sigma = (1 - a^2) sigma epsilon = \(rounded(expectedLogStd)), got \(gotLogStd.isEmpty ? "no gradient" : rounded(gotLogStd))")
        mean.zeroGradient()
        logStd.zeroGradient()
        var rng2 = SeededGenerator(seed: 8)
        let t = try TanhGaussian(mean: mean, logStandardDeviation: logStd).sample(using: &rng2)
        t.logProbability.sum().backward()
        #expect(logStd.gradient != nil && mean.gradient != nil,
                "8.2: the sample's log pi must stay differentiable in mu and log sigma (the actor's entropy term trains through it)")
    }
}
