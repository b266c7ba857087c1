import Environments
import Foundation
import Imitation
import RLKit
import Testing

@Suite("lesson 09 learning sweep (maintainers)", .enabled(if: ProcessInfo.processInfo.environment["DEEPRL_SWEEP"] == "1"))
struct ImitationLearningSweep {
    @Test func sweep() throws {
        let env = ProcessInfo.processInfo.environment
        let task = env["SWEEP_TASK"] ?? "pendulum"
        let initial = Int(env["SWEEP_INITIAL"] ?? "400")!, per = Int(env["SWEEP_PER"] ?? "400")!, rounds = Int(env["SWEEP_ROUNDS"] ?? "3")!
        let epochs = Int(env["SWEEP_EPOCHS"] ?? "150")!
        let standardise = env["SWEEP_STD"] == "1"
        let seeds = (UInt64(env["SWEEP_FIRST"] ?? "100")!)..<(UInt64(env["SWEEP_FIRST"] ?? "100")! + UInt64(env["SWEEP_SEEDS"] ?? "10")!)
        for seed in seeds {
            var config = DAggerConfig()
            config.seed = seed
            config.initialLabels = initial
            config.labelsPerRound = per
            config.rounds = rounds
            config.training.epochs = epochs
            config.training.standardiseObservations = standardise
            if task == "cartpole" { config.training = BehaviourCloningConfig(); config.training.epochs = epochs }
            let start = Date()
            var bcReturn = 0.0, daggerReturns: [Double] = []
            if task == "cartpole" {
                let data = try expertData(CartPole(seed: seed), steps: config.totalLabels, seed: seed, expert: CartPoleExpert().callAsFunction)
                var training = config.training
                training.seed = seed
                bcReturn = try trainBehaviourCloning(training, demonstrations: data) { CartPole(seed: $0) }.lastEvaluation!.meanReturn
                let run = try trainDAgger(config, expert: CartPoleExpert().callAsFunction) { CartPole(seed: $0) }
                daggerReturns = run.log.series(Metric.evaluationReturn).values
            } else {
                let data = try expertData(Pendulum(seed: seed), steps: config.totalLabels, seed: seed, expert: PendulumExpert().callAsFunction)
                var training = config.training
                training.seed = seed
                bcReturn = try trainBehaviourCloning(training, demonstrations: data) { Pendulum(seed: $0) }.lastEvaluation!.meanReturn
                let run = try trainDAgger(config, expert: PendulumExpert().callAsFunction) { Pendulum(seed: $0) }
                daggerReturns = run.log.series(Metric.evaluationReturn).values
            }
            print("sweep \(task) seed \(seed) labels \(config.totalLabels): bc \(String(format: "%.1f", bcReturn)) dagger \(daggerReturns.map { String(format: "%.1f", $0) }) (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
        }
    }
}
