import DQN
import Foundation
import SAC

/// The deep lessons' agent loops as benchmarks for `deeprl bench` (they run
/// the lessons' code, so they measure the reference only in a build with
/// DEEPRL_IMPL=solutions).
public enum AgentBenchmarks {
    /// (key, value, workload) of every agent benchmark.
    ///
    /// - `dqn_agent_steps_per_s`: environment steps per second of lesson
    ///   04's full training loop at the demo's settings (Double DQN, dueling,
    ///   3-step returns, batch 64, one update every 2 steps), updates and
    ///   acting included, evaluation left out; the median of 3 runs of
    ///   20,000 steps.
    /// - `sac_agent_steps_per_s`: the same for lesson 08's loop at the
    ///   demo's settings (`SACConfig()`: 64-64 networks, batch 128, one critic,
    ///   actor and temperature update per step after 256 random steps) on
    ///   Pendulum-v1; the median of 3 runs of 5,000 steps.
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
        if keys?.contains("sac_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = SACConfig()
                config.seed = seed
                config.totalSteps = 5_000
                config.evaluation = .never
                rates.append(try trainSAC(config).stepsPerSecond)
            }
            rates.sort()
            results.append(("sac_agent_steps_per_s", rates[1],
                            "SAC agent on Pendulum-v1 at the demo's settings: environment steps per second, updates included (higher is better)"))
        }
        return results
    }
}
