import CourseKit
import Environments
import Foundation
import Imitation
import RLKit
import TensorCore

/// Lesson 09's lecture demo: behaviour cloning against DAgger at equal numbers
/// of expert labels on Pendulum swing-up (the expert is `PendulumExpert`), and
/// the drift of section 4: how far each learner's states are from the
/// expert's. Both methods are averaged over a few runs.
public enum ImitationDemo: LessonDemo {
    public static let name = "imitation"
    public static let about = "behaviour cloning against DAgger at equal expert labels on Pendulum swing-up, and the learner's drift"
    public static let writesSeveralFigures = true
    public static let writesLog = true

    public static func run(_ options: DemoOptions) throws -> String {
        let start = Date()
        let runs = 3
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let expert = PendulumExpert()
        let base = DAggerConfig()
        let budgets = (0...base.rounds).map { base.initialLabels + $0 * base.labelsPerRound }
        print("Lesson 09: imitation learning on Pendulum-v1 (seed \(options.seed), \(runs) runs per method)\n")
        print("Expert: PendulumExpert (energy pumping far from upright, PD control near it), queried for every label.")
        print("Behaviour cloning: the expert's own episodes, \(budgets.first!)...\(budgets.last!) labels, regression of the torque,")
        print("  an MLP \(base.training.hiddenSizes), \(base.training.epochs) epochs, a quarter of the episodes held out.")
        print("DAgger: \(base.initialLabels) expert labels, then \(base.rounds) rounds of \(base.labelsPerRound) labels on the learner's")
        print("  own states (beta = \(base.beta)), behaviour cloning on all of them after each round.\n")

        // The expert's own states and return, on the evaluation episodes every learner is scored on.
        let evaluationSeed = options.seed &+ 1_000_000
        var expertEnv = Pendulum(seed: evaluationSeed)
        let expertStates = try recordDemonstrations(in: &expertEnv, steps: 2_000, seed: evaluationSeed,
                                                    act: expert.callAsFunction, label: expert.callAsFunction)
        let expertReturn = try evaluatePolicy(episodes: base.evaluationEpisodes, seed: evaluationSeed,
                                              make: { Pendulum(seed: evaluationSeed &+ UInt64($0)) }) { observations in
            observations.arrayRows.map { expert(PendulumObservation($0.map(Double.init))) }
        }.meanReturn

        // The expert's own drift on other episodes: what "as close as the expert" looks like.
        var otherEnv = Pendulum(seed: evaluationSeed &+ 500)
        let otherStates = try recordDemonstrations(in: &otherEnv, steps: 1_000, seed: evaluationSeed &+ 500,
                                                   act: expert.callAsFunction, label: expert.callAsFunction)
        let expertDrift = try stateDrift(from: otherStates.demonstrations.observationTensor(),
                                         to: expertStates.demonstrations.observationTensor())

        // One run: DAgger (a learner after every round), then behaviour cloning at every budget, each
        // scored on the same evaluation episodes; `trained()` after each training.
        func imitationRun(_ r: Int, trained: @escaping () -> Void) throws -> ImitationRun {
            let seed = runSeed(options, experiment: 9, run: r)
            var config = base
            config.seed = seed
            config.training.seed = seed
            var dagger = try DAgger(config, expert: expert.callAsFunction) { Pendulum(seed: $0) }
            try dagger.train { _ in trained() }
            var run = ImitationRun(daggerReturns: dagger.log.series(Metric.evaluationReturn).values, log: dagger.log)
            for learner in dagger.learners {
                run.daggerDrift.append(try drift(of: learner, from: expertStates.demonstrations, seed: evaluationSeed))
            }
            var env = Pendulum(seed: seed)
            let demonstrations = try recordDemonstrations(in: &env, steps: budgets.last!, seed: seed,
                                                          act: expert.callAsFunction, label: expert.callAsFunction)
            for (k, labels) in budgets.enumerated() {
                var training = config.training
                training.seed = seed &+ UInt64(k)
                training.evaluationEpisodes = 0
                var cloning = try BehaviourCloning(training, demonstrations: demonstrations.demonstrations.rows(Array(0..<labels))) {
                    Pendulum(seed: $0)
                }
                try cloning.train()
                // The same evaluation episodes as DAgger's (seed + 1,000,000).
                run.bcReturns.append(try evaluateGreedy(cloning.policy, episodes: config.evaluationEpisodes, seed: seed &+ 1_000_000) {
                    Pendulum(seed: $0)
                }.meanReturn)
                run.bcDrift.append(try drift(of: cloning.policy, from: expertStates.demonstrations, seed: evaluationSeed))
                trained()
            }
            return run
        }
        let results: [ImitationRun]
        if options.jobs <= 1 {
            var bar = ProgressBar(total: runs * 2 * budgets.count, label: "trainings (behaviour cloning and DAgger rounds)")
            results = try (0..<runs).map { r in try imitationRun(r) { bar.advance() } }
            bar.finish("\(runs) runs, \(budgets.last!) labels each, \(fixed(Date().timeIntervalSince(start), 1)) s")
        } else {
            var bar = ProgressBar(total: runs, label: "runs (DAgger and behaviour cloning), up to \(options.jobs) at a time")
            results = try independentRuns(runs, jobs: options.jobs, bar: &bar) { r in try imitationRun(r) {} }
            bar.finish("\(runs) runs, \(budgets.last!) labels each, \(fixed(Date().timeIntervalSince(start), 1)) s")
        }
        let seconds = Date().timeIntervalSince(start)
        // Per budget k, the runs' values.
        let daggerReturns = budgets.indices.map { k in results.map { $0.daggerReturns[k] } }
        let daggerDrift = budgets.indices.map { k in results.map { $0.daggerDrift[k] } }
        let bcReturns = budgets.indices.map { k in results.map { $0.bcReturns[k] } }
        let bcDrift = budgets.indices.map { k in results.map { $0.bcDrift[k] } }
        let firstLog = results.first?.log
        if let path = options.logPath, let log = firstLog {
            try log.write(to: path)
            print("wrote the first DAgger run's log to \(path) (columns: step = expert labels, \(log.metrics.joined(separator: ", ")))")
        }

        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        let x = budgets.map(Double.init)
        let returnsPlot = LinePlot(title: "Pendulum swing-up: return against expert labels (mean of \(runs) runs)",
                                   xLabel: "expert labels", yLabel: "return per episode",
                                   series: [PlotSeries("behaviour cloning", x: x, y: bcReturns.map(mean)),
                                            PlotSeries("DAgger", x: x, y: daggerReturns.map(mean))],
                                   references: [(expertReturn, "expert: \(fixed(expertReturn, 0))")],
                                   yRange: -1600...0)
        print(returnsPlot.terminal())
        let driftPlot = LinePlot(title: "Drift: distance from the learner's states to the nearest expert state (mean of \(runs) runs)",
                                 xLabel: "expert labels", yLabel: "drift (expert standard deviations)",
                                 series: [PlotSeries("behaviour cloning", x: x, y: bcDrift.map(mean)),
                                          PlotSeries("DAgger", x: x, y: daggerDrift.map(mean))],
                                 references: [(expertDrift, "the expert on other episodes: \(fixed(expertDrift, 2))")],
                                 yRange: 0...1.2)
        print(driftPlot.terminal())
        var table = TextTable(headers: ["expert labels", "BC return", "DAgger return", "BC drift", "DAgger drift"])
        for k in budgets.indices {
            table.addRow(["\(budgets[k])", fixed(mean(bcReturns[k]), 1), fixed(mean(daggerReturns[k]), 1),
                          fixed(mean(bcDrift[k]), 2), fixed(mean(daggerDrift[k]), 2)])
        }
        print(table.render())
        print("The expert's return on the same evaluation episodes: \(fixed(expertReturn, 1)); its own drift on other episodes: \(fixed(expertDrift, 2)).")
        print("At 400 labels both are the same clone. Behaviour cloning only ever sees the expert's swing-ups: once its")
        print("pendulum leaves them it has no data there, and its drift stays high. DAgger's rounds label the states its")
        print("learner actually reaches (at first mostly a spinning pendulum, so the early rounds do not yet pay off);")
        print("once the data cover the learner's own mistakes, its drift falls towards the expert's and its return follows.\n")
        if let dir = options.svgPath {
            try returnsPlot.writeSVG(to: dir + "/imitation-returns.svg")
            try driftPlot.writeSVG(to: dir + "/imitation-drift.svg")
            print("wrote \(dir)/imitation-returns.svg and imitation-drift.svg")
        }
        return "imitation pendulum bc_return=\(fixed(mean(bcReturns.last!), 1)) dagger_return=\(fixed(mean(daggerReturns.last!), 1))"
            + " labels=\(budgets.last!) seconds=\(fixed(seconds, 1))"
    }

    /// What one run of the demo measured, budget by budget (`budgets` in `run`).
    struct ImitationRun {
        var daggerReturns: [Double]
        var log: RunLog
        var daggerDrift: [Double] = []
        var bcReturns: [Double] = []
        var bcDrift: [Double] = []
    }

    /// The drift of `policy`'s states from `expert`'s: 5 greedy episodes from
    /// the evaluation seeds, measured with `stateDrift` (exercise 9.6).
    static func drift(of policy: ImitationPolicy, from expert: Demonstrations, seed: UInt64) throws -> Double {
        var env = Pendulum(seed: seed)
        let box = Pendulum(seed: seed)
        let greedy = { (observation: PendulumObservation) in policy.greedyAction(observation, in: box) }
        let visited = try recordDemonstrations(in: &env, steps: 1_000, seed: seed, act: greedy, label: greedy)
        return try stateDrift(from: visited.demonstrations.observationTensor(), to: expert.observationTensor())
    }
}
