import CourseKit
import Environments
import Foundation
import Hindsight
import RLKit
import TensorCore

/// Lesson 10's lecture demo, the first figure of the HER paper in spirit: DQN
/// with and without hindsight experience replay on bit flipping with a
/// growing number of bits n. Plain DQN learns the small tasks and collapses
/// once a random episode almost never reaches its goal; DQN + HER keeps
/// learning because every episode reaches some goal.
public enum HindsightDemo: LessonDemo {
    public static let name = "hindsight"
    public static let about = "DQN with and without hindsight experience replay on bit flipping: success rate as n grows"
    public static let writesSeveralFigures = true
    public static let writesLog = true

    /// The bit counts of a demo whose largest task has `largest` bits: a quarter, three eighths, a half,
    /// three quarters and all of it (5, 7, 10, 15 and 20 by default: DQN's collapse lies between 5 and 10).
    static func sizes(largest: Int) -> [Int] {
        var sizes: [Int] = []
        for eighths in [2, 3, 4, 6, 8] where !sizes.contains(Swift.max(1, largest * eighths / 8)) {
            sizes.append(Swift.max(1, largest * eighths / 8))
        }
        return sizes
    }

    /// The probability that an episode of uniformly random flips reaches its goal on `bits`-bit flipping
    /// (notes, section 1): the number of wrong bits d moves down with probability d / n and up otherwise,
    /// starting from d ~ Binomial(n, 1/2); the chance that it first hits 0 within n steps.
    static func randomSuccess(bits n: Int) -> Double {
        var binomial = [Double](repeating: 0, count: n + 1)
        binomial[0] = 1
        for _ in 0..<n {  // Pascal's triangle row n, times 2^-n
            for d in stride(from: n, through: 1, by: -1) { binomial[d] = (binomial[d] + binomial[d - 1]) / 2 }
            binomial[0] /= 2
        }
        var wrong = binomial, success = 0.0
        for _ in 0..<n {
            var next = [Double](repeating: 0, count: n + 1)
            for d in 0...n where wrong[d] > 0 {
                if d > 0 { next[d - 1] += wrong[d] * Double(d) / Double(n) }
                if d < n { next[d + 1] += wrong[d] * Double(n - d) / Double(n) }
            }
            success += next[0]
            next[0] = 0
            wrong = next
        }
        return success
    }

    /// The success rate the per-epoch figures mark, and the table's "first at" column.
    static let criterion = 0.9

    /// The epochs each run gets, both agents alike: n for n bits (at least 4, at most 20), enough for
    /// DQN + HER to pass a success rate of 0.9 on 20 bits.
    static func epochs(bits: Int) -> Int { Swift.min(20, Swift.max(4, bits)) }

    public static func run(_ options: DemoOptions) throws -> String {
        let largest = Swift.max(options.steps ?? 20, 1)
        let sizes = sizes(largest: largest)
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let defaults = HERConfig()
        print("Lesson 10: hindsight experience replay on bit flipping (seed \(options.seed)); n = \(sizes.map(String.init).joined(separator: ", ")) bits\n")
        print("n bits, a random start and a random goal; action k flips bit k; reward -1 per step until the state equals the")
        print("goal; n steps per episode. Both agents: DQN on the input (state, goal), \(defaults.hiddenSizes) ReLU, Adam \(defaults.learningRate),")
        print("gamma \(defaults.gamma), epsilon \(defaults.epsilon); an epoch is \(defaults.cyclesPerEpoch) cycles of \(defaults.episodesPerCycle) episodes and \(defaults.updatesPerCycle) gradient steps (batch")
        print("\(defaults.batchSize)), the target network moved by tau \(defaults.tau) after each cycle, then \(defaults.evaluationEpisodes) greedy episodes measure the success rate.")
        print("DQN + HER also stores every step with \(defaults.strategy) goals it achieved later in its episode.\n")

        let start = Date()
        var curves: [String: [Int: [Double]]] = ["DQN": [:], "DQN + HER": [:]]
        var seconds: [String: [Int: Double]] = ["DQN": [:], "DQN + HER": [:]]
        // Run 2 i trains DQN on sizes[i] bits, run 2 i + 1 DQN + HER; each has its own seed.
        let runs = sizes.flatMap { bits in [(bits, "DQN", GoalStrategy.none), (bits, "DQN + HER", defaults.strategy)] }
        func train(_ r: Int, progress: ((Int) -> Void)?) throws -> TrainingRun<HERNetworks> {
            var config = HERConfig()
            config.seed = runSeed(options, experiment: UInt64(runs[r].0), run: 0)
            config.strategy = runs[r].2
            config.epochs = epochs(bits: runs[r].0)
            return try trainHER(config, bits: runs[r].0, progress: progress)
        }
        func outcome(_ run: TrainingRun<HERNetworks>) -> String {
            "success rate \(fixed(run.log.series(Metric.evaluationSuccessRate).values.last ?? 0, 2)) in \(fixed(run.seconds, 1)) s"
        }
        let trained = try trainSideBySide(runs.count, jobs: options.jobs, label: { "\(runs[$0].1), \(runs[$0].0) bits: epochs" },
                                          total: { epochs(bits: runs[$0].0) }, outcome: outcome, train)
        for (r, (bits, label, _)) in runs.enumerated() {
            curves[label]![bits] = trained[r].log.series(Metric.evaluationSuccessRate).values
            seconds[label]![bits] = trained[r].seconds
        }
        let largestRun = runs.indices.last { runs[$0].0 == largest && runs[$0].2 != .none }.map { trained[$0] }
        let total = Date().timeIntervalSince(start)
        print()
        if let path = options.logPath, let run = largestRun {
            try run.log.write(to: path)
            print("wrote the log of DQN + HER on \(largest) bits to \(path) (columns: step, \(run.log.metrics.joined(separator: ", ")))\n")
        }

        var figures: [(String, LinePlot)] = []
        for label in ["DQN + HER", "DQN"] {
            // Curves that stay at 0 lie on top of each other: the legend says so.
            let series = sizes.map { bits in
                let rates = curves[label]![bits]!
                return PlotSeries("n = \(bits)" + (rates.allSatisfy { $0 == 0 } ? " (0 throughout)" : ""), y: rates)
            }
            figures.append(("hindsight-\(label == "DQN" ? "dqn" : "her")-by-epoch.svg",
                            LinePlot(title: "\(label) on bit flipping: greedy success rate after each epoch", xLabel: "epoch",
                                     yLabel: "success rate (100 greedy episodes)", series: series,
                                     references: [(criterion, "success rate \(fixed(criterion, 1))")], yRange: 0...1)))
        }
        let finals = ["DQN + HER", "DQN"].map { label in
            PlotSeries(label, x: sizes.map(Double.init), y: sizes.map { curves[label]![$0]!.last ?? 0 })
        }
        figures.append(("hindsight-success-by-bits.svg",
                        LinePlot(title: "Bit flipping: greedy success rate after the last epoch (n epochs for n bits)",
                                 xLabel: "number of bits n", yLabel: "success rate (100 greedy episodes)", series: finals,
                                 yRange: 0...1)))
        for (_, figure) in figures { print(figure.terminal()) }

        var table = TextTable(headers: ["bits n", "random policy success", "epochs", "DQN success", "DQN + HER success",
                                        "HER first >= \(fixed(criterion, 1)) at epoch",
                                        "DQN seconds", "DQN + HER seconds"])
        for bits in sizes {
            let her = curves["DQN + HER"]![bits]!, dqn = curves["DQN"]![bits]!
            let random = randomSuccess(bits: bits)
            table.addRow(["\(bits)", random < 1e-3 ? String(format: "%.1e", random) : fixed(random, 4), "\(her.count)",
                          fixed(dqn.last ?? 0, 2), fixed(her.last ?? 0, 2),
                          her.firstIndex { $0 >= criterion }.map { "\($0 + 1)" } ?? "not yet",
                          fixed(seconds["DQN"]![bits]!, 1), fixed(seconds["DQN + HER"]![bits]!, 1)])
        }
        print(table.render() + "\n")
        if let dir = options.svgPath {
            for (file, figure) in figures { try figure.writeSVG(to: dir + "/" + file) }
            print("wrote \(figures.map { dir + "/" + $0.0 }.joined(separator: ", "))")
        }
        let her = curves["DQN + HER"]![largest]?.last ?? 0, dqn = curves["DQN"]![largest]?.last ?? 0
        return "hindsight bitflip n=\(largest) her_success=\(fixed(her, 2)) dqn_success=\(fixed(dqn, 2)) seconds=\(fixed(total, 1))"
    }
}
