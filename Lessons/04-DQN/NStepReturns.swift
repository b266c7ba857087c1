import CourseKit
import RLKit

/// What K consecutive transitions fold into: the reward and the bootstrap
/// of one n-step transition.
public struct NStepReturn: Equatable, Sendable {
    /// sum_{k<K} gamma^k r_{t+k}.
    public var reward: Double
    /// gamma^K, the factor of the bootstrap term max_a Q(s_{t+K}, a), or 0
    /// when the K-th transition reached a terminal state.
    public var discount: Double
    /// K, how many transitions were folded (1...n).
    public var steps: Int
    /// Whether the K-th transition reached a terminal state (no bootstrap).
    public var terminated: Bool
    /// Whether a time limit ended the episode at the K-th transition (the
    /// bootstrap then comes from the state after it).
    public var truncated: Bool

    /// Creates a folded return.
    public init(reward: Double, discount: Double, steps: Int, terminated: Bool, truncated: Bool) {
        self.reward = reward
        self.discount = discount
        self.steps = steps
        self.terminated = terminated
        self.truncated = truncated
    }
}

/// The n-step return of the transition at the start of a window:
///
///     R = sum_{k=0}^{K-1} gamma^k r_{t+k},   bootstrap discount gamma^K
///
/// The window lists the transitions from t onward in the order they
/// happened (it may run into the next episode). K = n, unless an episode
/// ends first: the sum stops at the first transition that terminates or is
/// truncated, and K counts it. After a terminal transition there is no
/// bootstrap (discount 0); after a truncated one the bootstrap uses gamma^K
/// and the state after that transition. A window shorter than n (the end of
/// the data) folds what it has.
///
/// - Parameters:
///   - rewards, terminated, truncated: the window, equally long, at least
///     one transition.
///   - n: the most transitions to fold (n = 1 is the one-step transition).
/// - Throws: `InvalidArgument` for n < 1, gamma outside [0, 1], an empty
///   window, lengths that differ or a non-finite reward.
public func nStepReturn(rewards: [Double], terminated: [Bool], truncated: [Bool], n: Int,
                        gamma: Double) throws -> NStepReturn {
    let function = "nStepReturn(rewards:terminated:truncated:n:gamma:)"
    try Validate.count(n, "n", in: function)
    try checkDiscount(gamma, in: function)
    guard !rewards.isEmpty else { throw InvalidArgument(function, "rewards",
                                                        "is empty, expected at least one transition") }
    guard terminated.count == rewards.count, truncated.count == rewards.count else {
        throw InvalidArgument(function, "terminated",
                              "got \(terminated.count) terminated and \(truncated.count) truncated flags for "
                              + "\(rewards.count) rewards")
    }
    try Validate.allFinite(rewards, "rewards", in: function)
    // TODO(4.4): fold up to n rewards, cut at an episode end, bootstrap with gamma^K (notes, section 6)
    throw ExerciseError.notImplemented("4.4", file: "Lessons/04-DQN/NStepReturns.swift", hint: "fold up to n rewards, cut at an episode end, bootstrap with gamma^K (notes, section 6)")
}

/// The queue that turns the stream of environment steps into n-step
/// transitions (plumbing around `nStepReturn`): a step waits until n - 1
/// more have followed it, or until its episode ends, then comes out folded.
public struct NStepQueue: Sendable {
    /// n, the most transitions folded into one.
    public let n: Int
    /// The discount factor.
    public let gamma: Double
    var pending: [Transition] = []

    /// Creates an empty queue.
    ///
    /// - Throws: `InvalidArgument` for n < 1 or gamma outside [0, 1].
    public init(n: Int, gamma: Double) throws {
        try Validate.count(n, "n", in: "NStepQueue")
        try checkDiscount(gamma, in: "NStepQueue")
        self.n = n
        self.gamma = gamma
    }

    /// Adds one environment step (a one-step transition); returns the
    /// transitions that are complete, each folded over up to n steps.
    public mutating func push(_ step: Transition) throws -> [Transition] {
        if n == 1 {  // nothing to fold: the one-step transition, discount gamma
            var single = step
            single.discount = Float(gamma)
            return [single]
        }
        pending.append(step)
        var out: [Transition] = []
        if step.done {
            while !pending.isEmpty { out.append(try fold()); pending.removeFirst() }
        } else if pending.count == n {
            out.append(try fold())
            pending.removeFirst()
        }
        return out
    }

    /// The n-step transition of the oldest pending step: its s and a, the
    /// folded reward, the state after the K-th step, and the discount gamma^K.
    func fold() throws -> Transition {
        let folded = try nStepReturn(rewards: pending.map(\.reward), terminated: pending.map(\.terminated),
                                     truncated: pending.map(\.truncated), n: n, gamma: gamma)
        let first = pending[0], last = pending[folded.steps - 1]
        return Transition(observation: first.observation, action: first.action, reward: folded.reward,
                          nextObservation: last.nextObservation, terminated: folded.terminated,
                          truncated: folded.truncated, discount: Float(folded.discount))
    }
}
