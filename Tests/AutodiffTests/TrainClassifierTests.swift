import CourseKit
import Autodiff
import Foundation
import Testing

@Suite("0.8 trainClassifier")
struct TrainClassifierTests {
    @Test("two steps by hand: zeroed gradients, the step against the gradient, the step-size schedule")
    func twoStepsByHand() throws {
        let (model, data) = try linearExample()
        var config = ClassifierTrainingConfig()
        config.steps = 2
        config.learningRate = 0.5
        config.finalLearningRate = 0.1
        config.l2 = 0.1
        let history = try trainClassifier(model, on: data, config: config)
        let got = model.parameters.map(\.data)
        // The reference path, in plain numbers: p1 = p0 - 0.5 g(p0), p2 = p1 - 0.1 g(p1).
        let p0 = [1, -2, 0.5]
        let (loss0, g0) = linearHinge(p0, data, l2: 0.1)
        let p1 = zip(p0, g0).map { $0 - 0.5 * $1 }
        let (loss1, g1) = linearHinge(p1, data, l2: 0.1)
        let p2 = zip(p1, g1).map { $0 - 0.1 * $1 }
        func near(_ p: [Double]) -> Bool { zip(got, p).allSatisfy { close($0, $1, 1e-9) } }
        if near(p0) {
            Issue.record("0.8: the parameters did not move: after backward() each parameter holds its gradient in grad; update p.data -= eta * p.grad before the next step sets the gradients to 0 (zero them before backward(), not between backward() and the update)")
        }
        let ascent1 = zip(p0, g0).map { $0 + 0.5 * $1 }
        let ascent2 = zip(ascent1, linearHinge(ascent1, data, l2: 0.1).gradient).map { $0 + 0.1 * $1 }
        if near(ascent2) {
            Issue.record("0.8: moves along the gradient instead of against it: gradient descent is p <- p - eta dL/dp; the loss grows")
        }
        if near(zip(p1, zip(g0, g1)).map { $0 - 0.1 * ($1.0 + $1.1) }) {
            Issue.record("0.8: gradients are not zeroed between steps: backward() adds into grad, so the second step moved by the sum of both steps' gradients; set every parameter's grad to 0 before each backward()")
        }
        if near(zip(p1, g1).map { $0 - 0.5 * $1 }) {
            Issue.record("0.8: the step size stays at learningRate: use config.learningRate(at: step), which falls linearly to finalLearningRate (0.5, then 0.1 here)")
        }
        #expect(near(p2), "0.8: after two steps from (w1, w2, b) = (1, -2, 0.5) with step sizes 0.5 and 0.1 the parameters are \(f(p2, 6)), got \(f(got, 6))")
        #expect(history.losses.count == 2 && history.accuracies.count == 2,
                "0.8: one loss and one accuracy per step (2 here), got \(history.losses.count) and \(history.accuracies.count)")
        #expect(history.losses.count == 2 && close(history.losses[0], loss0, 1e-9) && close(history.losses[1], loss1, 1e-9),
                "0.8: record each step's loss before its update: \(f([loss0, loss1], 6)), got \(f(history.losses, 6))")
        #expect(history.accuracies.first == 0.5, "0.8: record each step's accuracy before its update: 0.5 at the first step, got \(history.accuracies)")
    }

    @Test("progress is reported after every step")
    func progress() throws {
        let (model, data) = try linearExample()
        var config = ClassifierTrainingConfig()
        config.steps = 5
        var reported: [Int] = []
        try trainClassifier(model, on: data, config: config) { reported.append($0) }
        #expect(reported == [1, 2, 3, 4, 5], "0.8: call progress(k) after step k with the number of steps done, got \(reported)")
    }

    @Test("it separates two moons: 100% training accuracy within 100 steps on seeds 1, 2 and 3")
    func learnsTheMoons() throws {
        // The reference sweep over seeds 100-111 (TrainClassifierSweep below; the notes, section 8): the
        // first step at 100% was 16 at the least, 26 in the median and 48 at the most, and every run
        // ended at 100%. The test gives the default budget of 100 steps, over twice the worst.
        for seed: UInt64 in [1, 2, 3] {
            let (data, model) = try moonsProblem(seed: seed)
            let history = try trainClassifier(model, on: data)
            let final = try accuracy(of: model, on: data)
            let losses = history.losses
            #expect(history.losses.count == 100, "0.8: the default config runs 100 steps, got \(history.losses.count)")
            #expect(final == 1,
                    "0.8 (seed \(seed)): after 100 steps the training accuracy is \(f(final, 3)), expected 1 (the reference reaches it by step 48 on every seed of its sweep); the loss went from \(f(losses.first ?? .nan)) to \(f(losses.last ?? .nan)). A loss that does not fall usually means a step along the gradient or gradients that are never zeroed")
        }
    }

    @Test("bad input: a config with no steps or a step size that is not > 0")
    func badInput() throws {
        let (model, data) = try linearExample()
        var config = ClassifierTrainingConfig()
        config.steps = 0
        #expect(errorText { try trainClassifier(model, on: data, config: config) } == "ClassifierTrainingConfig: invalid steps: got 0, expected an integer >= 1",
                "0.8: a config of 0 steps is refused with InvalidArgument (config.validate() above the TODO; keep it)")
        config = ClassifierTrainingConfig()
        config.learningRate = 0
        #expect(throws: InvalidArgument.self, "0.8: a step size of 0") { try trainClassifier(model, on: data, config: config) }
        config = ClassifierTrainingConfig()
        config.finalLearningRate = .nan
        #expect(throws: InvalidArgument.self, "0.8: a NaN final step size") { try trainClassifier(model, on: data, config: config) }
        // The refusals are not enough on their own: training must also train.
        config = ClassifierTrainingConfig()
        config.steps = 1
        #expect(try trainClassifier(model, on: data, config: config).losses.count == 1, "0.8: one step records one loss")
    }
}

/// The reference sweep behind the threshold of `learnsTheMoons` (the notes, section 8): the same run
/// on 12 seeds the test does not use. Not graded (no catalog entry); run it after changing the
/// experiment or the defaults:
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter TrainClassifierSweep
@Suite("lesson 00 training sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct TrainClassifierSweep {
    /// The first step (1-based) with 100% training accuracy, or nil, and the final accuracy.
    static func run(seed: UInt64, config: ClassifierTrainingConfig = .init()) throws -> (first: Int?, final: Double) {
        let (data, model) = try moonsProblem(seed: seed)
        let history = try trainClassifier(model, on: data, config: config)
        return (history.accuracies.firstIndex(of: 1).map { $0 + 1 }, try accuracy(of: model, on: data))
    }

    @Test func sweep() throws {
        let runs = try (UInt64(100)..<112).map { try Self.run(seed: $0) }
        let first = runs.map { $0.first ?? 1_000 }
        let sorted = first.sorted()
        print("lesson 00 sweep, seeds 100-111: first step at 100% \(first), final accuracies \(runs.map(\.final))")
        print("lesson 00 sweep: min \(sorted.first!), median \((sorted[5] + sorted[6]) / 2), max \(sorted.last!); budget 100 steps")
        let tested = try [UInt64(1), 2, 3].map { try Self.run(seed: $0).first ?? 1_000 }
        print("lesson 00 sweep: the test's seeds 1, 2, 3 reach 100% at steps \(tested)")
        // The notes' claim about a gentler step size (section 8), measured on the same seeds.
        var gentle = ClassifierTrainingConfig()
        gentle.learningRate = 1
        gentle.finalLearningRate = 0.1
        let gentleRuns = try (UInt64(100)..<112).map { try Self.run(seed: $0, config: gentle) }
        print("lesson 00 sweep, step size 1 -> 0.1: final accuracies \(gentleRuns.map(\.final)), "
              + "\(gentleRuns.filter { $0.final < 1 }.count) of 12 below 100%")
        #expect(sorted.last! <= 50 && runs.allSatisfy { $0.final == 1 }, "the test's budget of 100 steps must stay at least twice the sweep's worst")
    }
}
