import CourseKit
import Environments
import Foundation
import PolicyGradient
import RLKit
import Testing

// Hand-made policies, batches and tasks shared by the lesson 05 suites, and
// plain reference computations. Nothing here calls an exercise.

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// Checks that `body` throws the course's named error for bad input: its
/// text equals `expected`, or contains `containing`, or starts with `startingWith`.
func expectError(_ exercise: String, _ expected: String? = nil, containing: String? = nil, startingWith: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    let text = errorText(body)
    let ok = expected.map { text == $0 } ?? containing.map { text.contains($0) } ?? startingWith.map { text.hasPrefix($0) } ?? false
    let wanted = expected ?? containing ?? startingWith ?? ""
    #expect(ok, "\(exercise): bad input must throw the named error (InvalidArgument) \"\(wanted)\"\(expected == nil ? "..." : ""), got \"\(text)\"",
            sourceLocation: sourceLocation)
}

/// A linear-softmax policy network: logits = s W + b, with W `[features][actions]`.
func linearPolicy(_ weight: [[Float]], bias: [Float]? = nil) -> MLP {
    let b = bias ?? [Float](repeating: 0, count: weight[0].count)
    return MLP(layers: [Linear(weight: Tensor(weight), bias: Tensor(b))], activation: .identity)
}

/// A batch written out episode by episode.
func handBatch(_ episodes: [(observations: [[Float]], actions: [Int], rewards: [Double])]) throws -> EpisodeBatch {
    try EpisodeBatch(episodes.map { try Episode(observations: $0.observations, actions: $0.actions, rewards: $0.rewards) })
}

/// The largest absolute difference of two equally long lists (infinity otherwise).
func maxError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
}

/// The largest difference of two nested lists of the same layout (infinity otherwise).
func maxError(_ a: [[Double]], _ b: [[Double]]) -> Double {
    guard a.map(\.count) == b.map(\.count) else { return .infinity }
    return zip(a, b).map { maxError($0, $1) }.max() ?? 0
}

/// The scalars of a tensor (a gradient) as Doubles, empty for none.
func doubles(_ t: Tensor?) -> [Double] { t.map { $0.scalars.map { Double($0) } } ?? [] }

/// `x` rounded to `digits` significant figures, for messages.
func rounded(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }

/// A list of numbers rounded for messages.
func rounded(_ xs: [Double], _ digits: Int = 4) -> String { "[" + xs.map { rounded($0, digits) }.joined(separator: ", ") + "]" }

/// A nested list rounded for messages.
func rounded(_ xs: [[Double]], _ digits: Int = 4) -> String { "[" + xs.map { rounded($0, digits) }.joined(separator: ", ") + "]" }

// MARK: - Reference computations (written independently of the reference solutions)

/// Reward-to-go by the definition: sum_{k >= t} gamma^(k - t) r_k, each episode alone.
func definitionRewardsToGo(_ rewards: [[Double]], gamma: Double) -> [[Double]] {
    rewards.map { episode in
        episode.indices.map { t in (t..<episode.count).reduce(0.0) { $0 + Foundation.pow(gamma, Double($1 - t)) * episode[$1] } }
    }
}

/// Reward-to-go in linear time (for long episodes), by a right-to-left scan.
func scannedRewardsToGo(_ rewards: [[Double]], gamma: Double) -> [[Double]] {
    rewards.map { Array($0.reversed().reduce(into: [Double]()) { sums, r in sums.append(r + gamma * (sums.last ?? 0)) }.reversed()) }
}

/// The whole episode's discounted return at every step, by the definition.
func definitionEpisodeReturns(_ rewards: [[Double]], gamma: Double) -> [[Double]] {
    rewards.map { episode in
        let total = episode.indices.reduce(0.0) { $0 + Foundation.pow(gamma, Double($1)) * episode[$1] }
        return Array(repeating: total, count: episode.count)
    }
}

/// pi(. | s) of a linear softmax with parameters W `[features][actions]` (Double, stable).
func softmaxProbabilities(_ w: [[Double]], _ s: [Double]) -> [Double] {
    let logits = (0..<w[0].count).map { a in s.indices.reduce(0.0) { $0 + s[$1] * w[$1][a] } }
    let top = logits.max()!
    let e = logits.map { Foundation.exp($0 - top) }
    let z = e.reduce(0, +)
    return e.map { $0 / z }
}

/// grad_W log pi(a | s) of that policy, flattened row-major like W: s_j (1[a = k] - pi_k).
func linearSoftmaxScore(_ w: [[Double]], _ s: [Double], _ a: Int) -> [Double] {
    let p = softmaxProbabilities(w, s)
    return s.indices.flatMap { j in p.indices.map { k in s[j] * ((k == a ? 1 : 0) - p[k]) } }
}

/// Episodes of CartPole played by a fixed linear-softmax policy (test-side sampling).
func playCartPole(_ w: [[Double]], episodes: Int, using rng: inout SeededGenerator) throws -> [Episode] {
    var env = CartPole(seed: rng.next())
    var result: [Episode] = []
    for _ in 0..<episodes {
        var s = env.reset(seed: rng.next())
        var episode = Episode()
        while true {
            let a = rng.categorical(softmaxProbabilities(w, s.doubles))
            let step = try env.step(a)
            episode.append(observation: s.floats, action: a, reward: step.reward)
            if step.done { break }
            s = step.observation
        }
        result.append(episode)
    }
    return result
}

/// The policy-gradient estimate of one batch for the linear policy W, by the
/// formula: (1/N) sum_i sum_t grad_W log pi(a_it | s_it) Psi_it, with Psi per step.
func analyticEstimate(_ w: [[Double]], _ episodes: [Episode], weights: [[Double]]) -> [Double] {
    var g = [Double](repeating: 0, count: w.count * w[0].count)
    for (episode, psi) in zip(episodes, weights) {
        for t in 0..<episode.count {
            let score = linearSoftmaxScore(w, episode.observations[t].map(Double.init), episode.actions[t])
            for j in g.indices { g[j] += score[j] * psi[t] }
        }
    }
    return g.map { $0 / Double(episodes.count) }
}

/// The same estimate through the tensor core's autodiff (fast; for the
/// variance checks): the gradient of (1/N) sum log pi(a | s) Psi with respect to W.
func estimate(_ w: [[Double]], _ batch: EpisodeBatch, weights: [[Double]]) throws -> [Double] {
    let policy = linearPolicy(w.map { $0.map(Float.init) })
    let psi = Tensor(weights.flatMap { $0 }.map { Float($0) })
    let logPi = try Categorical(logits: policy(batch.observations)).logProbability(of: batch.actions)
    ((logPi * psi).sum() / Float(batch.episodeCount)).backward()
    return doubles(policy.layers[0].weight.gradient)
}

/// The total variance (trace of the covariance) of a list of gradient estimates.
func totalVariance(_ estimates: [[Double]]) -> Double {
    let n = Double(estimates.count)
    return estimates[0].indices.reduce(0.0) { total, j in
        let mean = estimates.reduce(0) { $0 + $1[j] } / n
        return total + estimates.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / (n - 1)
    }
}

/// Two fixed linear-softmax CartPole policies (W `[4][2]`) that push towards
/// the side the pole leans to: a wobbly one whose episodes last about 85
/// steps, and a balancing one whose episodes last about 400 (of 500).
let wobblyCartPolePolicy: [[Double]] = [[0, 0], [0, 0], [-2, 2], [-0.5, 0.5]]
let balancingCartPolePolicy: [[Double]] = [[0, 0], [0, 0], [-8, 8], [-2, 2]]

// MARK: - Tiny tasks for the agent

/// A one-hot observation of `n` states.
struct OneHot3: ObservationVector {
    static let dimension = 3
    var values = [0.0, 0.0, 0.0]
    init() {}
    init(state: Int) { values[state] = 1 }
    subscript(index: Int) -> Double {
        get { values[index] }
        set { values[index] = newValue }
    }
}

/// A one-step task with two actions: action 0 earns 1, action 1 earns 0,
/// and the episode ends (terminated).
struct OneStepBandit: DiscreteActionEnvironment {
    var running = false
    var actionSpace: DiscreteSpace { DiscreteSpace(2) }
    mutating func reset(seed: UInt64?) -> OneHot3 { running = true; return OneHot3(state: 0) }
    mutating func step(_ action: Int) throws -> Step<OneHot3> {
        guard running else { throw EnvironmentError.episodeFinished(environment: "OneStepBandit") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "OneStepBandit", action: "\(action)", expected: "0 or 1")
        }
        running = false
        return Step(observation: OneHot3(state: 0), reward: action == 0 ? 1 : 0, terminated: true, truncated: false)
    }
}

/// A two-step task: in s0 action 0 leads to s1, action 1 to s2, both with
/// reward 0; from s1 any action earns 1, from s2 any action earns 0, and the
/// episode ends. The choice in s0 matters, but its reward comes one step later.
struct TwoStepChoice: DiscreteActionEnvironment {
    var state = -1
    var actionSpace: DiscreteSpace { DiscreteSpace(2) }
    mutating func reset(seed: UInt64?) -> OneHot3 { state = 0; return OneHot3(state: 0) }
    mutating func step(_ action: Int) throws -> Step<OneHot3> {
        guard state >= 0 else { throw EnvironmentError.episodeFinished(environment: "TwoStepChoice") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "TwoStepChoice", action: "\(action)", expected: "0 or 1")
        }
        if state == 0 {
            state = action == 0 ? 1 : 2
            return Step(observation: OneHot3(state: state), reward: 0, terminated: false, truncated: false)
        }
        let reward = state == 1 ? 1.0 : 0.0
        state = -1
        return Step(observation: OneHot3(state: 0), reward: reward, terminated: true, truncated: false)
    }
}

/// pi(. | s) of a trained policy network, as Doubles.
func probabilities(_ policy: MLP, _ observation: [Float]) -> [Double] {
    withoutGradients { policy(Tensor([observation])).softmax() }.scalars.map(Double.init)
}
