extension LessonInfo {
    /// Lesson 02: value iteration and policy iteration.
    public static let valueIteration = LessonInfo(
        id: "02", name: "Value iteration", directory: "02-ValueIteration", module: "ValueIteration", demo: "value-iteration",
        exercises: [
            ExerciseInfo(id: "2.1", file: "Bellman.swift", symbol: "bellmanOptimalityBackup(_:values:state:gamma:)", points: 15,
                         suite: "BellmanBackupTests", goal: "the Bellman optimality backup of one state"),
            ExerciseInfo(id: "2.2", file: "ValueIteration.swift", symbol: "valueIteration(_:gamma:tolerance:maxSweeps:initialValues:)", points: 25,
                         suite: "ValueIterationLoopTests", goal: "synchronous value iteration with the max-norm stopping rule", uses: ["2.1"]),
            ExerciseInfo(id: "2.3", file: "ValueIteration.swift", symbol: "qValueIteration(_:gamma:tolerance:maxSweeps:)", points: 20,
                         suite: "QValueIterationTests", goal: "value iteration on action values Q(s, a)"),
            ExerciseInfo(id: "2.4", file: "PolicyIteration.swift", symbol: "greedyPolicy(_:values:gamma:)", points: 15,
                         suite: "GreedyPolicyExtractionTests", goal: "extract the greedy policy of V by a one-step lookahead"),
            ExerciseInfo(id: "2.5", file: "PolicyIteration.swift", symbol: "policyIteration(_:gamma:evaluationTolerance:maxIterations:maxEvaluationSweeps:initialPolicy:)", points: 25,
                         suite: "PolicyIterationTests", goal: "policy iteration: evaluate, improve, stop when stable"),
        ]
    )
}
