import Foundation
import Testing
import TensorCore

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

@Suite("bad values are refused by name, as torch.optim and torch.distributions refuse them")
struct BadValueTests {
    let w = Tensor([1, 2], requiresGradient: true)

    @Test func adamHyperparameters() {
        #expect(errorText { _ = try Adam(parameters: [w], learningRate: -0.1) }
            == "Adam: invalid learningRate: got -0.1, expected a finite number >= 0")
        #expect(errorText { _ = try Adam(parameters: [w], beta1: 1) }
            == "Adam: invalid beta1: got 1.0, expected a number in [0.0, 1.0)")
        #expect(errorText { _ = try Adam(parameters: [w], beta2: -0.5) }.hasPrefix("Adam: invalid beta2: got -0.5"))
        #expect(errorText { _ = try Adam(parameters: [w], epsilon: .nan) }.hasPrefix("Adam: invalid epsilon: got nan"))
        #expect(errorText { _ = try Adam(parameters: [w], learningRate: .infinity) }.hasPrefix("Adam: invalid learningRate: got inf"))
        #expect(errorText { _ = try Adam(parameters: [w], learningRate: 0, beta1: 0) } == "no error", "0 is a valid rate and beta")
        #expect(errorText { try Adam(parameters: [w]).setLearningRate(-1) } == "Adam: invalid learningRate: got -1.0, expected a finite number >= 0")
    }

    @Test func sgdHyperparameters() {
        #expect(errorText { _ = try SGD(parameters: [w], learningRate: -0.01) }
            == "SGD: invalid learningRate: got -0.01, expected a finite number >= 0")
        #expect(errorText { _ = try SGD(parameters: [w], learningRate: 0.1, momentum: -0.9) }.hasPrefix("SGD: invalid momentum: got -0.9"))
    }

    @Test func clippingNorms() {
        #expect(errorText { try clipGradientNorm([w], maxNorm: -1) }
            == "clipGradientNorm: invalid maxNorm: got -1.0, expected a number > 0 (Float.infinity: no clipping)")
        #expect(errorText { try clipGradientNorm([w], maxNorm: 0) }.hasPrefix("clipGradientNorm: invalid maxNorm: got 0.0"))
        #expect(errorText { try clipGradientNorm([w], maxNorm: .nan) }.hasPrefix("clipGradientNorm: invalid maxNorm: got nan"))
        #expect(errorText { try clipGradientNorm([w], maxNorm: .infinity) } == "no error")
    }

    @Test func schedules() {
        #expect(errorText { _ = try LinearSchedule(from: 1, to: 0.05, over: 0) }
            == "LinearSchedule: invalid steps: got 0, expected an integer >= 1")
        #expect(errorText { _ = try LinearSchedule(from: .nan, to: 0.05, over: 10) }.hasPrefix("LinearSchedule: invalid start: got nan"))
    }

    @Test func targetUpdates() throws {
        var rng = SeededGenerator(seed: 1)
        let a = MLP([2, 3, 1], using: &rng), b = a.copy()
        #expect(errorText { try b.polyakUpdate(toward: a, tau: 1.5) } == "polyakUpdate: invalid tau: got 1.5, expected a number in [0.0, 1.0]")
        #expect(errorText { try b.polyakUpdate(toward: a, tau: -0.1) }.hasPrefix("polyakUpdate: invalid tau"))
    }

    @Test func distributionParameters() {
        #expect(errorText { _ = try Categorical(logits: Tensor([[0, .nan], [1, 2]])) }
            == "Categorical: invalid logits: row 0 holds nan at action 1, expected finite logits (or -infinity to rule an action out)")
        #expect(errorText { _ = try Categorical(logits: Tensor([[0, 1], [.infinity, 2]])) }.hasPrefix("Categorical: invalid logits: row 1 holds inf"))
        #expect(errorText { _ = try Categorical(logits: Tensor([[-.infinity, -.infinity]])) }
            == "Categorical: invalid logits: row 0 is -infinity everywhere, expected at least one possible action")
        #expect(errorText { _ = try Categorical(logits: Tensor([[-.infinity, 0]])) } == "no error", "-infinity masks one action out")
        #expect(errorText { _ = try DiagonalGaussian(mean: Tensor([[.nan]]), logStandardDeviation: Tensor([[0]])) }
            == "DiagonalGaussian: invalid mean: entry 0 is nan, expected finite numbers only")
        #expect(errorText { _ = try DiagonalGaussian(mean: Tensor([[0, 0]]), standardDeviation: Tensor([[1, 0]])) }
            == "DiagonalGaussian: invalid standardDeviation: got 0.0, expected finite numbers > 0")
        #expect(errorText { _ = try DiagonalGaussian(mean: Tensor([[0]]), standardDeviation: Tensor([[-2]])) }.hasPrefix("DiagonalGaussian: invalid standardDeviation: got -2.0"))
        #expect(errorText { _ = try DiagonalGaussian(mean: Tensor([[0]]), logStandardDeviation: Tensor([[.infinity]])) }
            .hasPrefix("DiagonalGaussian: invalid logStandardDeviation"))
        #expect(errorText { _ = try SquashedGaussian(mean: Tensor([[0]]), logStandardDeviation: Tensor([[0]]), scale: 0) }
            .hasPrefix("SquashedGaussian: invalid scale: got 0.0"))
    }

    @Test func aStandardDeviationGivenDirectlyMatchesItsLogarithm() throws {
        let a = try DiagonalGaussian(mean: Tensor([[1, 2]]), standardDeviation: Tensor([[0.5, 2]]))
        let b = try DiagonalGaussian(mean: Tensor([[1, 2]]), logStandardDeviation: Tensor([[Float(Foundation.log(0.5)), Float(Foundation.log(2.0))]]))
        let x = Tensor([[0.3, 2.5]])
        #expect(Swift.abs(a.logProbability(of: x).scalar - b.logProbability(of: x).scalar) < 1e-6)
    }
}
