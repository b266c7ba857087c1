import DQN
import Environments
import Foundation
import Imitation

/// The deep lessons' agent loops as benchmarks for `deeprl bench` (they run
/// the lessons' code, so they measure the reference only in a build with
/// DEEPRL_IMPL=solutions).
public enum AgentBenchmarks {
    /// The keys of every agent benchmark.
    public static let keys = ["dqn_agent_steps_per_s", "dagger_agent_steps_per_s"]

    /// (key, value, workload) of every agent benchmark.
    ///
    /// - `dqn_agent_steps_per_s`: environment steps per second of lesson
    ///   04's full training loop at the demo's settings (Double DQN, dueling,
    ///   3-step returns, batch 64, one update every 2 steps), updates and
    ///   acting included, evaluation left out; the median of 3 runs of
    ///   20,000 steps.
    /// - `dagger_agent_steps_per_s`: expert-labelled environment steps per
    ///   second of lesson 09's DAgger loop at the demo's settings (Pendulum,
    ///   400 labels and 6 rounds of 200, behaviour cloning of 150 epochs after
    ///   each round), training included, one evaluation episode per round; the
    ///   median of 3 runs.
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
        if keys?.contains("dagger_agent_steps_per_s") ?? true {
            var rates: [Double] = []
            for seed: UInt64 in 0..<3 {
                var config = DAggerConfig()
                config.seed = seed
                config.evaluationEpisodes = 1
                let run = try trainDAgger(config, expert: PendulumExpert().callAsFunction) { Pendulum(seed: $0) }
                rates.append(run.stepsPerSecond)
            }
            rates.sort()
            results.append(("dagger_agent_steps_per_s", rates[1],
                            "DAgger on Pendulum-v1 at the demo's settings: expert-labelled steps per second, training included (higher is better)"))
        }
        return results
    }
}
