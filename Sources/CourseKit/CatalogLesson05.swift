extension LessonInfo {
    /// Lesson 05: REINFORCE and the policy gradient.
    public static let policyGradient = LessonInfo(
        id: "05", name: "REINFORCE and the policy gradient", directory: "05-PolicyGradient", module: "PolicyGradient",
        demo: "reinforce",
        exercises: [
            ExerciseInfo(id: "5.1", file: "ScoreFunctions.swift", symbol: "softmaxScore(features:theta:action:), gaussianScore(features:theta:sigma:action:)", points: 20,
                         suite: "ScoreFunctionTests", goal: "the score grad log pi: phi(s, a) - E_pi[phi(s, .)] for a linear softmax, (a - mu) phi / sigma^2 and the sigma derivative for a Gaussian"),
            ExerciseInfo(id: "5.2", file: "TrajectoryLogProbability.swift", symbol: "trajectoryLogProbabilities(policy:batch:)", points: 10,
                         suite: "TrajectoryLogProbabilityTests", goal: "log pi(tau): the sum of log pi(a_t | s_t) over each episode's own steps (the dynamics drop out)"),
            ExerciseInfo(id: "5.3", file: "Returns.swift", symbol: "episodeReturns(_:gamma:), rewardsToGo(_:gamma:)", points: 15,
                         suite: "ReturnTests", goal: "the discounted return of each whole episode at every step, and reward-to-go, each episode on its own"),
            ExerciseInfo(id: "5.4", file: "Baselines.swift", symbol: "meanReturnBaseline(_:), ValueBaseline.fit(observations:returns:)", points: 15,
                         suite: "BaselineTests", goal: "the mean-return baseline and one regression step of a learned V(s)"),
            ExerciseInfo(id: "5.5", file: "SurrogateLoss.swift", symbol: "surrogateLoss(logProbabilities:weights:)", points: 15,
                         suite: "SurrogateLossTests", goal: "-(1/N) sum log pi(a | s) Psi with constant weights, whose gradient is minus the policy-gradient estimate"),
            ExerciseInfo(id: "5.6", file: "ReinforceAgent.swift", symbol: "ReinforceAgent.train(progress:)", points: 25,
                         suite: "ReinforceAgentTests", goal: "the REINFORCE loop: sample whole episodes, weight log pi by returns minus a baseline, one update per batch",
                         uses: ["5.2", "5.3", "5.4", "5.5"]),
        ],
        // The shared version of reward-to-go (exercise 5.3) is out of this lesson's reach.
        forbiddenNames: ["discountedReturnsToGo"]
    )
}
