import CourseKit
import Environments
import TensorCore

/// Epsilon-greedy action selection.
///
/// With probability epsilon pick an action uniformly at random among *all*
/// `actionValues.count` actions (the greedy one included); otherwise pick a
/// greedy action, breaking ties uniformly at random. So a unique greedy
/// action has probability 1 - epsilon + epsilon / n and every other action
/// epsilon / n.
///
/// Random ties matter: with a table initialised to zeros, always taking the
/// first maximum would make the agent repeat action 0 everywhere.
///
/// - Throws: `InvalidArgument` for an empty row or epsilon outside [0, 1].
public func epsilonGreedy(_ actionValues: [Double], epsilon: Double,
                          using generator: inout SeededGenerator) throws -> Int {
    let function = "epsilonGreedy(_:epsilon:using:)"
    try checkEpsilon(epsilon, in: function)
    guard !actionValues.isEmpty else {
        throw InvalidArgument(function, "actionValues", "is empty, expected at least one action")
    }
    // BEGIN SOLUTION 3.4: epsilon-greedy with random tie-breaking (notes, section 5)
    if generator.nextDouble() < epsilon {
        return generator.nextInt(below: actionValues.count)
    }
    let best = actionValues.max()!
    var ties: [Int] = []
    for (a, value) in actionValues.enumerated() where value == best { ties.append(a) }
    return ties.count == 1 ? ties[0] : ties[generator.nextInt(below: ties.count)]
    // END SOLUTION
}

/// One episode of SARSA, on-policy TD control (Sutton & Barto, Section 6.4).
///
///     reset; choose A from S epsilon-greedily on Q
///     repeat: take A, observe R, S'
///             if S' is terminal:  Q(S,A) += alpha (R - Q(S,A)); stop
///             choose A' from S' epsilon-greedily on Q
///             Q(S,A) += alpha (R + gamma Q(S',A') - Q(S,A))
///             S, A <- S', A'            (A' is the action actually taken next)
///
/// The episode starts with `env.reset(seed: nil)` and stops when the
/// environment terminates or truncates it or after `maxSteps` steps (on
/// truncation the update still bootstraps from Q(S', A')).
///
/// - Returns: the episode played (states, actions, rewards, terminated).
/// - Throws: `InvalidArgument` for bad hyperparameters or a Q table whose
///   shape does not match `env`; environment errors.
public func sarsaEpisode<E: DiscreteEnvironment>(
    _ env: inout E, q: inout [[Double]], alpha: Double, gamma: Double, epsilon: Double,
    maxSteps: Int = 100_000, using generator: inout SeededGenerator
) throws -> Episode {
    let function = "sarsaEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpsilon(epsilon, in: function)
    try checkMaxSteps(maxSteps, in: function)
    try checkQTable(q, for: env, in: function)
    // BEGIN SOLUTION 3.5: SARSA: bootstrap from the action you will take next (notes, section 5)
    var state = env.reset(seed: nil)
    var action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        if step.terminated {
            q[state][action] += alpha * (step.reward - q[state][action])
            episode.terminated = true
            break
        }
        let nextAction = try epsilonGreedy(q[next], epsilon: epsilon, using: &generator)
        q[state][action] += alpha * (step.reward + gamma * q[next][nextAction] - q[state][action])
        if step.truncated { break }
        state = next
        action = nextAction
    }
    return episode
    // END SOLUTION
}

/// One episode of Q-learning, off-policy TD control (Sutton & Barto,
/// Section 6.5): act epsilon-greedily, learn about the greedy policy.
///
///     reset; repeat: choose A from S epsilon-greedily on Q; take A, observe R, S'
///                    Q(S,A) += alpha (R + gamma max_a Q(S',a) - Q(S,A))
///                    (just R as the target when S' is terminal)
///
/// Same episode handling and return value as `sarsaEpisode`.
public func qLearningEpisode<E: DiscreteEnvironment>(
    _ env: inout E, q: inout [[Double]], alpha: Double, gamma: Double, epsilon: Double,
    maxSteps: Int = 100_000, using generator: inout SeededGenerator
) throws -> Episode {
    let function = "qLearningEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpsilon(epsilon, in: function)
    try checkMaxSteps(maxSteps, in: function)
    try checkQTable(q, for: env, in: function)
    // BEGIN SOLUTION 3.6: Q-learning: act epsilon-greedily, bootstrap from the greedy value (notes, section 5)
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        let future = step.terminated ? 0 : gamma * q[next].max()!
        q[state][action] += alpha * (step.reward + future - q[state][action])
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = next
    }
    return episode
    // END SOLUTION
}

/// The Double Q-learning update (van Hasselt, 2010; Sutton & Barto,
/// Section 6.7) of one transition. When `updateFirst` is true:
///
///     A* = argmax_a Q1(S', a)                      (ties: lowest index)
///     Q1(S,A) += alpha (R + gamma Q2(S', A*) - Q1(S,A))
///
/// and symmetrically with the roles of Q1 and Q2 swapped when it is false.
/// One table picks the action, the other evaluates it, so the noise that
/// made an action look best is not the noise that values it. No bootstrap
/// term when `terminated`.
///
/// - Throws: `InvalidArgument` for a bad alpha, gamma, state or action.
public func doubleQLearningUpdate(
    q1: inout [[Double]], q2: inout [[Double]], state: Int, action: Int, reward: Double,
    nextState: Int, terminated: Bool, alpha: Double, gamma: Double, updateFirst: Bool
) throws {
    let function = "doubleQLearningUpdate(q1:q2:state:action:reward:nextState:terminated:alpha:gamma:updateFirst:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    guard q1.count == q2.count, zip(q1, q2).allSatisfy({ $0.count == $1.count }) else {
        throw InvalidArgument(function, "q2", "has a different shape from q1; both tables need the same rows")
    }
    guard q1.indices.contains(state), q1[state].indices.contains(action), q1.indices.contains(nextState) else {
        throw InvalidArgument(function, "state/action", "(\(state), \(action)) -> \(nextState) is outside the table")
    }
    // BEGIN SOLUTION 3.7: Double Q-learning's update: one table chooses, the other evaluates (notes, section 5)
    func argmax(_ row: [Double]) -> Int {
        var best = 0
        for a in row.indices where row[a] > row[best] { best = a }
        return best
    }
    if updateFirst {
        let future = terminated ? 0 : gamma * q2[nextState][argmax(q1[nextState])]
        q1[state][action] += alpha * (reward + future - q1[state][action])
    } else {
        let future = terminated ? 0 : gamma * q1[nextState][argmax(q2[nextState])]
        q2[state][action] += alpha * (reward + future - q2[state][action])
    }
    // END SOLUTION
}

/// One episode of Double Q-learning: behave epsilon-greedily on Q1 + Q2;
/// after each step flip a fair coin (`generator.nextDouble() < 0.5` means
/// "update Q1") and apply `doubleQLearningUpdate`.
///
/// Same episode handling and return value as `sarsaEpisode`.
public func doubleQLearningEpisode<E: DiscreteEnvironment>(
    _ env: inout E, q1: inout [[Double]], q2: inout [[Double]], alpha: Double, gamma: Double, epsilon: Double,
    maxSteps: Int = 100_000, using generator: inout SeededGenerator
) throws -> Episode {
    let function = "doubleQLearningEpisode(_:q1:q2:alpha:gamma:epsilon:maxSteps:using:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpsilon(epsilon, in: function)
    try checkMaxSteps(maxSteps, in: function)
    try checkQTable(q1, for: env, name: "q1", in: function)
    try checkQTable(q2, for: env, name: "q2", in: function)
    // BEGIN SOLUTION 3.7: Double Q's episode: act on both tables, a coin picks the one to update (notes, section 5)
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let combined = zip(q1[state], q2[state]).map { $0 + $1 }
        let action = try epsilonGreedy(combined, epsilon: epsilon, using: &generator)
        let step = try env.step(action)
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(step.observation)
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: state, action: action, reward: step.reward,
                                  nextState: step.observation, terminated: step.terminated,
                                  alpha: alpha, gamma: gamma, updateFirst: generator.nextDouble() < 0.5)
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = step.observation
    }
    return episode
    // END SOLUTION
}

/// One episode of Expected SARSA (Sutton & Barto, Section 6.6): like
/// Q-learning, but the target averages Q(S', .) over the epsilon-greedy
/// policy instead of taking the maximum:
///
///     Q(S,A) += alpha (R + gamma sum_a pi(a|S') Q(S',a) - Q(S,A)),
///     pi(a|S') = epsilon / n + (1 - epsilon) / k  for the k greedy actions,
///                epsilon / n                      for the others,
///
/// (n = number of actions in S'; ties share the greedy mass equally), and
/// just R when S' is terminal. epsilon = 0 gives Q-learning's target.
///
/// Same episode handling and return value as `sarsaEpisode`.
public func expectedSarsaEpisode<E: DiscreteEnvironment>(
    _ env: inout E, q: inout [[Double]], alpha: Double, gamma: Double, epsilon: Double,
    maxSteps: Int = 100_000, using generator: inout SeededGenerator
) throws -> Episode {
    let function = "expectedSarsaEpisode(_:q:alpha:gamma:epsilon:maxSteps:using:)"
    try checkStepSize(alpha, in: function)
    try checkDiscount(gamma, in: function)
    try checkEpsilon(epsilon, in: function)
    try checkMaxSteps(maxSteps, in: function)
    try checkQTable(q, for: env, in: function)
    // BEGIN SOLUTION 3.8: Expected SARSA: the expectation over the next action (notes, section 5)
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        var future = 0.0
        if !step.terminated {
            let row = q[next]
            let best = row.max()!
            let greedyCount = Double(row.filter { $0 == best }.count)
            let n = Double(row.count)
            for value in row {
                let p = epsilon / n + (value == best ? (1 - epsilon) / greedyCount : 0)
                future += p * value
            }
            future *= gamma
        }
        q[state][action] += alpha * (step.reward + future - q[state][action])
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = next
    }
    return episode
    // END SOLUTION
}
