// The mistake catalogue of exercise 2.3 (qValueIteration): wrong Q sweeps.
//
// Not catalogued: bootstrapping through terminal outcomes. Here it cannot change a
// number: Q_0 = 0 and a terminal state's self-loop (reward 0, terminated) keeps its
// row at 0. It is caught where V is given (2.1, 2.2's initialValues, 2.4).

// MISTAKE mean-not-max: bootstraps with the mean of Q(s', .) instead of its max
// WHY: an average over next actions is what expected SARSA does under a uniform policy; value iteration needs the greedy value.
// EXPECT: not the mean
// REPLACE: let best = q.map { $0.max() ?? 0 }
// WITH: let best = q.map { $0.reduce(0, +) / Double($0.count) }
// END MISTAKE

// MISTAKE same-action: bootstraps with Q(s', a) of the action just taken
// WHY: the target is written with the same index a on both sides, as in SARSA's Q(s', a').
// EXPECT: the same action
// REPLACE: let future = outcome.terminated ? 0 : gamma * best[outcome.nextState]
// WITH: let future = outcome.terminated ? 0 : gamma * q[outcome.nextState][a]
// END MISTAKE

// MISTAKE in-place-sweep: writes each new Q(s, a) into the table the sweep still reads
// WHY: one table looks simpler and converges too, but the sweep is no longer Q_{k+1} = T Q_k.
// EXPECT: in place
// REPLACE: let future = outcome.terminated ? 0 : gamma * best[outcome.nextState]
// WITH: let future = outcome.terminated ? 0 : gamma * (q[outcome.nextState].max() ?? 0)
// REPLACE: next[s][a] = value
// WITH: next[s][a] = value\n                let old = q[s][a]\n                q[s][a] = value
// REPLACE: delta = max(delta, abs(value - q[s][a]))
// WITH: delta = max(delta, abs(value - old))
// END MISTAKE

// MISTAKE terminal-reward-dropped: drops the reward of a terminated outcome along with its bootstrap term
// WHY: "a terminal state is worth 0" is applied to the whole bracket, so the last step of an episode pays nothing.
// EXPECT: still earns its reward
// REPLACE: value += outcome.probability * (outcome.reward + future)
// WITH: value += outcome.terminated ? 0 : outcome.probability * (outcome.reward + future)
// END MISTAKE

// MISTAKE all-actions-rows: gives every row mdp.actionCount entries
// WHY: a rectangular table is the natural allocation; in the maximisation-bias MDP A has 2 legal actions of 10.
// EXPECT: mdp.actionCount(in: s) entries
// REPLACE: var q = (0..<mdp.stateCount).map { Array(repeating: 0.0, count: mdp.actionCount(in: $0)) }
// WITH: var q = (0..<mdp.stateCount).map { _ in Array(repeating: 0.0, count: mdp.actionCount) }
// END MISTAKE

// MISTAKE ignores-max-sweeps: sweeps until convergence whatever maxSweeps says
// WHY: the budget looks like a safety net that never matters, so a fixed cap replaces it.
// EXPECT: ignores maxSweeps
// REPLACE: while deltas.count < maxSweeps {
// WITH: while deltas.count < 100_000 {
// END MISTAKE
