import CourseKit
import Environments
import Foundation
import PolicyGradient
import RLKit
import TensorCore

/// Lesson 05's lecture demo: REINFORCE (reward-to-go, a learned value
/// baseline) solves CartPole-v1; then the lecture's claim measured: the
/// variance of the policy-gradient estimate with the full return, with
/// reward-to-go, and with a baseline subtracted, from the same policy over
/// many batches; and the three estimators' learning curves side by side.
public enum ReinforceDemo: LessonDemo {
    public static let name = "reinforce"
    public static let about = "REINFORCE solves CartPole-v1; the gradient's variance with the full return, reward-to-go and a baseline"
    public static let writesSeveralFigures = true
    public static let writesLog = true

    public static func run(_ options: DemoOptions) throws -> String {
        let budget = options.steps ?? 200_000
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        print("Lesson 05: REINFORCE on CartPole-v1 (seed \(options.seed), at most \(budget) environment steps)\n")

        // 1. Solve CartPole.
        var config = ReinforceConfig()
        config.seed = options.seed
        config.totalSteps = budget
        print("Agent: reward-to-go (gamma \(config.gamma)) minus a learned V(s), weights normalised per batch, a \(config.hiddenSizes)"
              + " tanh policy, Adam \(config.learningRate), one update per \(config.stepsPerBatch)+ steps of whole episodes.")
        print("Solved = mean greedy return >= 475 over \(config.evaluation.confirmationEpisodes) evaluation episodes (checked every \(config.evaluation.interval) steps).\n")
        var bar = ProgressBar(total: budget, label: "environment steps")
        let run = try trainReinforce(config) { steps in bar.advance(by: steps - bar.done) }
        bar.finish(run.solvedAtStep.map { "solved at step \($0)" } ?? "not solved")
        if let path = options.logPath {
            try run.log.write(to: path)
            print("wrote the run's log to \(path) (columns: step, \(run.log.metrics.joined(separator: ", ")))")
        }
        let evaluation = try run.lastEvaluation ?? EvaluationSchedule(config.evaluation, seed: options.seed) { CartPole(seed: $0) }
            .evaluate(episodes: config.evaluation.confirmationEpisodes, seed: options.seed &+ 7) { greedyActions(run.agent.policy, $0) }
        let (episodeSteps, returns) = run.log.series(Metric.episodicReturn)
        let (evalSteps, evalReturns) = run.log.series(Metric.evaluationReturn)
        let curve = LinePlot(title: "REINFORCE on CartPole-v1: return per episode", xLabel: "environment step", yLabel: "return",
                             series: [PlotSeries("training episodes (mean of 20)", x: episodeSteps, y: movingAverage(returns, window: 20)),
                                      PlotSeries("greedy evaluation", x: evalSteps, y: evalReturns)],
                             references: [(475, "solved: mean 475")], yRange: 0...500)
        print(curve.terminal())
        var table = TextTable(headers: ["solved at step", "greedy return (100 episodes)", "episodes", "updates", "seconds", "steps per second"])
        table.addRow([run.solvedAtStep.map(String.init) ?? "not solved", "\(fixed(evaluation.meanReturn, 1)) ± \(fixed(evaluation.standardDeviation, 1))",
                      "\(returns.count)", "\(run.updates)", fixed(run.seconds, 1), fixed(run.stepsPerSecond, 0)])
        print(table.render())
        print("(Training episodes sample their actions; the evaluation plays the most likely one, which balances better: notes,"
              + " section 7.)\n")

        // 2. The variance of the estimate, from one policy: a short run's, so that episodes are neither 10 nor 500 steps.
        let variance = try estimatorVariance(options)
        print("The gradient estimate g = (1/N) sum_i sum_t grad log pi(a_t | s_t) Psi_t from \(variance.batches) batches of"
              + " \(variance.episodesPerBatch) episodes of one policy")
        print("(a \(variance.trainingSteps)-step run's, mean episode length \(fixed(variance.meanLength, 1))), gamma \(config.gamma), weights not normalised:\n")
        var varianceTable = TextTable(headers: ["weights Psi", "total variance of g", "relative to the full return", "|mean of g|",
                                                "noise of that mean"])
        for row in variance.rows {
            varianceTable.addRow([row.name, fixed(row.variance, 0), fixed(row.variance / variance.rows[0].variance, 3), fixed(row.meanNorm, 1),
                                  "± " + fixed((row.variance / Double(variance.batches)).squareRoot(), 1)])
        }
        print(varianceTable.render())
        print("Total variance: the sum over the policy's \(variance.parameterCount) parameters of each one's variance across batches."
              + " The three reward-to-go rows")
        print("estimate the same gradient (their means agree within the noise): causality and baselines change the noise, not the"
              + " expectation.")
        print("The full return at gamma \(config.gamma) discounts every reward from the episode's start, not from the step: another"
              + " target (notes, section 4).\n")
        let ratio = variance.rows[0].variance / variance.rows[variance.rows.count - 1].variance

        // 3. The three estimators learning side by side, same seed, weights not normalised.
        let comparisonSteps = min(budget, 60_000)
        print("Lower variance, faster learning: three agents from seed \(options.seed), \(comparisonSteps) steps each, batches of"
              + " 1,000 steps, weights not normalised (no baseline hidden in the normalisation):\n")
        var series: [PlotSeries] = []
        var comparison = TextTable(headers: ["estimator", "mean return, last 20 episodes", "episodes"])
        let estimatorRuns = [("full return R(tau)", false, BaselineKind.none), ("reward-to-go G_t", true, BaselineKind.none),
                             ("G_t - V(s_t)", true, BaselineKind.value)]
        func train(_ r: Int, progress: ((Int) -> Void)?) throws -> TrainingRun<ReinforceNetworks> {
            var c = ReinforceConfig()
            (c.seed, c.totalSteps, c.evaluation) = (options.seed, comparisonSteps, .never)
            (c.rewardToGo, c.baseline, c.normalizeAdvantages, c.stepsPerBatch) = (estimatorRuns[r].1, estimatorRuns[r].2, false, 1_000)
            return try trainReinforce(c, progress: progress)
        }
        let trained = try trainSideBySide(estimatorRuns.count, jobs: options.jobs, label: { "\(estimatorRuns[$0].0): environment steps" },
                                          total: { _ in comparisonSteps }, outcome: { _ in nil }, train)
        for (r, run) in trained.enumerated() {
            let label = estimatorRuns[r].0
            let (x, y) = run.log.series(Metric.episodicReturn)
            series.append(PlotSeries(label, x: x, y: movingAverage(y, window: 20)))
            comparison.addRow([label, fixed(y.suffix(20).reduce(0, +) / Double(max(1, min(20, y.count))), 1), "\(y.count)"])
        }
        let estimators = LinePlot(title: "Three estimators, one seed: training return (mean of 20 episodes)", xLabel: "environment step",
                                  yLabel: "return", series: series, references: [(475, "475")], yRange: 0...500)
        print(estimators.terminal())
        print(comparison.render() + "\n")
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/reinforce-learning-curve.svg")
            try estimators.writeSVG(to: dir + "/reinforce-estimators.svg")
            print("wrote \(dir)/reinforce-learning-curve.svg and reinforce-estimators.svg")
        }
        return "reinforce cartpole solved_at_steps=\(run.solvedAtStep.map(String.init) ?? "none") eval_return=\(fixed(evaluation.meanReturn, 1))"
            + " seconds=\(fixed(run.seconds, 1)) variance_ratio_full_to_baselined=\(fixed(ratio, 2))"
    }

    /// One row of the variance table.
    struct VarianceRow {
        var name: String
        var variance: Double
        var meanNorm: Double
    }

    /// The variance of the policy-gradient estimate under four weightings,
    /// from the same batches of one policy (a short run's) and its critic.
    static func estimatorVariance(_ options: DemoOptions) throws
        -> (rows: [VarianceRow], batches: Int, episodesPerBatch: Int, trainingSteps: Int, meanLength: Double, parameterCount: Int) {
        var config = ReinforceConfig()
        (config.seed, config.totalSteps, config.evaluation) = (runSeed(options, experiment: 5, run: 0), 4_000, .never)
        let trained = try trainReinforce(config)
        let (policy, critic) = (trained.agent.policy, trained.agent.baseline)
        // Fit the critic further on this policy's own episodes, so that it is this policy's V(s).
        var rng = SeededGenerator(seed: runSeed(options, experiment: 5, run: 1))
        var env = CartPole(seed: rng.next())
        func episodes(_ count: Int) throws -> [Episode] {
            try (0..<count).map { _ in
                var episode = Episode()
                var s = env.reset(seed: rng.next())
                while true {
                    let logits = withoutGradients { policy(Tensor(shape: [1, 4], scalars: s.floats)) }
                    let a = try Categorical(logits: logits).sample(using: &rng)[0]
                    let step = try env.step(a)
                    episode.append(observation: s.floats, action: a, reward: step.reward)
                    if step.done { return episode }
                    s = step.observation
                }
            }
        }
        let fitBatch = try EpisodeBatch(try episodes(100))
        let fitTargets = try rewardsToGo(fitBatch.rewards, gamma: config.gamma).flatMap { $0 }
        for _ in 0..<200 { try critic.fit(observations: fitBatch.observations, returns: fitTargets) }

        let (batches, perBatch) = (200, 5)
        let names = ["full return R(tau)", "reward-to-go G_t", "G_t - mean-return baseline", "G_t - V(s_t)"]
        var estimates = [[[Double]]](repeating: [], count: names.count)
        var lengths: [Int] = []
        for _ in 0..<batches {
            let batch = try EpisodeBatch(try episodes(perBatch))
            lengths += batch.lengths
            let full = try episodeReturns(batch.rewards, gamma: config.gamma)
            let toGo = try rewardsToGo(batch.rewards, gamma: config.gamma)
            let b = try meanReturnBaseline(toGo)
            let values = try batch.perEpisode(critic.values(batch.observations))
            let weightings: [[[Double]]] = [full.map { [$0[0]] }, toGo, toGo.map { $0.map { $0 - b } },
                                            zip(toGo, values).map { zip($0, $1).map { $0 - $1 } }]
            for (k, weights) in weightings.enumerated() {
                let logProbabilities = k == 0 ? try trajectoryLogProbabilities(policy: policy, batch: batch)
                                              : try stepLogProbabilities(policy: policy, batch: batch)
                policy.zeroGradients()
                try surrogateLoss(logProbabilities: logProbabilities, weights: weights).backward()
                estimates[k].append(policy.parameters.flatMap { ($0.gradient?.scalars ?? []).map { -Double($0) } })
            }
        }
        let rows = zip(names, estimates).map { name, g -> VarianceRow in
            let n = Double(g.count)
            var total = 0.0, meanSquared = 0.0
            for j in g[0].indices {
                let mean = g.reduce(0) { $0 + $1[j] } / n
                total += g.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / (n - 1)
                meanSquared += mean * mean
            }
            return VarianceRow(name: name, variance: total, meanNorm: meanSquared.squareRoot())
        }
        return (rows, batches, perBatch, config.totalSteps, Double(lengths.reduce(0, +)) / Double(lengths.count),
                policy.parameterCount)
    }
}
