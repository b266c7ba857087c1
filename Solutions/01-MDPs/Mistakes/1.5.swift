// The mistake catalogue of exercise 1.5 (actionValues): wrong one-step lookaheads.

// MISTAKE bootstraps-terminal: adds gamma * V(s') after a terminal outcome
// WHY: the formula r + gamma V(s') is copied without its (1 - terminated) factor; with V(terminal) = 0 it even looks right.
// EXPECT: bootstraps from a terminal state
// REPLACE: q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
// WITH: q + t.probability * (t.reward + gamma * values[t.nextState])
// END MISTAKE

// MISTAKE ignores-probabilities: adds the outcomes up without their probabilities
// WHY: in the lecture's grid world every action has one outcome of probability 1, so the weight never shows.
// EXPECT: weight each outcome by its probability
// REPLACE: q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
// WITH: q + t.reward + (t.terminated ? 0 : gamma * values[t.nextState])
// END MISTAKE

// MISTAKE discounts-reward: multiplies the reward by gamma too
// WHY: gamma is put in front of the whole bracket, gamma (r + V(s')), as if the reward came one step later.
// EXPECT: the reward is not discounted
// REPLACE: q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
// WITH: q + t.probability * gamma * (t.reward + (t.terminated ? 0 : values[t.nextState]))
// END MISTAKE

// MISTAKE value-of-current-state: reads V at s instead of at s'
// WHY: V(s) is the variable in scope in the loop over states, and "the value" gets read there.
// EXPECT: V is read at the next state s'
    return (0..<mdp.stateCount).map { s in
        (0..<mdp.actionCount).map { a in
            mdp.transitions[s][a].reduce(0.0) { q, t in
                q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[s]))
            }
        }
    }
// END MISTAKE

// MISTAKE actions-by-states: returns the table as q[a][s]
// WHY: the two nested maps are written in the wrong order (actions outside, states inside).
// EXPECT: one row per state
    return (0..<mdp.actionCount).map { a in
        (0..<mdp.stateCount).map { s in
            mdp.transitions[s][a].reduce(0.0) { q, t in
                q + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
            }
        }
    }
// END MISTAKE
