import CourseKit
import Environments
import RLKit
import Testing

func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

@Suite("replay storage: a ring buffer with uniform minibatches")
struct ReplayBufferTests {
    func filled(_ n: Int, capacity: Int) throws -> ReplayBuffer {
        var replay = try ReplayBuffer(capacity: capacity, observationSize: 2)
        for i in 0..<n {
            try replay.add(observation: [Float(i), -Float(i)], action: i % 3, reward: Double(i), nextObservation: [Float(i + 1), 0],
                           terminated: i % 4 == 3, truncated: i % 5 == 4, discount: 0.9)
        }
        return replay
    }

    @Test func overwritesTheOldestWhenFull() throws {
        let replay = try filled(7, capacity: 5)
        #expect(replay.count == 5 && replay.totalAdded == 7 && replay.nextIndex == 2)
        let all = try replay.batch(at: Array(0..<5))
        // Slots 0 and 1 now hold transitions 5 and 6; slots 2..4 still hold 2..4.
        #expect(all.rewards.scalars == [5, 6, 2, 3, 4])
        #expect(all.observations.scalars == [5, -5, 6, -6, 2, -2, 3, -3, 4, -4])
        #expect(all.nextObservations.scalars == [6, 0, 7, 0, 3, 0, 4, 0, 5, 0])
        #expect(all.actionIndices == [2, 0, 2, 0, 1])
        #expect(all.terminated.scalars == [0, 0, 0, 1, 0] && all.truncated.scalars == [0, 0, 0, 0, 1])
        #expect(all.discounts.scalars == [0.9, 0.9, 0.9, 0.9, 0.9])
    }

    @Test func samplesUniformlyFromWhatItHolds() throws {
        let replay = try filled(4, capacity: 10)
        var g = SeededGenerator(seed: 3)
        var counts = [0, 0, 0, 0]
        for _ in 0..<2000 {
            let batch = try replay.sample(batchSize: 4, using: &g)
            #expect(batch.observations.shape == [4, 2] && batch.rewards.shape == [4])
            for r in batch.rewards.scalars { counts[Int(r)] += 1 }
        }
        // 8000 draws over 4 slots; chi-square with 3 degrees of freedom, 16.3 is its 0.999 quantile.
        let chi = counts.reduce(0.0) { $0 + (Double($1) - 2000) * (Double($1) - 2000) / 2000 }
        #expect(chi < 16.3, "uniform sampling: counts \(counts)")
    }

    @Test func badInputIsNamed() throws {
        #expect(errorText { _ = try ReplayBuffer(capacity: 0, observationSize: 4) } == "ReplayBuffer: invalid capacity: got 0, expected an integer >= 1")
        var replay = try filled(3, capacity: 10)
        var g = SeededGenerator(seed: 1)
        #expect(errorText { _ = try replay.sample(batchSize: 4, using: &g) }
            == "ReplayBuffer.sample: invalid batchSize: asked for 4 transitions but the buffer holds 3; start sampling once it holds at least a batch")
        #expect(errorText { try replay.add(observation: [1], action: 0, reward: 0, nextObservation: [1, 2], terminated: false, truncated: false, discount: 1) }
            == "ReplayBuffer.add: invalid observation: got lengths 1 and 2, expected 2")
        #expect(errorText { try replay.add(observation: [1, 2], action: 0, reward: .nan, nextObservation: [1, 2], terminated: false, truncated: false, discount: 1) }
            == "ReplayBuffer.add: invalid reward: got nan, expected a finite number")
        #expect(errorText { try replay.add(observation: [1, .infinity], action: 0, reward: 0, nextObservation: [1, 2], terminated: false, truncated: false, discount: 1) }
            .hasPrefix("ReplayBuffer.add: invalid observation: entry 1 is inf"))
        #expect(errorText { try replay.add(observation: [1, 2], action: 0, reward: 0, nextObservation: [1, 2], terminated: false, truncated: false, discount: 1.5) }
            .hasPrefix("ReplayBuffer.add: invalid discount: got 1.5"))
        #expect(errorText { _ = try replay.batch(at: [3]) } == "ReplayBuffer.batch: invalid indices: index 3 is outside 0..<3")
        #expect(replay.count == 3, "refused transitions are not stored")
    }

    @Test func vectorActions() throws {
        var replay = try ReplayBuffer(capacity: 4, observationSize: 3, actionSize: 2)
        try replay.add(observation: [1, 2, 3], action: [0.5, -0.5], reward: 1, nextObservation: [4, 5, 6], terminated: false, truncated: true, discount: 0.99)
        let batch = try replay.batch(at: [0])
        #expect(batch.actions.shape == [1, 2] && batch.actions.scalars == [0.5, -0.5])
        #expect(errorText { try replay.add(observation: [1, 2, 3], action: 1, reward: 1, nextObservation: [4, 5, 6], terminated: false, truncated: false, discount: 1) }
            .hasPrefix("ReplayBuffer.add: invalid action: got one action index"))
    }
}

@Suite("rollout storage: N environments by T steps")
struct RolloutBufferTests {
    @Test func storesTimeFirstAndCutsMinibatches() throws {
        var rollout = try RolloutBuffer(steps: 3, environments: 2, observationSize: 1)
        for t in 0..<3 {
            try rollout.append(observations: [Float(10 * t), Float(10 * t + 1)], actions: [0, 1], logProbabilities: [-0.5, -0.7],
                               values: [Float(t), Float(-t)], rewards: [1, 2], terminated: [t == 1, false], truncated: [false, t == 2],
                               truncationValues: [0, 9])
        }
        #expect(rollout.isFull)
        #expect(errorText { try rollout.append(observations: [0, 0], actions: [0, 0], logProbabilities: [0, 0], values: [0, 0], rewards: [0, 0], terminated: [false, false], truncated: [false, false]) }
            .hasPrefix("RolloutBuffer.append: invalid step: the storage already holds all 3 steps"))
        let data = rollout.flattened()
        #expect(data.observations.scalars == [0, 1, 10, 11, 20, 21])
        #expect(data.values.scalars == [0, 0, 1, -1, 2, -2])
        #expect(data.terminated.scalars == [0, 0, 1, 0, 0, 0] && data.truncated.scalars == [0, 0, 0, 0, 0, 1])
        #expect(rollout.truncationValues == [0, 0, 0, 0, 0, 9], "only truncated entries keep their bootstrap value")
        #expect(data.rows([5, 0]).observations.scalars == [21, 0])
        var g = SeededGenerator(seed: 4)
        let batches = try g.minibatches(of: 6, into: 3)
        #expect(batches.count == 3 && batches.allSatisfy { $0.count == 2 } && Set(batches.flatMap { $0 }) == Set(0..<6))
        rollout.reset()
        #expect(rollout.count == 0)
    }

    @Test func badInputIsNamed() throws {
        #expect(errorText { _ = try RolloutBuffer(steps: 0, environments: 2, observationSize: 1) } == "RolloutBuffer: invalid steps: got 0, expected an integer >= 1")
        var rollout = try RolloutBuffer(steps: 2, environments: 2, observationSize: 1)
        #expect(errorText { try rollout.append(observations: [0], actions: [0, 0], logProbabilities: [0, 0], values: [0, 0], rewards: [0, 0], terminated: [false, false], truncated: [false, false]) }
            == "RolloutBuffer.append: invalid observations: got 1 values, expected 2 (one step of 2 environments)")
        #expect(errorText { try rollout.append(observations: [0, 0], actions: [0, 0], logProbabilities: [0, .nan], values: [0, 0], rewards: [0, 0], terminated: [false, false], truncated: [false, false]) }
            .hasPrefix("RolloutBuffer.append: invalid logProbabilities: entry 1 is nan"))
        var g = SeededGenerator(seed: 1)
        #expect(errorText { _ = try g.minibatches(of: 3, into: 4) }.hasPrefix("minibatches(of:into:): invalid minibatches: got 4 for 3 indices"))
    }
}

@Suite("statistics along an axis, returns to go, epsilon-greedy")
struct SharedPiecesTests {
    @Test func varianceAndStandardisationByHand() throws {
        let x = Tensor([[1, 2, 3, 6], [2, 2, 2, 2]])
        // Row 0: mean 3, squared deviations 4 + 1 + 0 + 9 = 14.
        #expect(x.variance(alongAxis: 1).scalars == [14.0 / 3, 0])
        #expect(x.variance(alongAxis: 1, unbiased: false).scalars == [3.5, 0])
        #expect(Swift.abs(x.variance().scalar - Float((14 + 4 * 0.25 + 4 * 0.25) / 7)) < 1e-6, "all 8 values: mean 2.5")
        let z = Tensor([1, 2, 3, 6]).standardized()
        let std = Float((14.0 / 3).squareRoot())
        for (a, b) in zip(z.scalars, [-2 / std, -1 / std, 0, 3 / std]) { #expect(Swift.abs(a - b) < 1e-5) }
        #expect(Tensor([2, 2, 2]).standardized().scalars == [0, 0, 0], "a constant has no spread: epsilon keeps it finite")
        var rng = SeededGenerator(seed: 5)
        let p = Tensor.uniform([3, 4], low: -2, high: 2, using: &rng, requiresGradient: true)
        let report = gradientCheck([p]) { $0[0].standardized(alongAxis: 1) }
        #expect(report.passed, "\(report)")
    }

    @Test func summaries() {
        let s = Summary([1, 2, 3, 10])
        #expect(s.mean == 4 && s.median == 2.5 && s.minimum == 1 && s.maximum == 10)
        #expect(Swift.abs(s.standardDeviation - (((9 + 4 + 1 + 36) / 4.0) as Double).squareRoot()) < 1e-12)
        #expect(Summary([]).count == 0 && Summary([]).mean.isNaN)
    }

    @Test func returnsToGoCutAtEpisodeEnds() throws {
        let g = try discountedReturnsToGo(rewards: [1, 1, 1, 2, 3], dones: [false, false, true, false, false], gamma: 0.5, bootstrap: 4)
        #expect(g == [1.75, 1.5, 1, 2 + 0.5 * (3 + 0.5 * 4), 3 + 0.5 * 4])
        #expect(errorText { _ = try discountedReturnsToGo(rewards: [1], dones: [], gamma: 0.9) }
            == "discountedReturnsToGo: invalid dones: got 0 flags for 1 rewards")
        #expect(errorText { _ = try discountedReturnsToGo(rewards: [1], dones: [true], gamma: 1.1) }.hasPrefix("discountedReturnsToGo: invalid gamma"))
    }

    @Test func epsilonGreedyFrequencies() throws {
        var g = SeededGenerator(seed: 6)
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 { counts[try g.epsilonGreedy([0, 5, 1, 2], epsilon: 0.4)] += 1 }
        let f = counts.map { Double($0) / 40_000 }
        #expect(zip(f, [0.1, 0.7, 0.1, 0.1]).allSatisfy { Swift.abs($0 - $1) < 0.015 }, "\(f)")
        var ties = [0, 0]
        for _ in 0..<4000 { ties[try g.epsilonGreedy([3, 3], epsilon: 0)] += 1 }
        #expect(Swift.abs(Double(ties[0]) / 4000 - 0.5) < 0.04, "ties are broken at random: \(ties)")
        #expect(try g.epsilonGreedy(Tensor([[0, 1], [2, 1]]), epsilon: 0) == [1, 0])
        #expect(errorText { _ = try g.epsilonGreedy([1, .nan], epsilon: 0.1) }.hasPrefix("epsilonGreedy: invalid actionValues: holds nan"))
        #expect(errorText { _ = try g.epsilonGreedy([1], epsilon: 2) }.hasPrefix("epsilonGreedy: invalid epsilon: got 2.0"))
    }
}

@Suite("the evaluation loop and the training-run log")
struct EvaluationAndLogTests {
    @Test func lockstepEvaluationEqualsPlayingEachEpisodeAlone() throws {
        // A fixed policy: push towards the side the pole leans to.
        func action(_ angle: Double, _ angularVelocity: Double) -> Int { angle + 0.5 * angularVelocity > 0 ? 1 : 0 }
        let result = try evaluatePolicy(episodes: 5, seed: 100, make: { _ in CartPole() }) { observations in
            (0..<observations.shape[0]).map { action(Double(observations[$0, 2]), Double(observations[$0, 3])) }
        }
        for i in 0..<5 {
            var env = CartPole()
            var state = env.reset(seed: 100 + UInt64(i))
            var total = 0.0
            while true {
                let step = try env.step(action(Double(Float(state.angle)), Double(Float(state.angularVelocity))))
                total += step.reward
                state = step.observation
                if step.done { break }
            }
            #expect(result.returns[i] == total, "episode \(i)")
            #expect(result.lengths[i] == Int(total))
        }
        #expect(result.meanReturn == result.returns.reduce(0, +) / 5)
        #expect(errorText { _ = try evaluatePolicy(episodes: 0, seed: 0, make: { _ in CartPole() }) { _ in [] } }
            == "evaluatePolicy: invalid episodes: got 0, expected an integer >= 1")
    }

    @Test func theLogNamesWhatIsWrong() throws {
        var log = try RunLog(metrics: [Metric.episodicReturn, Metric.tdLoss])
        try log.record(step: 10, [Metric.tdLoss: 0.5])
        try log.record(step: 12, [Metric.episodicReturn: 20, Metric.tdLoss: 0.25])
        #expect(errorText { try log.record(step: 13, ["reward": 1]) }.hasPrefix("RunLog.record: invalid values: unknown metrics [\"reward\"]"))
        #expect(errorText { try log.record(step: 5, [Metric.tdLoss: 1]) }.hasPrefix("RunLog.record: invalid step: got 5 after step 12"))
        #expect(errorText { try log.record(step: 20, [Metric.tdLoss: .nan]) }.hasPrefix("RunLog.record: invalid losses/td_loss: got nan"))
        #expect(errorText { _ = try RunLog(metrics: ["step"]) }.hasPrefix("RunLog: invalid metrics"))
    }
}
