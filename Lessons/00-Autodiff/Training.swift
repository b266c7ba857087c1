import CourseKit

/// The settings of `trainClassifier`: full-batch gradient descent on the hinge loss.
public struct ClassifierTrainingConfig: Sendable, Equatable {
    /// The number of gradient steps, each over the whole data set.
    public var steps = 100
    /// The step size of the first step, > 0.
    public var learningRate = 6.0
    /// The step size of the last step, > 0: the rate falls linearly from `learningRate` to this.
    public var finalLearningRate = 0.6
    /// The weight of the L2 penalty on the parameters, >= 0.
    public var l2 = 1e-4

    /// The lesson's settings, for two moons of 60 points and a [2, 16, 1] network.
    public init() {}

    /// The step size of step `step` (0-based) of `steps`: linear from `learningRate` to
    /// `finalLearningRate`.
    public func learningRate(at step: Int) -> Double {
        guard steps > 1 else { return learningRate }
        let fraction = Double(step) / Double(steps - 1)
        return learningRate + (finalLearningRate - learningRate) * fraction
    }

    /// Checks every setting.
    ///
    /// - Throws: `InvalidArgument` naming the first bad setting.
    public func validate() throws {
        try Validate.count(steps, "steps", in: "ClassifierTrainingConfig")
        try Validate.positive(learningRate, "learningRate", in: "ClassifierTrainingConfig")
        try Validate.positive(finalLearningRate, "finalLearningRate", in: "ClassifierTrainingConfig")
        try Validate.nonNegative(l2, "l2", in: "ClassifierTrainingConfig")
    }
}

/// The loss of a classifier on a data set, with what it was computed from.
public struct ClassifierLoss {
    /// The loss L, a `Value` whose graph reaches every parameter.
    public var loss: Value
    /// The score s_i of every point, in data-set order.
    public var scores: [Value]
    /// The fraction of points whose score has the sign of their label (s_i > 0 for +1, s_i < 0 for -1).
    public var accuracy: Double

    /// Creates the record.
    public init(loss: Value, scores: [Value], accuracy: Double) {
        self.loss = loss
        self.scores = scores
        self.accuracy = accuracy
    }
}

/// What `trainClassifier` measured at each step.
public struct ClassifierTrainingHistory: Sendable, Equatable {
    /// The loss before each step's update, one entry per step.
    public var losses: [Double]
    /// The training accuracy before each step's update, one entry per step.
    public var accuracies: [Double]

    /// Creates a history.
    public init(losses: [Double] = [], accuracies: [Double] = []) {
        self.losses = losses
        self.accuracies = accuracies
    }
}

/// The mean hinge loss of `model` on `data` with an L2 penalty:
/// ```math
/// L = \frac1N \sum_{i=1}^{N} \max(0,\, 1 - y_i s_i) + \lambda \sum_{p} p^2,
/// ```
/// where s_i is the model's score of point i, y_i = +1 or -1 its label, and p runs over every weight
/// and bias. A point costs nothing once it is on the right side with a margin y_i s_i >= 1.
///
/// - Parameters:
///   - model: the network.
///   - data: the points and labels.
///   - l2: lambda, >= 0.
/// - Returns: the loss (a `Value` whose graph reaches every parameter, so that `backward()` fills in
///   their gradients), the scores and the accuracy.
/// - Throws: `InvalidArgument` for a negative or non-finite `l2`.
public func classifierLoss(_ model: ValueMLP, on data: MoonsDataSet, l2: Double) throws -> ClassifierLoss {
    try Validate.nonNegative(l2, "l2", in: "classifierLoss")
    // TODO(0.7): mean of relu(1 - y_i s_i) + l2 * sum of p^2, built from Values; and the accuracy
    throw ExerciseError.notImplemented("0.7", file: "Lessons/00-Autodiff/Training.swift", hint: "mean of relu(1 - y_i s_i) + l2 * sum of p^2, built from Values; and the accuracy")
}

/// Trains `model` in place by full-batch gradient descent on `classifierLoss`.
///
/// Each of `config.steps` steps: compute the loss on all of `data`; set every parameter's `grad` to
/// 0; `backward()`; move every parameter against its gradient, p <- p - eta_k dL/dp, with the step
/// size eta_k = `config.learningRate(at: k)`; record the loss and the accuracy (both from before the
/// update).
///
/// - Parameters:
///   - model: the network; its parameters change.
///   - data: the training set.
///   - config: steps, step sizes and the L2 weight.
///   - progress: called after each step with the number of steps done (for progress bars).
/// - Returns: the loss and accuracy of every step.
/// - Throws: `InvalidArgument` for a bad setting.
@discardableResult
public func trainClassifier(_ model: ValueMLP, on data: MoonsDataSet, config: ClassifierTrainingConfig = .init(),
                            progress: ((Int) -> Void)? = nil) throws -> ClassifierTrainingHistory {
    try config.validate()
    // TODO(0.8): each step: loss, zero the grads, backward, p -= lr * grad; record loss and accuracy
    throw ExerciseError.notImplemented("0.8", file: "Lessons/00-Autodiff/Training.swift", hint: "each step: loss, zero the grads, backward, p -= lr * grad; record loss and accuracy")
}

/// The fraction of `data`'s points that `model` classifies correctly (score > 0 for +1, < 0 for -1).
public func accuracy(of model: ValueMLP, on data: MoonsDataSet) throws -> Double {
    var correct = 0
    for (point, label) in zip(data.points, data.labels) where try model(point).data * label > 0 { correct += 1 }
    return Double(correct) / Double(data.count)
}

/// The lesson's experiment, fixed by one seed: 60 noisy moons (noise 0.1) and a fresh
/// [2, 16, 1] tanh network. The tests, the sweep and the demo all start from it.
public func moonsProblem(seed: UInt64) throws -> (data: MoonsDataSet, model: ValueMLP) {
    (try makeMoons(count: 60, noise: 0.1, seed: seed),
     try ValueMLP(inputCount: 2, hiddenSizes: [16], activation: .tanh, seed: seed &+ 1_000))
}
