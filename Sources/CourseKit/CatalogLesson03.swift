extension LessonInfo {
    /// Lesson 03: Monte Carlo and temporal-difference learning.
    public static let monteCarloTD = LessonInfo(
        id: "03", name: "Monte Carlo vs temporal difference", directory: "03-MonteCarloTD", module: "MonteCarloTD", demo: "mc-td",
        exercises: [
            ExerciseInfo(id: "3.1", file: "Prediction.swift", symbol: "monteCarloPrediction(_:stateCount:gamma:firstVisit:), constantAlphaMonteCarlo(values:episode:alpha:gamma:)", points: 15,
                         suite: "MonteCarloPredictionTests", goal: "first-visit, every-visit and constant-alpha Monte Carlo prediction"),
            ExerciseInfo(id: "3.2", file: "Prediction.swift", symbol: "tdZero(values:episode:alpha:gamma:)", points: 10,
                         suite: "TDZeroTests", goal: "online TD(0) prediction"),
            ExerciseInfo(id: "3.3", file: "Prediction.swift", symbol: "nStepTD(values:episode:n:alpha:gamma:)", points: 15,
                         suite: "NStepTDTests", goal: "n-step TD prediction, from TD(0) to Monte Carlo"),
            ExerciseInfo(id: "3.4", file: "Control.swift", symbol: "epsilonGreedy(_:epsilon:using:)", points: 10,
                         suite: "EpsilonGreedyTests", goal: "epsilon-greedy action selection with random tie-breaking"),
            ExerciseInfo(id: "3.5", file: "Control.swift", symbol: "sarsaEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)", points: 15,
                         suite: "SarsaTests", goal: "one episode of SARSA (on-policy TD control)", uses: ["3.4"]),
            ExerciseInfo(id: "3.6", file: "Control.swift", symbol: "qLearningEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)", points: 10,
                         suite: "QLearningTests", goal: "one episode of Q-learning (off-policy TD control)", uses: ["3.4"]),
            ExerciseInfo(id: "3.7", file: "Control.swift", symbol: "doubleQLearningUpdate(q1:q2:...), doubleQLearningEpisode(_:q1:q2:alpha:gamma:epsilon:maxSteps:using:)", points: 15,
                         suite: "DoubleQLearningTests", goal: "Double Q-learning: one table picks, the other evaluates", uses: ["3.4"]),
            ExerciseInfo(id: "3.8", file: "Control.swift", symbol: "expectedSarsaEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)", points: 10,
                         suite: "ExpectedSarsaTests", goal: "one episode of Expected SARSA", uses: ["3.4"]),
        ]
    )
}
