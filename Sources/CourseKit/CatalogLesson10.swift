extension LessonInfo {
    /// Lesson 10: goal-conditioned RL and hindsight experience replay.
    public static let hindsight = LessonInfo(
        id: "10", name: "Hindsight experience replay", directory: "10-Hindsight", module: "Hindsight", demo: "hindsight",
        exercises: [
            ExerciseInfo(id: "10.1", file: "GoalReward.swift", symbol: "SparseGoalReward.isReached(achieved:desired:), SparseGoalReward.reward(achieved:desired:)", points: 15,
                         suite: "GoalRewardTests", goal: "the sparse goal reward: 0 when the achieved goal is within tolerance of the goal, -1 otherwise; the goal check ends the episode"),
            ExerciseInfo(id: "10.2", file: "Relabelling.swift", symbol: "relabel(_:strategy:reward:using:)", points: 30,
                         suite: "RelabelTests", goal: "hindsight relabelling of one episode with the final and future strategies, reward and termination recomputed for each new goal"),
            ExerciseInfo(id: "10.3", file: "GoalConditionedQ.swift", symbol: "goalConditionedInput(state:goal:), goalTDLoss(online:target:batch:targetRange:)", points: 25,
                         suite: "GoalTDLossTests", goal: "the goal-conditioned input (state, then goal) and DQN's clipped TD loss on a relabelled minibatch"),
            ExerciseInfo(id: "10.4", file: "HERAgent.swift", symbol: "HERAgent.train(progress:)", points: 30,
                         suite: "HERAgentTests", goal: "the agent: play episodes, store them with hindsight goals, learn after every cycle, evaluate the success rate",
                         uses: ["10.1", "10.2", "10.3"]),
        ]
    )
}
