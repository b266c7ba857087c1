extension LessonInfo {
    /// Lesson 04: DQN and its improvements.
    public static let dqn = LessonInfo(
        id: "04", name: "DQN and its tricks", directory: "04-DQN", module: "DQN", demo: "dqn",
        exercises: [
            ExerciseInfo(id: "4.1", file: "DQNLoss.swift", symbol: "dqnTargets(target:batch:), tdLoss(online:batch:targets:kind:weights:)", points: 20,
                         suite: "DQNTargetTests", goal: "the TD target r + discount (1 - terminated) max Q_target(s', .) as a constant, and the loss of Q(s, a)"),
            ExerciseInfo(id: "4.2", file: "DQNLoss.swift", symbol: "doubleDQNTargets(online:target:batch:)", points: 10,
                         suite: "DoubleDQNTests", goal: "Double DQN: the online network picks the next action, the target network evaluates it"),
            ExerciseInfo(id: "4.3", file: "Dueling.swift", symbol: "DuelingQNetwork.callAsFunction(_:)", points: 10,
                         suite: "DuelingTests", goal: "the dueling head Q = V + A - mean_a A, per state"),
            ExerciseInfo(id: "4.4", file: "NStepReturns.swift", symbol: "nStepReturn(rewards:terminated:truncated:n:gamma:)", points: 15,
                         suite: "NStepReturnTests", goal: "n-step returns: up to n discounted rewards, cut at an episode end, and the bootstrap discount"),
            ExerciseInfo(id: "4.5", file: "SumTree.swift", symbol: "SumTree.update(_:priority:), SumTree.find(prefixSum:)", points: 15,
                         suite: "SumTreeTests", goal: "a sum tree: O(log N) priority updates and prefix-sum search"),
            ExerciseInfo(id: "4.6", file: "PrioritizedReplay.swift", symbol: "PrioritizedReplay.sample(batchSize:beta:using:), updatePriorities(indices:tdErrors:)", points: 15,
                         suite: "PrioritizedReplayTests", goal: "prioritised replay: sampling by priority, importance weights, priorities written back"),
            ExerciseInfo(id: "4.7", file: "DQNAgent.swift", symbol: "DQNAgent.train(progress:)", points: 15,
                         suite: "DQNAgentTests", goal: "the DQN training loop: acting, replay, target network, and the double / dueling / n-step / prioritized options",
                         uses: ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]),
        ]
    )
}
