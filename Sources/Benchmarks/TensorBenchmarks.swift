import Foundation
import TensorCore

/// The tensor-core workloads of `deeprl bench`, each one full training update
/// of a course algorithm at the peer implementations' sizes, plus a raw
/// matrix product. `bench/pytorch_peer.py` runs the same workloads in PyTorch.
///
/// - Parameters:
///   - keys: the keys to measure (nil: all four).
///   - threads: the threads of the large products (`TensorThreads.count`
///     while measuring; one by default, the first column of the tables).
/// - Returns: microseconds per update (`*_us`) and GFLOP/s for the matmul.
public func tensorBenchmarks(only keys: Set<String>? = nil, threads: Int = 1) throws -> [BenchmarkResult] {
    let before = TensorThreads.count
    TensorThreads.count = threads
    defer { TensorThreads.count = before }
    let all: [(key: String, workload: String, run: () throws -> Double)] = [
        (TrainingUpdate.dqn.timingKey, "DQN update: batch 128, Q 4-120-84-2 ReLU, target net, MSE, Adam",
         { try DQNWorkload().measure() }),
        (TrainingUpdate.ppo.timingKey, "PPO minibatch: 128 samples, actor 4-64-64-2 and critic 4-64-64-1 tanh, clip 0.2, Adam",
         { try PPOWorkload().measure() }),
        (TrainingUpdate.sac.timingKey, "SAC update: batch 256, twin Q 4-256-256-1, actor 3-256-256, alpha, Polyak, Adam",
         { try SACWorkload().measure() }),
        ("matmul_256_gflops", "matmul 256 x 256 times 256 x 256, GFLOP/s", { matmulGigaflops(size: 256) }),
    ]
    return try all.filter { keys?.contains($0.key) ?? true }.map {
        BenchmarkResult(key: $0.key, value: try $0.run(), workload: $0.workload)
    }
}

/// Fixed random inputs for a workload.
func randomBatch(_ shape: [Int], _ generator: inout SeededGenerator, scale: Float = 1) -> Tensor {
    .normal(shape, standardDeviation: scale, using: &generator)
}

/// One DQN update (the core of lesson 04), written like the equations:
///
///     y = r + gamma (1 - done) max_a' Q_target(s', a')
///     L = mean (Q(s, a) - y)^2
struct DQNWorkload {
    var rng = SeededGenerator(seed: 1)
    let online: MLP, target: MLP
    let optimizer: Adam
    let observations: Tensor, nextObservations: Tensor, rewards: Tensor, dones: Tensor
    let actions: [Int]
    let gamma: Float = 0.99

    init() throws {
        online = MLP([4, 120, 84, 2], activation: .relu, using: &rng)
        target = online.copy()
        optimizer = try Adam(parameters: online.parameters, learningRate: 2.5e-4)
        observations = randomBatch([128, 4], &rng)
        nextObservations = randomBatch([128, 4], &rng)
        rewards = .ones([128])
        dones = Tensor((0..<128).map { $0 % 20 == 0 ? 1 : 0 })
        actions = (0..<128).map { $0 % 2 }
    }

    /// One gradient step on the TD error.
    func update() throws {
        let nextQ = withoutGradients { target(nextObservations) }            // Q_target(s', .)
        let y = rewards + gamma * (1 - dones) * nextQ.max(alongAxis: 1)        // TD target
        let q = online(observations).gather(actions)                          // Q(s, a)
        let loss = mseLoss(q, y.stopGradient())
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
    }

    func measure() throws -> Double { try medianMicroseconds(rounds: 7, iterations: 200) { try update() } }
}

/// One PPO minibatch update (lesson 07) with CleanRL's loss.
struct PPOWorkload {
    var rng = SeededGenerator(seed: 2)
    let actor: MLP, critic: MLP
    let optimizer: Adam
    let observations: Tensor, oldLogProbabilities: Tensor, advantages: Tensor, returns: Tensor
    let actions: [Int]

    init() throws {
        actor = MLP([4, 64, 64, 2], activation: .tanh, using: &rng)
        critic = MLP([4, 64, 64, 1], activation: .tanh, using: &rng)
        let agent = ModuleGroup([("actor", actor), ("critic", critic)])
        optimizer = try Adam(parameters: agent.parameters, learningRate: 2.5e-4, epsilon: 1e-5)
        observations = randomBatch([128, 4], &rng)
        oldLogProbabilities = Tensor([Float](repeating: -0.69, count: 128))
        advantages = randomBatch([128], &rng)
        returns = randomBatch([128], &rng)
        actions = (0..<128).map { $0 % 2 }
    }

    func update() throws {
        let policy = try Categorical(logits: actor(observations))
        let logProbability = policy.logProbability(of: actions)
        let entropy = policy.entropy()
        let value = critic(observations).reshaped(to: [-1])
        let ratio = (logProbability - oldLogProbabilities).exp()
        let centred = advantages - advantages.mean()
        let std = (centred.squared().sum() / Float(advantages.count - 1)).sqrt()
        let advantage = centred / (std + 1e-8)
        let policyLoss = Tensor.maximum(-advantage * ratio, -advantage * ratio.clamped(min: 0.8, max: 1.2)).mean()
        let valueLoss = 0.5 * (value - returns).squared().mean()
        let loss = policyLoss - 0.01 * entropy.mean() + 0.5 * valueLoss
        optimizer.zeroGradients()
        loss.backward()
        try optimizer.step(clippingGradientNorm: 0.5)  // clip_grad_norm_ then step, in one pass
    }

    func measure() throws -> Double { try medianMicroseconds(rounds: 7, iterations: 100) { try update() } }
}

/// The SAC actor: a shared trunk with mean and log-std heads.
final class SACActor: Module {
    let trunk: MLP, meanHead: Linear, logStdHead: Linear
    init(using rng: inout SeededGenerator) {
        trunk = MLP([3, 256, 256], activation: .relu, outputActivation: .relu, using: &rng)
        meanHead = Linear(inputs: 256, outputs: 1, using: &rng)
        logStdHead = Linear(inputs: 256, outputs: 1, using: &rng)
    }
    var namedParameters: [(name: String, tensor: Tensor)] {
        ModuleGroup([("trunk", trunk), ("mean", meanHead), ("logStd", logStdHead)]).namedParameters
    }
    /// The policy at `observations`: log-std squashed into [-5, 2], actions in [-2, 2].
    func callAsFunction(_ observations: Tensor) throws -> SquashedGaussian {
        let h = trunk(observations)
        let logStd = -5 + 0.5 * (2 - (-5)) * (logStdHead(h).tanh() + 1)
        return try SquashedGaussian(mean: meanHead(h), logStandardDeviation: logStd, scale: 2)
    }
}

/// One SAC update (lesson 08) with CleanRL's losses (policy update every step;
/// the temperature loss reuses the actor step's log pi instead of sampling again).
struct SACWorkload {
    var rng = SeededGenerator(seed: 3)
    let q1: MLP, q2: MLP, q1Target: MLP, q2Target: MLP
    let actor: SACActor
    let logAlpha = Tensor(scalar: 0, requiresGradient: true)
    let qOptimizer: Adam, actorOptimizer: Adam, alphaOptimizer: Adam
    let observations: Tensor, nextObservations: Tensor, actions: Tensor, rewards: Tensor, dones: Tensor
    let gamma: Float = 0.99, tau: Float = 0.005, targetEntropy: Float = -1

    init() throws {
        q1 = MLP([4, 256, 256, 1], activation: .relu, using: &rng)
        q2 = MLP([4, 256, 256, 1], activation: .relu, using: &rng)
        q1Target = q1.copy()
        q2Target = q2.copy()
        actor = SACActor(using: &rng)
        qOptimizer = try Adam(parameters: q1.parameters + q2.parameters, learningRate: 1e-3)
        actorOptimizer = try Adam(parameters: actor.parameters, learningRate: 3e-4)
        alphaOptimizer = try Adam(parameters: [logAlpha], learningRate: 1e-3)
        observations = randomBatch([256, 3], &rng)
        nextObservations = randomBatch([256, 3], &rng)
        actions = randomBatch([256, 1], &rng)
        rewards = randomBatch([256], &rng)
        dones = .zeros([256])
    }

    func q(_ network: MLP, _ s: Tensor, _ a: Tensor) -> Tensor {
        network(Tensor.concatenate([s, a], alongAxis: 1)).reshaped(to: [-1])
    }

    mutating func update() throws {
        let alpha = logAlpha.exp().scalar
        // Soft Bellman target: y = r + gamma (1 - d) (min_j Q'_j(s', a') - alpha log pi(a'|s')).
        let y = try withoutGradients {
            let (nextAction, nextLogPi) = try actor(nextObservations).sample(using: &rng)
            let minQ = Tensor.minimum(q(q1Target, nextObservations, nextAction), q(q2Target, nextObservations, nextAction))
            return rewards + gamma * (1 - dones) * (minQ - alpha * nextLogPi)
        }
        let criticLoss = mseLoss(q(q1, observations, actions), y) + mseLoss(q(q2, observations, actions), y)
        qOptimizer.zeroGradients()
        criticLoss.backward()
        qOptimizer.step()

        // Actor: minimise E[alpha log pi(a|s) - min_j Q_j(s, a)] with a reparameterised.
        // The critics are frozen meanwhile: gradients pass through them to the
        // action, but none are computed for their weights (as in Spinning Up).
        q1.setRequiresGradient(false)
        q2.setRequiresGradient(false)
        let (action, logPi) = try actor(observations).sample(using: &rng)
        let minQ = Tensor.minimum(q(q1, observations, action), q(q2, observations, action))
        let actorLoss = (alpha * logPi - minQ).mean()
        actorOptimizer.zeroGradients()
        actorLoss.backward()
        actorOptimizer.step()
        q1.setRequiresGradient(true)
        q2.setRequiresGradient(true)

        // Temperature: minimise E[-alpha (log pi + target entropy)].
        let alphaLoss = (-logAlpha.exp() * (logPi.stopGradient() + targetEntropy)).mean()
        alphaOptimizer.zeroGradients()
        alphaLoss.backward()
        alphaOptimizer.step()

        try q1Target.polyakUpdate(toward: q1, tau: tau)
        try q2Target.polyakUpdate(toward: q2, tau: tau)
    }

    func measure() throws -> Double {
        var workload = self
        return try medianMicroseconds(rounds: 7, iterations: 10) { try workload.update() }
    }
}

/// GFLOP/s of an n x n by n x n product (2 n^3 floating-point operations).
func matmulGigaflops(size n: Int) -> Double {
    var rng = SeededGenerator(seed: 4)
    let a = randomBatch([n, n], &rng), b = randomBatch([n, n], &rng)
    let microseconds = medianMicroseconds(rounds: 7, iterations: 50) { _ = a.matmul(b) }
    return 2 * Double(n * n * n) / (microseconds * 1e3)
}
