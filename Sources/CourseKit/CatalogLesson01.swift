extension LessonInfo {
    /// Lesson 01: Markov decision processes, returns and policy evaluation.
    public static let mdps = LessonInfo(
        id: "01", name: "MDPs", directory: "01-MDPs", module: "MDPs", demo: "mdps",
        exercises: [
            ExerciseInfo(id: "1.1", file: "Returns.swift", symbol: "discountedReturn(_:gamma:)", points: 10,
                         suite: "DiscountedReturnTests", goal: "the discounted return of a list of rewards"),
            ExerciseInfo(id: "1.2", file: "Trajectory.swift", symbol: "sampleTrajectory(in:policy:from:maxSteps:using:)", points: 15,
                         suite: "SampleTrajectoryTests", goal: "roll out a policy in a tabular MDP"),
            ExerciseInfo(id: "1.3", file: "PolicyEvaluation.swift", symbol: "evaluatePolicyIteratively(_:in:gamma:tolerance:maxSweeps:)", points: 20,
                         suite: "IterativeEvaluationTests", goal: "iterative policy evaluation with the Bellman expectation backup"),
            ExerciseInfo(id: "1.4", file: "PolicyEvaluation.swift", symbol: "evaluatePolicyExactly(_:in:gamma:)", points: 20,
                         suite: "ExactEvaluationTests", goal: "solve (I - gamma P_pi) v = r_pi"),
            ExerciseInfo(id: "1.5", file: "ActionValues.swift", symbol: "actionValues(from:in:gamma:)", points: 15,
                         suite: "ActionValuesTests", goal: "Q(s, a) from V with a one-step lookahead"),
            ExerciseInfo(id: "1.6", file: "ActionValues.swift", symbol: "greedyPolicy(from:)", points: 10,
                         suite: "GreedyPolicyTests", goal: "the greedy policy of a Q table"),
            ExerciseInfo(id: "1.7", file: "ActionValues.swift", symbol: "advantages(q:v:)", points: 10,
                         suite: "AdvantageTests", goal: "A(s, a) = Q(s, a) - V(s)"),
        ]
    )
}
