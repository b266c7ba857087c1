// The mistake catalogue of exercise 1.4 (evaluatePolicyExactly): wrong linear
// systems. Each edits one line of the reference (REPLACE/WITH).

// MISTAKE plus-gamma-p: builds A = I + gamma P_pi
// WHY: v = r + gamma P v is rearranged without flipping the sign of the term that moves to the left.
// EXPECT: A = I - gamma P
// REPLACE: a[s][t.nextState] -= gamma * weight
// WITH: a[s][t.nextState] += gamma * weight
// END MISTAKE

// MISTAKE transposed: writes P_pi(s, s') into row s', column s
// WHY: the row/column convention of a transition matrix (row = from, column = to) is easy to swap in a double loop.
// EXPECT: transposed
// REPLACE: a[s][t.nextState] -= gamma * weight
// WITH: a[t.nextState][s] -= gamma * weight
// END MISTAKE

// MISTAKE ignores-gamma: builds A = I - P_pi
// WHY: the grid world of the lecture has gamma = 1, and the discount is left out of the matrix.
// EXPECT: ignores gamma
// REPLACE: a[s][t.nextState] -= gamma * weight
// WITH: a[s][t.nextState] -= weight
// END MISTAKE

// MISTAKE no-terminal-row: leaves a terminal state's row empty
// WHY: terminal states are skipped entirely ("nothing happens there"), so their equation v(s) = 0 is never written and the matrix is singular.
// EXPECT: a terminal state's row must be the equation v(s) = 0
// REPLACE: a[s][s] = 1
// WITH: _ = a[s][s]
// REPLACE: if mdp.isTerminal[s] { continue }
// WITH: if mdp.isTerminal[s] { continue }\n        a[s][s] = 1
// END MISTAKE

// MISTAKE terminal-reward-dropped: leaves a terminal outcome's reward out of r_pi
// WHY: "terminal outcomes have no P entry" is extended to the reward as well.
// EXPECT: entering a terminal state still earns its reward
// REPLACE: b[s] += weight * t.reward
// WITH: if !t.terminated { b[s] += weight * t.reward }
// END MISTAKE

// MISTAKE forgets-policy-weights: weights outcomes by p(s'|s,a) only
// WHY: P_pi and r_pi average over the policy's actions, and pi(a|s) is dropped from the weight.
// EXPECT: weight each action by pi(a|s)
// REPLACE: let weight = policy[s][action] * t.probability
// WITH: let weight = t.probability
// END MISTAKE
