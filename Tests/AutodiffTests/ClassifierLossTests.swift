import CourseKit
import Autodiff
import Testing

/// A linear classifier s = x1 - 2 x2 + 0.5 and four points: (1, 0) and (0, 1) labelled +1,
/// (0.5, 0.25) and (-1, 0.5) labelled -1. Scores 1.5, -1.5, 0.5, -1.5; hinge losses 0, 2.5, 1.5, 0.
func linearExample() throws -> (model: ValueMLP, data: MoonsDataSet) {
    (try ValueMLP(weights: [[[1, -2]]], biases: [[0.5]]),
     try MoonsDataSet(points: [[1, 0], [0, 1], [0.5, 0.25], [-1, 0.5]], labels: [1, 1, -1, -1]))
}

/// The mean hinge loss + l2 * sum p^2 of the linear classifier (w1, w2, b) on `data`, and its
/// gradient, in plain numbers: the tests' own reference.
func linearHinge(_ p: [Double], _ data: MoonsDataSet, l2: Double) -> (loss: Double, gradient: [Double]) {
    var loss = 0.0
    var gradient = [0.0, 0.0, 0.0]
    let n = Double(data.count)
    for (x, y) in zip(data.points, data.labels) {
        let s = p[0] * x[0] + p[1] * x[1] + p[2]
        if 1 - y * s > 0 {
            loss += (1 - y * s) / n
            for (k, input) in [x[0], x[1], 1].enumerated() { gradient[k] -= y * input / n }
        }
    }
    for k in 0..<3 {
        loss += l2 * p[k] * p[k]
        gradient[k] += 2 * l2 * p[k]
    }
    return (loss, gradient)
}

@Suite("0.7 classifierLoss")
struct ClassifierLossTests {
    @Test("the hinge loss, the L2 penalty and the accuracy by hand")
    func byHand() throws {
        let (model, data) = try linearExample()
        let result = try classifierLoss(model, on: data, l2: 0.1)
        // Data part (0 + 2.5 + 1.5 + 0) / 4 = 1; penalty 0.1 (1 + 4 + 0.25) = 0.525.
        let loss = result.loss.data
        if close(loss, 4 + 0.525) { Issue.record("0.7: the mean over the points, not the sum: the data part is (0 + 2.5 + 1.5 + 0) / 4 = 1, got a loss of \(f(loss))") }
        if close(loss, 1) { Issue.record("0.7: the L2 penalty is missing: add l2 * (sum of every parameter squared) = 0.1 * (1 + 4 + 0.25) = 0.525") }
        if close(loss, 1.375 + 0.525) { Issue.record("0.7: the margin is y s: a point costs max(0, 1 - y s), which is 0 once it is on its side with y s >= 1; got \(f(loss)), as with 1 + y s") }
        if close(loss, 1 - 0.05) { Issue.record("0.7: the penalty squares the parameters: l2 * sum p^2, not l2 * sum p") }
        if close(loss, 1.5) { Issue.record("0.7: the penalty covers every parameter, biases too: 0.1 * (1^2 + (-2)^2 + 0.5^2) = 0.525, got 0.5 (weights only)") }
        #expect(close(loss, 1.525), "0.7: L = (0 + 2.5 + 1.5 + 0) / 4 + 0.1 (1^2 + (-2)^2 + 0.5^2) = 1.525, got \(f(loss))")
        #expect(result.scores.count == 4 && zip(result.scores.map(\.data), [1.5, -1.5, 0.5, -1.5]).allSatisfy { close($0, $1) },
                "0.7: the scores are the model's outputs for the points in order, [1.5, -1.5, 0.5, -1.5]; got \(f(result.scores.map(\.data)))")
        if result.accuracy == 2 { Issue.record("0.7: the accuracy is a fraction in [0, 1] (correct points / all points), not a count") }
        #expect(result.accuracy == 0.5, "0.7: points 1 and 4 are on their label's side (s y > 0), points 2 and 3 are not: accuracy 0.5, got \(result.accuracy)")
    }

    @Test("the loss is a graph that reaches every parameter")
    func gradientsReachTheParameters() throws {
        let (model, data) = try linearExample()
        let result = try classifierLoss(model, on: data, l2: 0.1)
        referenceBackward(result.loss)
        let got = model.parameters.map(\.grad)
        let expected = linearHinge([1, -2, 0.5], data, l2: 0.1).gradient
        #expect(!got.allSatisfy { $0 == 0 },
                "0.7: no gradient reached the parameters: build the loss from Value operations on the model's scores (plus, times, relu, power), not from their .data numbers")
        #expect(zip(got, expected).allSatisfy { close($0, $1, 1e-12) },
                "0.7: dL/d(w1, w2, b) = \(f(expected)) (the mean of -y x over the points with 1 - y s > 0, plus 2 l2 p), got \(f(got))")
    }

    @Test("on the moons with a hidden layer: the same formula as the tests compute")
    func moons() throws {
        let (data, model) = try moonsProblem(seed: 3)
        let result = try classifierLoss(model, on: data, l2: 1e-3)
        let scores = try data.points.map { try model($0).data }
        var expected = zip(scores, data.labels).map { Swift.max(0, 1 - $0 * $1) }.reduce(0, +) / Double(data.count)
        expected += 1e-3 * model.parameters.map { $0.data * $0.data }.reduce(0, +)
        let accuracy = Double(zip(scores, data.labels).filter { $0 * $1 > 0 }.count) / Double(data.count)
        #expect(close(result.loss.data, expected, 1e-9), "0.7: on moonsProblem(seed: 3) with l2 = 0.001 the loss is \(f(expected, 6)), got \(f(result.loss.data, 6))")
        #expect(close(result.accuracy, accuracy), "0.7: on moonsProblem(seed: 3) the accuracy is \(accuracy), got \(result.accuracy)")
    }

    @Test("bad input: a negative l2")
    func badInput() throws {
        let (model, data) = try linearExample()
        #expect(errorText { _ = try classifierLoss(model, on: data, l2: -1) } == "classifierLoss: invalid l2: got -1.0, expected a finite number >= 0",
                "0.7: a negative l2 is refused with InvalidArgument (the check above the TODO; keep it)")
        #expect(throws: InvalidArgument.self, "0.7: an empty data set is refused where it is made") { _ = try MoonsDataSet(points: [], labels: []) }
        #expect(throws: InvalidArgument.self, "0.7: makeMoons needs at least 2 points") { _ = try makeMoons(count: 0, seed: 1) }
        // The refusals are not enough on their own: the loss must also compute.
        #expect(close(try classifierLoss(model, on: data, l2: 0).loss.data, 1), "0.7: with l2 = 0 the loss is the mean hinge loss, 1")
    }
}
