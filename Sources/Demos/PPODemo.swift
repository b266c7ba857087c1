import CourseKit
import Environments
import Foundation
import PPO
import RLKit
import TensorCore

/// Lesson 07's lecture demo: PPO solves CartPole-v1, with the learning curve
/// and the diagnostics practitioners read (approximate KL, clip fraction,
/// entropy, explained variance); `--task pendulum` trains the Gaussian agent
/// on Pendulum-v1, whose episodes all end by the time limit, twice: with
/// GAE's bootstrap at truncation, and with CleanRL's convention of treating
/// the time limit as a terminal state.
public enum PPODemo: LessonDemo {
    public static let name = "ppo"
    public static let about = "PPO solves CartPole-v1 with its diagnostics; --task pendulum: a Gaussian policy on "
        + "Pendulum-v1, bootstrapping at the time limit against treating it as terminal"
    public static let writesSeveralFigures = true
    public static let writesLog = true
    public static let tasks = ["cartpole", "pendulum"]

    public static func run(_ options: DemoOptions) throws -> String {
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        return options.task == "pendulum" ? try pendulum(options) : try cartPole(options)
    }

    // MARK: - CartPole

    static func cartPole(_ options: DemoOptions) throws -> String {
        var config = PPOConfig()
        config.seed = options.seed
        config.totalSteps = options.steps ?? config.totalSteps
        print("Lesson 07: PPO on CartPole-v1 (seed \(options.seed), at most \(config.totalSteps) environment steps)\n")
        print("Agent: \(config.environments) environments x \(config.stepsPerRollout) steps per rollout, \(config.epochs) epochs of "
              + "\(config.minibatches) minibatch\(config.minibatches == 1 ? "" : "es") of \(config.minibatchSize), clip \(config.clipEpsilon) and Adam "
              + "\(config.learningRate) annealed to 0, gamma \(config.gamma), lambda \(config.lambda), actor and critic \(config.hiddenSizes) tanh.")
        print("Solved = mean deterministic return >= 475 over \(config.evaluation.confirmationEpisodes) evaluation episodes "
              + "(checked every \(config.evaluation.interval) steps).\n")
        var bar = ProgressBar(total: config.totalSteps, label: "environment steps")
        let run = try trainPPO(config) { steps in bar.advance(by: steps - bar.done) }
        bar.finish(run.solvedAtStep.map { "solved at step \($0)" })
        try writeLog(run.log, options)
        let evaluation = try run.lastEvaluation ?? EvaluationSchedule(config.evaluation, seed: options.seed) { CartPole(seed: $0) }
            .evaluate(episodes: 100, seed: options.seed &+ 7) { try run.agent.policy.deterministicActions($0) }

        let (episodeSteps, returns) = run.log.series(Metric.episodicReturn)
        let (evalSteps, evalReturns) = run.log.series(Metric.evaluationReturn)
        let curve = LinePlot(title: "PPO on CartPole-v1: return per episode", xLabel: "environment step", yLabel: "return",
                             series: [PlotSeries("training episodes (mean of 10)", x: episodeSteps, y: movingAverage(returns, window: 10)),
                                      PlotSeries("deterministic evaluation", x: evalSteps, y: evalReturns)],
                             references: [(475, "solved: mean 475")], yRange: 0...500)
        print(curve.terminal())
        let diagnostics = diagnosticPlots(run.log, title: "CartPole-v1")
        for plot in diagnostics { print(plot.terminal()) }
        var table = TextTable(headers: ["solved at step", "deterministic return (100 episodes)", "episodes", "gradient steps",
                                        "seconds", "steps per second"])
        table.addRow([run.solvedAtStep.map(String.init) ?? "not solved",
                      "\(fixed(evaluation.meanReturn, 1)) ± \(fixed(evaluation.standardDeviation, 1))", "\(returns.count)",
                      "\(run.updates)", fixed(run.seconds, 1), fixed(run.stepsPerSecond, 0)])
        print(table.render() + "\n")
        print(readingTheDiagnostics(run.log))
        let objectives = try compareObjectives(config, seeds: (0..<5).map { options.seed &+ UInt64($0) }, jobs: options.jobs)
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/ppo-cartpole-learning-curve.svg")
            try diagnostics[0].writeSVG(to: dir + "/ppo-cartpole-policy-change.svg")
            try diagnostics[1].writeSVG(to: dir + "/ppo-cartpole-entropy-and-critic.svg")
            print("wrote \(dir)/ppo-cartpole-learning-curve.svg, ppo-cartpole-policy-change.svg and ppo-cartpole-entropy-and-critic.svg")
        }
        return "ppo cartpole solved_at_steps=\(run.solvedAtStep.map(String.init) ?? "none") eval_return=\(fixed(evaluation.meanReturn, 1))"
            + " seconds=\(fixed(run.seconds, 1)) adaptive_kl_median_solved_at_steps=\(objectives.adaptiveKL)"
    }

    /// The two objectives of the lecture side by side: the clipped surrogate
    /// and the adaptive KL penalty, same settings otherwise, on `seeds`
    /// (`jobs` runs at a time);
    /// returns each one's median solved-at step (as text).
    static func compareObjectives(_ config: PPOConfig, seeds: [UInt64], jobs: Int) throws -> (clipped: String, adaptiveKL: String) {
        print("The two objectives, same settings otherwise, seeds \(seeds.first!)-\(seeds.last!): the clipped surrogate, and the "
              + "surrogate with an adaptive KL penalty (target KL 0.01, beta doubled above 0.015 and halved below 0.0067):\n")
        var table = TextTable(headers: ["objective", "solved", "median solved at step", "steps to solve (each seed)",
                                        "median approximate KL", "median seconds"])
        var medians: [String] = []
        var bar = ProgressBar(total: 2 * seeds.count, label: "runs (objective x seed)")
        var rows: [[String]] = []
        let objectives = [("clipped surrogate", PPOObjective.clipped),
                          ("adaptive KL penalty", PPOObjective.klPenalty(target: 0.01, initialBeta: 1))]
        // Run o * seeds.count + i trains objective o on seed i.
        let trained = try independentRuns(objectives.count * seeds.count, jobs: jobs, bar: &bar) { run in
            var c = config
            c.seed = seeds[run % seeds.count]
            c.objective = objectives[run / seeds.count].1
            let result = try trainPPO(c)
            return (solved: result.solvedAtStep, kl: Summary(result.log.series(Metric.approxKL).values).median, seconds: result.seconds)
        }
        for (o, (label, _)) in objectives.enumerated() {
            let group = trained[(o * seeds.count)..<((o + 1) * seeds.count)]
            let solved = group.map(\.solved), kls = group.map(\.kl), seconds = group.map(\.seconds)
            let steps = solved.compactMap { $0 }.map(Double.init)
            let median = steps.isEmpty ? "-" : fixed(Summary(steps).median, 0)
            medians.append(median)
            rows.append([label, "\(steps.count) of \(seeds.count)", median,
                         solved.map { $0.map(String.init) ?? "-" }.joined(separator: ", "),
                         fixed(Summary(kls).median, 4), fixed(Summary(seconds).median, 1)])
        }
        bar.finish()
        for row in rows { table.addRow(row) }
        print(table.render() + "\n")
        return (medians[0], medians[1])
    }

    /// The two diagnostic figures: how far each iteration moved the policy
    /// (approximate KL, clip fraction), and the policy's entropy with the
    /// critic's explained variance.
    static func diagnosticPlots(_ log: RunLog, title: String) -> [LinePlot] {
        func series(_ metric: String, _ label: String) -> PlotSeries {
            let (x, y) = log.series(metric)
            return PlotSeries(label, x: x, y: y)
        }
        return [
            LinePlot(title: "PPO on \(title): how far each iteration moved the policy", xLabel: "environment step", yLabel: "per iteration",
                     series: [series(Metric.clipFraction, "clip fraction (mean over minibatches)"),
                              series(Metric.approxKL, "approximate KL (last minibatch)")]),
            LinePlot(title: "PPO on \(title): the policy's entropy and the critic's explained variance", xLabel: "environment step",
                     yLabel: "per iteration",
                     series: [series(Metric.entropy, "entropy (nats)"), series(Metric.explainedVariance, "explained variance")]),
        ]
    }

    /// One paragraph with the diagnostics' typical values in this run.
    static func readingTheDiagnostics(_ log: RunLog) -> String {
        func median(_ metric: String) -> Double { Summary(log.series(metric).values).median }
        let entropy = log.series(Metric.entropy).values
        return "Diagnostics over the run (medians): approximate KL \(fixed(median(Metric.approxKL), 4)), clip fraction "
            + "\(fixed(median(Metric.clipFraction), 3)), explained variance \(fixed(median(Metric.explainedVariance), 2)); the entropy fell "
            + "from \(fixed(entropy.first ?? .nan, 3)) (ln 2 = 0.693 is a coin flip) to \(fixed(entropy.last ?? .nan, 3)).\n"
    }

    // MARK: - Pendulum

    static func pendulum(_ options: DemoOptions) throws -> String {
        var config = PPOConfig.pendulum
        config.seed = options.seed
        config.totalSteps = options.steps ?? config.totalSteps
        let seeds = (0..<5).map { options.seed &+ UInt64($0) }
        print("Lesson 07: PPO with a diagonal Gaussian policy on Pendulum-v1 (seeds \(seeds.first!)-\(seeds.last!), at most "
              + "\(config.totalSteps) environment steps each)\n")
        print("Agent: \(config.environments) environments x \(config.stepsPerRollout) steps per rollout, \(config.epochs) epochs of "
              + "\(config.minibatches) minibatches of \(config.minibatchSize), Adam \(config.learningRate), gamma \(config.gamma), "
              + "lambda \(config.lambda), a state-independent log-std starting at \(config.initialLogStd).")
        print("Every episode ends by the 200-step time limit, never by a terminal state. Each seed trains twice:")
        print("  ours:    GAE bootstraps from V(final observation) at the time limit (the episode could have gone on);")
        print("  CleanRL: the time limit is treated like a terminal state (no bootstrap), as CleanRL's ppo.py does.")
        print("Solved = mean deterministic return >= \(Int(config.evaluation.threshold ?? 0)) over "
              + "\(config.evaluation.confirmationEpisodes) episodes (checked every \(config.evaluation.interval) steps).\n")
        typealias Run = TrainingRun<PPONetworks<GaussianPolicy<Double>>>
        var bar = ProgressBar(total: 2 * seeds.count, label: "runs (seed x variant)")
        // Run 2 i bootstraps at truncation (ours), run 2 i + 1 does not (CleanRL's), both on seed i.
        let trained = try independentRuns(2 * seeds.count, jobs: options.jobs, bar: &bar) { run -> Run in
            var c = config
            c.seed = seeds[run / 2]
            c.bootstrapAtTruncation = run % 2 == 0
            return try trainPPO(c) { Pendulum(seed: $0) }
        }
        let runs = seeds.indices.map { (seed: seeds[$0], ours: trained[2 * $0], theirs: trained[2 * $0 + 1]) }
        let solvedOurs = runs.compactMap(\.ours.solvedAtStep), solvedTheirs = runs.compactMap(\.theirs.solvedAtStep)
        bar.finish("ours solved \(solvedOurs.count) of \(seeds.count), CleanRL's convention \(solvedTheirs.count) of \(seeds.count)")
        let (ours, theirs) = (runs[0].ours, runs[0].theirs)
        try writeLog(ours.log, options)
        func evaluations(_ run: Run, _ label: String) -> PlotSeries {
            let (x, y) = run.log.series(Metric.evaluationReturn)
            return PlotSeries(label, x: x, y: y)
        }
        let curve = LinePlot(title: "PPO on Pendulum-v1 (seed \(options.seed)): deterministic evaluation return",
                             xLabel: "environment step", yLabel: "return",
                             series: [evaluations(ours, "ours (bootstrap at truncation)"),
                                      evaluations(theirs, "CleanRL (truncation as terminal)")],
                             references: [(config.evaluation.threshold ?? -300, "solved: mean -300")])
        print(curve.terminal())
        let diagnostics = diagnosticPlots(ours.log, title: "Pendulum-v1 (ours, seed \(options.seed))")
        for plot in diagnostics { print(plot.terminal()) }
        var table = TextTable(headers: ["seed", "first evaluation", "ours: solved at step", "return", "seconds",
                                        "CleanRL's: solved at step", "return", "seconds"])
        func solved(_ run: Run) -> String { run.solvedAtStep.map(String.init) ?? "not solved" }
        func last(_ run: Run) -> String { run.lastEvaluation.map { fixed($0.meanReturn, 1) } ?? "-" }
        for r in runs {
            table.addRow(["\(r.seed)", fixed(r.ours.log.series(Metric.evaluationReturn).values.first ?? .nan, 1),
                          solved(r.ours), last(r.ours), fixed(r.ours.seconds, 1),
                          solved(r.theirs), last(r.theirs), fixed(r.theirs.seconds, 1)])
        }
        func median(_ values: [Int]) -> String { values.isEmpty ? "-" : fixed(Summary(values.map(Double.init)).median, 0) }
        table.addRow(["median", "", median(solvedOurs), "", "", median(solvedTheirs), "", ""])
        print(table.render() + "\n")
        print("Bootstrapping at the time limit solved in a median of \(median(solvedOurs)) steps, treating it as a terminal "
              + "state in \(median(solvedTheirs)). As a terminal, the time limit makes the last steps of every episode worth "
              + "less than the same states earlier on, a difference the observation (no clock) cannot explain; gamma "
              + "\(config.gamma) looks about \(Int((1 / (1 - Double(config.gamma))).rounded())) steps ahead, so it is the last few "
              + "dozen of the 200 steps whose targets are wrong.\n")
        if let dir = options.svgPath {
            try curve.writeSVG(to: dir + "/ppo-pendulum-bootstrap.svg")
            try diagnostics[0].writeSVG(to: dir + "/ppo-pendulum-policy-change.svg")
            try diagnostics[1].writeSVG(to: dir + "/ppo-pendulum-entropy-and-critic.svg")
            print("wrote \(dir)/ppo-pendulum-bootstrap.svg, ppo-pendulum-policy-change.svg and ppo-pendulum-entropy-and-critic.svg")
        }
        return "ppo pendulum eval_return=\(fixed(ours.lastEvaluation?.meanReturn ?? .nan, 1)) steps=\(ours.steps) seconds=\(fixed(ours.seconds, 1))"
            + " median_solved_at_steps=\(median(solvedOurs)) time_limit_as_terminal_median_solved_at_steps=\(median(solvedTheirs))"
    }

    static func writeLog(_ log: RunLog, _ options: DemoOptions) throws {
        guard let path = options.logPath else { return }
        try log.write(to: path)
        print("wrote the run's log to \(path) (columns: step, \(log.metrics.joined(separator: ", ")))")
    }
}
