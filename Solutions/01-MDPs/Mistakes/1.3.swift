// The mistake catalogue of exercise 1.3 (evaluatePolicyIteratively): wrong sweeps.
//
// Not catalogued: bootstrapping through terminal outcomes. Here it cannot change a
// number: v_0 = 0, and a terminal state's self-loop (reward 0, terminated) keeps its
// value at 0, so gamma * v(terminal) is always 0. It is caught where V is given
// (1.5, 2.1, 2.2's initialValues, 2.4).

// MISTAKE in-place-sweep: updates the value table while the sweep still reads it
// WHY: one array looks simpler and converges too (Gauss-Seidel), but the sweeps are no longer those of the lecture (Figure 4.1).
// EXPECT: updates the values in place
    var values = Array(repeating: 0.0, count: mdp.stateCount)
    var sweeps = 0
    while sweeps < maxSweeps {
        var change = 0.0
        for s in 0..<mdp.stateCount {
            var v = 0.0
            for a in 0..<mdp.actionCount where policy[s][a] > 0 {
                var q = 0.0
                for t in mdp.transitions[s][a] {
                    q += t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
                }
                v += policy[s][a] * q
            }
            change = max(change, abs(v - values[s]))
            values[s] = v
        }
        sweeps += 1
        if change < tolerance {
            return IterativeEvaluation(values: values, sweeps: sweeps, converged: true)
        }
    }
    return IterativeEvaluation(values: values, sweeps: sweeps, converged: false)
// END MISTAKE

// MISTAKE terminal-reward-dropped: drops the reward of a terminal outcome along with its bootstrap term
// WHY: "a terminal state is worth 0" is applied to the whole bracket, so the last step of an episode pays nothing.
// EXPECT: entering a terminal state still earns its reward
// REPLACE: q += t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
// WITH: q += t.probability * (t.terminated ? 0 : t.reward + gamma * values[t.nextState])
// END MISTAKE

// MISTAKE ignores-gamma: bootstraps with v(s') undiscounted
// WHY: the lecture's grid world uses gamma = 1, and the code is written against that example.
// EXPECT: ignores gamma
// REPLACE: q += t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
// WITH: q += t.probability * (t.reward + (t.terminated ? 0 : values[t.nextState]))
// END MISTAKE

// MISTAKE forgets-policy-weights: sums the actions' values without pi(a|s)
// WHY: the inner sum over outcomes has its probabilities, and the outer sum's pi(a|s) is left out.
// EXPECT: weight each action by pi(a|s)
// REPLACE: v += policy[s][a] * q
// WITH: v += q
// END MISTAKE

// MISTAKE max-over-actions: backs up the best action instead of the policy's average
// WHY: the Bellman optimality backup (value iteration) and the expectation backup look alike on the slides.
// EXPECT: not the max
// REPLACE: var v = 0.0
// WITH: var v = -Double.infinity
// REPLACE: v += policy[s][a] * q
// WITH: v = max(v, q)
// END MISTAKE

// MISTAKE last-sweep-not-counted: returns before counting the sweep that converged
// WHY: the stopping test is placed before the counter's increment, so the final sweep is never counted.
// EXPECT: including the last one
    var values = Array(repeating: 0.0, count: mdp.stateCount)
    var sweeps = 0
    while sweeps < maxSweeps {
        var next = values
        var change = 0.0
        for s in 0..<mdp.stateCount {
            var v = 0.0
            for a in 0..<mdp.actionCount where policy[s][a] > 0 {
                var q = 0.0
                for t in mdp.transitions[s][a] {
                    q += t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
                }
                v += policy[s][a] * q
            }
            next[s] = v
            change = max(change, abs(v - values[s]))
        }
        values = next
        if change < tolerance {
            return IterativeEvaluation(values: values, sweeps: sweeps, converged: true)
        }
        sweeps += 1
    }
    return IterativeEvaluation(values: values, sweeps: sweeps, converged: false)
// END MISTAKE

// MISTAKE ignores-max-sweeps: sweeps until convergence whatever maxSweeps says
// WHY: the budget looks like a safety net that never matters, so a fixed cap replaces it.
// EXPECT: ignores maxSweeps
// REPLACE: while sweeps < maxSweeps {
// WITH: while sweeps < 100_000 {
// END MISTAKE
