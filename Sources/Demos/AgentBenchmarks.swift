import DQN
import Environments
import Foundation
import PolicyGradient
import PPO
import SAC
import Imitation
import Hindsight

/// The deep lessons' agent loops as benchmarks for `deeprl bench` (they run
/// the lessons' code, so they measure the reference only in a build with
/// DEEPRL_IMPL=solutions).
public enum AgentBenchmarks {
    /// The keys of the agent benchmarks, in lesson order.
    public static let keys = ["dqn_agent_steps_per_s", "reinforce_agent_steps_per_s", "ppo_agent_steps_per_s",
                              "sac_agent_steps_per_s", "dagger_agent_steps_per_s",
                              "hindsight_agent_steps_per_s"]

    /// (key, value, workload) of every agent benchmark (of those in `only`).
    ///
    /// - `dqn_agent_steps_per_s`: environment steps per second of lesson
    ///   04's full training loop at the demo's settings (Double DQN, dueling,
    ///   3-step returns, batch 64, one update every 2 steps), updates and
    ///   acting included, evaluation left out; the median of 3 runs of
    ///   20,000 steps.
    /// - `reinforce_agent_steps_per_s`: the same for lesson 05's REINFORCE
    ///   loop at the demo's settings (reward-to-go, a learned value baseline,
    ///   one policy update and 10 critic steps per 250+ steps of whole
    ///   episodes); the median of 3 runs of 50,000 steps.
    /// - `ppo_agent_steps_per_s`: the same for lesson 07's PPO agent at the
    ///   CartPole demo's settings (8 environments x 32 steps, 20 epochs of
    ///   one minibatch of 256), rollouts and updates included, evaluation
    ///   left out; the median of 3 runs of 51,200 steps.
    /// - `sac_agent_steps_per_s`: the same for lesson 08's loop at the
    ///   demo's settings (`SACConfig()`: 64-64 networks, batch 128, one critic,
    ///   actor and temperature update per step after 256 random steps) on
    ///   Pendulum-v1; the median of 3 runs of 5,000 steps.
    /// - `dagger_agent_steps_per_s`: expert-labelled environment steps per
    ///   second of lesson 09's DAgger loop at the demo's settings (Pendulum,
    ///   400 labels and 6 rounds of 200, behaviour cloning of 150 epochs after
    ///   each round), training included, one evaluation episode per round; the
    ///   median of 3 runs.
    /// - `hindsight_agent_steps_per_s`: environment steps per second of lesson
    ///   10's loop at the demo's settings (DQN + HER, future with k = 4, 40
    ///   updates of batch 128 per cycle of 16 episodes) on 15-bit flipping,
    ///   relabelling, updates and the end-of-epoch evaluations (100 greedy
    ///   episodes) included; the median of 3 runs of 3 epochs.
    public static func run(only keys: Set<String>? = nil) throws -> [(key: String, value: Double, workload: String)] {
        var results: [(key: String, value: Double, workload: String)] = []
        if keys?.contains("dqn_agent_steps_per_s") ?? true {
            results.append(("dqn_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = DQNConfig()
                (config.seed, config.totalSteps, config.evaluation) = (seed, 20_000, .never)
                return try trainDQN(config).stepsPerSecond
            }, "DQN agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("reinforce_agent_steps_per_s") ?? true {
            results.append(("reinforce_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = ReinforceConfig()
                (config.seed, config.totalSteps, config.evaluation) = (seed, 50_000, .never)
                return try trainReinforce(config).stepsPerSecond
            }, "REINFORCE agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("ppo_agent_steps_per_s") ?? true {
            results.append(("ppo_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = PPOConfig()
                (config.seed, config.totalSteps, config.evaluation) = (seed, 51_200, .never)
                return try trainPPO(config).stepsPerSecond
            }, "PPO agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("sac_agent_steps_per_s") ?? true {
            results.append(("sac_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = SACConfig()
                (config.seed, config.totalSteps, config.evaluation) = (seed, 5_000, .never)
                return try trainSAC(config).stepsPerSecond
            }, "SAC agent on Pendulum-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("dagger_agent_steps_per_s") ?? true {
            results.append(("dagger_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = DAggerConfig()
                (config.seed, config.evaluationEpisodes) = (seed, 1)
                return try trainDAgger(config, expert: PendulumExpert().callAsFunction) { Pendulum(seed: $0) }.stepsPerSecond
            }, "DAgger on Pendulum-v1 at the demo's settings: expert-labelled steps per second, training included (higher is better)"))
        }
        if keys?.contains("hindsight_agent_steps_per_s") ?? true {
            results.append(("hindsight_agent_steps_per_s", try medianOfThreeSeeds { seed in
                var config = HERConfig()
                (config.seed, config.epochs) = (seed, 3)
                return try trainHER(config, bits: 15).stepsPerSecond
            }, "DQN + HER agent on 15-bit flipping at the demo's settings: environment steps per second, relabelling and updates included (higher is better)"))
        }
        return results
    }

    /// The median over seeds 0, 1 and 2 of `rate(seed)`.
    static func medianOfThreeSeeds(_ rate: (UInt64) throws -> Double) rethrows -> Double {
        try (0..<3).map { try rate(UInt64($0)) }.sorted()[1]
    }
}
