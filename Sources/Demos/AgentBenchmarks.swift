import DQN
import Foundation
import Hindsight

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
    /// - `hindsight_agent_steps_per_s`: environment steps per second of lesson
    ///   10's loop at the demo's settings (DQN + HER, future with k = 4, 40
    ///   updates of batch 128 per cycle of 16 episodes) on 15-bit flipping,
    ///   relabelling, updates and the end-of-epoch evaluations (100 greedy
    ///   episodes) included; the median of 3 runs of 3 epochs.
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
        if keys?.contains("hindsight_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = HERConfig()
                config.seed = seed
                config.epochs = 3
                rates.append(try trainHER(config, bits: 15).stepsPerSecond)
            }
            rates.sort()
            results.append(("hindsight_agent_steps_per_s", rates[1],
                            "DQN + HER agent on 15-bit flipping at the demo's settings: environment steps per second, relabelling and updates included (higher is better)"))
        }
        return results
    }
}
