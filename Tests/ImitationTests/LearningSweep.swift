import CourseKit
import Environments
import Foundation
import Imitation
import RLKit
import Testing

/// The sweeps behind the learning tests' thresholds (docs/BENCHMARKS.md,
/// "Lesson 09 learning tests"), on seeds the tests do not use. Run with
///
///     DEEPRL_SWEEP=1 DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions --filter ImitationLearningSweep
///
/// SWEEP_FIRST and SWEEP_SEEDS pick the seeds (default 100, 20).
@Suite("lesson 09 learning sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct ImitationLearningSweep {
    var seeds: Range<UInt64> {
        let env = ProcessInfo.processInfo.environment
        let first = UInt64(env["SWEEP_FIRST"] ?? "100")!
        return first..<(first + UInt64(env["SWEEP_SEEDS"] ?? "20")!)
    }

    /// 9.7's test: DAgger (the default config) against behaviour cloning at the same 1,600 labels on Pendulum.
    @Test func daggerAgainstBehaviourCloning() throws {
        var gaps: [Double] = []
        for seed in seeds {
            var config = DAggerConfig()
            config.seed = seed
            let daggerStart = Date()
            let run = try trainDAgger(config, expert: PendulumExpert().callAsFunction) { Pendulum(seed: $0) }
            let daggerSeconds = Date().timeIntervalSince(daggerStart), bcStart = Date()
            let dagger = run.log.series(Metric.evaluationReturn).values
            let data = try expertData(Pendulum(seed: seed), steps: config.totalLabels, seed: seed, expert: PendulumExpert().callAsFunction)
            var training = config.training
            training.seed = seed
            let bc = try trainBehaviourCloning(training, demonstrations: data) { Pendulum(seed: $0) }.lastEvaluation!.meanReturn
            let bcSeconds = Date().timeIntervalSince(bcStart)
            gaps.append(dagger.last! - bc)
            print("sweep dagger seed \(seed): bc \(f1(bc)) (\(f1(bcSeconds)) s) dagger by round \(dagger.map(f1)) (\(f1(daggerSeconds)) s) gap \(f1(dagger.last! - bc))")
        }
        let sorted = gaps.sorted()
        var windows: [Double] = []
        for i in 0..<(gaps.count - 2) {
            let sum: Double = gaps[i] + gaps[i + 1] + gaps[i + 2]
            windows.append(sum / 3)
        }
        print("sweep dagger gaps: min \(f1(sorted.first!)) median \(f1(sorted[sorted.count / 2])) mean \(f1(gaps.reduce(0, +) / Double(gaps.count))); smallest mean of 3 consecutive seeds \(f1(windows.min()!))")
    }

    /// The experts' returns over 100 episodes (seeds 0-99).
    @Test func experts() throws {
        let cartPole = try evaluatePolicy(episodes: 100, seed: 0, make: { CartPole(seed: UInt64($0)) }) { observations in
            observations.arrayRows.map { CartPoleExpert()(CartPoleState($0.map(Double.init))) }
        }
        let pendulum = try evaluatePolicy(episodes: 100, seed: 0, make: { Pendulum(seed: UInt64($0)) }) { observations in
            observations.arrayRows.map { PendulumExpert()(PendulumObservation($0.map(Double.init))) }
        }
        print("sweep experts: CartPole mean \(f1(cartPole.meanReturn)) min \(f1(cartPole.returns.min()!)); Pendulum mean \(f1(pendulum.meanReturn)) min \(f1(pendulum.returns.min()!)) max \(f1(pendulum.returns.max()!))")
    }

    /// 9.5's test: cloning the CartPole expert from 2,000 labels.
    @Test func cartPoleCloning() throws {
        for seed in seeds {
            let data = try expertData(CartPole(seed: 0), steps: 2000, seed: seed, expert: CartPoleExpert().callAsFunction)
            var config = BehaviourCloningConfig()
            config.seed = seed
            var cloning = try BehaviourCloning(config, demonstrations: data) { CartPole(seed: $0) }
            try cloning.train()
            let accuracy = 1 - (try cloning.policy.actionError(on: cloning.validation))
            let evaluation = try cloning.evaluate(episodes: 5, seed: 1_000)
            print("sweep cartpole seed \(seed): held-out accuracy \(f4(accuracy)) return \(f1(evaluation.meanReturn))")
        }
    }
}
