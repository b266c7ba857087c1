import CourseKit
import RLKit
import TensorCore
import Foundation

/// The options every lecture demo accepts (`deeprl demo <lesson> [--seed N]
/// [--svg PATH] [--steps N]`).
public struct DemoOptions: Sendable {
    /// The seed of every random number the demo draws.
    public var seed: UInt64
    /// Where to write SVG figures for slides, if anywhere. A demo with one
    /// figure writes exactly this file; a demo with several treats it as a
    /// folder (created if missing) and writes one file per figure.
    public var svgPath: String?
    /// A demo-specific size (sweeps, episodes or environment steps); `nil`
    /// means the demo's default.
    public var steps: Int?
    /// Where to write the training run's log (the `Metric` columns by
    /// environment step): CSV, or JSON lines for a path ending in `.jsonl`.
    /// Only demos that train an agent write one (`LessonDemo.writesLog`).
    public var logPath: String?
    /// Which of the demo's tasks to run (`--task`, one of `LessonDemo.tasks`);
    /// nil means its first, default task.
    public var task: String?
    /// How many of the demo's independent runs (its comparisons over several
    /// seeds) train side by side (`--jobs`; 1, one after another, by default).
    /// The results are the same with any number.
    public var jobs: Int

    /// Creates options.
    public init(seed: UInt64 = 0, svgPath: String? = nil, steps: Int? = nil, logPath: String? = nil, task: String? = nil,
                jobs: Int = 1) {
        self.jobs = jobs
        self.seed = seed
        self.svgPath = svgPath
        self.steps = steps
        self.logPath = logPath
        self.task = task
    }
}

/// A lecture demo: runs the lesson's reference code in front of a class and
/// prints progress, tables and terminal plots. Its last printed line is the
/// one-line summary returned by `run` (`deeprl` prints it as
/// `summary: <text>`).
public protocol LessonDemo: SendableMetatype {
    /// The name `deeprl demo` knows it by, for example "mdps".
    static var name: String { get }
    /// One line on what it shows, for `deeprl demo --help`.
    static var about: String { get }
    /// Runs the demo, printing as it goes, and returns the summary text
    /// (without the "summary: " prefix), for example
    /// `"mdps gridworld v_start=-14.0 sweeps=88"`.
    static func run(_ options: DemoOptions) throws -> String
    /// True when `--svg` names a folder that receives several figures
    /// (false by default: `--svg` names one file).
    static var writesSeveralFigures: Bool { get }
    /// True when the demo trains an agent and `--log` writes its run's log
    /// (false by default).
    static var writesLog: Bool { get }
    /// The tasks `--task` can pick, the default first (none by default:
    /// the demo has one task).
    static var tasks: [String] { get }
}

extension LessonDemo {
    public static var writesSeveralFigures: Bool { false }
    public static var writesLog: Bool { false }
    public static var tasks: [String] { [] }

    /// The mean of the last `window` values at every index (fewer at the start): the smoothed
    /// learning curves the demos draw. O(n).
    static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        var out: [Double] = []
        var sum = 0.0
        for (i, value) in values.enumerated() {
            sum += value
            if i >= window { sum -= values[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }
}

/// A registered demo: its name, its one-line description and how to run it.
public struct DemoEntry: Sendable {
    /// The name `deeprl demo` knows it by.
    public let name: String
    /// One line on what it shows.
    public let about: String
    /// Runs it and returns the summary text.
    public let run: @Sendable (DemoOptions) throws -> String
    /// True when `--svg` names a folder of figures.
    public let writesSeveralFigures: Bool
    /// True when `--log` writes a training run's log.
    public let writesLog: Bool
    /// The tasks `--task` can pick (empty: the demo has one task).
    public let tasks: [String]

    /// Registers the demo type `demo`.
    public init<D: LessonDemo>(_ demo: D.Type) {
        name = D.name
        about = D.about
        writesSeveralFigures = D.writesSeveralFigures
        writesLog = D.writesLog
        tasks = D.tasks
        run = { try D.run($0) }
    }
}

/// Every lecture demo, in lesson order.
public let allDemos: [DemoEntry] = [
    DemoEntry(AutodiffDemo.self),
    DemoEntry(MDPsDemo.self),
    DemoEntry(ValueIterationDemo.self),
    DemoEntry(MonteCarloTDDemo.self),
    DemoEntry(DQNDemo.self),
    DemoEntry(ReinforceDemo.self),
    DemoEntry(ImportanceSamplingDemo.self),
    DemoEntry(PPODemo.self),
    DemoEntry(SACDemo.self),
    DemoEntry(ImitationDemo.self),
    DemoEntry(HindsightDemo.self),
]

/// True when this build compiled the reference solutions (DEEPRL_IMPL=solutions).
public var demoUsesReference: Bool {
    #if DEEPRL_SOLUTIONS
    return true
    #else
    return false
    #endif
}

/// `x` with `digits` digits after the decimal point, for demo tables.
func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

/// The seed of run `run` of experiment `experiment` of a demo: a SplitMix64
/// hash of the demo's `--seed`, the experiment and the run, so that another
/// `--seed` gives independent runs (not the same runs shifted by one).
func runSeed(_ options: DemoOptions, experiment: UInt64, run: Int) -> UInt64 {
    var generator = SeededGenerator(seed: options.seed &* 0x9E37_79B9_7F4A_7C15 &+ experiment &* 1_000_003 &+ UInt64(run))
    return generator.next()
}

/// Trains a comparison's `count` independent runs, `train(r, progress)`
/// for run r: with `jobs` 1, one after another, each with a bar of its own
/// (`label(r)`, `total(r)` units, moved by the run's progress callback and
/// finished with `outcome` of its result); otherwise up to `jobs` at once
/// (`independentRuns`, the same results) under one bar over the runs, then
/// a line per run with its `outcome`. Results in run order.
func trainSideBySide<T>(_ count: Int, jobs: Int, label: (Int) -> String, total: (Int) -> Int,
                        outcome: (T) -> String?,
                        _ train: (_ run: Int, _ progress: ((Int) -> Void)?) throws -> T) throws -> [T] {
    guard jobs > 1 else {
        return try (0..<count).map { r in
            var bar = ProgressBar(total: total(r), label: label(r))
            let result = try train(r) { bar.advance(by: $0 - bar.done) }
            if let line = outcome(result) { bar.finish(line) } else { bar.finish() }
            return result
        }
    }
    var bar = ProgressBar(total: count, label: "runs, up to \(jobs) at a time")
    let results = try independentRuns(count, jobs: jobs, bar: &bar) { r in try train(r, nil) }
    bar.finish()
    for (r, result) in results.enumerated() {
        if let line = outcome(result) { print("\(label(r)): \(line)") }
    }
    return results
}
