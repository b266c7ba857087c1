extension LessonInfo {
    /// Lesson 07: actor-critic, GAE and PPO.
    public static let ppo = LessonInfo(
        id: "07", name: "Actor-critic, GAE and PPO", directory: "07-PPO", module: "PPO", demo: "ppo",
        exercises: [
            ExerciseInfo(id: "7.1", file: "ActorCritic.swift", symbol: "actorCriticLoss(logProbabilities:values:nextValues:rewards:terminated:gamma:)", points: 10,
                         suite: "ActorCriticTests", goal: "one-step actor-critic: the critic's target r + gamma (1 - terminated) V(s') and the advantage y - V(s), both constants, and the two losses"),
            ExerciseInfo(id: "7.2", file: "GAE.swift", symbol: "generalizedAdvantages(_:lastValues:gamma:lambda:)", points: 20,
                         suite: "GAETests", goal: "GAE over N environments x T steps: reset at episode ends, bootstrap on truncation and at the rollout's end, not on termination; returns = A + V"),
            ExerciseInfo(id: "7.3", file: "ClippedSurrogate.swift", symbol: "clippedSurrogateLoss(newLogProbabilities:oldLogProbabilities:advantages:clipEpsilon:)", points: 15,
                         suite: "ClippedSurrogateTests", goal: "-mean(min(r A, clip(r, 1 - eps, 1 + eps) A)) with r = exp(log pi_new - log pi_old), zero gradient where the clip binds"),
            ExerciseInfo(id: "7.4", file: "KLPenalty.swift", symbol: "klEstimate(newLogProbabilities:oldLogProbabilities:), klPenaltyLoss(newLogProbabilities:oldLogProbabilities:advantages:beta:), adaptiveKLCoefficient(beta:kl:target:)", points: 10,
                         suite: "KLPenaltyTests", goal: "the adaptive-KL variant: the estimate (r - 1) - log r, the penalised surrogate, beta doubled above 1.5 x target and halved below target / 1.5"),
            ExerciseInfo(id: "7.5", file: "PPOLoss.swift", symbol: "ppoLoss(policyLoss:newValues:oldValues:returns:entropy:valueCoefficient:entropyCoefficient:valueClip:), ppoDiagnostics(newLogProbabilities:oldLogProbabilities:clipEpsilon:), explainedVariance(predictions:targets:)", points: 15,
                         suite: "PPOLossTests", goal: "the full loss (value loss with optional clipping, entropy bonus) and the diagnostics: approximate KL, clip fraction, explained variance"),
            ExerciseInfo(id: "7.6", file: "Policies.swift", symbol: "CategoricalPolicy.act(_:using:), .evaluate(_:actions:), GaussianPolicy.act(_:using:), .evaluate(_:actions:)", points: 10,
                         suite: "PolicyTests", goal: "a categorical and a diagonal Gaussian policy: sample, store, log-probabilities and entropies; Gaussian actions clipped for the environment only"),
            ExerciseInfo(id: "7.7", file: "PPOAgent.swift", symbol: "PPOAgent.train(progress:)", points: 20,
                         suite: "PPOAgentTests", goal: "the PPO loop: vectorised rollouts, GAE with bootstraps, epochs of minibatch updates, annealing, evaluation",
                         uses: ["7.2", "7.3", "7.4", "7.5", "7.6"]),
        ],
        // RLKit's returns to go is GAE's backward sum with gamma lambda as the discount (7.2 teaches it).
        forbiddenNames: ["discountedReturnsToGo"]
    )
}
