extension LessonInfo {
    /// Lesson 09: imitation learning, behaviour cloning and DAgger.
    public static let imitation = LessonInfo(
        id: "09", name: "Imitation learning: behaviour cloning and DAgger", directory: "09-Imitation",
        module: "Imitation", demo: "imitation",
        exercises: [
            ExerciseInfo(id: "9.1", file: "Recording.swift", symbol: "recordDemonstrations(in:steps:seed:act:label:)",
                         points: 15, suite: "RecordingTests",
                         goal: "roll out a policy and label every state it visits with the expert's action"),
            ExerciseInfo(id: "9.2", file: "BehaviourCloningLoss.swift", symbol: "regressionLoss(predictions:targets:)",
                         points: 10, suite: "RegressionLossTests",
                         goal: "behaviour cloning by regression: the squared error summed over the action, averaged over the batch"),
            ExerciseInfo(id: "9.3", file: "BehaviourCloningLoss.swift",
                         symbol: "categoricalNegativeLogLikelihood(logits:actions:), gaussianNegativeLogLikelihood(mean:logStandardDeviation:actions:)",
                         points: 15, suite: "LikelihoodLossTests",
                         goal: "behaviour cloning by maximum likelihood: the negative log-likelihood of the expert's actions, categorical and Gaussian"),
            ExerciseInfo(id: "9.4", file: "Demonstrations.swift", symbol: "Demonstrations.splitByEpisode(validationFraction:using:)",
                         points: 10, suite: "ValidationSplitTests",
                         goal: "hold out whole episodes for validation, chosen at random"),
            ExerciseInfo(id: "9.5", file: "BehaviourCloning.swift", symbol: "BehaviourCloning.train(progress:)",
                         points: 20, suite: "BehaviourCloningTests",
                         goal: "the behaviour-cloning loop: shuffled minibatches, a validation loss every epoch, the best epoch kept",
                         uses: ["9.3", "9.4"]),
            ExerciseInfo(id: "9.6", file: "StateDrift.swift", symbol: "stateDrift(from:to:)", points: 10,
                         suite: "StateDriftTests",
                         goal: "the learner's drift: mean distance to the nearest expert state, in the expert's standard deviations"),
            ExerciseInfo(id: "9.7", file: "DAgger.swift", symbol: "DAgger.train(progress:)", points: 20,
                         suite: "DAggerTests",
                         goal: "DAgger: roll out the learner, label its states with the expert, aggregate, retrain",
                         uses: ["9.1", "9.2", "9.3", "9.4", "9.5"]),
        ],
        // TensorCore's versions of what 9.2 and 9.3 ask for: the mean squared error and the
        // log-probabilities of categorical and Gaussian distributions.
        forbiddenNames: ["mseLoss", "Categorical", "DiagonalGaussian"]
    )
}
