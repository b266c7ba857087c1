extension LessonInfo {
    /// Lesson 00: the tensor core from the inside, a scalar autodiff engine and two custom tensor operations.
    public static let autodiff = LessonInfo(
        id: "00", name: "Autodiff from scratch", directory: "00-Autodiff", module: "Autodiff", demo: "autodiff",
        exercises: [
            ExerciseInfo(id: "0.1", file: "Operations.swift",
                         symbol: "Value.plus(_:), times(_:), power(_:), tanh(), exponential(), logarithm(), relu()",
                         points: 20, suite: "ValueOperationTests",
                         goal: "the forward value and the local backward rule of seven scalar operations"),
            ExerciseInfo(id: "0.2", file: "Backward.swift", symbol: "Value.topologicalOrder()", points: 10,
                         suite: "TopologicalOrderTests",
                         goal: "every value of the graph once, each after its inputs, without recursion"),
            ExerciseInfo(id: "0.3", file: "Backward.swift", symbol: "Value.backward()", points: 15,
                         suite: "BackwardTests",
                         goal: "reverse mode: dL/dL = 1, then every local rule in reverse topological order",
                         uses: ["0.2"]),
            ExerciseInfo(id: "0.4", file: "GradientChecker.swift",
                         symbol: "finiteDifferenceCheck(_:at:analytic:step:tolerance:)", points: 10,
                         suite: "FiniteDifferenceTests",
                         goal: "a central-difference gradient checker in Double that reports every mismatch"),
            ExerciseInfo(id: "0.5", file: "TensorOperations.swift", symbol: "softplusOperation(_:)", points: 10,
                         suite: "SoftplusOperationTests",
                         goal: "softplus as a custom Tensor operation through Tensor.record, stable in Float"),
            ExerciseInfo(id: "0.6", file: "TensorOperations.swift", symbol: "logSumExpRows(_:)", points: 10,
                         suite: "LogSumExpOperationTests",
                         goal: "a row-wise log-sum-exp through Tensor.record: its gradient spreads each row's g back"),
            ExerciseInfo(id: "0.7", file: "Training.swift", symbol: "classifierLoss(_:on:l2:)", points: 10,
                         suite: "ClassifierLossTests",
                         goal: "the mean hinge loss with an L2 penalty, built from Values, and the accuracy",
                         uses: ["0.1"]),
            ExerciseInfo(id: "0.8", file: "Training.swift", symbol: "trainClassifier(_:on:config:progress:)", points: 15,
                         suite: "TrainClassifierTests",
                         goal: "full-batch gradient descent with your engine until two moons are 100% separated",
                         uses: ["0.1", "0.2", "0.3", "0.7"]),
        ],
        // The core's versions of what the exercises build: its gradient checker, its softplus and
        // log-sum-exp (and their relatives), and the layers and optimisers that would train a classifier.
        forbiddenNames: ["gradientCheck", "softplus", "sigmoid", "logSumExp", "softmax", "logSoftmax",
                         "MLP", "Linear", "Adam", "SGD", "matmul", "affine", "mseLoss", "huberLoss"]
    )
}
