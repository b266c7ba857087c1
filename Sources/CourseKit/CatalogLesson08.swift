extension LessonInfo {
    /// Lesson 08: soft actor-critic.
    public static let sac = LessonInfo(
        id: "08", name: "Soft actor-critic", directory: "08-SAC", module: "SAC", demo: "sac",
        exercises: [
            ExerciseInfo(id: "8.1", file: "SoftBellmanTarget.swift", symbol: "softBellmanTargets(batch:policy:targetCritics:alpha:using:)", points: 15,
                         suite: "SoftBellmanTargetTests", goal: "the soft Bellman target r + discount (1 - terminated)(min_j Q'_j(s', a') - alpha log pi(a'|s')), a' ~ pi(.|s'), as a constant"),
            ExerciseInfo(id: "8.2", file: "TanhGaussian.swift", symbol: "TanhGaussian.logProbability(preSquash:), TanhGaussian.sample(using:)", points: 20,
                         suite: "TanhGaussianTests", goal: "the tanh-squashed Gaussian: a reparameterised sample and log pi(a) = log N(u) - log(1 - tanh(u)^2), stable for large |u|"),
            ExerciseInfo(id: "8.3", file: "CriticLoss.swift", symbol: "twinCriticLoss(critics:batch:targets:)", points: 10,
                         suite: "TwinCriticLossTests", goal: "the twin critics' loss: each Q_j(s, a) regressed on the same targets, the two mean squared errors summed"),
            ExerciseInfo(id: "8.4", file: "ActorLoss.swift", symbol: "actorLoss(policy:critics:observations:alpha:using:)", points: 15,
                         suite: "ActorLossTests", goal: "the actor's loss mean(alpha log pi(a~|s) - min_j Q_j(s, a~)) through a reparameterised action"),
            ExerciseInfo(id: "8.5", file: "Temperature.swift", symbol: "Temperature.loss(logProbabilities:), Temperature.update(logProbabilities:)", points: 15,
                         suite: "TemperatureTests", goal: "automatic temperature: J = mean(-alpha (log pi + H-bar)) and an Adam step on log alpha"),
            ExerciseInfo(id: "8.6", file: "SACAgent.swift", symbol: "SACAgent.train(progress:)", points: 25,
                         suite: "SACAgentTests", goal: "the SAC loop: act, replay, soft targets, critics, actor, temperature, Polyak targets, evaluation",
                         uses: ["8.1", "8.2", "8.3", "8.4", "8.5"]),
        ],
        // The core's tanh-squashed Gaussian would do exercise 8.2's work (the SAC benchmark uses it).
        forbiddenNames: ["SquashedGaussian"]
    )
}
