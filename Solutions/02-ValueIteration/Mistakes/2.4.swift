// The mistake catalogue of exercise 2.4 (greedyPolicy(_:values:gamma:)): wrong
// policy extraction. Each edits the reference's lookahead or argmax (REPLACE/WITH).

// MISTAKE ties-to-last: replaces the best action on an equal value
// WHY: `>=` instead of `>`; in the grid world many actions tie, and terminal states tie everywhere.
// EXPECT: ties to the lowest action
// REPLACE: if q > bestValue {
// WITH: if q >= bestValue {
// END MISTAKE

// MISTAKE bootstraps-terminal: adds gamma * V(s') after a terminal outcome
// WHY: r + gamma V(s') is copied without the terminal case; with V(terminal) = 0 it even looks right.
// EXPECT: terminal outcome
// REPLACE: (outcome.terminated ? 0 : gamma * values[outcome.nextState])
// WITH: gamma * values[outcome.nextState]
// END MISTAKE

// MISTAKE ignores-gamma: bootstraps with V(s') undiscounted
// WHY: the grid world of the lecture has gamma = 1, and the lookahead is written against it.
// EXPECT: ignores gamma
// REPLACE: (outcome.terminated ? 0 : gamma * values[outcome.nextState])
// WITH: (outcome.terminated ? 0 : values[outcome.nextState])
// END MISTAKE

// MISTAKE unweighted-outcomes: adds the outcomes up without their probabilities
// WHY: in deterministic worlds every outcome has probability 1, and in FrozenLake every action has three outcomes of 1/3, so the weight never shows there.
// EXPECT: weight each outcome by its probability
// REPLACE: q += outcome.probability * (outcome.reward + (outcome.terminated ? 0 : gamma * values[outcome.nextState]))
// WITH: q += outcome.reward + (outcome.terminated ? 0 : gamma * values[outcome.nextState])
// END MISTAKE

// MISTAKE no-reward: ranks the actions by the value of where they lead, without the reward
// WHY: "greedy with respect to V" is read as "go to the best next state", argmax_a E[V(s')].
// EXPECT: the lookahead includes the reward
// REPLACE: q += outcome.probability * (outcome.reward + (outcome.terminated ? 0 : gamma * values[outcome.nextState]))
// WITH: q += outcome.probability * (outcome.terminated ? 0 : gamma * values[outcome.nextState])
// END MISTAKE

// MISTAKE illegal-actions: considers every action of the model, legal or not
// WHY: mdp.actionCount is the width of the table; actionCount(in: s) is easy to overlook when every state of the usual examples has all actions.
// EXPECT: legal in s
// REPLACE: for a in 0..<mdp.actionCount(in: s) {
// WITH: for a in 0..<mdp.actionCount {
// END MISTAKE
