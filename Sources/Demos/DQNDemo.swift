import CourseKit
import DQN
import Environments
import Foundation
import RLKit
import TensorCore

/// Lesson 04's lecture demo: a DQN agent (Double DQN targets, the dueling
/// head and 3-step returns) solves CartPole-v1, then overestimation in the
/// spirit of van Hasselt, Guez and Silver (2016): DQN's and Double DQN's
/// estimates on a chain of noisy rewards whose true values are all 0,
/// averaged over runs.
public enum DQNDemo: LessonDemo {
    public static let name = "dqn"
    public static let about = "DQN solves CartPole-v1; DQN against Double DQN: overestimation where every true value is 0"
    public static let writesSeveralFigures = true
    public static let writesLog = true

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
        print("Solved = mean greedy return >= 475 over \(config.evaluation.confirmationEpisodes) evaluation episodes (checked every \(config.evaluation.interval) steps).\n")
        var bar = ProgressBar(total: budget, label: "environment steps")
        let run = try trainDQN(config) { steps in bar.advance(by: steps - bar.done) }
        let seconds = run.seconds
        bar.finish(run.solvedAtStep.map { "solved at step \($0)" })
        if let path = options.logPath {
            try run.log.write(to: path)
            print("wrote the run's log to \(path) (columns: step, \(run.log.metrics.joined(separator: ", ")))")
        }
        let evaluation = try run.lastEvaluation ?? EvaluationSchedule(config.evaluation, seed: options.seed) { CartPole(seed: $0) }
            .evaluate(episodes: config.evaluation.confirmationEpisodes, seed: options.seed &+ 7) { try greedyActions(run.agent.online, $0) }

        let (episodeSteps, returns) = run.log.series(Metric.episodicReturn)
        let smoothed = movingAverage(returns, window: 10)
        let (evalSteps, evalReturns) = run.log.series(Metric.evaluationReturn)
        let curve = LinePlot(title: "DQN on CartPole-v1: return per episode", xLabel: "environment step", yLabel: "return",
                             series: [PlotSeries("training episodes (mean of 10)", x: episodeSteps, y: smoothed),
                                      PlotSeries("greedy evaluation", x: evalSteps, y: evalReturns)],
                             references: [(475, "solved: mean 475")], yRange: 0...500)
        print(curve.terminal())
        var table = TextTable(headers: ["solved at step", "greedy return (100 episodes)", "episodes", "gradient steps", "seconds", "steps per second"])
        table.addRow([run.solvedAtStep.map(String.init) ?? "not solved", "\(fixed(evaluation.meanReturn, 1)) ± \(fixed(evaluation.standardDeviation, 1))",
                      "\(returns.count)", "\(run.updates)", fixed(seconds, 1), fixed(Double(run.steps) / seconds, 0)])
        print(table.render() + "\n")

        // 2. Overestimation where it can be measured fairly: a chain of noisy rewards whose every value is 0, so each
        // method's estimate is compared with the same true value (on CartPole each agent's own policy has a different
        // true value, and a short run's estimates are still rising; the notes, section 4, discuss why).
        let runs = 10
        print("A chain of noisy rewards: 10 states, 8 actions that all move right with reward ~ N(0, 1); every value is 0.")
        print("gamma 0.99, 4,000 steps, target copied every 500, \(runs) runs per method; predicted Q(s, a) along the greedy")
        print("path against the return that actually followed:\n")
        var gaps: [String: Double] = [:]
        var biasTable = TextTable(headers: ["method", "mean predicted Q(s, a)", "mean actual return", "gap (predicted - actual)", "largest run gap"])
        var gapSeries: [PlotSeries] = []
        for (label, double) in [("DQN", false), ("Double DQN", true)] {
            var predicted: [Double] = [], actual: [Double] = [], byState = [Double](repeating: 0, count: NoisyChain.length)
            var biasBar = ProgressBar(total: runs, label: "\(label): runs on the noisy chain")
            let measured = try independentRuns(runs, jobs: options.jobs, bar: &biasBar) { r in
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
                c.evaluation = .never
                let trained = try trainDQN(c) { NoisyChain(seed: $0) }
                let gap = try valueGap(trained.agent.online, gamma: Double(c.gamma), episodes: 200, seed: c.seed &+ 1, maxSteps: 20) { NoisyChain(seed: $0) }
                let q = try withoutGradients { try trained.agent.online(Tensor(shape: [10, 10], scalars: (0..<100).map { $0 % 11 == 0 ? 1 : 0 })) }.arrayRows
                return (gap: gap, q: q)
            }
            for (gap, q) in measured {
                predicted.append(gap.predicted)
                actual.append(gap.actual)
                for s in 0..<NoisyChain.length { byState[s] += Double(q[s].max()!) / Double(runs) }
            }
            biasBar.finish()
            let gapsPerRun = zip(predicted, actual).map { $0 - $1 }
            gaps[label] = Summary(predicted).mean - Summary(actual).mean
            biasTable.addRow([label, fixed(Summary(predicted).mean, 3), fixed(Summary(actual).mean, 3), fixed(gaps[label]!, 3), fixed(gapsPerRun.max()!, 3)])
            gapSeries.append(PlotSeries("\(label) max_a Q(s, a)", x: (0..<NoisyChain.length).map(Double.init), y: byState))
        }
        print(biasTable.render() + "\n")
        let gapFigure = LinePlot(title: "Noisy chain: estimated max_a Q(s, a) by state (mean of the runs); the true value is 0",
                                 xLabel: "state", yLabel: "estimate", series: gapSeries, references: [(0, "true value: 0")])
        print(gapFigure.terminal())
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/dqn-learning-curve.svg")
            try gapFigure.writeSVG(to: dir + "/dqn-overestimation.svg")
            print("wrote \(dir)/dqn-learning-curve.svg and dqn-overestimation.svg")
        }
        return "dqn cartpole solved_at_steps=\(run.solvedAtStep.map(String.init) ?? "none") eval_return=\(fixed(evaluation.meanReturn, 1))"
            + " seconds=\(fixed(seconds, 1)) double_q_gap=\(fixed(gaps["Double DQN"] ?? .nan, 2)) dqn_q_gap=\(fixed(gaps["DQN"] ?? .nan, 2))"
    }
}
