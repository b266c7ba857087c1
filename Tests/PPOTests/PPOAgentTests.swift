import Environments
import Foundation
import PPO
import RLKit
import Testing

@Suite("7.7 PPOAgent.train")
struct PPOAgentTests {
    /// A run on the alternating two-state task: 4 environments x 5 steps (a
    /// rollout mostly ends in the middle of an episode), gamma 0.9, and the
    /// critic's values of A and B afterwards.
    static func alternatingValues(seed: UInt64, terminates: Bool, bootstrap: Bool = true) throws -> [Double] {
        var c = PPOConfig()
        c.seed = seed
        (c.environments, c.stepsPerRollout, c.minibatches, c.epochs) = (4, 5, 2, 4)
        c.totalSteps = 20 * 250
        (c.learningRate, c.annealLearningRate, c.annealClipEpsilon) = (3e-3, false, false)
        (c.gamma, c.lambda, c.hiddenSizes) = (0.9, 0.95, [16])
        c.bootstrapAtTruncation = bootstrap
        c.evaluation = .never
        let run = try trainPPO(c) { _ in Alternating(length: 4, terminates: terminates) }
        let v = withoutGradients { run.agent.critic(Tensor([Alternating.a.floats, Alternating.b.floats])) }
        if sweeping { print("alternating seed \(seed) terminates \(terminates) bootstrap \(bootstrap): V = \(v.scalars)") }
        return v.scalars.map(Double.init)
    }

    @Test("a time limit bootstraps: V -> 1 / (1 - gamma) = 10 in both states") func truncationBootstraps() throws {
        for seed: UInt64 in [1, 2] {
            let v = try Self.alternatingValues(seed: seed, terminates: false)
            #expect(v.allSatisfy { $0 > 6 },
                    "7.7 (seed \(seed)): episodes of 4 steps cut by a time limit in a task that goes on forever have V = 1 / (1 - 0.9) = 10 in both states; the critic learned V(A), V(B) = \(rounded(v, 2)). Under 4 it treats truncation as termination: store truncated steps as truncated, with V(final observation) in truncationValues, and bootstrap the rollout's last step from V of the next observations (lastValues)")
        }
    }

    @Test("a termination does not bootstrap") func terminationDoesNotBootstrap() throws {
        let v = try Self.alternatingValues(seed: 3, terminates: true)
        #expect(v.allSatisfy { $0 < 4 },
                "7.7: episodes that terminate after 4 steps are worth at most 1 + 0.9 + 0.81 + 0.729 = 3.44 (V(A) about 2.7 and V(B) about 1.9 on average), the critic learned \(rounded(v, 2)): store the environment's terminated flag (no terminal mask makes GAE bootstrap through terminal states)")
        // The critic converges to the fixed point of GAE's targets (the actions do not matter here): V(A) + V(B) = 4.8
        // on every seed of the reference; sums that run on into the next episode raise it to about 5.4.
        #expect(v.count == 2 && v[0] + v[1] < 5.1,
                "7.7: with episodes that terminate after 4 steps the reference's critic settles at V(A) + V(B) = 4.8 (V(A) 2.8, V(B) 2.0), this one at \(rounded(v, 2)): does GAE run on into the next episode (no reset at episode ends)?")
        let cleanRL = try Self.alternatingValues(seed: 4, terminates: false, bootstrap: false)
        #expect(cleanRL.allSatisfy { $0 < 4 },
                "7.7: with bootstrapAtTruncation false a time limit is treated as a terminal state (CleanRL's convention: store done as terminated), so V stays below 4, got \(rounded(cleanRL, 2))")
    }

    @Test("the clip holds each update near the policy that collected the data") func clipBoundsTheUpdate() throws {
        for seed: UInt64 in [5, 6] {
            var c = PPOConfig()
            c.seed = seed
            (c.environments, c.stepsPerRollout, c.minibatches, c.epochs, c.totalSteps) = (64, 1, 1, 100, 64)
            (c.learningRate, c.annealLearningRate, c.annealClipEpsilon, c.hiddenSizes) = (1e-3, false, false, [16])
            c.evaluation = .never
            let run = try trainPPO(c) { _ in Bandit() }
            let p = withoutGradients { try? run.agent.policy.distribution(Tensor([Bandit.start.floats])).probabilities.scalars } ?? []
            let clipFraction = run.log.last(Metric.clipFraction) ?? 0
            if sweeping { print("bandit seed \(seed): pi = \(p), clip fraction \(clipFraction)") }
            #expect(clipFraction > 0,
                    "7.7 (seed \(seed)): after 100 epochs on one rollout some ratios must leave [0.8, 1.2], but the logged clip fraction is \(clipFraction): the ratio never leaves 1. Is it taken against the new policy's own log-probabilities? pi_old's are the ones stored in the rollout when acting")
            #expect(p.count == 2 && p[0] < 0.75,
                    "7.7 (seed \(seed)): one rollout of a bandit (action 0 pays 1) with clip 0.2 can move pi(0) from about 0.5 to about 0.65 (100 epochs); it moved to \(rounded(p, 3)). The ratio must be pi_new / pi_old with pi_old's log-probabilities stored in the rollout when acting, and the loss must be the clipped surrogate")
        }
    }

    @Test func everyOptionRuns() throws {
        for (label, config) in [("defaults", PPOConfig()), ("cleanRL", PPOConfig.cleanRL), ("adaptive KL", PPOConfig.adaptiveKL)] {
            var c = config
            c.seed = 10
            c.totalSteps = 4 * c.batchSize
            c.evaluation = .never
            let run = try trainPPO(c)
            let expectedUpdates = 4 * c.epochs * c.minibatches
            #expect(run.steps == c.totalSteps && run.updates == expectedUpdates,
                    "7.7 (\(label)): 4 iterations of \(c.environments) x \(c.stepsPerRollout) steps and \(c.epochs) epochs of \(c.minibatches) minibatches are \(c.totalSteps) steps and \(expectedUpdates) gradient steps, got \(run.steps) and \(run.updates)")
            let lengths = run.log.series(Metric.episodicLength).values
            #expect(!lengths.isEmpty && lengths.allSatisfy { $0 >= 1 && $0 <= 500 } && lengths.reduce(0, +) <= Double(c.totalSteps),
                    "7.7 (\(label)): log every finished episode's return and length (Metric.episodicReturn, Metric.episodicLength), got \(lengths.count) episodes")
            let rates = run.log.series(Metric.learningRate).values
            let lossesLogged = [Metric.policyLoss, Metric.valueLoss, Metric.entropy, Metric.approxKL, Metric.clipFraction]
                .allSatisfy { run.log.series($0).values.count == 4 }
            #expect(lossesLogged, "7.7 (\(label)): log the losses and diagnostics once per iteration (4 rows each)")
            if c.annealLearningRate {
                let expected = (0..<4).map { Double(c.learningRate) * (1 - Double($0) / 4) }
                #expect(maxError(rates.map(Float.init), expected) < 1e-6,
                        "7.7 (\(label)): anneal the learning rate linearly to 0 over the budget: iteration i of 4 uses lr (1 - i / 4), logged \(rates), expected \(expected)")
            }
            if case .klPenalty = c.objective {
                let betas = run.log.series(Metric.klCoefficient).values
                #expect(betas.count == 4 && betas.allSatisfy { $0 > 0 } && Set(betas).count > 1,
                        "7.7 (\(label)): with the KL penalty, adapt beta after every iteration (adaptiveKLCoefficient) and log it (Metric.klCoefficient), got \(betas)")
            }
        }
    }

    @Test func theGaussianAgentRunsOnPendulum() throws {
        var c = PPOConfig.pendulum
        c.seed = 11
        (c.environments, c.stepsPerRollout, c.minibatches, c.epochs, c.totalSteps) = (2, 256, 4, 2, 2_048)
        c.evaluation = EvaluationSettings(interval: 1_024, episodes: 2, confirmationEpisodes: 2, threshold: nil)
        let run = try trainPPO(c) { Pendulum(seed: $0) }
        #expect(run.steps == 2_048 && run.updates == 4 * 2 * 4, "7.7: 4 iterations of 2 x 256 steps with 2 epochs of 4 minibatches, got \(run.steps) steps and \(run.updates) updates")
        let lengths = run.log.series(Metric.episodicLength).values
        #expect(lengths.count == 10 && lengths.allSatisfy { $0 == 200 }, "7.7: Pendulum's episodes all end by its 200-step time limit: 2,048 steps of 2 environments finish 10, got \(lengths)")
        #expect(run.log.series(Metric.evaluationReturn).values.count == 2, "7.7: evaluate the deterministic policy every evaluation.interval steps (twice here)")
        #expect(run.agent.policy.logStandardDeviation.scalars != [0], "7.7: the Gaussian policy's log standard deviation is a parameter: the optimiser must update it")
    }

    /// One short learning run on CartPole: the best mean deterministic return
    /// of the evaluations (5 episodes every 2,048 steps) within `steps` steps.
    static func bestReturn(seed: UInt64, steps: Int = 10_240) throws -> Double {
        var c = PPOConfig()
        c.seed = seed
        c.totalSteps = steps
        c.evaluation = EvaluationSettings(interval: 2_048, episodes: 5, confirmationEpisodes: 5, threshold: nil)
        let run = try trainPPO(c)
        return run.log.series(Metric.evaluationReturn).values.max() ?? 0
    }

    @Test("it learns CartPole: short seeded runs reach the sweep's threshold") func learnsCartPole() throws {
        // Thresholds from the reference sweep over seeds 100-111 (docs/BENCHMARKS.md, "Lesson 07 learning tests"): the best
        // deterministic return within 10,240 steps was 155.6 at the least, 414.3 in the median. The test asks for a mean of
        // 150 over three other seeds and 60 for each run; an agent that bootstraps through terminal states stays near 30.
        var best: [Double] = []
        for seed: UInt64 in [7, 8, 9] { best.append(try Self.bestReturn(seed: seed)) }
        let mean = best.reduce(0, +) / 3
        if sweeping { print("learning test: best returns \(best), mean \(mean)") }
        #expect(mean >= PPOLearningThreshold.mean && best.allSatisfy { $0 >= PPOLearningThreshold.each },
                "7.7: the best deterministic returns within 10,240 steps on seeds 7, 8, 9 were \(rounded(best, 1)) (mean \(rounded([mean], 1)[0])); the reference's are above \(Int(PPOLearningThreshold.mean)) on every seed of its sweep. A policy that stays near 10 to 50 usually means the advantages have the wrong sign or are not those of the stored actions, the ratio is not pi_new / pi_old, or the minibatches mix up rows")
    }

    @Test func badSettingsAreNamed() throws {
        var c = PPOConfig()
        c.totalSteps = 256
        c.evaluation = .never
        _ = try trainPPO(c)  // valid: trains one iteration
        c.minibatches = 3
        #expect(errorText { _ = try trainPPO(c) }
            == "PPOConfig: invalid minibatches: got 3: a rollout of 8 x 32 = 256 transitions does not divide into 3 equal minibatches")
        c = PPOConfig()
        c.clipEpsilon = 0
        #expect(errorText { _ = try trainPPO(c) }
            == "PPOConfig: invalid clipEpsilon: got 0.0, expected a finite number > 0 (the ratio is clipped to [1 - eps, 1 + eps])")
        c = PPOConfig()
        c.lambda = 1.2
        #expect(errorText { _ = try trainPPO(c) }.hasPrefix("PPOConfig: invalid lambda: got 1.2000000476837158, expected a number in [0, 1]"))
        c = PPOConfig.pendulum
        c.initialLogStd = -150
        #expect(errorText { _ = try trainPPO(c) { Pendulum(seed: $0) } }
            .hasPrefix("PPOConfig: invalid logStandardDeviation: coordinate 0 is -150.0: sigma = exp(-150.0) = 0.0 in Float"))
        c = PPOConfig()
        c.evaluation = EvaluationSettings(interval: 1_000, episodes: 10, confirmationEpisodes: 100, threshold: 475)
        #expect(errorText { _ = try trainPPO(c) }.hasPrefix("PPOConfig: invalid evaluation.interval: got 1000, expected a multiple of the rollout's 256 steps"))
        var rng = SeededGenerator(seed: 0)
        let threeActions = try CategoricalPolicy(observationSize: 4, actionSpace: DiscreteSpace(3), hiddenSizes: [8], using: &rng)
        #expect(errorText { _ = try PPOAgent(PPOConfig(), policy: threeActions) { CartPole(seed: $0) } }
            == "PPOAgent: invalid policy: acts in Discrete(3), the environment's actions are Discrete(2)")
        let wrongInput = try CategoricalPolicy(observationSize: 3, actionSpace: DiscreteSpace(2), hiddenSizes: [8], using: &rng)
        #expect(errorText { _ = try PPOAgent(PPOConfig(), policy: wrongInput) { CartPole(seed: $0) } }
            == "PPOAgent: invalid policy: reads observations of 3 values, the environment's have 4")
    }
}

/// True in the maintainers' sweep (`DEEPRL_SWEEP=1`), where the agent's tests print what they measured.
let sweeping = ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"

/// The learning test's thresholds (docs/BENCHMARKS.md, "Lesson 07 learning tests").
enum PPOLearningThreshold {
    /// The mean over the test's three seeds of the best evaluation return.
    static let mean = 150.0
    /// The least best evaluation return of any of the three runs.
    static let each = 60.0
}
