import CourseKit
import Environments
import Foundation
import MonteCarloTD
import TensorCore

/// Lesson 03's lecture demo: the four classic experiments of Sutton & Barto,
/// chapter 6 and 7 — TD vs MC on the random walk (Example 6.2), n-step TD on
/// the 19-state walk (Figure 7.2), SARSA vs Q-learning on the cliff
/// (Example 6.6) and the maximisation bias (Example 6.7).
public enum MonteCarloTDDemo: LessonDemo {
    public static let writesSeveralFigures = true
    public static let name = "mc-td"
    public static let about = "TD vs MC on the random walk, n-step TD, SARSA vs Q-learning on the cliff, maximisation bias"

    public static func run(_ options: DemoOptions) throws -> String {
        let runs = max(options.steps ?? 100, 1)
        if let dir = options.svgPath {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        print("Lesson 03: Monte Carlo vs temporal-difference learning (\(runs) runs per experiment, seed \(options.seed))\n")

        let walk = try randomWalkExperiment(runs: runs, options: options)
        let nStep = try nStepExperiment(runs: runs, options: options)
        let cliff = try cliffExperiment(runs: runs, options: options)
        let bias = try maximisationBiasExperiment(runs: runs * 100, options: options)

        return "mc-td rw_rms100_td=\(fixed(walk.td, 3)) rw_rms100_mc=\(fixed(walk.mc, 3))"
            + " nstep19_best_n=\(nStep.n) nstep19_best_alpha=\(fixed(nStep.alpha, 1)) nstep19_best_rms=\(fixed(nStep.rms, 3))"
            + " cliff_sarsa=\(fixed(cliff.sarsa, 1)) cliff_q=\(fixed(cliff.q, 1)) cliff_expected_sarsa=\(fixed(cliff.expected, 1))"
            + " maxbias_left_pct_q=\(fixed(bias.q, 1)) maxbias_left_pct_double_q=\(fixed(bias.double, 1)) maxbias_left_pct_double_q_late=\(fixed(bias.doubleLate, 1))"
    }

    // MARK: - Example 6.2

    /// TD(0) vs constant-alpha MC on the 5-state walk; returns the best RMS
    /// error of each after 100 episodes.
    static func randomWalkExperiment(runs: Int, options: DemoOptions) throws -> (td: Double, mc: Double) {
        print("1. Random walk (Example 6.2): 5 states A..E, start C, +1 on the right exit, V initialised to 0.5.")
        let methods: [(name: String, isTD: Bool, alpha: Double)] =
            [("TD alpha=0.15", true, 0.15), ("TD alpha=0.1", true, 0.1), ("TD alpha=0.05", true, 0.05),
             ("MC alpha=0.01", false, 0.01), ("MC alpha=0.02", false, 0.02), ("MC alpha=0.03", false, 0.03),
             ("MC alpha=0.04", false, 0.04)]
        let episodes = 100
        var curves = Array(repeating: Array(repeating: 0.0, count: episodes + 1), count: methods.count)
        var snapshots: [Int: [Double]] = [:]
        var progress = ProgressBar(total: runs, label: "random-walk runs")
        for run in 0..<runs {
            var walk = RandomWalk.fiveStates(seed: runSeed(options, experiment: 0, run: run))
            _ = walk.reset(seed: runSeed(options, experiment: 0, run: run))
            var generator = SeededGenerator(seed: runSeed(options, experiment: 0, run: run))
            let batch = try (0..<episodes).map { _ in try sampleEpisode(&walk, using: &generator) { _, _ in 0 } }
            for (m, method) in methods.enumerated() {
                var values = Array(repeating: 0.5, count: walk.stateCount)
                values[0] = 0
                values[walk.stateCount - 1] = 0
                curves[m][0] += rms(values, walk)
                for (e, episode) in batch.enumerated() {
                    if method.isTD {
                        try tdZero(values: &values, episode: episode, alpha: method.alpha, gamma: 1)
                    } else {
                        try constantAlphaMonteCarlo(values: &values, episode: episode, alpha: method.alpha, gamma: 1)
                    }
                    curves[m][e + 1] += rms(values, walk)
                    if run == 0 && m == 1 && [1, 10, 100].contains(e + 1) { snapshots[e + 1] = values }
                }
            }
            progress.advance()
        }
        progress.finish()
        curves = curves.map { $0.map { $0 / Double(runs) } }

        let truth = RandomWalk.fiveStates().trueValues
        var estimates = TextTable(headers: ["state"] + ["A", "B", "C", "D", "E"])
        estimates.addRow(["true value"] + (1...5).map { fixed(truth[$0], 3) })
        estimates.addRow(["TD 0.1, 0 episodes"] + (1...5).map { _ in "0.500" })
        for k in [1, 10, 100] { estimates.addRow(["TD 0.1, \(k) episodes"] + (1...5).map { fixed(snapshots[k]?[$0] ?? .nan, 3) }) }
        print(estimates.render())

        var table = TextTable(headers: ["method", "RMS after 10", "RMS after 100"])
        for (m, method) in methods.enumerated() { table.addRow([method.name, fixed(curves[m][10], 3), fixed(curves[m][episodes], 3)]) }
        print(table.render())
        var plot = LinePlot(title: "Random walk: RMS error (averaged over states and \(runs) runs)", xLabel: "episodes",
                            yLabel: "RMS error",
                            series: methods.enumerated().map { PlotSeries($1.name, x: (0...episodes).map(Double.init), y: curves[$0]) })
        plot.yRange = 0...0.25
        print(plot.terminal())
        try writeSVG(plot, "random-walk-rms.svg", options)
        let td = (0..<3).map { curves[$0][episodes] }.min()!
        let mc = (3..<7).map { curves[$0][episodes] }.min()!
        print("After 100 episodes the best TD step size reaches RMS \(fixed(td, 3)), the best MC one \(fixed(mc, 3)): TD learns faster here.\n")
        return (td, mc)
    }

    // MARK: - Figure 7.2

    /// n-step TD on the 19-state walk: RMS error over the first 10 episodes
    /// for a grid of n and alpha; returns the best combination.
    static func nStepExperiment(runs: Int, options: DemoOptions) throws -> (n: Int, alpha: Double, rms: Double) {
        print("2. n-step TD on the 19-state random walk (-1 left, +1 right, V initialised to 0): RMS error over the first 10 episodes.")
        let ns = [1, 2, 4, 8, 16, 32, 64, 256]
        let alphas = (1...10).map { Double($0) / 10 }
        let episodes = 10
        var error = Array(repeating: Array(repeating: 0.0, count: alphas.count), count: ns.count)
        var progress = ProgressBar(total: runs, label: "19-state runs")
        for run in 0..<runs {
            var walk = RandomWalk.nineteenStates(seed: runSeed(options, experiment: 1, run: run))
            _ = walk.reset(seed: runSeed(options, experiment: 1, run: run))
            var generator = SeededGenerator(seed: runSeed(options, experiment: 1, run: run))
            let batch = try (0..<episodes).map { _ in try sampleEpisode(&walk, using: &generator) { _, _ in 0 } }
            for (i, n) in ns.enumerated() {
                for (j, alpha) in alphas.enumerated() {
                    var values = Array(repeating: 0.0, count: walk.stateCount)
                    var total = 0.0
                    for episode in batch {
                        try nStepTD(values: &values, episode: episode, n: n, alpha: alpha, gamma: 1)
                        total += rms(values, walk)
                    }
                    error[i][j] += total / Double(episodes)
                }
            }
            progress.advance()
        }
        progress.finish()
        error = error.map { $0.map { $0 / Double(runs) } }

        var table = TextTable(headers: ["n"] + alphas.map { "a=\(fixed($0, 1))" })
        for (i, n) in ns.enumerated() { table.addRow(["\(n)"] + error[i].map { $0 > 9.99 ? ">9.99" : fixed($0, 3) }) }
        print(table.render())
        var plot = LinePlot(title: "n-step TD on the 19-state walk: average RMS error, first 10 episodes", xLabel: "alpha",
                            yLabel: "average RMS error",
                            series: ns.enumerated().map { i, n in
                                PlotSeries("n=\(n)", x: alphas, y: error[i].map { $0 <= 0.55 ? $0 : .nan })
                            })
        plot.yRange = 0.25...0.55
        print(plot.terminal())
        try writeSVG(plot, "nstep-19-state.svg", options)

        var best = (n: 1, alpha: 0.0, rms: Double.infinity)
        for (i, n) in ns.enumerated() {
            for (j, alpha) in alphas.enumerated() where error[i][j] < best.rms { best = (n, alpha, error[i][j]) }
        }
        let bestOne = error[0].min()!, bestLarge = error[ns.count - 1].min()!
        print("Best: n = \(best.n) with alpha = \(fixed(best.alpha, 1)) (RMS \(fixed(best.rms, 3))); n = 1 at best \(fixed(bestOne, 3)), n = \(ns.last!) at best \(fixed(bestLarge, 3)): an intermediate n wins.\n")
        return best
    }

    // MARK: - Example 6.6

    /// SARSA, Q-learning and Expected SARSA on the cliff (epsilon 0.1, alpha
    /// 0.5); returns each method's mean online return over episodes 101-500.
    static func cliffExperiment(runs: Int, options: DemoOptions) throws -> (sarsa: Double, q: Double, expected: Double) {
        print("3. Cliff walking (Example 6.6): epsilon 0.1, alpha 0.5, gamma 1, 500 episodes, sum of rewards per episode.")
        let episodes = 500
        let names = ["SARSA", "Q-learning", "Expected SARSA"]
        var curves = Array(repeating: Array(repeating: 0.0, count: episodes), count: names.count)
        var lastTables: [[[Double]]] = []
        var progress = ProgressBar(total: runs, label: "cliff runs")
        for run in 0..<runs {
            for m in 0..<names.count {
                let seed = runSeed(options, experiment: 2, run: run)
                var env = CliffWalking(seed: seed)
                _ = env.reset(seed: seed)
                var generator = SeededGenerator(seed: seed &* 31 &+ UInt64(m))
                var q = makeQTable(for: env)
                for e in 0..<episodes {
                    let episode: Episode
                    switch m {
                    case 0: episode = try sarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &generator)
                    case 1: episode = try qLearningEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &generator)
                    default: episode = try expectedSarsaEpisode(&env, q: &q, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &generator)
                    }
                    curves[m][e] += episode.totalReward
                }
                if run == 0 { lastTables.append(q) }
            }
            progress.advance()
        }
        progress.finish()
        curves = curves.map { $0.map { $0 / Double(runs) } }
        let means = curves.map { $0[100...].reduce(0, +) / Double(episodes - 100) }

        let world = CliffWalking()
        for (m, q) in lastTables.enumerated() where m < 2 {
            let path = greedyPathCells(q, world.model, start: world.startState)
            print("\(names[m]) greedy path after 500 episodes (run 1, \(path.count - 1) steps):")
            print(drawPath(path, q: q, world: world))
        }
        var table = TextTable(headers: ["method", "mean return, episodes 101-500", "book"])
        table.addRow([names[0], fixed(means[0], 1), "about -25 (safe path)"])
        table.addRow([names[1], fixed(means[1], 1), "about -50 (edge path, falls off while exploring)"])
        table.addRow([names[2], fixed(means[2], 1), "better than SARSA at alpha 0.5 (Figure 6.3)"])
        print(table.render())
        let smoothed = curves.map { movingAverage($0, window: 10) }
        var plot = LinePlot(title: "Cliff walking: sum of rewards per episode (\(runs) runs, 10-episode moving average)",
                            xLabel: "episode", yLabel: "sum of rewards",
                            series: names.enumerated().map { PlotSeries($1, y: smoothed[$0]) })
        plot.yRange = -100...0
        print(plot.terminal())
        try writeSVG(plot, "cliff-walking.svg", options)
        print("Q-learning learns the values of the optimal edge path but its exploratory steps fall off the cliff; SARSA accounts for its own exploration.\n")
        return (means[0], means[1], means[2])
    }

    // MARK: - Example 6.7

    /// Q-learning vs Double Q-learning on the maximisation-bias MDP; returns
    /// the % of "left" in episodes 1-100 and Double Q's in episodes 251-300.
    static func maximisationBiasExperiment(runs: Int, options: DemoOptions) throws -> (q: Double, double: Double, doubleLate: Double) {
        print("4. Maximisation bias (Example 6.7): epsilon 0.1, alpha 0.1, gamma 1; B has 10 actions with rewards ~ N(-0.1, 1).")
        let episodes = 300
        var left = Array(repeating: Array(repeating: 0.0, count: episodes), count: 2)
        var progress = ProgressBar(total: runs, label: "max-bias runs")
        for run in 0..<runs {
            let seed = runSeed(options, experiment: 3, run: run)
            for m in 0..<2 {
                var env = MaximizationBias(seed: seed)
                _ = env.reset(seed: seed)
                var generator = SeededGenerator(seed: seed &* 17 &+ UInt64(m))
                var q1 = makeQTable(for: env), q2 = makeQTable(for: env)
                for e in 0..<episodes {
                    let episode = m == 0
                        ? try qLearningEpisode(&env, q: &q1, alpha: 0.1, gamma: 1, epsilon: 0.1, using: &generator)
                        : try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.1, gamma: 1, epsilon: 0.1, using: &generator)
                    if episode.actions.first == MaximizationBias.left { left[m][e] += 1 }
                }
            }
            progress.advance()
        }
        progress.finish()
        let percent = left.map { $0.map { 100 * $0 / Double(runs) } }
        var table = TextTable(headers: ["method", "peak % left", "episodes 1-100", "episodes 251-300"])
        let names = ["Q-learning", "Double Q-learning"]
        var summary: [(Double, Double)] = []
        for m in 0..<2 {
            let early = percent[m][..<100].reduce(0, +) / 100
            let late = percent[m][250...].reduce(0, +) / 50
            summary.append((early, late))
            table.addRow([names[m], fixed(percent[m].max()!, 1), fixed(early, 1), fixed(late, 1)])
        }
        table.addRow(["optimal (epsilon-greedy)", "5.0", "5.0", "5.0"])
        print(table.render())
        var plot = LinePlot(title: "Maximisation bias: % of 'left' from A (\(runs) runs)", xLabel: "episode", yLabel: "% left",
                            series: [PlotSeries(names[0], y: percent[0]), PlotSeries(names[1], y: percent[1]),
                                     PlotSeries("optimal 5%", y: Array(repeating: 5, count: episodes))])
        plot.yRange = 0...100
        print(plot.terminal())
        try writeSVG(plot, "maximisation-bias.svg", options)
        print("max_a of noisy estimates is biased upward, so Q-learning overrates B; Double Q-learning evaluates the argmax with independent estimates.\n")
        return (summary[0].0, summary[1].0, summary[1].1)
    }

    // MARK: - Helpers

    static func rms(_ values: [Double], _ walk: RandomWalk) -> Double {
        let truth = walk.trueValues
        var sum = 0.0
        for s in walk.interiorStates { sum += (values[s] - truth[s]) * (values[s] - truth[s]) }
        return (sum / Double(walk.interiorStateCount)).squareRoot()
    }

    static func writeSVG(_ plot: LinePlot, _ file: String, _ options: DemoOptions) throws {
        guard let dir = options.svgPath else { return }
        let path = (dir as NSString).appendingPathComponent(file)
        try plot.writeSVG(to: path)
        print("wrote \(path)")
    }

    /// The greedy path (ties to the lowest action) from `start`, at most 60 steps.
    static func greedyPathCells(_ q: [[Double]], _ model: TabularMDP, start: Int) -> [Int] {
        var s = start
        var path = [s]
        for _ in 0..<60 {
            var best = 0
            for a in q[s].indices where q[s][a] > q[s][best] { best = a }
            let outcome = model.transitions[s][best][0]
            s = outcome.nextState
            path.append(s)
            if outcome.terminated { break }
        }
        return path
    }

    /// The cliff map with the greedy path drawn as arrows.
    static func drawPath(_ path: [Int], q: [[Double]], world: CliffWalking) -> String {
        let layout = world.layout
        var cells = layout.cells.map { $0.marker }
        for s in path.dropLast() {
            var best = 0
            for a in q[s].indices where q[s][a] > q[s][best] { best = a }
            cells[s] = layout.actionArrows[best]
        }
        return (0..<layout.rows).map { r in
            "  " + (0..<layout.columns).map { cells[r * layout.columns + $0] }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}

