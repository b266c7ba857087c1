import CourseKit
import Environments
import Foundation
import RLKit
import SAC
import TensorCore

/// Lesson 08's lecture demo: a SAC agent swings Pendulum-v1 up and holds it
/// (a mean evaluation return of -200 or better), with the temperature and
/// the policy's entropy over training; then the same agent without the
/// entropy bonus (alpha = 0), side by side.
public enum SACDemo: LessonDemo {
    public static let name = "sac"
    public static let about = "SAC on Pendulum-v1 to a mean return of -200; temperature and entropy; the ablation without the entropy bonus"
    public static let writesSeveralFigures = true
    public static let writesLog = true

    public static func run(_ options: DemoOptions) throws -> String {
        let budget = options.steps ?? 20_000
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        print("Lesson 08: soft actor-critic on Pendulum-v1 (seed \(options.seed), at most \(budget) environment steps)\n")

        // 1. SAC with the entropy bonus and an automatic temperature.
        var config = SACConfig()
        config.seed = options.seed
        config.totalSteps = budget
        let (threshold, confirming) = (config.evaluation.threshold ?? -200, config.evaluation.confirmationEpisodes)
        print("Agent: tanh-Gaussian actor and twin critics \(config.hiddenSizes.map(String.init).joined(separator: "-")) (ReLU),"
              + " batch \(config.batchSize), Adam \(config.policyLearningRate) (actor) and \(config.qLearningRate) (critics),"
              + " gamma \(config.gamma), tau \(config.tau),")
        print("\(config.learningStarts) random steps first, then one update per step; alpha from \(config.initialAlpha),"
              + " tuned towards the target entropy -1.")
        print("Solved = the deterministic policy tanh(mu(s)) averages \(Int(threshold)) or better over 10 episodes, confirmed over"
              + " \(confirming) (evaluated every \(config.evaluation.interval) steps; random play averages about -1,200).\n")
        var bar = ProgressBar(total: budget, label: "SAC: environment steps")
        let run = try trainSAC(config) { steps in bar.advance(by: steps - bar.done) }
        bar.finish(run.solvedAtStep.map { "solved at step \($0)" } ?? "not solved within \(budget) steps")
        if let path = options.logPath {
            try run.log.write(to: path)
            print("wrote the run's log to \(path) (columns: step, \(run.log.metrics.joined(separator: ", ")))")
        }
        let evaluation = try finalEvaluation(run, seed: options.seed, episodes: confirming)

        let (episodeSteps, returns) = run.log.series(Metric.episodicReturn)
        let (evalSteps, evalReturns) = run.log.series(Metric.evaluationReturn)
        let curve = LinePlot(title: "SAC on Pendulum-v1: return per episode", xLabel: "environment step", yLabel: "return",
                             series: [PlotSeries("training episodes", x: episodeSteps, y: returns),
                                      PlotSeries("deterministic policy (evaluation)", x: evalSteps, y: evalReturns)],
                             references: [(threshold, "goal: \(Int(threshold))")], yRange: -1_800...0)
        print(curve.terminal())
        let (alphaSteps, alphas) = run.log.series(Metric.alpha)
        let (entropySteps, entropies) = run.log.series(Metric.entropy)
        let temperature = LinePlot(title: "The temperature alpha and the policy's entropy (-mean log pi) over training",
                                   xLabel: "environment step", yLabel: "alpha / entropy (nats)",
                                   series: [PlotSeries("alpha", x: alphaSteps, y: alphas),
                                            PlotSeries("entropy of the policy (batch estimate)", x: entropySteps, y: entropies)],
                                   references: [(-1, "target entropy: -1")])
        print(temperature.terminal())
        var table = TextTable(headers: ["solved at step", "return (\(evaluation.returns.count) episodes)", "episodes",
                                        "gradient steps", "final alpha", "final entropy", "seconds", "steps per second"])
        table.addRow([run.solvedAtStep.map(String.init) ?? "not solved",
                      "\(fixed(evaluation.meanReturn, 1)) ± \(fixed(evaluation.standardDeviation, 1))", "\(returns.count)",
                      "\(run.updates)", alphas.last.map { fixed($0, 3) } ?? "-", entropies.last.map { fixed($0, 2) } ?? "-",
                      fixed(run.seconds, 1), fixed(run.stepsPerSecond, 0)])
        print(table.render() + "\n")

        // 2. The ablation: the same agent without the entropy bonus, on this seed and two more.
        let seeds = [options.seed] + (1..<3).map { runSeed(options, experiment: 8, run: $0) }
        print("The same agent without the entropy bonus (alpha = 0 in the targets and the actor's loss), on \(seeds.count)"
              + " seeds (the first is the run above), each with the same budget:\n")
        var ablationBar = ProgressBar(total: 2 * seeds.count - 1, label: "ablation runs")
        // Runs 0 ..< seeds.count: no entropy on each seed; then SAC on the seeds after the first (trained above).
        let ablated = try independentRuns(2 * seeds.count - 1, jobs: options.jobs, bar: &ablationBar) { k in
            var c = k < seeds.count ? SACConfig.noEntropy : SACConfig()
            (c.seed, c.totalSteps) = (seeds[k < seeds.count ? k : k - seeds.count + 1], budget)
            return try trainSAC(c)
        }
        ablationBar.finish()
        let runs: [(label: String, runs: [TrainingRun<SACNetworks>])] = [
            ("SAC (alpha tuned)", [run] + ablated[seeds.count...]), ("no entropy (alpha = 0)", Array(ablated[..<seeds.count])),
        ]
        let ablation = runs[1].runs[0]
        let ablationEvaluation = try finalEvaluation(ablation, seed: options.seed, episodes: confirming)
        let (ablationSteps, ablationReturns) = ablation.log.series(Metric.evaluationReturn)
        let sideBySide = LinePlot(title: "Pendulum-v1, seed \(options.seed): evaluation return with and without the entropy bonus",
                                  xLabel: "environment step", yLabel: "mean return (10 episodes)",
                                  series: [PlotSeries("SAC (alpha tuned)", x: evalSteps, y: evalReturns),
                                           PlotSeries("no entropy (alpha = 0)", x: ablationSteps, y: ablationReturns)],
                                  references: [(threshold, "goal: \(Int(threshold))")], yRange: -1_800...0)
        print(sideBySide.terminal())
        var comparison = TextTable(headers: ["agent", "steps to \(Int(threshold)), seed by seed", "mean steps", "solved",
                                             "mean final entropy", "mean seconds"])
        var meanSteps: [Double] = []
        for (label, group) in runs {
            let steps = group.map { $0.solvedAtStep.map(Double.init) ?? Double(budget) }
            meanSteps.append(steps.reduce(0, +) / Double(steps.count))
            let entropies = group.compactMap { $0.log.series(Metric.entropy).values.last }
            comparison.addRow([label, group.map { $0.solvedAtStep.map(String.init) ?? "> \(budget)" }.joined(separator: ", "),
                               fixed(meanSteps.last!, 0), "\(group.filter { $0.solvedAtStep != nil }.count) of \(group.count)",
                               fixed(entropies.reduce(0, +) / Double(Swift.max(1, entropies.count)), 2),
                               fixed(group.map(\.seconds).reduce(0, +) / Double(group.count), 1)])
        }
        print(comparison.render())
        print("(steps to the goal count as the budget, \(budget), for a run that does not get there)\n")
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/sac-learning-curve.svg")
            try temperature.writeSVG(to: dir + "/sac-temperature-entropy.svg")
            try sideBySide.writeSVG(to: dir + "/sac-ablation.svg")
            print("wrote \(dir)/sac-learning-curve.svg, sac-temperature-entropy.svg and sac-ablation.svg")
        }
        return "sac pendulum eval_return=\(fixed(evaluation.meanReturn, 1)) steps=\(run.solvedAtStep ?? run.steps)"
            + " seconds=\(fixed(run.seconds, 1)) no_entropy_eval_return=\(fixed(ablationEvaluation.meanReturn, 1))"
    }

    /// The run's confirming evaluation when it was solved, else a fresh one of `episodes` episodes.
    static func finalEvaluation(_ run: TrainingRun<SACNetworks>, seed: UInt64, episodes: Int) throws -> EvaluationResult {
        if run.solvedAtStep != nil, let last = run.lastEvaluation { return last }
        let actor = run.agent.actor
        return try evaluatePolicy(episodes: episodes, seed: seed &+ 7_000_000, make: { _ in Pendulum(seed: seed) }) { observations in
            try actor.deterministicActions(observations).scalars.map { 2 * Double($0) }
        }
    }
}
