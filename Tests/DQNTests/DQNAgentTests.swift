import DQN
import Environments
import Foundation
import RLKit
import Testing

@Suite("4.7 trainDQN")
struct DQNAgentTests {
    /// A run on the one-step task: uniform exploration, constant targets
    /// (the target network is never copied after the start), squared loss.
    func oneStepRun(seed: UInt64, terminates: Bool, double: Bool = false) throws -> TrainingRun<DQNNetworks> {
        var c = DQNConfig.vanilla
        c.seed = seed
        c.double = double
        c.totalSteps = 800
        c.learningStarts = 64
        c.batchSize = 32
        c.bufferSize = 1_000
        c.hiddenSizes = [16]
        c.learningRate = 5e-3
        c.gamma = 0.9
        c.trainFrequency = 1
        c.targetUpdateInterval = 1_000_000
        c.epsilonStart = 1
        c.epsilonEnd = 1
        c.loss = .squared
        c.evaluation = .never
        return try trainDQN(c) { _ in OneStepTask(terminates: terminates) }
    }

    func q(_ network: any QNetwork, _ o: OneStepTask.Observation) throws -> [Double] {
        try withoutGradients { try network(Tensor([o.floats])) }.scalars.map(Double.init)
    }

    @Test("the targets come from the target network, and a truncated step still bootstraps", arguments: [false, true])
    func regressesOntoTheTargetNetwork(double: Bool) throws {
        for seed: UInt64 in [1, 2, 3] {
            let run = try oneStepRun(seed: seed, terminates: false, double: double)
            let frozen = try q(run.agent.target, OneStepTask.end)     // Q_target(s', .): never copied, so constant
            let online = try q(run.agent.online, OneStepTask.start)   // Q(s, .)
            let onlineNext = try q(run.agent.online, OneStepTask.end)
            let bootstrap = double ? frozen[onlineNext[0] >= onlineNext[1] ? 0 : 1] : frozen.max()!
            let expected = OneStepTask.rewards.map { $0 + 0.9 * bootstrap }
            let error = zip(online, expected).map { Swift.abs($0 - $1) }.max()!
            if error > 0.05 {
                let terminal = zip(online, OneStepTask.rewards).map { Swift.abs($0 - $1) }.max()!
                let selfTarget = zip(online, OneStepTask.rewards.map { $0 + 0.9 * (onlineNext.max()!) }).map { Swift.abs($0 - $1) }.max()!
                let hint = terminal < 0.05 ? "treats truncation as termination: a time limit is not a terminal state, store terminated and truncated as the environment reports them"
                    : selfTarget < 0.1 ? "computes the targets with the online network: use the target network (a lagged copy) for y\(double ? "; in Double DQN the target network evaluates the online network's choice" : "")"
                    : "the online Q(s, .) should regress onto y = r + 0.9 \(double ? "Q_target(s', argmax Q_online(s', .))" : "max Q_target(s', .)")"
                Issue.record("4.7 (seed \(seed), double \(double)): \(hint); Q(s, .) = \(online), expected \(expected) with the target network's Q(s', .) = \(frozen)")
            }
        }
    }

    @Test("a terminated step does not bootstrap") func terminalTransitions() throws {
        for seed: UInt64 in [4, 5] {
            let run = try oneStepRun(seed: seed, terminates: true)
            let online = try q(run.agent.online, OneStepTask.start)
            let error = zip(online, OneStepTask.rewards).map { Swift.abs($0 - $1) }.max()!
            #expect(error < 0.05, "4.7 (seed \(seed)): every step terminates, so y = r and Q(s, .) should approach [1, 0], got \(online); store the environment's terminated flag (no terminal mask makes the targets bootstrap from terminal states)")
        }
    }

    @Test("the target network is copied every targetUpdateInterval steps") func targetUpdates() throws {
        var c = DQNConfig.vanilla
        c.seed = 6
        c.totalSteps = 600
        c.learningStarts = 50
        c.batchSize = 16
        c.hiddenSizes = [8]
        c.targetUpdateInterval = 200
        c.evaluation = .never
        let run = try trainDQN(c)
        #expect(run.steps == 600 && run.updates == 275, "4.7: 600 steps with learningStarts 50 and trainFrequency 2 give (600 - 50) / 2 = 275 gradient steps, got \(run.steps) steps and \(run.updates) updates")
        let epsilons = run.log.series(Metric.epsilon).values
        #expect(epsilons.first.map { $0 > 0.5 } == true && epsilons.last.map { Swift.abs($0 - 0.02) < 1e-6 } == true,
                "4.7: epsilon decays linearly from epsilonStart (1) to epsilonEnd (0.02) over explorationFraction of the run; log it with each episode (Metric.epsilon), got \(epsilons.prefix(3))...\(epsilons.suffix(2))")
        #expect(run.agent.target.parameters.map(\.scalars) == run.agent.online.parameters.map(\.scalars),
                "4.7: step 600 is a multiple of targetUpdateInterval 200, so the target network must equal the online network after it")
        c.totalSteps = 650
        let later = try trainDQN(c)
        #expect(later.agent.target.parameters.map(\.scalars) != later.agent.online.parameters.map(\.scalars),
                "4.7: 50 steps after the last copy the online network has moved on: is the target network updated every step?")
        c.totalSteps = 600
        c.tau = 0.5
        let polyak = try trainDQN(c)
        let difference = zip(polyak.agent.target.parameters, polyak.agent.online.parameters).map { zip($0.scalars, $1.scalars).map { Swift.abs($0 - $1) }.max()! }.max()!
        #expect(difference > 0, "4.7: with tau = 0.5 the target moves half way to the online network (polyakUpdate), not all the way")
    }

    /// One short learning run: the best mean greedy return of the
    /// evaluations (10 episodes every 1,000 steps) within 12,000 steps.
    static func bestReturn(seed: UInt64) throws -> Double {
        var c = DQNConfig.vanilla
        c.seed = seed
        c.totalSteps = 12_000
        c.evaluation = EvaluationSettings(interval: 1_000, episodes: 10, confirmationEpisodes: 100, threshold: nil)
        let run = try trainDQN(c)
        return run.log.series(Metric.evaluationReturn).values.max() ?? 0
    }

    @Test("it learns CartPole: short seeded runs reach the sweep's threshold") func learnsCartPole() throws {
        // Thresholds from the reference sweep over seeds 100-111 (docs/BENCHMARKS.md, "Lesson 04 learning
        // tests"): the best greedy return within 12,000 steps was 169.4 at the least, 272.0 in the median.
        // The test asks for a mean of 150 over three other seeds and 60 for each run; broken agents (no
        // target network, no terminal mask, a target never updated) stay near 10 to 30.
        var best: [Double] = []
        for seed: UInt64 in [7, 8, 9] { best.append(try DQNAgentTests.bestReturn(seed: seed)) }
        let mean = best.reduce(0, +) / 3
        #expect(mean >= 150 && best.allSatisfy { $0 >= 60 },
                "4.7: the best greedy returns within 12,000 steps on seeds 7, 8, 9 were \(best) (mean \(mean)); the reference's mean is above 150 on every seed of its sweep. A policy that stays near 10 usually means the targets bootstrap through terminal states, come from the online network, or the target network is never updated")
    }

    @Test func everyOptionRuns() throws {
        for (double, dueling, n, prioritized) in [(true, false, 1, false), (false, true, 1, false), (false, false, 3, false), (false, false, 1, true)] {
            var c = DQNConfig.vanilla
            c.seed = 10
            c.double = double
            c.dueling = dueling
            c.nSteps = n
            c.prioritized = prioritized
            c.totalSteps = 2_000
            c.learningStarts = 500
            c.gradientSteps = 2
            c.evaluation = .never
            let run = try trainDQN(c)
            let label = "double \(double), dueling \(dueling), nSteps \(n), prioritized \(prioritized)"
            #expect(run.steps == 2_000 && run.updates == 1_500, "4.7 (\(label)): (2000 - 500) / 2 x 2 = 1500 gradient steps (gradientSteps per training step), got \(run.updates)")
            #expect((run.agent.online is DuelingQNetwork) == dueling, "4.7 (\(label)): the network type")
            let episodes = run.log.series(Metric.episodicLength).values
            #expect(!episodes.isEmpty && episodes.reduce(0, +) <= 2_000 && episodes.allSatisfy { $0 >= 1 && $0 <= 500 },
                    "4.7 (\(label)): log every finished episode's length and return, got \(episodes.count) episodes")
            #expect(run.log.series(Metric.tdLoss).values.allSatisfy(\.isFinite) && !run.log.series(Metric.tdLoss).values.isEmpty)
        }
    }

    @Test func badSettingsAreNamed() throws {
        var c = DQNConfig()
        c.bufferSize = 0
        #expect(errorText { _ = try trainDQN(c) } == "DQNConfig: invalid bufferSize: got 0, expected an integer >= 1")
        c = DQNConfig()
        c.batchSize = 100_000
        #expect(errorText { _ = try trainDQN(c) }.hasPrefix("DQNConfig: invalid batchSize: got 100000, larger than bufferSize"))
        c = DQNConfig()
        c.nSteps = 0
        #expect(errorText { _ = try trainDQN(c) } == "DQNConfig: invalid nSteps: got 0, expected an integer >= 1")
        c = DQNConfig()
        c.priorityBetaStart = 2
        #expect(errorText { _ = try trainDQN(c) }.hasPrefix("DQNConfig: invalid priorityBetaStart: got 2.0"))
        c = DQNConfig.vanilla
        c.totalSteps = 300
        c.learningStarts = 100
        c.evaluation = .never
        let run = try trainDQN(c)
        #expect(run.steps == 300, "4.7: a valid configuration trains for totalSteps steps, got \(run.steps)")
    }
}
