extension LessonInfo {
    /// Lesson 06: off-policy evaluation and importance sampling.
    public static let importanceSampling = LessonInfo(
        id: "06", name: "Off-policy evaluation and importance sampling", directory: "06-ImportanceSampling",
        module: "ImportanceSampling", demo: "importance-sampling",
        exercises: [
            ExerciseInfo(id: "6.1", file: "Ratios.swift", symbol: "trajectoryLogRatio(targetProbabilities:behaviourProbabilities:)",
                         points: 10, suite: "TrajectoryRatioTests",
                         goal: "the log of an episode's importance ratio, a sum of log pi - log b (no underflow on long episodes)"),
            ExerciseInfo(id: "6.2", file: "Estimators.swift", symbol: "OffPolicyEstimate.add(ratio:return:)", points: 20,
                         suite: "OffPolicyEstimateTests",
                         goal: "ordinary and weighted importance sampling, incrementally with running sums"),
            ExerciseInfo(id: "6.3", file: "Estimators.swift",
                         symbol: "perDecisionReturn(rewards:targetProbabilities:behaviourProbabilities:gamma:)", points: 15,
                         suite: "PerDecisionReturnTests",
                         goal: "per-decision importance sampling: each reward weighted by the ratios of the actions before it"),
            ExerciseInfo(id: "6.4", file: "EffectiveSampleSize.swift", symbol: "effectiveSampleSize(logWeights:)", points: 10,
                         suite: "EffectiveSampleSizeTests",
                         goal: "Kish's effective sample size (sum w)^2 / sum w^2 from log-weights, without overflow"),
            ExerciseInfo(id: "6.5", file: "OffPolicyGradient.swift",
                         symbol: "offPolicySurrogate(targetLogProbabilities:behaviourLogProbabilities:rewards:gamma:clip:)",
                         points: 25, suite: "OffPolicySurrogateTests",
                         goal: "the clipped off-policy policy-gradient surrogate: constant weights min(rho_0:t, c) times reward-to-go"),
            ExerciseInfo(id: "6.6", file: "PolicyDivergence.swift", symbol: "meanKLDivergence(pLogits:qLogits:)", points: 20,
                         suite: "PolicyKLTests",
                         goal: "the mean KL divergence between two categorical policies over a batch of states"),
        ],
        // TensorCore's klDivergence(_:_:) computes what 6.6 teaches.
        forbiddenNames: ["klDivergence"]
    )
}
