import CourseKit
import DQN
import Environments
import Foundation
import RLKit
import TensorCore

/// Lesson 04's lecture demo: a DQN agent (Double DQN targets, the dueling
/// head and 3-step returns) solves CartPole-v1, then the overestimation
/// experiment of van Hasselt, Guez and Silver (2016): DQN's and Double
/// DQN's predicted Q(s, a) along their greedy policies against the
/// discounted return those policies actually earn.
public enum DQNDemo: LessonDemo {
    public static let name = "dqn"
    public static let about = "DQN solves CartPole-v1; DQN against Double DQN: predicted Q against the return actually earned"
    public static let writesSeveralFigures = true

    public static func run(_ options: DemoOptions) throws -> String {
        let budget = options.steps ?? 50_000
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        print("Lesson 04: DQN on CartPole-v1 (seed \(options.seed), at most \(budget) environment steps)\n")

        // 1. Solve CartPole.
        var config = DQNConfig()
        config.seed = options.seed
        config.totalSteps = budget
        print("Agent: Double DQN targets, dueling head, \(config.nSteps)-step returns, Huber loss, Adam \(config.learningRate),"
              + " batch \(config.batchSize), target copied every \(config.targetUpdateInterval) steps.")
        print("Solved = mean greedy return >= 475 over \(config.solveEpisodes) evaluation episodes (checked every \(config.evaluationInterval) steps).\n")
        var bar = ProgressBar(total: budget, label: "environment steps")
        let start = Date()
        let run = try trainDQN(config) { steps in bar.advance(by: steps - bar.done) }
        let seconds = Date().timeIntervalSince(start)
        bar.finish()
        let evaluation = try run.lastEvaluation ?? SolveMonitor(config) { CartPole(seed: $0) }
            .evaluate(run.online, episodes: config.solveEpisodes, seed: options.seed &+ 7)

        let (episodeSteps, returns) = run.log.series(Metric.episodeReturn)
        let smoothed = movingAverage(returns, window: 10)
        let (evalSteps, evalReturns) = run.log.series(Metric.evaluationReturn)
        let curve = LinePlot(title: "DQN on CartPole-v1: return per episode", xLabel: "environment step", yLabel: "return",
                             series: [PlotSeries("training episodes (mean of 10)", x: episodeSteps, y: smoothed),
                                      PlotSeries("greedy evaluation", x: evalSteps, y: evalReturns)])
        print(curve.terminal())
        var table = TextTable(headers: ["solved at step", "greedy return (100 episodes)", "episodes", "gradient steps", "seconds", "steps per second"])
        table.addRow([run.solvedAtStep.map(String.init) ?? "not solved", "\(fixed(evaluation.meanReturn, 1)) ± \(fixed(evaluation.standardDeviation, 1))",
                      "\(returns.count)", "\(run.updates)", fixed(seconds, 1), fixed(Double(run.steps) / seconds, 0)])
        print(table.render() + "\n")

        // 2. Overestimation, on CartPole: the same agent without and with Double DQN targets.
        let experimentSteps = min(budget, 30_000)
        print("Overestimation on CartPole: plain DQN and Double DQN (1-step, MLP), \(experimentSteps) steps each, then greedy")
        print("episodes without a time limit; at every visited state, the predicted Q(s, a) against the discounted return that followed.\n")
        var series: [PlotSeries] = []
        var cartPoleTable = TextTable(headers: ["method", "mean predicted Q(s, a)", "mean actual return", "gap (predicted - actual)", "greedy return"])
        for (label, double) in [("DQN", false), ("Double DQN", true)] {
            var c = DQNConfig.vanilla
            c.seed = options.seed &+ 100
            c.totalSteps = experimentSteps
            c.double = double
            c.solveThreshold = nil
            c.evaluationInterval = 0
            var experimentBar = ProgressBar(total: experimentSteps, label: label)
            let trained = try trainDQN(c) { steps in experimentBar.advance(by: steps - experimentBar.done) }
            experimentBar.finish()
            let estimate = try overestimation(trained.online, gamma: Double(c.gamma), episodes: 10, seed: options.seed &+ 200)
            cartPoleTable.addRow([label, fixed(estimate.predicted, 2), fixed(estimate.actual, 2), fixed(estimate.predicted - estimate.actual, 2), fixed(estimate.greedyReturn, 1)])
            series.append(PlotSeries("\(label) predicted Q", x: estimate.timeline.map { Double($0.t) }, y: estimate.timeline.map(\.predicted)))
            series.append(PlotSeries("\(label) actual return", x: estimate.timeline.map { Double($0.t) }, y: estimate.timeline.map(\.actual)))
        }
        print(cartPoleTable.render() + "\n")
        let figure = LinePlot(title: "CartPole: predicted Q(s_t, a_t) and the discounted return that followed (mean of 10 episodes)",
                              xLabel: "time step t of the episode", yLabel: "value", series: series)
        print(figure.terminal())
        print("With reward 1 per step no policy earns more than 1 / (1 - 0.99) = 100 from any state; estimates still rising")
        print("towards it are what a short run gives. The bias of the max shows where rewards are noisy:\n")

        // 3. Overestimation where the effect is clear: a chain of noisy rewards.
        let runs = 10
        print("A chain of noisy rewards: 10 states, 8 actions that all move right with reward ~ N(0, 1); every value is 0.")
        print("gamma 0.99, 4,000 steps, target copied every 500, \(runs) runs per method; predicted Q(s, a) along the greedy")
        print("path against the return that actually followed:\n")
        var gaps: [String: Double] = [:]
        var biasTable = TextTable(headers: ["method", "mean predicted Q(s, a)", "mean actual return", "gap (predicted - actual)", "largest run gap"])
        var gapSeries: [PlotSeries] = []
        for (label, double) in [("DQN", false), ("Double DQN", true)] {
            var predicted: [Double] = [], actual: [Double] = [], byState = [Double](repeating: 0, count: NoisyChain.length)
            var biasBar = ProgressBar(total: runs, label: label)
            for r in 0..<runs {
                var c = DQNConfig.vanilla
                c.seed = runSeed(options, experiment: 4, run: r)
                c.double = double
                c.totalSteps = 4_000
                c.batchSize = 32
                c.hiddenSizes = [32]
                c.learningStarts = 200
                c.trainFrequency = 1
                c.targetUpdateInterval = 500
                c.epsilonStart = 0.1
                c.epsilonEnd = 0.1
                c.explorationFraction = 0
                c.solveThreshold = nil
                c.evaluationInterval = 0
                let trained = try trainDQN(c, actionCount: NoisyChain.actionCount) { NoisyChain(seed: $0) }
                let gap = try valueGap(trained.online, gamma: Double(c.gamma), episodes: 200, seed: c.seed &+ 1, maxSteps: 20) { NoisyChain(seed: $0) }
                predicted.append(gap.predicted)
                actual.append(gap.actual)
                let q = try withoutGradients { try trained.online(Tensor(shape: [10, 10], scalars: (0..<100).map { $0 % 11 == 0 ? 1 : 0 })) }.arrayRows
                for s in 0..<NoisyChain.length { byState[s] += Double(q[s].max()!) / Double(runs) }
                biasBar.advance()
            }
            biasBar.finish()
            let gapsPerRun = zip(predicted, actual).map { $0 - $1 }
            gaps[label] = Summary(predicted).mean - Summary(actual).mean
            biasTable.addRow([label, fixed(Summary(predicted).mean, 3), fixed(Summary(actual).mean, 3), fixed(gaps[label]!, 3), fixed(gapsPerRun.max()!, 3)])
            gapSeries.append(PlotSeries("\(label) max_a Q(s, a)", x: (0..<NoisyChain.length).map(Double.init), y: byState))
        }
        gapSeries.append(PlotSeries("true value", x: (0..<NoisyChain.length).map(Double.init), y: [Double](repeating: 0, count: NoisyChain.length)))
        print(biasTable.render() + "\n")
        let gapFigure = LinePlot(title: "Noisy chain: estimated max_a Q(s, a) by state (mean of the runs); the true value is 0",
                                 xLabel: "state", yLabel: "estimate", series: gapSeries)
        print(gapFigure.terminal())
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/dqn-learning-curve.svg")
            try figure.writeSVG(to: dir + "/dqn-cartpole-values.svg")
            try gapFigure.writeSVG(to: dir + "/dqn-overestimation.svg")
            print("wrote \(dir)/dqn-learning-curve.svg, dqn-cartpole-values.svg and dqn-overestimation.svg")
        }
        return "dqn cartpole solved_at_steps=\(run.solvedAtStep.map(String.init) ?? "none") eval_return=\(fixed(evaluation.meanReturn, 1))"
            + " seconds=\(fixed(seconds, 1)) double_q_gap=\(fixed(gaps["Double DQN"] ?? .nan, 2)) dqn_q_gap=\(fixed(gaps["DQN"] ?? .nan, 2))"
    }

    /// The mean of each window of `window` values ending at every index.
    static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        var out: [Double] = []
        var sum = 0.0
        for (i, v) in values.enumerated() {
            sum += v
            if i >= window { sum -= values[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }

    /// Plays greedy episodes of CartPole without a time limit (capped at
    /// 2,000 steps) and compares, at every step t < 1,000 (where the cap
    /// changes the discounted return by less than gamma^1000), the network's
    /// Q(s_t, a_t) with the discounted return G_t that actually followed.
    static func overestimation(_ network: any QNetwork, gamma: Double, episodes: Int, seed: UInt64) throws
        -> (predicted: Double, actual: Double, greedyReturn: Double, timeline: [(t: Int, predicted: Double, actual: Double)]) {
        let horizon = 1_000, cap = 2_000
        var predictedSum = [Double](repeating: 0, count: horizon), actualSum = predictedSum, counts = predictedSum
        var returns: [Double] = []
        for e in 0..<episodes {
            var env = try CartPole(seed: seed &+ UInt64(e), maxEpisodeSteps: nil)
            var observation = env.reset(seed: seed &+ UInt64(e))
            var predicted: [Double] = [], rewards: [Double] = []
            while rewards.count < cap {
                let q = try withoutGradients { try network(Tensor(shape: [1, 4], scalars: observation.floats)) }
                let action = q.argmax(alongAxis: 1)[0]
                predicted.append(Double(q.scalars[action]))
                let step = try env.step(action)
                rewards.append(step.reward)
                observation = step.observation
                if step.done { break }
            }
            returns.append(rewards.reduce(0, +))
            var g = 0.0
            var actual = [Double](repeating: 0, count: rewards.count)
            for t in rewards.indices.reversed() { g = rewards[t] + gamma * g; actual[t] = g }
            for t in 0..<min(horizon, rewards.count) {
                predictedSum[t] += predicted[t]; actualSum[t] += actual[t]; counts[t] += 1
            }
        }
        let visited = counts.reduce(0, +)
        let timeline = (0..<horizon).filter { counts[$0] > 0 && $0 % 10 == 0 }.map { ($0, predictedSum[$0] / counts[$0], actualSum[$0] / counts[$0]) }
        return (predictedSum.reduce(0, +) / visited, actualSum.reduce(0, +) / visited, returns.reduce(0, +) / Double(episodes), timeline)
    }
}

