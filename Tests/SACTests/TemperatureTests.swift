import Foundation
import RLKit
import SAC
import Testing

@Suite("8.5 Temperature")
struct TemperatureTests {
    static let logPi: [Float] = [-0.5, 0.3, 1.1]   // entropy estimate -mean = -0.3

    static func diagnosis(_ got: Double, alpha: Double, target: Double) -> String {
        let mean = logPi.map(Double.init).reduce(0, +) / 3
        func near(_ x: Double) -> Bool { Swift.abs(got - x) < 1e-4 }
        if near(alpha * (mean + target)) { return "the sign is flipped: J = -alpha (log pi + H-bar), so alpha falls when the entropy is above the target" }
        if near(-Foundation.log(alpha) * (mean + target)) { return "J multiplies by alpha = exp(log alpha), the temperature itself" }
        if near(-alpha * (mean - target)) { return "the target entropy enters as log pi + H-bar (H-bar is negative, -|A|)" }
        if near(-alpha * mean) { return "the loss needs the target entropy: J = -alpha (log pi + H-bar)" }
        if near(-alpha * 3 * (mean + target)) { return "J is a mean over the batch, not a sum" }
        return "J = mean_i(-alpha (log pi_i + H-bar)) with alpha = exp(log alpha)"
    }

    @Test("J = mean(-alpha (log pi + H-bar)), differentiable in log alpha")
    func lossValueAndGradient() throws {
        for (alpha, target) in [(Float(0.5), Float(-1)), (2, 0.4)] {
            let temperature = try Temperature(initialAlpha: alpha, targetEntropy: target, learningRate: 0.1)
            let loss = try temperature.loss(logProbabilities: Tensor(Self.logPi))
            let mean = Self.logPi.map(Double.init).reduce(0, +) / 3
            let expected = -Double(alpha) * (mean + Double(target))
            let got = Double(loss.scalars.first ?? .nan)
            #expect(loss.count == 1 && Swift.abs(got - expected) < 1e-4,
                    "8.5 (alpha \(alpha), H-bar \(target)): \(Self.diagnosis(got, alpha: Double(alpha), target: Double(target))); expected J = \(rounded(expected, 4)), got \(rounded(got, 4))")
            loss.backward()
            let gradient = Double(temperature.logAlpha.gradient?.scalar ?? .nan)
            #expect(Swift.abs(gradient - expected) < 1e-4,
                    "8.5: dJ/d log alpha = -alpha mean(log pi + H-bar) = \(rounded(expected, 4)) (alpha = exp(log alpha), so the chain rule brings alpha back), got \(gradient.isNaN ? "no gradient (is J built from logAlpha?)" : rounded(gradient, 4))")
        }
    }

    @Test("the log-probabilities are constants: the temperature's loss does not train the policy")
    func logProbabilitiesAreConstants() throws {
        let temperature = try Temperature(initialAlpha: 0.3, targetEntropy: -1, learningRate: 0.1)
        let logPi = Tensor(Self.logPi, requiresGradient: true)   // stands for the policy's log pi
        try temperature.loss(logProbabilities: logPi * 1).backward()
        #expect(logPi.gradient == nil, "8.5: the temperature's loss must not send gradients into log pi (stopGradient()): it tunes alpha, the actor's loss trains the policy")
    }

    @Test("an update lowers alpha when the entropy is above the target and raises it when below, by Adam steps on log alpha")
    func updatesMoveAlphaTheRightWay() throws {
        // Entropy estimate -mean(log pi) = -0.3: above a target of -1, below a target of 0.5.
        for (target, falls) in [(Float(-1), true), (0.5, false)] {
            let temperature = try Temperature(initialAlpha: 0.2, targetEntropy: target, learningRate: 0.05)
            let before = temperature.alpha
            let returned = try temperature.update(logProbabilities: Tensor(Self.logPi))
            let expectedLoss = -0.2 * (Self.logPi.map(Double.init).reduce(0, +) / 3 + Double(target))
            #expect(Swift.abs(Double(returned) - expectedLoss) < 1e-4, "8.5: update returns J before the step, \(rounded(expectedLoss, 4)), got \(returned)")
            let step = Double(Foundation.log(temperature.alpha) - Foundation.log(before))
            #expect(step != 0, "8.5: update must move log alpha: backward J, then one optimizer step (the gradient must exist when the optimizer steps)")
            #expect(falls ? step < 0 : step > 0,
                    "8.5: with the entropy (-0.3) \(falls ? "above" : "below") the target (\(target)) alpha must \(falls ? "fall" : "rise"), it went from \(before) to \(temperature.alpha)")
            #expect(Swift.abs(Swift.abs(step) - 0.05) < 1e-3,
                    "8.5: Adam's first step moves log alpha by about its learning rate (0.05), got \(rounded(step, 4)): one optimizer step on log alpha after backward")
        }
    }

    @Test("consecutive updates: each starts from a fresh gradient (matches Adam on J step by step)")
    func consecutiveUpdates() throws {
        let temperature = try Temperature(initialAlpha: 1, targetEntropy: -1, learningRate: 0.1)
        let reference = Tensor(scalar: 0, requiresGradient: true)
        let adam = try Adam(parameters: [reference], learningRate: 0.1)
        let batches: [[Float]] = [[-0.5, 0.3, 1.1], [0.8, 1.5, 2.0], [-2, -1.5, -0.4], [0.1, 0.2, 0.3]]
        for (k, batch) in batches.enumerated() {
            _ = try temperature.update(logProbabilities: Tensor(batch))
            adam.zeroGradients()
            (-reference.exp() * (Tensor(batch) + -1)).mean().backward()
            adam.step()
            #expect(Swift.abs(temperature.logAlpha.scalar - reference.scalar) < 1e-5,
                    "8.5: after update \(k + 1) log alpha should be \(reference.scalar), got \(temperature.logAlpha.scalar): clear the gradient before each backward pass (logAlpha.zeroGradient() or optimizer.zeroGradients()), then step")
        }
    }

    @Test func badInputIsNamed() throws {
        #expect(errorText { _ = try Temperature(initialAlpha: 0, targetEntropy: -1, learningRate: 1e-3) }
                == "Temperature: invalid initialAlpha: got 0.0, expected a finite number > 0")
        let temperature = try Temperature(initialAlpha: 1, targetEntropy: -1, learningRate: 1e-3)
        #expect(errorText { _ = try temperature.loss(logProbabilities: Tensor([[1]])) }.hasPrefix("Temperature.loss(logProbabilities:): invalid logProbabilities"))
        #expect(try temperature.update(logProbabilities: Tensor([0.5])).isFinite, "8.5: update returns J")
    }
}
