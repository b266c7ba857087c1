import DQN
import Foundation
import PolicyGradient
import PPO

/// The deep lessons' agent loops as benchmarks for `deeprl bench` (they run
/// the lessons' code, so they measure the reference only in a build with
/// DEEPRL_IMPL=solutions).
public enum AgentBenchmarks {
    /// The keys of the agent benchmarks, in lesson order.
    public static let keys = ["dqn_agent_steps_per_s", "reinforce_agent_steps_per_s", "ppo_agent_steps_per_s"]

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
    public static func run(only keys: Set<String>? = nil) throws -> [(key: String, value: Double, workload: String)] {
        var results: [(key: String, value: Double, workload: String)] = []
        if keys?.contains("dqn_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = DQNConfig()
                config.seed = seed
                config.totalSteps = 20_000
                config.evaluation = .never
                rates.append(try trainDQN(config).stepsPerSecond)
            }
            rates.sort()
            results.append(("dqn_agent_steps_per_s", rates[1],
                            "DQN agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("reinforce_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = ReinforceConfig()
                config.seed = seed
                config.totalSteps = 50_000
                config.evaluation = .never
                rates.append(try trainReinforce(config).stepsPerSecond)
            }
            rates.sort()
            results.append(("reinforce_agent_steps_per_s", rates[1],
                            "REINFORCE agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        if keys?.contains("ppo_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = PPOConfig()
                config.seed = seed
                config.totalSteps = 51_200
                config.evaluation = .never
                rates.append(try trainPPO(config).stepsPerSecond)
            }
            rates.sort()
            results.append(("ppo_agent_steps_per_s", rates[1],
                            "PPO agent on CartPole-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        return results
    }
}
