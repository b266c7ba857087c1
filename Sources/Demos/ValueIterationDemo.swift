import CourseKit
import Environments
import Foundation
import ValueIteration

/// Lesson 02's lecture demo: value iteration on FrozenLake 8x8 (gamma 0.99)
/// sweep by sweep, then policy iteration's few rounds on the same lake.
public enum ValueIterationDemo: LessonDemo {
    public static let name = "value-iteration"
    public static let about = "value iteration sweep by sweep and policy iteration on FrozenLake 8x8 (gamma 0.99)"

    public static func run(_ options: DemoOptions) throws -> String {
        let lake = FrozenLake(.eightByEight, seed: options.seed)
        let mdp = lake.model
        let gamma = 0.99
        let tolerance = 1e-10
        let maxSweeps = options.steps ?? 100_000

        print("Lesson 02: value iteration and policy iteration on FrozenLake 8x8")
        print("(slippery: the intended move and the two perpendicular ones, 1/3 each; reward 1 at G; gamma = \(gamma))\n")
        print(renderMap(lake.layout) + "\n")

        // Value iteration, recording the max-norm change of every sweep.
        let start = Date()
        let vi = try valueIteration(mdp, gamma: gamma, tolerance: tolerance, maxSweeps: maxSweeps)
        let viSeconds = Date().timeIntervalSince(start)

        // Snapshots: how far the value of the start state has travelled.
        var table = TextTable(headers: ["sweep", "max |V_k - V_k-1|", "V_k(start)", "error bound gamma*delta/(1-gamma)"])
        for k in [1, 2, 5, 10, 25, 50, 100, 200, 400, 800, vi.sweeps] where k <= vi.sweeps {
            let snapshot = k == vi.sweeps ? vi : try valueIteration(mdp, gamma: gamma, tolerance: tolerance, maxSweeps: k)
            let delta = vi.deltas[k - 1]
            table.addRow(["\(k)", scientific(delta), fixed(snapshot.values[0], 4), scientific(gamma * delta / (1 - gamma))])
        }
        print("Value iteration (synchronous sweeps, stop when the change is below \(scientific(tolerance))):")
        print(table.render() + "\n")

        // The contraction: the change falls at least as fast as gamma^k.
        let first = vi.deltas.first ?? 1
        let deltaSeries = PlotSeries("max-norm change per sweep", y: vi.deltas.map { log10(max($0, 1e-300)) })
        let boundSeries = PlotSeries("gamma^(k-1) * delta_1 (contraction bound)",
                                     y: (0..<vi.sweeps).map { log10(max(first * pow(gamma, Double($0)), 1e-300)) })
        let plot = LinePlot(title: "Value iteration on FrozenLake 8x8: log10 of the change per sweep", xLabel: "sweep",
                            yLabel: "log10 max |V_k - V_k-1|", series: [deltaSeries, boundSeries])
        print(plot.terminal())
        if let path = options.svgPath {
            try plot.writeSVG(to: path)
            print("wrote \(path)")
        }

        let policy = try greedyPolicy(mdp, values: vi.values, gamma: gamma)
        print("\nOptimal values V* (after \(vi.sweeps) sweeps) and the greedy policy:")
        let valueLines = renderValues(vi.values, layout: lake.layout, decimals: 2).split(separator: "\n")
        let policyLines = renderPolicy(policy, layout: lake.layout).split(separator: "\n")
        for (v, p) in zip(valueLines, policyLines) { print("  \(v)     \(p)") }
        print("Near the holes the arrows point away from them: a slip sideways is safer than a slip into a hole.\n")

        // Policy iteration on the same lake.
        let piStart = Date()
        let pi = try policyIteration(mdp, gamma: gamma, evaluationTolerance: tolerance)
        let piSeconds = Date().timeIntervalSince(piStart)
        var rounds = TextTable(headers: ["round", "evaluation sweeps", "actions changed"])
        for i in 0..<pi.iterations {
            rounds.addRow(["\(i + 1)", "\(pi.evaluationSweeps[i])", "\(pi.changes[i])"])
        }
        print("Policy iteration from the uniform random policy:")
        print(rounds.render())

        let q = try qValueIteration(mdp, gamma: gamma, tolerance: tolerance, maxSweeps: maxSweeps)
        let difference = zip(vi.values, pi.values).map { abs($0 - $1) }.max() ?? 0
        let qDifference = zip(vi.values, q.q.map { $0.max() ?? 0 }).map { abs($0 - $1) }.max() ?? 0
        var compare = TextTable(headers: ["method", "V(start)", "sweeps / rounds", "time"])
        compare.addRow(["value iteration", fixed(vi.values[0], 6), "\(vi.sweeps) sweeps", milliseconds(viSeconds)])
        compare.addRow(["Q-value iteration", fixed(q.q[0].max() ?? 0, 6), "\(q.sweeps) sweeps", "-"])
        compare.addRow(["policy iteration", fixed(pi.values[0], 6),
                        "\(pi.iterations) rounds, \(pi.evaluationSweeps.reduce(0, +)) evaluation sweeps", milliseconds(piSeconds)])
        print("\n" + compare.render())
        print("max |V_VI - V_PI| = \(scientific(difference)), max |V_VI - max_a Q| = \(scientific(qDifference)) (Gymnasium model: V*(start) = 0.4146)")
        return "value-iteration frozenlake8x8 gamma=0.99 v_start=\(fixed(vi.values[0], 4)) vi_sweeps=\(vi.sweeps) "
            + "pi_rounds=\(pi.iterations) pi_eval_sweeps=\(pi.evaluationSweeps.reduce(0, +)) max_vi_pi_diff=\(scientific(difference))"
    }
}

private func scientific(_ x: Double) -> String { String(format: "%.2e", x) }
private func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
