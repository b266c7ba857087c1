import TensorCore

/// One possible outcome of taking an action in a state: the `(probability,
/// next state, reward, terminated)` tuple of Gymnasium's `P[s][a]` lists.
public struct Transition: Sendable, Equatable, Hashable {
    /// The probability of this outcome, P(s' | s, a).
    public var probability: Double
    /// The state reached.
    public var nextState: Int
    /// The reward received on this transition.
    public var reward: Double
    /// True when `nextState` is terminal.
    public var terminated: Bool

    /// Creates an outcome.
    public init(probability: Double, nextState: Int, reward: Double, terminated: Bool) {
        self.probability = probability
        self.nextState = nextState
        self.reward = reward
        self.terminated = terminated
    }
}

/// A finite Markov decision process with its full model, for dynamic
/// programming: states `0..<stateCount`, actions `0..<actionCount`, and for
/// every pair the list of possible outcomes.
///
/// Convention (the same as Gymnasium's toy-text environments): a terminal
/// state has `isTerminal[s] == true` and every action there leads back to `s`
/// with probability 1 and reward 0, so its value under any policy is 0.
public struct TabularMDP: Sendable, Equatable {
    /// A short name for messages, for example "GridWorld 4x4".
    public var name: String
    /// The number of states.
    public var stateCount: Int
    /// The number of actions available in every state.
    public var actionCount: Int
    /// `transitions[s][a]` lists the outcomes of taking `a` in `s`; the
    /// probabilities of one list sum to 1.
    public var transitions: [[[Transition]]]
    /// `isTerminal[s]` is true for terminal states.
    public var isTerminal: [Bool]
    /// The distribution of the first state of an episode.
    public var initialDistribution: [Double]
    /// Names of the actions, for rendering ("left", "down", ...).
    public var actionNames: [String]
    /// `availableActionCounts[s]` is the number of actions legal in `s`
    /// (actions `0..<n`). Equal to `actionCount` everywhere unless a world
    /// allows fewer actions in some states (the maximisation-bias MDP); the
    /// unavailable actions keep well-formed placeholder outcomes that dynamic
    /// programming should skip by using `actionCount(in:)`.
    public var availableActionCounts: [Int]

    /// Creates a model and checks that it is well formed.
    ///
    /// - Throws: `EnvironmentError.invalidConfiguration` when a list has the
    ///   wrong length, a next state is out of range or an outcome list's
    ///   probabilities do not sum to 1 (within 1e-9).
    public init(
        name: String,
        stateCount: Int,
        actionCount: Int,
        transitions: [[[Transition]]],
        isTerminal: [Bool],
        initialDistribution: [Double],
        actionNames: [String]? = nil,
        availableActionCounts: [Int]? = nil
    ) throws {
        func fail(_ problem: String) -> EnvironmentError {
            .invalidConfiguration(environment: name, problem: problem)
        }
        guard stateCount > 0, actionCount > 0 else {
            throw fail("needs at least one state and one action, got \(stateCount) states and \(actionCount) actions")
        }
        guard transitions.count == stateCount else {
            throw fail("transitions has \(transitions.count) states, expected \(stateCount)")
        }
        guard isTerminal.count == stateCount, initialDistribution.count == stateCount else {
            throw fail("isTerminal and initialDistribution need \(stateCount) entries, got \(isTerminal.count) and \(initialDistribution.count)")
        }
        for s in 0..<stateCount {
            guard transitions[s].count == actionCount else {
                throw fail("transitions[\(s)] has \(transitions[s].count) actions, expected \(actionCount)")
            }
            for a in 0..<actionCount {
                var total = 0.0
                for t in transitions[s][a] {
                    guard (0..<stateCount).contains(t.nextState) else {
                        throw fail("transitions[\(s)][\(a)] leads to state \(t.nextState), expected 0..<\(stateCount)")
                    }
                    guard t.reward.isFinite else {
                        throw fail("transitions[\(s)][\(a)] has reward \(t.reward), expected a finite number")
                    }
                    guard t.probability >= 0, t.probability <= 1 else {
                        throw fail("transitions[\(s)][\(a)] has probability \(t.probability), expected a number in [0, 1]")
                    }
                    total += t.probability
                }
                guard abs(total - 1) < 1e-9 else {
                    throw fail("probabilities of transitions[\(s)][\(a)] sum to \(total), expected 1")
                }
            }
        }
        guard initialDistribution.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(initialDistribution.reduce(0, +) - 1) < 1e-9 else {
            throw fail("initialDistribution \(initialDistribution) is not a probability distribution (entries in [0, 1] summing to 1)")
        }
        let names = actionNames ?? (0..<actionCount).map { "a\($0)" }
        guard names.count == actionCount else {
            throw fail("\(names.count) action names for \(actionCount) actions")
        }
        let available = availableActionCounts ?? Array(repeating: actionCount, count: stateCount)
        guard available.count == stateCount, available.allSatisfy({ (1...actionCount).contains($0) }) else {
            throw fail("availableActionCounts needs \(stateCount) entries in 1...\(actionCount), got \(available)")
        }
        self.name = name
        self.availableActionCounts = available
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.transitions = transitions
        self.isTerminal = isTerminal
        self.initialDistribution = initialDistribution
        self.actionNames = names
    }

    /// The number of actions legal in `state`: actions `0..<n`.
    public func actionCount(in state: Int) -> Int { availableActionCounts[state] }

    /// The expected immediate reward r(s, a) = sum over outcomes of p * r.
    public func expectedReward(state: Int, action: Int) -> Double {
        transitions[state][action].reduce(0) { $0 + $1.probability * $1.reward }
    }
}
