import Environments
import Foundation
import Hindsight
import RLKit
import Testing

// Hand-made episodes, reward functions, networks and a recording environment
// shared by the lesson 10 suites, and plain reference computations. Nothing
// here calls an exercise.

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// A list of numbers as the messages print them: [1, 0, 0.5].
func show(_ values: [Float]) -> String {
    "[" + values.map { $0 == $0.rounded() && abs($0) < 1e6 ? String(Int($0)) : String(format: "%.3g", Double($0)) }
        .joined(separator: ", ") + "]"
}

/// A number rounded for a message.
func show(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)g", value) }

/// The sparse reward written out plainly (the tests' reference, tolerance 0).
struct ExactGoalReward: GoalReward {
    func reward(achieved: [Float], desired: [Float]) throws -> Double { achieved == desired ? 0 : -1 }
    func isReached(achieved: [Float], desired: [Float]) throws -> Bool { achieved == desired }
}

/// A dense reward, minus the number of differing entries, that counts as
/// reached within one difference: relabelling must use whatever reward it is
/// given, not a comparison of its own.
struct HammingGoalReward: GoalReward {
    func distance(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0 != $1 }.count }
    func reward(achieved: [Float], desired: [Float]) throws -> Double { -Double(distance(achieved, desired)) }
    func isReached(achieved: [Float], desired: [Float]) throws -> Bool { distance(achieved, desired) <= 1 }
}

/// A hand-made episode of 4-bit flipping: start 0000, goal `goal`, the
/// actions 0, 2, 0, 3 in order (or fewer), rewards and flags from `reward`.
/// Its next states 1000, 1010, 0010, 0011 are all different.
func handEpisode(goal: [Float] = [1, 1, 1, 1], actions: [Int] = [0, 2, 0, 3],
                 reward: some GoalReward = ExactGoalReward()) throws -> GoalEpisode {
    var state: [Float] = [0, 0, 0, 0]
    var steps: [GoalStep] = []
    for (t, action) in actions.enumerated() {
        var next = state
        next[action] = 1 - next[action]
        let reached = try reward.isReached(achieved: next, desired: goal)
        steps.append(GoalStep(state: state, action: action, reward: try reward.reward(achieved: next, desired: goal),
                              nextState: next, achievedGoal: next, terminated: reached, truncated: t == 3))
        state = next
    }
    return GoalEpisode(goal: goal, steps: steps)
}

/// The transitions of `transitions` that are copies of `step` (same state, action and next state).
func copies(of step: GoalStep, in transitions: [GoalTransition]) -> [GoalTransition] {
    transitions.filter { $0.state == step.state && $0.action == step.action && $0.nextState == step.nextState }
}

/// A one-layer Q-network Q(x, .) = x W + b.
func linearQ(_ weight: [[Float]], bias: [Float]) -> MLP {
    MLP(layers: [Linear(weight: Tensor(weight), bias: Tensor(bias))], activation: .identity)
}

/// A minibatch written out row by row.
func handBatch(observations: [[Float]], actions: [Int], rewards: [Float], nextObservations: [[Float]],
               terminated: [Bool], truncated: [Bool], discounts: [Float]) -> ReplayBatch {
    ReplayBatch(indices: Array(0..<actions.count), observations: Tensor(observations),
                actions: Tensor(shape: [actions.count, 1], scalars: actions.map(Float.init)),
                rewards: Tensor(rewards), nextObservations: Tensor(nextObservations),
                terminated: Tensor(terminated.map { $0 ? 1 : 0 }), truncated: Tensor(truncated.map { $0 ? 1 : 0 }),
                discounts: Tensor(discounts))
}

/// What a recording environment saw: every training episode, as played.
final class Recording: @unchecked Sendable {
    struct Episode { var goal: [Float]; var steps: [GoalStep] }
    var episodes: [Episode] = []
    var resets = 0
}

/// Bit flipping that records every reset and step into `recording` (the
/// training environment; evaluation environments pass no recording).
struct RecordedBitFlipping: GoalEnvironment, DiscreteActionEnvironment {
    var base: BitFlipping
    let recording: Recording?
    var last: GoalObservation?

    init(bits: Int, seed: UInt64, recording: Recording?) throws {
        base = try BitFlipping(bits: bits, seed: seed)
        self.recording = recording
    }

    var actionSpace: DiscreteSpace { base.actionSpace }
    var stateSize: Int { base.stateSize }
    var goalSize: Int { base.goalSize }

    mutating func reset(seed: UInt64?) -> GoalObservation {
        let observation = base.reset(seed: seed)
        last = observation
        recording?.resets += 1
        recording?.episodes.append(.init(goal: observation.desiredGoal, steps: []))
        return observation
    }

    mutating func step(_ action: Int) throws -> Step<GoalObservation> {
        let result = try base.step(action)
        if let recording, let last {
            recording.episodes[recording.episodes.count - 1].steps.append(GoalStep(from: last, action: action, step: result))
        }
        last = result.observation
        return result
    }
}

/// The exact Q*(s || g, a) of 2-bit flipping under the targets DQN uses
/// (bootstrapping through the time limit, not through the goal): value
/// iteration over the 4 states and 4 goals.
func exactTwoBitQ(gamma: Double) -> [[Float]: [Double]] {
    let states: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    var q: [[Float]: [Double]] = [:]
    for s in states { for g in states { q[s + g] = [0, 0] } }
    for _ in 0..<200 {
        var next = q
        for s in states {
            for g in states {
                next[s + g] = (0..<2).map { a in
                    var s2 = s
                    s2[a] = 1 - s2[a]
                    return s2 == g ? 0 : -1 + gamma * q[s2 + g]!.max()!
                }
            }
        }
        q = next
    }
    return q
}
