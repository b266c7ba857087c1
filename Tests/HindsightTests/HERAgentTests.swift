import Environments
import Foundation
import Hindsight
import RLKit
import Testing

@Suite("10.4 HERAgent.train")
struct HERAgentTests {
    /// A short run on 3-bit flipping whose training environment records every episode.
    func recordedRun(_ strategy: GoalStrategy, seed: UInt64) throws -> (HERAgent<RecordedBitFlipping>, Recording, [Int]) {
        var c = HERConfig()
        c.seed = seed
        c.strategy = strategy
        c.epochs = 2
        c.cyclesPerEpoch = 2
        c.episodesPerCycle = 3
        c.updatesPerCycle = 5
        c.batchSize = 2
        c.bufferSize = 1_000
        c.hiddenSizes = [8]
        c.epsilon = 0.5
        c.evaluationEpisodes = 5
        let recording = Recording()
        var agent = try HERAgent(c) { s in try RecordedBitFlipping(bits: 3, seed: s, recording: s == seed ? recording : nil) }
        var epochs: [Int] = []
        try agent.train { epochs.append($0) }
        return (agent, recording, epochs)
    }

    @Test("every step is stored with its episode's goal and the strategy's goals; updates after each cycle")
    func storesEveryStep() throws {
        for (strategy, seed) in [(GoalStrategy.none, UInt64(1)), (.final, 2), (.future(k: 2), 3)] {
            let (agent, recording, epochs) = try recordedRun(strategy, seed: seed)
            let played = recording.episodes.filter { !$0.steps.isEmpty }
            let steps = played.reduce(0) { $0 + $1.steps.count }
            let label = "10.4 (strategy \(strategy))"
            #expect(played.count == 12 && played.allSatisfy { $0.steps.last!.terminated || $0.steps.last!.truncated },
                    "\(label): 2 epochs of 2 cycles of 3 episodes are 12 episodes, each played to its end; got \(played.count)")
            #expect(agent.step == steps && agent.episodeCount == 12,
                    "\(label): step counts the environment steps (\(steps)) and episodeCount the episodes (12); got \(agent.step) and \(agent.episodeCount)")
            #expect(agent.updates == 20, "\(label): 4 cycles of 5 gradient steps each are 20 updates, got \(agent.updates)")
            #expect(agent.storedTransitions == steps * strategy.copiesPerTransition,
                    "\(label): each of the \(steps) steps is stored \(strategy.copiesPerTransition) time(s): with the episode's own goal and with the strategy's hindsight goals (relabel every finished episode with config.strategy), so \(steps * strategy.copiesPerTransition) transitions; got \(agent.storedTransitions)")
            // The stored rows, as (state, goal) -> transition.
            let replay = agent.replay
            guard replay.count > 0 else { Issue.record("\(label): nothing was stored"); continue }
            let batch = try replay.batch(at: Array(0..<replay.count))
            let rows = batch.observations.arrayRows, nextRows = batch.nextObservations.arrayRows
            var stored = Set<[Float]>()
            for i in 0..<replay.count {
                stored.insert(rows[i] + nextRows[i] + [batch.actions.scalars[i], batch.rewards.scalars[i], batch.terminated.scalars[i],
                                                       batch.truncated.scalars[i], batch.discounts.scalars[i]])
            }
            // The discounts stored, whatever they are, to tell a wrong discount from a missing step.
            let discounts = Set(batch.discounts.scalars)
            outer: for (e, episode) in played.enumerated() {
                for (t, s) in episode.steps.enumerated() {
                    let key = (s.state + episode.goal) + (s.nextState + episode.goal)
                        + [Float(s.action), Float(s.reward), s.terminated ? 1 : 0, s.truncated ? 1 : 0]
                    if stored.contains(key + [0.98]) { continue }
                    if let wrong = discounts.first(where: { stored.contains(key + [$0]) }) {
                        Issue.record("\(label): step \(t) of episode \(e) is stored with discount \(wrong), expected the discount gamma 0.98 (config.gamma): store each transition with replayTransition(gamma: config.gamma)")
                    } else {
                        Issue.record("\(label): step \(t) of episode \(e) (state \(show(s.state)), action \(s.action), goal \(show(episode.goal))) is not stored with the goal of the episode it was played in, its reward \(s.reward), its flags and discount gamma 0.98: keep each episode's own goal (read it before the reset) and store every step")
                    }
                    break outer
                }
            }
            for i in 0..<replay.count {
                let (goal, nextState) = (Array(rows[i].suffix(3)), Array(nextRows[i].prefix(3)))
                let reached = nextState == goal
                if batch.rewards.scalars[i] != (reached ? 0 : -1) || (batch.terminated.scalars[i] == 1) != reached {
                    Issue.record("\(label): a transition to \(show(nextState)) is stored for goal \(show(goal)) with reward \(batch.rewards.scalars[i]) and terminated \(batch.terminated.scalars[i] == 1): for that goal they are \(reached ? 0 : -1) and \(reached); relabel with the task's reward (SparseGoalReward with config.goalTolerance)")
                    break
                }
            }
            #expect(agent.log.series(Metric.episodicReturn).values.count == 12 && agent.log.series(Metric.episodicLength).values.reduce(0, +) == Double(steps),
                    "\(label): log every finished episode's return and length (Metric.episodicReturn, Metric.episodicLength)")
            #expect(agent.log.series(Metric.successRate).values.count == 4,
                    "\(label): log the training success rate once per cycle (Metric.successRate), got \(agent.log.series(Metric.successRate).values.count) rows for 4 cycles")
            #expect(agent.log.series(Metric.evaluationSuccessRate).values.count == 2 && agent.evaluations.map(\.epoch) == [1, 2] && epochs == [1, 2],
                    "\(label): evaluate the greedy policy after every epoch (log Metric.evaluationSuccessRate, record it in evaluations, call progress with the epoch): got \(agent.evaluations.map(\.epoch)) and progress \(epochs)")
        }
    }

    @Test("the target network moves toward the online network after every cycle") func targetNetwork() throws {
        func run(tau: Float) throws -> TrainingRun<HERNetworks> {
            var c = HERConfig()
            c.seed = 4
            c.epochs = 1
            c.cyclesPerEpoch = 3
            c.episodesPerCycle = 2
            c.updatesPerCycle = 4
            c.batchSize = 4
            c.hiddenSizes = [8]
            c.evaluationEpisodes = 2
            c.tau = tau
            return try trainHER(c, bits: 3)
        }
        func parameters(_ network: MLP) -> [[Float]] { network.parameters.map(\.scalars) }
        let copied = try run(tau: 1)
        #expect(parameters(copied.agent.target) == parameters(copied.agent.online),
                "10.4: the target network must move toward the online network after every cycle (target.polyakUpdate(toward: online, tau: config.tau)): with tau 1 it equals the online network after the last cycle")
        let half = try run(tau: 0.5)
        var rng = SeededGenerator(seed: 4)
        let initial = MLP([6, 8, 3], activation: .relu, using: &rng)
        #expect(parameters(half.agent.target) != parameters(half.agent.online) && parameters(half.agent.target) != parameters(initial),
                "10.4: with tau 0.5 the target network moves half way toward the online network after each cycle: it is neither the online network nor the initial one")
        #expect(copied.updates == 12, "10.4: 3 cycles of 4 gradient steps are 12 updates, got \(copied.updates)")
    }

    @Test("on 2-bit flipping, Q(s || g, a) approaches its exact values") func exactTwoBitValues() throws {
        // Thresholds from the reference on seeds 20-39 (LearningSweep.swift, twoBitSweep): the worst error was
        // 0.044 at the most (median 0.008), and every run's greedy policy solved every evaluation episode.
        var c = HERConfig()
        c.seed = 5
        c.epochs = 4
        c.hiddenSizes = [32]
        c.learningRate = 3e-3
        c.tau = 0.25
        c.epsilon = 1
        c.evaluationEpisodes = 16
        let run = try trainHER(c, bits: 2)
        let exact = exactTwoBitQ(gamma: 0.98)
        var worst = (error: 0.0, input: [Float](), action: 0, got: 0.0, want: 0.0)
        for (input, values) in exact {
            let q = withoutGradients { run.agent.online(Tensor(shape: [1, 4], scalars: input)) }.scalars
            for a in 0..<2 where Swift.abs(Double(q[a]) - values[a]) > worst.error {
                worst = (Swift.abs(Double(q[a]) - values[a]), input, a, Double(q[a]), values[a])
            }
        }
        #expect(worst.error < 0.15,
                "10.4: after 4 epochs on 2-bit flipping with uniform exploration, Q(s || g, a) should be within 0.15 of its exact value (0 one flip from the goal, -1 or -1.98 otherwise); the worst is state \(show(Array(worst.input.prefix(2)))), goal \(show(Array(worst.input.suffix(2)))), action \(worst.action): \(show(worst.got)) instead of \(show(worst.want)). Check the stored rewards and terminal flags, that each episode keeps its own goal, and the target network's updates")
        let success = run.log.series(Metric.evaluationSuccessRate).values.last ?? 0
        #expect(success == 1, "10.4: the greedy policy should solve 2-bit flipping every time after 4 epochs, got a success rate of \(success)")
    }

    /// The greedy success rates of HER and of plain DQN on `bits`-bit flipping after a short run.
    static func learningRun(seed: UInt64, strategy: GoalStrategy, bits: Int = HERAgentTests.learningBits,
                            epochs: Int = HERAgentTests.learningEpochs) throws -> (success: Double, epochs: Int) {
        var c = HERConfig()
        c.seed = seed
        c.strategy = strategy
        c.epochs = epochs
        c.cyclesPerEpoch = 5
        c.successThreshold = 0.8
        let run = try trainHER(c, bits: bits)
        let rates = run.log.series(Metric.evaluationSuccessRate).values
        return (rates.max() ?? 0, rates.count)
    }
    static let learningBits = 10
    static let learningEpochs = 6

    @Test("HER learns 10-bit flipping in a budget where DQN does not") func herBeatsDQN() throws {
        // Thresholds from the reference sweep over seeds 100-111 (docs/BENCHMARKS.md, "Lesson 10 learning
        // tests"; LearningSweep.swift): within 6 epochs of 5 cycles the best greedy success rate of DQN + HER
        // was 0.86 at the least (median 0.93), that of plain DQN 0.03 at the most. The test asks HER for 0.7
        // on each of three other seeds (it stops at 0.8) and DQN for at most 0.2 on two.
        var her: [Double] = []
        for seed: UInt64 in [1, 2, 3] { her.append(try HERAgentTests.learningRun(seed: seed, strategy: .future(k: 4)).success) }
        #expect(her.allSatisfy { $0 >= 0.7 },
                "10.4: DQN + HER (future, k = 4) should reach a greedy success rate of 0.7 on 10-bit flipping within 6 epochs of 5 cycles (the reference reaches 0.86 or more on every seed of its sweep); seeds 1, 2, 3 reached \(her.map { show($0, 2) }). A rate near 0 usually means the episodes are not stored with hindsight goals, or stored with the wrong goal, reward or terminal flag")
        var dqn: [Double] = []
        for seed: UInt64 in [1, 2] { dqn.append(try HERAgentTests.learningRun(seed: seed, strategy: .none).success) }
        #expect(dqn.allSatisfy { $0 <= 0.2 },
                "10.4: plain DQN (strategy none) should not learn 10-bit flipping in the same budget (almost no episode ever reaches its goal), yet seeds 1, 2 reached \(dqn.map { show($0, 2) }): with strategy none store only the episode's own transitions")
    }

    @Test("bad settings are refused by name") func badSettings() throws {
        var c = HERConfig()
        c.batchSize = 0
        #expect(errorText { _ = try trainHER(c, bits: 3) } == "HERConfig: invalid batchSize: got 0, expected an integer >= 1")
        c = HERConfig()
        c.gamma = 1
        #expect(errorText { _ = try trainHER(c, bits: 3) } == "HERConfig: invalid gamma: got 1.0, expected a number in [0.0, 1.0)")
        c = HERConfig()
        c.strategy = .future(k: 0)
        #expect(errorText { _ = try trainHER(c, bits: 3) } == "HERConfig: invalid strategy's k: got 0, expected an integer >= 1")
        c = HERConfig()
        c.batchSize = 200_000
        #expect(errorText { _ = try trainHER(c, bits: 3) }.hasPrefix("HERConfig: invalid batchSize: got 200000, larger than bufferSize"))
        #expect(errorText { _ = try trainHER(HERConfig(), bits: 0) } == "BitFlipping: invalid bits: got 0, expected an integer >= 1")
        c = HERConfig()
        c.epochs = 1
        c.cyclesPerEpoch = 1
        c.evaluationEpisodes = 4
        c.batchSize = 8
        let run = try trainHER(c, bits: 3)
        #expect(run.steps > 0 && run.updates == 40, "10.4: a valid configuration trains: one cycle of 40 updates, got \(run.updates)")
    }
}
