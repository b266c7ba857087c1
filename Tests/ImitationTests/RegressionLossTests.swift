import Foundation
import Imitation
import RLKit
import Testing

@Suite("9.2 regressionLoss")
struct RegressionLossTests {
    // Two rows of three-coordinate actions. Differences mu - a: (1, 0, -2) and (0.5, 3, -1).
    let mu: [[Float]] = [[1, 2, 0], [0.5, 1, -1]]
    let a: [[Float]] = [[0, 2, 2], [0, -2, 0]]
    /// Squared distances per row: 1 + 0 + 4 = 5 and 0.25 + 9 + 1 = 10.25.
    let rowSums = [5.0, 10.25]

    @Test func exactValueAndGradient() throws {
        let predictions = Tensor(mu, requiresGradient: true)
        let loss = try regressionLoss(predictions: predictions, targets: Tensor(a))
        try #require(loss.shape == [], "9.2: the loss is a scalar tensor, got shape \(loss.shape)")
        let got = Double(loss.scalar), expected = (rowSums[0] + rowSums[1]) / 2
        #expect(!close(got, expected / 3, 1e-5), "9.2: averages over the action's coordinates too: sum the squares over the D coordinates, average over the N rows only")
        #expect(!close(got, expected / 2, 1e-5), "9.2: has a factor 1/2: L is the plain squared distance (1/N) sum_i |mu(s_i) - a_i|^2")
        #expect(!close(got, expected * 2, 1e-5), "9.2: sums over the batch instead of averaging: divide by the number of rows N")
        let absolute = (1.0 + 0 + 2 + 0.5 + 3 + 1) / 2
        #expect(!close(got, absolute, 1e-5), "9.2: uses the absolute error: the regression loss squares the difference")
        let distances = (rowSums[0].squareRoot() + rowSums[1].squareRoot()) / 2
        #expect(!close(got, distances, 1e-5), "9.2: averages the distances |mu - a|, not their squares")
        #expect(close(got, expected, 1e-5), "9.2: expected (5 + 10.25) / 2 = \(expected), got \(got)")
        loss.backward()
        let gradient = try #require(predictions.gradient, "9.2: the loss must be differentiable with respect to the predictions")
        // dL/dmu = 2 (mu - a) / N.
        let expectedGradient: [Double] = [1, 0, -2, 0.5, 3, -1]
        #expect(zip(doubles(gradient), expectedGradient).allSatisfy { close($0, $1, 1e-5) },
                "9.2: dL/dmu must be 2 (mu - a) / N = \(expectedGradient), got \(doubles(gradient))")
    }

    @Test func oneRowOneCoordinateAndPrecision() throws {
        let one = try regressionLoss(predictions: Tensor([[3]]), targets: Tensor([[-1]]))
        #expect(close(Double(one.scalar), 16, 1e-6), "9.2: one row, one coordinate: (3 - (-1))^2 = 16, got \(one.scalar)")
        // Large actions that are close: the difference first, then the square.
        let near = try regressionLoss(predictions: Tensor([[1000.5, -2000]]), targets: Tensor([[1000, -2000.25]]))
        #expect(close(Double(near.scalar), 0.3125, 1e-5), "9.2: (0.5)^2 + (0.25)^2 = 0.3125, got \(near.scalar): subtract before squaring")
    }

    @Test func mismatchedShapesAreNamed() throws {
        _ = try regressionLoss(predictions: Tensor(mu), targets: Tensor(a))
        #expect(errorText { _ = try regressionLoss(predictions: Tensor(mu), targets: Tensor([[1, 2]])) }
            .hasPrefix("regressionLoss(predictions:targets:): invalid targets"))
        #expect(errorText { _ = try regressionLoss(predictions: Tensor([Float(1), 2]), targets: Tensor([Float(1), 2])) }
            .hasPrefix("regressionLoss(predictions:targets:): invalid predictions"))
    }
}
