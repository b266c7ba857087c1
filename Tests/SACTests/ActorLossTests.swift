import Foundation
import RLKit
import SAC
import Testing

@Suite("8.4 actorLoss")
struct ActorLossTests {
    static var observations: Tensor { Tensor([[1, 0], [0.5, -1], [2, 1], [-1, 0.5], [0.2, 0.3]]) }
    // Q_1 - Q_2 = 0.2 s_0 - 0.6 s_1 + 2.3 a - 0.1: which critic is smaller depends on the action.
    static func critics() -> TwinCritics { linearTwin([0.3, -0.2, 1.5], 0.1, [0.1, 0.4, -0.8], 0.2, observationSize: 2) }
    static func policy() -> ToyGaussianPolicy { ToyGaussianPolicy(weight: [[0.4], [-0.3]], logStd: [-0.4]) }

    /// The loss under a variant (the correct one by default), from the test policy's own sample with `seed`, in Double.
    static func expected(seed: UInt64, alpha: Double, combine: (Double, Double) -> Double = { Swift.min($0, $1) },
                         entropyCoefficient: Double? = nil, qSign: Double = -1, divideBy: Double = 5) throws -> Double {
        var rng = SeededGenerator(seed: seed)
        let sample = try withoutGradients { try policy().sample(observations, using: &rng) }
        let c = critics()
        let q1 = c.q1(observations, sample.action).scalars, q2 = c.q2(observations, sample.action).scalars
        let total = (0..<5).map { i in
            (entropyCoefficient ?? alpha) * Double(sample.logProbability.scalars[i]) + qSign * combine(Double(q1[i]), Double(q2[i]))
        }.reduce(0, +)
        return total / divideBy
    }

    static func diagnosis(_ got: Double, seed: UInt64, alpha: Double) throws -> String {
        func near(_ x: Double) -> Bool { Swift.abs(got - x) < 1e-4 }
        if near(try expected(seed: seed, alpha: alpha, combine: { Swift.max($0, $1) })) { return "the actor maximises min_j Q_j, not max_j Q_j" }
        let first = try expected(seed: seed, alpha: alpha, combine: { a, _ in a })
        let second = try expected(seed: seed, alpha: alpha, combine: { _, b in b })
        if near(first) || near(second) {
            return "use both critics: min_j Q_j(s, a~), not one of them"
        }
        if near(try expected(seed: seed, alpha: alpha, combine: { ($0 + $1) / 2 })) { return "the actor uses min_j Q_j(s, a~), not the mean of the critics" }
        if near(try expected(seed: seed, alpha: alpha, entropyCoefficient: 0)) { return "the loss needs the entropy term alpha log pi(a~ | s)" }
        if near(try expected(seed: seed, alpha: alpha, entropyCoefficient: 1)) { return "the entropy term is alpha log pi(a~ | s), scaled by the temperature" }
        if near(try expected(seed: seed, alpha: alpha, entropyCoefficient: -alpha)) { return "the loss is alpha log pi - min Q: minimising it raises the entropy, so log pi enters with a plus" }
        if near(try expected(seed: seed, alpha: alpha, qSign: 1)) { return "the loss subtracts min_j Q_j(s, a~): the actor wants high soft values" }
        if near(try expected(seed: seed, alpha: alpha, divideBy: 1)) { return "the loss is a mean over the batch, not a sum" }
        return "L = mean_i (alpha log pi(a~_i | s_i) - min_j Q_j(s_i, a~_i)) with a~ sampled from the policy at s"
    }

    func loss(alpha: Float, seed: UInt64, policy: ToyGaussianPolicy = ActorLossTests.policy(), critics: TwinCritics = ActorLossTests.critics()) throws -> ActorLossResult {
        var rng = SeededGenerator(seed: seed)
        return try actorLoss(policy: policy, critics: critics, observations: Self.observations, alpha: alpha, using: &rng)
    }

    @Test("hand-checked loss: alpha log pi minus the smaller critic, averaged over the batch")
    func handValues() throws {
        for (alpha, seed) in [(Float(0.2), UInt64(1)), (1.5, 2)] {
            let result = try loss(alpha: alpha, seed: seed)
            let got = Double(result.loss.scalars.first ?? .nan), expected = try Self.expected(seed: seed, alpha: Double(alpha))
            let diagnosis = try Self.diagnosis(got, seed: seed, alpha: Double(alpha))
            #expect(result.loss.count == 1 && Swift.abs(got - expected) < 1e-4,
                    "8.4 (alpha \(alpha)): \(diagnosis); expected L = \(rounded(expected, 4)), got \(rounded(got, 4))")
        }
    }

    @Test("the log-probabilities come back as constants, with the entropy estimate -mean log pi")
    func logProbabilitiesForTheTemperature() throws {
        let result = try loss(alpha: 0.5, seed: 3)
        var rng = SeededGenerator(seed: 3)
        let sample = try withoutGradients { try Self.policy().sample(Self.observations, using: &rng) }
        #expect(result.logProbabilities.shape == [5] && zip(result.logProbabilities.scalars, sample.logProbability.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 },
                "8.4: logProbabilities are log pi(a~_i | s_i) of the actions the loss sampled, [batch]: expected \(sample.logProbability.scalars), got \(result.logProbabilities.scalars)")
        #expect(!result.logProbabilities.requiresGradient, "8.4: return the log-probabilities as constants (stopGradient()): the temperature's loss reads them and must not train the policy")
        let entropy = -sample.logProbability.scalars.map(Double.init).reduce(0, +) / 5
        #expect(Swift.abs(Double(result.entropy) - entropy) < 1e-4, "8.4: the entropy estimate is -mean_i log pi(a~_i | s_i) = \(rounded(entropy, 4)), got \(result.entropy)")
    }

    @Test("the gradient reaches the policy through the reparameterised action (autodiff against finite differences)")
    func gradientThroughTheAction() throws {
        let policy = Self.policy()
        // alpha = 0: the loss is -mean min_j Q_j(s, a~); only the action path carries a gradient.
        let report = try gradientCheck(policy.parameters, step: 1e-2, tolerance: 2e-3) { _ in
            try loss(alpha: 0, seed: 4, policy: policy).loss
        }
        let actionLoss = try loss(alpha: 0, seed: 4, policy: policy).loss
        policy.zeroGradients()
        actionLoss.backward()
        let moved = (policy.weight.gradient?.scalars ?? []).contains { $0 != 0 }
        #expect(report.passed && moved, "8.4: with alpha = 0 the loss -mean min_j Q_j(s, a~) must still train the policy through the action a~ = tanh(mu + sigma epsilon) (the reparameterisation trick): sample with gradients on, do not cut the action off (stopGradient, withoutGradients); \(report)")
    }

    @Test("the gradient reaches the policy through log pi (autodiff against finite differences)")
    func gradientThroughLogPi() throws {
        let policy = Self.policy()
        let flat = linearTwin([0, 0, 0], 1, [0, 0, 0], 2, observationSize: 2)   // Q does not depend on the action
        let report = try gradientCheck(policy.parameters, step: 1e-2, tolerance: 2e-3) { _ in
            try loss(alpha: 0.7, seed: 5, policy: policy, critics: flat).loss
        }
        let entropyLoss = try loss(alpha: 0.7, seed: 5, policy: policy, critics: flat).loss
        policy.zeroGradients()
        entropyLoss.backward()
        let moved = (policy.logStd.gradient?.scalars ?? []).contains { $0 != 0 }
        #expect(report.passed && moved, "8.4: the entropy term alpha log pi(a~ | s) must train the policy too: keep log pi differentiable in the loss (only the returned copy is a constant); \(report)")
        let both = try gradientCheck(policy.parameters, step: 1e-2, tolerance: 2e-3) { _ in try loss(alpha: 0.3, seed: 6, policy: policy).loss }
        #expect(both.passed, "8.4: the gradient of the whole loss, through the action and log pi: \(both)")
    }

    @Test("the sample is drawn with the generator it is given, at the observations")
    func usesTheGenerator() throws {
        #expect(try loss(alpha: 0.2, seed: 7).loss.scalar == loss(alpha: 0.2, seed: 7).loss.scalar
                && loss(alpha: 0.2, seed: 7).loss.scalar != loss(alpha: 0.2, seed: 8).loss.scalar,
                "8.4: sample a~ with the generator passed in: the same seed must give the same loss and another seed another one")
        var rng = SeededGenerator(seed: 1)
        #expect(errorText { _ = try actorLoss(policy: Self.policy(), critics: Self.critics(), observations: Self.observations, alpha: .nan, using: &rng) }
                == "actorLoss(policy:critics:observations:alpha:using:): invalid alpha: got nan, expected a finite number >= 0")
    }
}
