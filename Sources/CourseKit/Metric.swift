/// The names every training run logs, so that demos, plots, tests and
/// notebooks read the same columns in every lesson. They follow the
/// vocabulary practitioners read in CleanRL's logs: `charts/` for what the
/// agent experiences, `losses/` for what the updates see, `eval/` for the
/// policy measured on its own. A lesson adds its names here, once.
public enum Metric {
    /// The environment step at which a row was logged (every log has it).
    public static let step = "step"

    // MARK: charts/: the agent's experience

    /// The undiscounted return of an episode that just finished.
    public static let episodicReturn = "charts/episodic_return"
    /// The length of an episode that just finished.
    public static let episodicLength = "charts/episodic_length"
    /// Environment steps per second since the start of the run.
    public static let stepsPerSecond = "charts/SPS"
    /// The exploration rate of an epsilon-greedy agent.
    public static let epsilon = "charts/epsilon"
    /// The learning rate of the optimiser (annealed in PPO).
    public static let learningRate = "charts/learning_rate"
    /// The fraction of recent training episodes that reached their goal
    /// (goal-conditioned tasks; lesson 10 logs it once per cycle of episodes).
    public static let successRate = "charts/success_rate"

    // MARK: eval/: the policy on its own

    /// The mean return of an evaluation of the policy (greedy or
    /// deterministic, no exploration) over seeded episodes.
    public static let evaluationReturn = "eval/episodic_return"
    /// The fraction of evaluation episodes (greedy policy, seeded) that
    /// reached their goal.
    public static let evaluationSuccessRate = "eval/success_rate"

    // MARK: losses/: what the updates see

    /// The TD loss of the last minibatch (DQN).
    public static let tdLoss = "losses/td_loss"
    /// The mean predicted Q(s, a) of the last minibatch (DQN).
    public static let qValues = "losses/q_values"
    /// The policy (surrogate) loss of the last update.
    public static let policyLoss = "losses/policy_loss"
    /// The value (critic) loss of the last update.
    public static let valueLoss = "losses/value_loss"
    /// The mean entropy of the policy over the last minibatch.
    public static let entropy = "losses/entropy"
    /// The approximate KL divergence between the old and the new policy.
    public static let approxKL = "losses/approx_kl"
    /// The fraction of ratios the PPO clip bound.
    public static let clipFraction = "losses/clipfrac"
    /// 1 - Var(returns - values) / Var(returns): how much of the returns' variance the critic explains.
    public static let explainedVariance = "losses/explained_variance"
    /// The KL penalty's coefficient beta (PPO's adaptive-KL variant).
    public static let klCoefficient = "losses/kl_beta"
    /// The first soft Q-network's loss (SAC).
    public static let qf1Loss = "losses/qf1_loss"
    /// The second soft Q-network's loss (SAC).
    public static let qf2Loss = "losses/qf2_loss"
    /// The mean Q_1(s, a) of the last minibatch (SAC).
    public static let qf1Values = "losses/qf1_values"
    /// The mean Q_2(s, a) of the last minibatch (SAC).
    public static let qf2Values = "losses/qf2_values"
    /// The actor's loss (SAC).
    public static let actorLoss = "losses/actor_loss"
    /// The entropy temperature alpha (SAC).
    public static let alpha = "losses/alpha"
    /// The temperature's loss (SAC).
    public static let alphaLoss = "losses/alpha_loss"
    /// The mean behaviour-cloning loss over an epoch's minibatches (imitation).
    public static let behaviourCloningLoss = "losses/bc_loss"
    /// The behaviour-cloning loss on the held-out validation episodes (imitation).
    public static let validationLoss = "losses/validation_loss"
    /// How far the greedy policy's actions are from the expert's labels on the
    /// validation episodes: the error rate for discrete actions, the mean
    /// distance for continuous ones (imitation).
    public static let validationActionError = "losses/validation_action_error"
}
