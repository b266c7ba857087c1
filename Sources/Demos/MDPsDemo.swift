import CourseKit
import Environments
import Foundation
import MDPs

/// Lesson 01's lecture demo: iterative policy evaluation of the equiprobable
/// random policy on the 4x4 grid world (Sutton & Barto, Example 4.1 and
/// Figure 4.1), sweep by sweep, with the greedy policy of each v_k.
public enum MDPsDemo: LessonDemo {
    public static let name = "mdps"
    public static let about = "policy evaluation sweep by sweep on the lecture grid world (Figure 4.1)"

    public static func run(_ options: DemoOptions) throws -> String {
        let world = GridWorld.lecture(seed: options.seed)
        let mdp = world.model
        let policy = uniformPolicy(for: mdp)
        let gamma = 1.0
        let maxSweeps = options.steps ?? 1_000

        print("Lesson 01: evaluating the equiprobable random policy on the 4x4 grid world")
        print("(terminal corners T, reward -1 per move, gamma = 1; Sutton & Barto, Example 4.1)\n")
        print(renderMap(world.layout) + "\n")

        // Figure 4.1: v_k and its greedy policy for a few k.
        for k in [0, 1, 2, 3, 10] where k <= maxSweeps {
            let values = k == 0 ? Array(repeating: 0.0, count: mdp.stateCount)
                : try evaluatePolicyIteratively(policy, in: mdp, gamma: gamma, maxSweeps: k).values
            try show(values, title: "k = \(k)", world: world, gamma: gamma)
        }

        // Sweep until the largest change is below 1e-4 and record the change per sweep.
        var changes: [Double] = []
        var previous = Array(repeating: 0.0, count: mdp.stateCount)
        var sweeps = 0
        var progress = ProgressBar(total: maxSweeps, label: "sweeps")
        while sweeps < maxSweeps {
            sweeps += 1
            let values = try evaluatePolicyIteratively(policy, in: mdp, gamma: gamma, maxSweeps: sweeps).values
            let change = zip(values, previous).map { abs($0 - $1) }.max() ?? 0
            changes.append(change)
            previous = values
            progress.advance()
            if change < 1e-4 { break }
        }
        progress.finish()
        try show(previous, title: "k = \(sweeps) (largest change < 1e-4)", world: world, gamma: gamma)

        let exact = try evaluatePolicyExactly(policy, in: mdp, gamma: gamma)
        let error = zip(previous, exact).map { abs($0 - $1) }.max() ?? 0
        var table = TextTable(headers: ["method", "sweeps", "v(top-right)", "max |v - v_exact|"])
        table.addRow(["iterative", "\(sweeps)", fixed(previous[3], 1), fixed(error, 6)])
        table.addRow(["exact (I - gamma P) v = r", "-", fixed(exact[3], 1), "0"])
        print(table.render() + "\n")

        let plot = LinePlot(title: "Policy evaluation: largest value change per sweep", xLabel: "sweep",
                            yLabel: "log10 max |v_k+1 - v_k|",
                            series: [PlotSeries("random policy, gamma = 1", y: changes.map { log10(max($0, 1e-300)) })])
        print(plot.terminal())
        if let path = options.svgPath {
            try plot.writeSVG(to: path)
            print("wrote \(path)")
        }
        print("The change shrinks geometrically: each sweep pulls v_k toward the fixed point v_pi.")
        return "mdps gridworld sweeps=\(sweeps) v_top_right=\(fixed(previous[3], 1)) max_error_vs_exact=\(fixed(error, 6))"
    }

    /// Prints v_k as a grid and the greedy policy with respect to it.
    static func show(_ values: [Double], title: String, world: GridWorld, gamma: Double) throws {
        let q = try actionValues(from: values, in: world.model, gamma: gamma)
        let greedy = try greedyPolicy(from: q)
        print(title)
        let valueLines = renderValues(values, layout: world.layout, decimals: 1).split(separator: "\n")
        let policyLines = renderPolicy(greedy, layout: world.layout).split(separator: "\n")
        print("  v_k" + String(repeating: " ", count: max(0, (valueLines.first?.count ?? 0) - 1)) + "greedy")
        for (v, p) in zip(valueLines, policyLines) { print("  \(v)    \(p)") }
        print("")
    }
}
