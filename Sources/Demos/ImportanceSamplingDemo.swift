import CourseKit
import Environments
import Foundation
import ImportanceSampling
import TensorCore

/// Lesson 06's lecture demo: ordinary against weighted importance sampling
/// on Blackjack (Sutton & Barto, Example 5.4, Figure 5.3), the infinite
/// variance of ordinary importance sampling (Example 5.5, Figure 5.4), and
/// the off-policy policy gradient on a three-state chain, with and without
/// the ratio, against the on-policy gradient.
public enum ImportanceSamplingDemo: LessonDemo {
    public static let name = "importance-sampling"
    public static let about = "ordinary vs weighted importance sampling on Blackjack, infinite variance, the off-policy policy gradient"
    public static let writesSeveralFigures = true

    public static func run(_ options: DemoOptions) throws -> String {
        let runs = max(options.steps ?? 100, 1)
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        print("Lesson 06: off-policy evaluation and importance sampling (seed \(options.seed))\n")
        let start = Date()
        let blackjack = try blackjackExperiment(runs: runs, options: options)
        try infiniteVarianceExperiment(options: options)
        try policyGradientExperiment(options: options)
        let seconds = Date().timeIntervalSince(start)
        return "importance-sampling blackjack ordinary_mse_at_1000=\(fixed(blackjack.ordinary, 4))"
            + " weighted_mse_at_1000=\(fixed(blackjack.weighted, 4)) seconds=\(fixed(seconds, 1))"
    }

    // MARK: - Example 5.4

    /// The importance ratio and return of one Example 5.4 episode under the
    /// uniformly random behaviour policy, the ratio from 6.1.
    static func blackjackEpisode(_ game: inout Blackjack, _ generator: inout SeededGenerator,
                                 start: BlackjackState) throws -> (logRatio: Double, g: Double) {
        var s = try game.reset(to: start)
        var target: [Double] = [], behaviour: [Double] = []
        while true {
            let action = generator.nextInt(below: 2)
            let targetAction = s.playerSum >= 20 ? Blackjack.stick : Blackjack.hit
            target.append(action == targetAction ? 1 : 0)
            behaviour.append(0.5)
            let step = try game.step(action)
            s = step.observation
            if step.done {
                return (try trajectoryLogRatio(targetProbabilities: target, behaviourProbabilities: behaviour), step.reward)
            }
        }
    }

    /// Ordinary and weighted importance sampling of the Example 5.4 state
    /// over 10,000 episodes, `runs` times; returns both MSEs at episode 1,000.
    static func blackjackExperiment(runs: Int, options: DemoOptions) throws -> (ordinary: Double, weighted: Double) {
        let truth = -0.27726, episodes = 10_000
        let start = BlackjackState(playerSum: 13, dealerCard: 2, usableAce: true)
        print("1. Blackjack (Example 5.4): the state player 13 with a usable ace, dealer shows 2. Target: stick only on 20")
        print("   or 21 (true value -0.27726). Behaviour: hit or stick at random. \(runs) runs of 10,000 episodes.")
        var ordinary = [Double](repeating: 0, count: episodes), weighted = ordinary
        var firstLogRatios: [Double] = []
        var progress = ProgressBar(total: runs, label: "Blackjack runs")
        for run in 0..<runs {
            let seed = runSeed(options, experiment: 0, run: run)
            var game = Blackjack(seed: seed)
            var generator = SeededGenerator(seed: seed &+ 1)
            var estimate = OffPolicyEstimate()
            for n in 0..<episodes {
                let (logRatio, g) = try blackjackEpisode(&game, &generator, start: start)
                try estimate.add(ratio: exp(logRatio), return: g)
                ordinary[n] += (estimate.ordinary - truth) * (estimate.ordinary - truth)
                weighted[n] += (estimate.weighted - truth) * (estimate.weighted - truth)
                if run == 0 && n < 1000 { firstLogRatios.append(logRatio) }
            }
            progress.advance()
        }
        progress.finish()
        ordinary = ordinary.map { $0 / Double(runs) }
        weighted = weighted.map { $0 / Double(runs) }

        var table = TextTable(headers: ["episodes", "ordinary IS MSE", "weighted IS MSE", "weighted / ordinary"])
        for n in [1, 3, 10, 30, 100, 1000, 10_000] {
            table.addRow(["\(n)", fixed(ordinary[n - 1], 4), fixed(weighted[n - 1], 4), fixed(weighted[n - 1] / ordinary[n - 1], 2)])
        }
        print(table.render())
        // Log-spaced points: every episode up to 100, then about 2% apart.
        var points: [Int] = []
        var n = 1
        while n < episodes {
            points.append(n)
            n = max(n + 1, Int((Double(n) * 1.02).rounded()))
        }
        points.append(episodes)
        var plot = LinePlot(title: "Example 5.4: mean squared error over \(runs) runs",
                            xLabel: "episodes (log scale)", yLabel: "mean squared error",
                            series: [PlotSeries("ordinary IS", x: points.map(Double.init), y: points.map { ordinary[$0 - 1] }),
                                     PlotSeries("weighted IS", x: points.map(Double.init), y: points.map { weighted[$0 - 1] })])
        plot.logX = true
        plot.yRange = 0...min(5, 1.05 * points.map { max(ordinary[$0 - 1], weighted[$0 - 1]) }.max()!)
        print(plot.terminal())
        if points.contains(where: { ordinary[$0 - 1] > 5 }) {
            print("(errors above 5, ordinary IS's first few episodes, are drawn at the top edge, as in the book's figure)")
        }
        try writeSVG(plot, "blackjack-mse.svg", options)
        let ess = try effectiveSampleSize(logWeights: firstLogRatios)
        let matching = firstLogRatios.filter { $0 > -.infinity }.count
        print("In run 1, \(matching) of the first 1,000 episodes have a non-zero ratio (every action as the target would");
        print("choose); their ratios 2^T make the 1,000 episodes worth an effective sample size of \(fixed(ess, 1)).")
        print("Weighted IS is far better early on (its first estimate is a return, between -1 and 1; ordinary IS's is")
        print("2^T times one); by 1,000 episodes both errors are about the variance of one episode's W G (about 10) over n.\n")
        return (ordinary[999], weighted[999])
    }

    // MARK: - Example 5.5

    /// Ten runs of a million episodes: ordinary IS keeps jumping, weighted IS is 1.
    static func infiniteVarianceExperiment(options: DemoOptions) throws {
        let runs = 10, episodes = 1_000_000
        print("2. Infinite variance (Example 5.5): one state; left returns to it (probability 0.9) or ends with +1,")
        print("   right ends with 0. Target: always left (value 1). Behaviour: 50/50. \(runs) runs of 1,000,000 episodes.")
        var checkpoints: [Int] = []
        var n = 1
        while n < episodes {
            checkpoints.append(n)
            n = max(n + 1, Int((Double(n) * 1.05).rounded()))
        }
        checkpoints.append(episodes)
        var curves: [[Double]] = []
        var weightedCurve: [Double] = []
        var table = TextTable(headers: ["run", "1,000", "10,000", "100,000", "1,000,000", "weighted at 1,000,000"])
        var progress = ProgressBar(total: runs * 10, label: "Example 5.5 episodes (x100,000)")
        for run in 0..<runs {
            let seed = runSeed(options, experiment: 1, run: run)
            var generator = SeededGenerator(seed: seed)
            var estimate = OffPolicyEstimate()
            var curve: [Double] = [], weightedRun: [Double] = []
            var next = 0
            var row = ["\(run + 1)"]
            var target: [Double] = [], behaviour: [Double] = []
            for e in 1...episodes {
                target.removeAll(keepingCapacity: true)
                behaviour.removeAll(keepingCapacity: true)
                var g = 0.0
                while true {
                    let left = generator.nextInt(below: 2) == 0  // the behaviour's coin
                    target.append(left ? 1 : 0)                   // pi always goes left
                    behaviour.append(0.5)
                    if !left { break }                            // right: the end, reward 0
                    if generator.nextDouble() < 0.1 { g = 1; break }  // left: +1 and the end with probability 0.1
                }
                let logRatio = try trajectoryLogRatio(targetProbabilities: target, behaviourProbabilities: behaviour)
                try estimate.add(ratio: exp(logRatio), return: g)
                if next < checkpoints.count && e == checkpoints[next] {
                    curve.append(estimate.ordinary)
                    weightedRun.append(estimate.weighted)
                    next += 1
                }
                if e == 1000 || e == 10_000 || e == 100_000 || e == 1_000_000 { row.append(fixed(estimate.ordinary, 3)) }
                if e % 100_000 == 0 { progress.advance() }
            }
            row.append(fixed(estimate.weighted, 3))
            table.addRow(row)
            curves.append(curve)
            if run == 0 { weightedCurve = weightedRun }
        }
        progress.finish()
        print("Ordinary IS estimates after n episodes (the true value is 1):")
        print(table.render())
        let xs = checkpoints.map(Double.init)
        let shown = min(runs, 5)
        var plot = LinePlot(title: "Example 5.5: ordinary IS estimates, \(shown) runs",
                            xLabel: "episodes (log scale)", yLabel: "estimate of v(s) = 1",
                            series: [PlotSeries("weighted, run 1", x: xs, y: weightedCurve)]
                                + (0..<shown).map { PlotSeries("ordinary, run \($0 + 1)", x: xs, y: curves[$0]) })
        plot.yRange = 0...2
        plot.logX = true
        plot.references = [(1, "true value: 1")]
        print(plot.terminal())
        print("(estimates above 2 are drawn at the top edge, as in the book's figure)")
        try writeSVG(plot, "infinite-variance.svg", options)
        print("The ratio-weighted return W G has mean 1 but an infinite second moment: most of the time the estimates sit")
        print("below 1, until a rare long all-left episode, with ratio 2^T, throws them up, even after a million episodes.")
        print("Every episode with a non-zero ratio returned 1, so the weighted estimate is exactly 1 from the first one on.\n")
    }

    // MARK: - The off-policy policy gradient

    /// The chain of part 3: in states 0, 1, 2, "stop" ends with +1 and "go"
    /// moves on; "go" in state 2 ends with +10. The value of a policy that
    /// goes with probabilities p0, p1, p2 (gamma 1).
    static func chainValue(_ go: [Double]) -> Double {
        let v2 = go[2] * 10 + (1 - go[2])
        let v1 = go[1] * v2 + (1 - go[1])
        return go[0] * v1 + (1 - go[0])
    }

    /// One chain episode with actions drawn from `goProbability` (per state):
    /// states, actions (0 stop, 1 go) and rewards.
    static func chainEpisode(_ goProbability: [Double], _ generator: inout SeededGenerator)
        -> (states: [Int], actions: [Int], rewards: [Double]) {
        var states: [Int] = [], actions: [Int] = [], rewards: [Double] = []
        for s in 0..<3 {
            let go = generator.nextDouble() < goProbability[s]
            states.append(s)
            actions.append(go ? 1 : 0)
            if !go { rewards.append(1); break }
            rewards.append(s == 2 ? 10 : 0)
        }
        return (states, actions, rewards)
    }

    /// The effective sample size, in % of n, of n fresh episodes of b when
    /// they are reweighted for pi (their ratios from 6.1, the ESS from 6.4).
    static func behaviourESS(_ piGo: [Double], _ behaviourGo: [Double], episodes: Int,
                             _ generator: inout SeededGenerator) throws -> Double {
        var logRatios: [Double] = []
        for _ in 0..<episodes {
            let e = chainEpisode(behaviourGo, &generator)
            let pi = zip(e.states, e.actions).map { $1 == 1 ? piGo[$0] : 1 - piGo[$0] }
            let b = zip(e.states, e.actions).map { $1 == 1 ? behaviourGo[$0] : 1 - behaviourGo[$0] }
            logRatios.append(try trajectoryLogRatio(targetProbabilities: pi, behaviourProbabilities: b))
        }
        return 100 * (try effectiveSampleSize(logWeights: logRatios)) / Double(episodes)
    }

    enum Learner: CaseIterable {
        case onPolicy, clippedRatio, fullRatio, noRatio
        var label: String {
            switch self {
            case .onPolicy: "on-policy"
            case .clippedRatio: "from b, ratio clipped at 5"
            case .fullRatio: "from b, unclipped ratio"
            case .noRatio: "from b, no ratio"
            }
        }
    }

    static func policyGradientExperiment(options: DemoOptions) throws {
        let runs = 10, iterations = 100, batch = 16, learningRate: Float = 0.5
        let behaviourGo = [0.3, 0.3, 0.3]
        print("3. The off-policy policy gradient. A chain of three states: \"stop\" ends with +1, \"go\" moves on, and \"go\" in")
        print("   the last state ends with +10 (gamma 1). Best: always go (return 10). Behaviour b: go with probability 0.3.")
        print("   A softmax policy (one logit per state and action, starting at pi(go) = 0.5), SGD with step \(fixed(Double(learningRate), 1)),")
        print("   \(batch) episodes per update, \(iterations) updates, \(runs) runs. Every learner sees the same number of episodes and")
        print("   uses the surrogate of 6.5: the on-policy one draws fresh episodes from pi (every ratio 1); the others draw")
        print("   them from b, with the cumulative ratio (clipped at 5, or not) or with every ratio set to 1.")
        var curves = [[Double]](repeating: [Double](repeating: 0, count: iterations + 1), count: Learner.allCases.count)
        var finalGo = [[Double]](repeating: [0, 0, 0], count: Learner.allCases.count)
        var finalKL = [Double](repeating: 0, count: Learner.allCases.count)
        var finalESS = [Double](repeating: 0, count: Learner.allCases.count)
        var early = [[Double]](repeating: [], count: Learner.allCases.count)
        var drift: [(iteration: Int, value: Double, kl: Double, ess: Double)] = []
        let behaviourLogits = Tensor(behaviourGo.map { [0, Float(log($0 / (1 - $0)))] })
        var essGenerator = SeededGenerator(seed: runSeed(options, experiment: 3, run: 0))
        var progress = ProgressBar(total: runs * Learner.allCases.count, label: "policy-gradient runs")
        for (m, learner) in Learner.allCases.enumerated() {
            for run in 0..<runs {
                var generator = SeededGenerator(seed: runSeed(options, experiment: 2, run: run))
                let theta = Tensor.zeros([3, 2], requiresGradient: true)
                let optimizer = try SGD(parameters: [theta], learningRate: learningRate)
                curves[m][0] += chainValue([0.5, 0.5, 0.5])
                if learner == .clippedRatio && run == 0 {
                    let kl = Double(try meanKLDivergence(pLogits: behaviourLogits, qLogits: theta).scalars[0])
                    drift.append((0, chainValue([0.5, 0.5, 0.5]), kl,
                                  try behaviourESS([0.5, 0.5, 0.5], behaviourGo, episodes: 10_000, &essGenerator)))
                }
                for iteration in 1...iterations {
                    let pi = theta.scalars
                    let piGo = (0..<3).map { s in 1 / (1 + exp(Double(pi[2 * s] - pi[2 * s + 1]))) }
                    let sampling = learner == .onPolicy ? piGo : behaviourGo
                    let logPi = theta.logSoftmax(alongAxis: 1)
                    var total: Tensor?
                    for _ in 0..<batch {
                        let episode = chainEpisode(sampling, &generator)
                        let targetLogProbabilities = logPi.rows(episode.states).gather(episode.actions)
                        let piTaken = zip(episode.states, episode.actions).map { $1 == 1 ? piGo[$0] : 1 - piGo[$0] }
                        let samplingTaken = zip(episode.states, episode.actions).map { $1 == 1 ? sampling[$0] : 1 - sampling[$0] }
                        // No ratio: the behaviour's log-probabilities are replaced by the target's own, so every ratio is 1.
                        let behaviourLog = learner == .noRatio ? piTaken.map { log($0) } : samplingTaken.map { log($0) }
                        let clip = learner == .clippedRatio ? 5.0 : .infinity
                        let loss = try offPolicySurrogate(targetLogProbabilities: targetLogProbabilities,
                                                          behaviourLogProbabilities: behaviourLog,
                                                          rewards: episode.rewards, gamma: 1, clip: clip)
                        total = total.map { $0 + loss } ?? loss
                    }
                    optimizer.zeroGradients()
                    (total! / Float(batch)).backward()
                    optimizer.step()
                    let now = theta.scalars
                    let go = (0..<3).map { s in 1 / (1 + exp(Double(now[2 * s] - now[2 * s + 1]))) }
                    curves[m][iteration] += chainValue(go)
                    if iteration == 10 { early[m].append(chainValue(go)) }
                    if learner == .clippedRatio && run == 0 && [1, 5, 10, 25, 50, iterations].contains(iteration) {
                        let kl = Double(try meanKLDivergence(pLogits: behaviourLogits, qLogits: theta).scalars[0])
                        drift.append((iteration, chainValue(go), kl, try behaviourESS(go, behaviourGo, episodes: 10_000, &essGenerator)))
                    }
                    if iteration == iterations {
                        for s in 0..<3 { finalGo[m][s] += go[s] / Double(runs) }
                        finalKL[m] += Double(try meanKLDivergence(pLogits: behaviourLogits, qLogits: theta).scalars[0]) / Double(runs)
                        finalESS[m] += try behaviourESS(go, behaviourGo, episodes: 2_000, &essGenerator) / Double(runs)
                    }
                }
                progress.advance()
            }
        }
        progress.finish()
        curves = curves.map { $0.map { $0 / Double(runs) } }
        var table = TextTable(headers: ["learner", "after 10 updates", "after \(iterations)", "pi(go) in states 0, 1, 2",
                                        "KL(b || pi)", "ESS of b's episodes for pi"])
        for (m, learner) in Learner.allCases.enumerated() {
            let mean = early[m].reduce(0, +) / Double(runs)
            let sd = (early[m].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(runs - 1, 1))).squareRoot()
            table.addRow([learner.label, "\(fixed(mean, 2)) ± \(fixed(sd, 2))", fixed(curves[m][iterations], 2), finalGo[m].map { fixed($0, 2) }.joined(separator: ", "),
                          fixed(finalKL[m], 2), "\(fixed(finalESS[m], 1))%"])
        }
        table.addRow(["behaviour b", "", fixed(chainValue(behaviourGo), 2), "0.30, 0.30, 0.30", "0.00", "100.0%"])
        print(table.render())
        var plot = LinePlot(title: "Off-policy policy gradient on the chain: value of pi (mean of \(runs) runs)",
                            xLabel: "update (16 episodes each)", yLabel: "value of pi (best 10)",
                            series: Learner.allCases.enumerated().map { PlotSeries($1.label, x: (0...iterations).map(Double.init), y: curves[$0]) }
                                + [PlotSeries("behaviour b itself", x: (0...iterations).map(Double.init),
                                              y: Array(repeating: chainValue(behaviourGo), count: iterations + 1))])
        plot.yRange = 0...10
        print(plot.terminal())
        try writeSVG(plot, "off-policy-gradient.svg", options)
        print("Without the ratio the update follows b's habits: it raises pi(a | s) in proportion to b(a | s) times b's return,")
        print("and settles where stopping still looks good (pi(go) about 0.44, 0.61, 0.81 in theory). The cumulative ratio")
        print("reweights b's episodes to pi's, so the same data point the policy the right way. The returns still come from")
        print("b's own continuations, which is why the ratio learners trail the on-policy one. Clipping at 5 changes little")
        print("on a three-step chain (the largest ratio is (1 / 0.3)^3 = 37, and rare): a little slower, about the same spread;")
        print("it matters when ratios grow like (1 / b)^T over long episodes. As pi leaves b, the ratios of b's episodes")
        print("spread out and their effective sample size falls (clipped learner, run 1):")
        var driftTable = TextTable(headers: ["update", "value of pi", "KL(b || pi)", "ESS of 10,000 episodes of b for pi"])
        for d in drift { driftTable.addRow(["\(d.iteration)", fixed(d.value, 2), fixed(d.kl, 3), "\(fixed(d.ess, 1))%"]) }
        print(driftTable.render())
        print("Few of b's episodes still say anything about pi: this is why PPO collects new data often and keeps each")
        print("update close to the policy that collected it (a small KL).\n")
    }

    // MARK: - Helpers

    static func writeSVG(_ plot: LinePlot, _ file: String, _ options: DemoOptions) throws {
        guard let dir = options.svgPath else { return }
        let path = (dir as NSString).appendingPathComponent(file)
        try plot.writeSVG(to: path)
        print("wrote \(path)")
    }
}
