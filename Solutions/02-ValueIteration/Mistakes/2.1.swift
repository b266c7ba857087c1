// The mistake catalogue of exercise 2.1 (bellmanOptimalityBackup): wrong backups.
// valueIteration (2.2) calls this function, so most of them fail 2.2 as well
// (CHARGES), whose report then says to fix 2.1 first. Two do not: bootstrapping
// through terminal outcomes leaves the backup a gamma-contraction with the same
// fixed point (a terminal state's value decays to 0), so 2.2's runs still reach
// V*; and no 2.2 test has a state with fewer legal actions.

// MISTAKE average-over-actions: averages the actions' values instead of taking the max
// WHY: the expectation backup of lesson 01 averages over the policy's actions; the optimality backup takes the best one.
// EXPECT: average over actions
// CHARGES: 2.2
    var total = 0.0
    let count = mdp.actionCount(in: state)
    for action in 0..<count {
        var q = 0.0
        for outcome in mdp.transitions[state][action] {
            let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
            q += outcome.probability * (outcome.reward + future)
        }
        total += q
    }
    return total / Double(count)
// END MISTAKE

// MISTAKE first-action-only: returns the first action's value
// WHY: the loop over actions is never written; one action's lookahead looks like "the backup".
// EXPECT: first action's value
// CHARGES: 2.2
    var q = 0.0
    for outcome in mdp.transitions[state][0] {
        let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
        q += outcome.probability * (outcome.reward + future)
    }
    return q
// END MISTAKE

// MISTAKE bootstraps-terminal: adds gamma * V(s') after a terminal outcome
// WHY: r + gamma V(s') is copied from the slides without the terminal case; with V(terminal) = 0 it even looks right.
// EXPECT: bootstraps from a terminal state
// REPLACE: let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
// WITH: let future = gamma * values[outcome.nextState]
// END MISTAKE

// MISTAKE unweighted-outcomes: adds the outcomes up without their probabilities
// WHY: in deterministic worlds every outcome has probability 1, so the weight never shows.
// EXPECT: weight each outcome by its probability
// CHARGES: 2.2
// REPLACE: q += outcome.probability * (outcome.reward + future)
// WITH: q += outcome.reward + future
// END MISTAKE

// MISTAKE discounts-reward: multiplies the reward by gamma too
// WHY: gamma is put in front of the whole bracket, gamma (r + V(s')), as if the reward came one step later.
// EXPECT: the reward is not discounted
// CHARGES: 2.2
// REPLACE: let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
// WITH: let future = outcome.terminated ? 0 : values[outcome.nextState]
// REPLACE: q += outcome.probability * (outcome.reward + future)
// WITH: q += outcome.probability * gamma * (outcome.reward + future)
// END MISTAKE

// MISTAKE value-of-current-state: reads V at s instead of at s'
// WHY: `values[state]` is the entry the backup replaces, and it gets read in place of the successor's.
// EXPECT: V is read at the next state s'
// CHARGES: 2.2
// REPLACE: let future = outcome.terminated ? 0 : gamma * values[outcome.nextState]
// WITH: let future = outcome.terminated ? 0 : gamma * values[state]
// END MISTAKE

// MISTAKE zero-initial-max: starts the running maximum at 0
// WHY: "best so far = 0" works while some action is worth something; when every action costs, nothing beats 0.
// EXPECT: the maximum of negative action values is negative
// CHARGES: 2.2
// REPLACE: var best = -Double.infinity
// WITH: var best = 0.0
// END MISTAKE

// MISTAKE illegal-actions: maximises over every action of the model, legal or not
// WHY: mdp.actionCount is the width of the table; actionCount(in: s) is easy to overlook when every state of the usual examples has all actions.
// EXPECT: legal in s
// REPLACE: for action in 0..<mdp.actionCount(in: state) {
// WITH: for action in 0..<mdp.actionCount {
// END MISTAKE
