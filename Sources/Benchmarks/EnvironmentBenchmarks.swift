import Environments
import TensorCore

/// Environment step timings for `deeprl bench`.
///
/// - `cartpole_step_us`: one CartPole-v1 step with a uniformly random action,
///   including the reset when the episode ends (terminated or truncated).
/// - `pendulum_step_us`: one Pendulum-v1 step with a uniformly random torque
///   in [-2, 2], including the reset every 200 steps.
///
/// Compare with `python3 scripts/gym_peer_bench.py` (Gymnasium, same workloads).
public func environmentBenchmarks() -> [BenchmarkResult] {
    let iterations = 1_000_000
    var cartPole = CartPole(seed: 1)
    var rng = SeededGenerator(seed: 2)
    _ = cartPole.reset(seed: 1)
    var checksum = 0.0
    let cartPoleMicroseconds = medianMicroseconds(iterations: iterations) {
        // The action is always valid and the episode running, so try! never traps.
        let step = try! cartPole.step(rng.nextInt(below: 2))
        checksum += step.observation.position
        if step.done { _ = cartPole.reset(seed: nil) }
    }
    var pendulum = Pendulum(seed: 1)
    _ = pendulum.reset(seed: 1)
    let pendulumMicroseconds = medianMicroseconds(iterations: iterations) {
        let step = try! pendulum.step(rng.uniform(-2, 2))
        checksum += step.reward
        if step.done { _ = pendulum.reset(seed: nil) }
    }
    // Keep the work observable so the optimiser cannot drop it.
    if checksum.isNaN { print("environmentBenchmarks: NaN checksum") }
    return [
        BenchmarkResult(key: "cartpole_step_us", value: cartPoleMicroseconds,
                        workload: "CartPole-v1 step, random action, auto-reset included"),
        BenchmarkResult(key: "pendulum_step_us", value: pendulumMicroseconds,
                        workload: "Pendulum-v1 step, random torque in [-2, 2], auto-reset included"),
    ]
}
