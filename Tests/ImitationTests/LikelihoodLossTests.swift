import Foundation
import Imitation
import RLKit
import Testing

@Suite("9.3 categorical and Gaussian negative log-likelihood")
struct LikelihoodLossTests {
    /// log softmax(z)_a computed here in Double, shifted by the max.
    func logSoftmax(_ z: [Double], _ a: Int) -> Double {
        let m = z.max()!
        return z[a] - m - Foundation.log(z.map { Foundation.exp($0 - m) }.reduce(0, +))
    }

    @Test func categoricalExactValueAndGradient() throws {
        let z: [[Double]] = [[1, 2, 3], [0, 0, 0]]
        let actions = [2, 1]
        let logits = Tensor(z.map { $0.map(Float.init) }, requiresGradient: true)
        let loss = try categoricalNegativeLogLikelihood(logits: logits, actions: actions)
        try #require(loss.shape == [], "9.3: the loss is a scalar tensor, got shape \(loss.shape)")
        let expected = -(logSoftmax(z[0], 2) + logSoftmax(z[1], 1)) / 2   // 0.7531...
        let got = Double(loss.scalar)
        #expect(!close(got, -expected, 1e-5), "9.3: the sign: the loss is MINUS the mean log-likelihood (it is minimised)")
        #expect(!close(got, 2 * expected, 1e-5), "9.3: sums over the batch instead of averaging: divide by N")
        #expect(!close(got, -(3.0 + 0) / 2, 1e-5), "9.3: uses the logits as log-probabilities: subtract logsumexp (log-softmax) first")
        #expect(close(got, expected, 1e-5), "9.3: expected -(log softmax(z_0)_2 + log softmax(z_1)_1) / 2 = \(expected), got \(got)")
        loss.backward()
        let gradient = try #require(logits.gradient, "9.3: the loss must be differentiable with respect to the logits")
        // dL/dz_ib = (softmax(z_i)_b - [b == a_i]) / N.
        var expectedGradient: [Double] = []
        for (i, row) in z.enumerated() {
            for b in 0..<3 { expectedGradient.append((Foundation.exp(logSoftmax(row, b)) - (b == actions[i] ? 1 : 0)) / 2) }
        }
        #expect(zip(doubles(gradient), expectedGradient).allSatisfy { close($0, $1, 1e-5) },
                "9.3: dL/dz must be (softmax(z) - onehot(a)) / N = \(expectedGradient), got \(doubles(gradient))")
    }

    @Test func categoricalLogitsFarApartStayFinite() throws {
        // log softmax of (1000, 0) at 0 is about 0; of (0, -1000) at 1 is about -1000.
        let loss = try categoricalNegativeLogLikelihood(logits: Tensor([[1000, 0], [0, -1000]]), actions: [0, 1])
        let got = Double(loss.scalar)
        #expect(got.isFinite, "9.3: overflows for logits far apart (got \(got)): compute log-softmax (z - max - log sum exp(z - max)), not log(softmax)")
        #expect(close(got, 500, 1e-5), "9.3: logits (1000, 0) at action 0 and (0, -1000) at action 1: expected (0 + 1000) / 2 = 500, got \(got)")
        let certain = try categoricalNegativeLogLikelihood(logits: Tensor([[50, -50]]), actions: [0])
        #expect(Double(certain.scalar) >= 0 && Double(certain.scalar) < 1e-6, "9.3: a certain correct prediction has loss 0, got \(certain.scalar)")
    }

    @Test func categoricalBadInputIsNamed() throws {
        _ = try categoricalNegativeLogLikelihood(logits: Tensor([[1, 2]]), actions: [1])
        #expect(errorText { _ = try categoricalNegativeLogLikelihood(logits: Tensor([[1, 2]]), actions: [2]) }
            .hasPrefix("categoricalNegativeLogLikelihood(logits:actions:): invalid actions: holds 2, expected actions 0..<2"))
        #expect(errorText { _ = try categoricalNegativeLogLikelihood(logits: Tensor([[1, 2]]), actions: [0, 1]) }
            .hasPrefix("categoricalNegativeLogLikelihood(logits:actions:): invalid actions"))
    }

    /// mean [[0, 1], [2, -1]], sigma (1, 2), actions [[1, 1], [0, 1]]:
    /// quadratic terms 1/2, 0 and 2, 1/2; log sigma 0 and log 2 per row.
    @Test func gaussianExactValueAndGradients() throws {
        let mean = Tensor([[0, 1], [2, -1]], requiresGradient: true)
        let logSigma = Tensor([0, Float(Foundation.log(2.0))], requiresGradient: true)
        let loss = try gaussianNegativeLogLikelihood(mean: mean, logStandardDeviation: logSigma, actions: Tensor([[1, 1], [0, 1]]))
        try #require(loss.shape == [], "9.3: the loss is a scalar tensor, got shape \(loss.shape)")
        let c = 0.5 * Foundation.log(2 * Double.pi), log2 = Foundation.log(2.0)
        let expected = (0.5 + 0 + 2 + 0.5 + 2 * log2 + 4 * c) / 2
        let got = Double(loss.scalar)
        #expect(!close(got, (3.0 + 4 * c) / 2, 1e-5), "9.3: leaves out log sigma: each coordinate adds log sigma_d (a wide Gaussian pays for its width)")
        #expect(!close(got, (0.5 + 0 + 2 + 1 + 2 * log2 + 4 * c) / 2, 1e-5), "9.3: divides by sigma instead of sigma^2: the quadratic term is (a - mu)^2 / (2 sigma^2)")
        #expect(!close(got, (1 + 0 + 4 + 1 + 2 * log2 + 4 * c) / 2, 1e-5), "9.3: drops the 1/2 of the quadratic term: (a - mu)^2 / (2 sigma^2)")
        #expect(!close(got, expected / 2, 1e-5), "9.3: averages over the action's coordinates: the log-density of a diagonal Gaussian sums over them")
        #expect(!close(got, (3.0 + 2 * log2) / 2, 1e-5), "9.3: leaves out the constant log(2 pi) / 2 per coordinate: L is the exact negative log-likelihood")
        #expect(close(got, expected, 1e-5), "9.3: expected \(expected), got \(got)")
        loss.backward()
        // dL/dmu = (mu - a) / sigma^2 / N; dL/dlog sigma_d = mean_i (1 - (a - mu)^2 / sigma_d^2).
        let meanGradient = try #require(mean.gradient, "9.3: the loss must be differentiable with respect to the mean")
        #expect(zip(doubles(meanGradient), [-0.5, 0, 1, -0.25]).allSatisfy { close($0, $1, 1e-5) },
                "9.3: dL/dmu must be (mu - a) / (sigma^2 N) = [-0.5, 0, 1, -0.25], got \(doubles(meanGradient))")
        let sigmaGradient = try #require(logSigma.gradient, "9.3: the loss must be differentiable with respect to log sigma")
        #expect(zip(doubles(sigmaGradient), [-1.5, 0.5]).allSatisfy { close($0, $1, 1e-5) },
                "9.3: dL/dlog sigma must be mean_i (1 - (a - mu)^2 / sigma^2) = [-1.5, 0.5], got \(doubles(sigmaGradient))")
    }

    @Test func gaussianWithUnitSigmaIsHalfTheRegressionLoss() throws {
        let mean: [[Float]] = [[0.5, -1, 2], [3, 0, 0]], actions: [[Float]] = [[0, 0, 0], [1, 1, 1]]
        let perRow = Tensor(shape: [2, 3], scalars: [Float](repeating: 0, count: 6))
        let loss = try gaussianNegativeLogLikelihood(mean: Tensor(mean), logStandardDeviation: perRow, actions: Tensor(actions))
        // Squared distances 0.25 + 1 + 4 and 4 + 1 + 1: (1/N) sum = 5.625; half of it plus 3 log(2 pi)/2.
        let expected = 0.5 * 5.625 + 3 * 0.5 * Foundation.log(2 * Double.pi)
        #expect(close(Double(loss.scalar), expected, 1e-5),
                "9.3: with sigma = 1 (log sigma given per row, [N, D]) the loss is half the regression loss plus 3 log(2 pi) / 2 = \(expected), got \(loss.scalar)")
    }

    @Test func gaussianBadInputIsNamed() throws {
        let mean = Tensor([[0, 1]]), actions = Tensor([[1, 1]])
        _ = try gaussianNegativeLogLikelihood(mean: mean, logStandardDeviation: Tensor([Float(0), 0]), actions: actions)
        let function = "gaussianNegativeLogLikelihood(mean:logStandardDeviation:actions:)"
        #expect(errorText { _ = try gaussianNegativeLogLikelihood(mean: mean, logStandardDeviation: Tensor([Float(0)]), actions: actions) }
            .hasPrefix("\(function): invalid logStandardDeviation"))
        #expect(errorText { _ = try gaussianNegativeLogLikelihood(mean: mean, logStandardDeviation: Tensor([Float(0), .nan]), actions: actions) }
            .hasPrefix("\(function): invalid logStandardDeviation"))
        #expect(errorText { _ = try gaussianNegativeLogLikelihood(mean: mean, logStandardDeviation: Tensor([Float(0), 0]), actions: Tensor([[1]])) }
            .hasPrefix("\(function): invalid actions"))
    }
}
