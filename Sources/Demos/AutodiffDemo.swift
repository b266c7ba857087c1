import Autodiff
import CourseKit
import Foundation
import TensorCore

/// Lesson 00's lecture demo: the scalar engine at work. The graph of the notes' worked example with
/// every forward value and gradient (and the same numbers from the course's `Tensor`); finite
/// differences, and why they need central differences and Double precision; the two custom tensor
/// operations against the core's own; then a small MLP trained on the scalar engine until it
/// separates two moons, with its decision boundary.
public enum AutodiffDemo: LessonDemo {
    public static let name = "autodiff"
    public static let about = "a graph's values and gradients, finite differences, custom tensor ops, an MLP on two moons"
    public static let writesSeveralFigures = true

    public static func run(_ options: DemoOptions) throws -> String {
        if let dir = options.svgPath { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        print("Lesson 00: automatic differentiation from the inside (seed \(options.seed))\n")
        try workedExample()
        let finiteDifferences = try stepSizeStudy()
        try customOperations()
        let (accuracy, seconds, figures) = try moons(options)
        if let dir = options.svgPath {
            try finiteDifferences.writeSVG(to: dir + "/autodiff-finite-differences.svg")
            try figures.loss.writeSVG(to: dir + "/autodiff-loss.svg")
            try figures.boundary.writeSVG(to: dir + "/autodiff-moons.svg")
            print("wrote \(dir)/autodiff-finite-differences.svg, autodiff-loss.svg and autodiff-moons.svg")
        }
        return "autodiff moons train_accuracy=\(fixed(accuracy, 3)) seconds=\(fixed(seconds, 1))"
    }

    // MARK: - 1. The worked example

    /// L = tanh(w x + b) * x at x = 1.5, w = -2, b = 2 (notes, section 3): x is used twice.
    static func workedExample() throws {
        print("1. The worked example of the notes: L = tanh(w x + b) * x at x = 1.5, w = -2, b = 2.")
        print("   x is used twice (in w x and in the last product), so its gradient is the sum of two paths.\n")
        let x = Value(1.5, label: "x"), w = Value(-2, label: "w"), b = Value(2, label: "b")
        let u = try w.times(x), v = try u.plus(b), y = try v.tanh(), loss = try y.times(x)
        (u.label, v.label, y.label, loss.label) = ("u", "v", "y", "L")
        try loss.backward()
        print(tree(of: loss).joined(separator: "\n") + "\n")
        var table = TextTable(headers: ["value", "made by", "data", "grad = dL/d(value)"])
        for value in try loss.topologicalOrder() {
            table.addRow([value.label, formula(value), fixed(value.data, 6), fixed(value.grad, 6)])
        }
        print("In topological order (every value after its inputs); backward() runs the rules bottom to top:")
        print(table.render())
        print("dL/dx = y + x (1 - y^2) w: \(fixed(y.data, 6)) from the last product and "
              + "\(fixed(x.data * (1 - y.data * y.data) * w.data, 6)) through u, added up.\n")

        // The same expression on the course's Tensor.
        let tx = Tensor(scalar: 1.5, requiresGradient: true), tw = Tensor(scalar: -2, requiresGradient: true)
        let tb = Tensor(scalar: 2, requiresGradient: true)
        let tl = (tw * tx + tb).tanh() * tx
        tl.backward()
        var agreement = TextTable(headers: ["", "L", "dL/dx", "dL/dw", "dL/db"])
        agreement.addRow(["Value (Double, this lesson)", fixed(loss.data, 6), fixed(x.grad, 6), fixed(w.grad, 6), fixed(b.grad, 6)])
        agreement.addRow(["Tensor (Float, the course's core)", fixed(Double(tl.scalar), 6),
                          fixed(Double(tx.gradient!.scalar), 6), fixed(Double(tw.gradient!.scalar), 6),
                          fixed(Double(tb.gradient!.scalar), 6)])
        print("The course's Tensor runs the same algorithm on arrays:")
        print(agreement.render() + "\n")

        let report = try checkValueGradients(at: [1.5, -2, 2]) { v in try v[1].times(v[0]).plus(v[2]).tanh().times(v[0]) }
        var check = TextTable(headers: ["input", "backward()", "central difference (h = 1e-5)", "error"])
        for (i, name) in ["x", "w", "b"].enumerated() {
            check.addRow([name, fixed(report.analytic[i], 9), fixed(report.numeric[i], 9), String(format: "%.1e", report.errors[i])])
        }
        print("Checked against finite differences (\(report.passed ? "passed" : "FAILED")):")
        print(check.render() + "\n")
    }

    /// How a value was made, in the notation of the notes: "w * x", "tanh(v)", "leaf".
    static func formula(_ value: Value) -> String {
        let inputs = value.parents.map(\.label)
        guard let operation = value.operation else { return "leaf" }
        if inputs.count == 2 && ["+", "*"].contains(operation) { return "\(inputs[0]) \(operation) \(inputs[1])" }
        return "\(operation)(\(inputs.joined(separator: ", ")))"
    }

    /// The graph below `value` as an indented tree; a value met again is marked instead of repeated.
    static func tree(of value: Value) -> [String] {
        var seen = Set<ObjectIdentifier>()
        var lines: [String] = []
        func walk(_ v: Value, prefix: String, isLast: Bool, isRoot: Bool) {
            let again = !seen.insert(ObjectIdentifier(v)).inserted
            let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
            let name = (prefix + branch + "\(v.label) = \(formula(v))").padding(toLength: 28, withPad: " ", startingAt: 0)
            let numbers = String(format: "data %8.4f   grad %8.4f", v.data, v.grad)
            lines.append(name + numbers + (again ? "   (used again: one value, both uses add to its grad)" : ""))
            guard !again else { return }
            let childPrefix = prefix + (isRoot ? "" : (isLast ? "   " : "│  "))
            for (i, parent) in v.parents.enumerated() {
                walk(parent, prefix: childPrefix, isLast: i == v.parents.count - 1, isRoot: false)
            }
        }
        walk(value, prefix: "   ", isLast: true, isRoot: true)
        return lines
    }

    // MARK: - 2. Finite differences

    /// The error of forward and central differences of d e^x/dx at x = 1, in Float and Double, for
    /// step sizes 10^-1 ... 10^-10: truncation error falls with h, rounding error grows like eps / h.
    static func stepSizeStudy() throws -> LinePlot {
        print("2. Finite differences: the error of the estimate of d e^x/dx = e at x = 1 against the step h.")
        let exponents = stride(from: 1.0, through: 10.0, by: 0.5).map { $0 }
        var columns: [[Double]] = [[], [], [], []]
        for k in exponents {
            let h = Foundation.pow(10, -k)
            let hf = Float(h), one: Float = 1
            let estimates: [Double] = [
                Double((Foundation.exp(one + hf) - Foundation.exp(one)) / hf),
                Double((Foundation.exp(one + hf) - Foundation.exp(one - hf)) / (2 * hf)),
                (Foundation.exp(1 + h) - Foundation.exp(1)) / h,
                (Foundation.exp(1 + h) - Foundation.exp(1 - h)) / (2 * h),
            ]
            for (c, estimate) in estimates.enumerated() { columns[c].append(Swift.abs(estimate - M_E)) }
        }
        var table = TextTable(headers: ["h", "forward, Float", "central, Float", "forward, Double", "central, Double"])
        for (row, k) in exponents.enumerated() where k == k.rounded() {
            table.addRow(["1e-\(Int(k))"] + columns.map { String(format: "%.1e", $0[row]) })
        }
        print(table.render())
        let best = columns.map { $0.min()! }
        print("Smallest errors: forward/Float \(String(format: "%.0e", best[0])), central/Float \(String(format: "%.0e", best[1])), "
              + "forward/Double \(String(format: "%.0e", best[2])), central/Double \(String(format: "%.0e", best[3])).")
        print("The truncation error shrinks like h (forward) or h^2 (central); the rounding error grows like eps |f| / h,")
        print("with eps = 1e-7 in Float and 2e-16 in Double. Below h = 1e-7, 1 + h rounds to 1 in Float: the difference")
        print("is 0 and the error is e itself. Hence: central differences, in Double, with h near 1e-5.\n")
        let names = ["forward, Float", "central, Float", "forward, Double", "central, Double"]
        return LinePlot(title: "Finite-difference error of d e^x/dx at x = 1", xLabel: "log10 h", yLabel: "log10 |error|",
                        series: zip(names, columns).map { name, errors in
                            PlotSeries(name, x: exponents.map { -$0 }, y: errors.map { Foundation.log10(Swift.max($0, 1e-17)) })
                        })
    }

    // MARK: - 3. Custom tensor operations

    /// The lesson's softplus and row-wise log-sum-exp, made through `Tensor.record`, against the
    /// core's gradient checker and the core's own versions.
    static func customOperations() throws {
        print("3. Two tensor operations written outside the core, through Tensor.record:")
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.uniform([4, 5], low: -4, high: 4, using: &generator, requiresGradient: true)
        var table = TextTable(headers: ["operation", "gradientCheck", "max |value - core's|", "max |gradient - core's|"])
        let cases: [(String, (Tensor) throws -> Tensor, (Tensor) -> Tensor)] = [
            ("softplusOperation", softplusOperation, { $0.softplus() }),
            ("logSumExpRows", logSumExpRows, { $0.logSumExp(alongAxis: 1) }),
        ]
        for (name, ours, core) in cases {
            let report = try gradientCheck([x]) { try ours($0[0]) }
            x.zeroGradient()
            let mine = try ours(x)
            mine.sum().backward()
            let myGradient = x.gradient!.scalars
            x.zeroGradient()
            let theirs = core(x)
            theirs.sum().backward()
            let valueGap = zip(mine.scalars, theirs.scalars).map { Swift.abs($0 - $1) }.max()!
            let gradientGap = zip(myGradient, x.gradient!.scalars).map { Swift.abs($0 - $1) }.max()!
            x.zeroGradient()
            table.addRow([name, report.passed ? "passed" : "FAILED", String(format: "%.1e", valueGap),
                          String(format: "%.1e", gradientGap)])
        }
        print(table.render() + "\n")
    }

    // MARK: - 4. Two moons

    static func moons(_ options: DemoOptions) throws -> (accuracy: Double, seconds: Double, figures: (loss: LinePlot, boundary: ScatterPlot)) {
        var config = ClassifierTrainingConfig()
        if let steps = options.steps { config.steps = steps }
        var gentle = config
        gentle.learningRate = 1
        gentle.finalLearningRate = 0.1
        let (data, model) = try moonsProblem(seed: options.seed)
        print("4. A [2, 16, 1] tanh network (\(model.parameters.count) parameters, each a Value) learns to separate \(data.count) noisy moons:")
        print("   full-batch gradient descent on the mean hinge loss + \(config.l2) * sum of squares, \(config.steps) steps,")
        print("   with the lesson's step size \(fixed(config.learningRate, 1)) falling to \(fixed(config.finalLearningRate, 1)), and again from the same start")
        print("   with \(fixed(gentle.learningRate, 1)) falling to \(fixed(gentle.finalLearningRate, 1)).\n")
        var bar = ProgressBar(total: config.steps, label: "training steps (step size \(fixed(config.learningRate, 1)))")
        let start = Date()
        let history = try trainClassifier(model, on: data, config: config) { bar.advance(by: $0 - bar.done) }
        let seconds = Date().timeIntervalSince(start)
        bar.finish()
        let finalAccuracy = try accuracy(of: model, on: data)
        let nodes = try classifierLoss(model, on: data, l2: config.l2).loss.topologicalOrder().count
        let gentleModel = try moonsProblem(seed: options.seed).model
        var gentleBar = ProgressBar(total: gentle.steps, label: "training steps (step size \(fixed(gentle.learningRate, 1)))")
        let gentleHistory = try trainClassifier(gentleModel, on: data, config: gentle) { gentleBar.advance(by: $0 - gentleBar.done) }
        gentleBar.finish()
        let gentleAccuracy = try accuracy(of: gentleModel, on: data)

        let lossPlot = LinePlot(title: "Two moons: training loss (mean hinge + L2) per step, two step sizes", xLabel: "step", yLabel: "log10 loss",
                                series: [PlotSeries("step size \(fixed(config.learningRate, 1)) -> \(fixed(config.finalLearningRate, 1))",
                                                    y: history.losses.map { Foundation.log10($0) }),
                                         PlotSeries("step size \(fixed(gentle.learningRate, 1)) -> \(fixed(gentle.finalLearningRate, 1))",
                                                    y: gentleHistory.losses.map { Foundation.log10($0) })])
        print(lossPlot.terminal(height: 12))
        var table = TextTable(headers: ["step", "loss (\(fixed(config.learningRate, 1)))", "accuracy (\(fixed(config.learningRate, 1)))",
                                        "loss (\(fixed(gentle.learningRate, 1)))", "accuracy (\(fixed(gentle.learningRate, 1)))"])
        for step in [1, 5, 10, 20, 40, 60, 80, 100, 150, 200, 300, 500] where step <= history.losses.count {
            table.addRow(["\(step)", fixed(history.losses[step - 1], 4), fixed(history.accuracies[step - 1], 3),
                          fixed(gentleHistory.losses[step - 1], 4), fixed(gentleHistory.accuracies[step - 1], 3)])
        }
        table.addRow(["after", "", fixed(finalAccuracy, 3), "", fixed(gentleAccuracy, 3)])
        print(table.render())
        let first = { (h: ClassifierTrainingHistory) in h.accuracies.firstIndex(of: 1).map { "step \($0 + 1)" } ?? "not within the budget" }
        print("100% training accuracy first at: \(first(history)) with step size \(fixed(config.learningRate, 1)), \(first(gentleHistory)) with \(fixed(gentle.learningRate, 1)).")
        print("The large step overshoots at first (the loss jumps), and the weights it reaches bend the boundary around")
        print("the points that lie close to the other moon. Once every point is past its margin (y s >= 1) the hinge part")
        print("is 0 and only the L2 term is left: the sudden drop of the curve. Each step builds and differentiates a graph")
        print("of \(nodes) Values; \(config.steps) steps took \(fixed(seconds, 2)) s.\n")

        // The decision regions: the trained network's class on a fine grid (evaluated from its
        // parameters in plain Doubles, which is faster than building a graph per grid point).
        let xRange = -2.0...2.0, yRange = -1.25...1.25
        let columns = 200, rows = 125
        let regions = (0..<rows).map { r in
            let y = yRange.upperBound - (Double(r) + 0.5) / Double(rows) * (yRange.upperBound - yRange.lowerBound)
            return (0..<columns).map { c in
                let x = xRange.lowerBound + (Double(c) + 0.5) / Double(columns) * (xRange.upperBound - xRange.lowerBound)
                return score(of: model, at: [x, y]) > 0 ? 0 : 1
            }
        }
        var picture = ScatterPlot(title: "Two moons and the network's decision regions (after \(config.steps) steps)",
                                  xRange: xRange, yRange: yRange,
                                  points: zip(data.points, data.labels).map { ScatterPlot.Point(x: $0[0], y: $0[1], group: $1 > 0 ? 0 : 1) },
                                  groupNames: ["class +1", "class -1"])
        picture.regions = regions
        picture.xLabel = "x1"
        picture.yLabel = "x2"
        print(picture.terminal(width: 64, height: 20))
        print("")
        return (finalAccuracy, seconds, (lossPlot, picture))
    }

    /// The network's score at `point` from its parameters' current numbers, without building a graph.
    static func score(of model: ValueMLP, at point: [Double]) -> Double {
        var inputs = point
        for (l, (rows, biases)) in zip(model.weights, model.biases).enumerated() {
            let last = l == model.weights.count - 1
            inputs = zip(rows, biases).map { row, bias in
                let sum = zip(row, inputs).reduce(bias.data) { $0 + $1.0.data * $1.1 }
                return last ? sum : model.activation == .tanh ? Foundation.tanh(sum) : Swift.max(sum, 0)
            }
        }
        return inputs[0]
    }
}
