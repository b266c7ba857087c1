// The mistake catalogue of exercise 3.8 (expectedSarsaEpisode): wrong bodies students
// write, each checked by `deeprl mistakes` to fail 3.8's tests with a message that names
// the misconception, and correct variants that draw their random numbers in another order.

// MISTAKE max-target: bootstraps from max_a Q(S', a)
// WHY: the expectation is computed and then replaced by the greedy value "because the policy is mostly greedy".
// EXPECT: that is Q-learning
// REPLACE: future *= gamma
// WITH: future = gamma * best
// END MISTAKE

// MISTAKE uniform-mean: averages Q(S', .) over the actions with equal weights
// WHY: "expected value" read as the plain mean of the row.
// EXPECT: plain average
// REPLACE: let p = epsilon / n + (value == best ? (1 - epsilon) / greedyCount : 0)
// WITH: let p = 1 / n
// END MISTAKE

// MISTAKE greedy-weight-one-minus-epsilon: gives the greedy action 1 - epsilon and the others epsilon / n
// WHY: "greedy with probability 1 - epsilon" forgets that the random action can also be the greedy one.
// EXPECT: without its share epsilon / n
// REPLACE: let p = epsilon / n + (value == best ? (1 - epsilon) / greedyCount : 0)
// WITH: let p = value == best ? (1 - epsilon) / greedyCount : epsilon / n
// END MISTAKE

// MISTAKE ties-full-greedy-mass: gives every tied maximum the whole greedy mass 1 - epsilon
// WHY: each maximum "is the greedy action", so each gets its weight; the weights then sum to more than 1.
// EXPECT: the k tied maxima share the greedy mass
// REPLACE: let p = epsilon / n + (value == best ? (1 - epsilon) / greedyCount : 0)
// WITH: let p = epsilon / n + (value == best ? 1 - epsilon : 0)
// END MISTAKE

// MISTAKE sampled-next-action: bootstraps from one sampled A' instead of the expectation
// WHY: SARSA's target with a fresh sample looks like "an estimate of the expectation".
// EXPECT: a single sampled A'
// REPLACE: future *= gamma
// WITH: let sampled = try epsilonGreedy(row, epsilon: epsilon, using: &generator)\n            future = gamma * row[sampled]
// END MISTAKE

// MISTAKE bootstraps-terminal: adds the expectation over the terminal row too
// WHY: the expectation is computed for every next state; terminal rows are zero in a fresh table.
// EXPECT: no bootstrap from the terminal state
// REPLACE: if !step.terminated {
// WITH: do {
// END MISTAKE

// MISTAKE truncation-as-terminal: drops the bootstrap when the episode is truncated
// WHY: a single "done" flag, as in older Gym, ends both the episode and the bootstrap.
// EXPECT: a time limit is not a terminal state
// REPLACE: if !step.terminated {
// WITH: if !step.terminated && !step.truncated {
// END MISTAKE

// VARIANT own-exploration-stream: explores with a generator seeded from the one passed in
// WHY: one draw seeds a private stream, so every later action uses other numbers than the reference's.
// REPLACE: var state = env.reset(seed: nil)
// WITH: var explorer = SeededGenerator(seed: generator.next())\n    var state = env.reset(seed: nil)
// REPLACE: using: &generator)
// WITH: using: &explorer)
// END VARIANT

// VARIANT inline-ties-first: picks actions with its own epsilon-greedy, drawing the tie-break first
// WHY: a student may inline the action choice; drawing in another order is equally correct.
// REPLACE: let action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
// WITH: let row0 = q[state], best0 = row0.max()!\n        let ties0 = row0.indices.filter { row0[$0] == best0 }\n        let greedy0 = ties0[generator.nextInt(below: ties0.count)]\n        let action = generator.nextDouble() < epsilon ? generator.nextInt(below: row0.count) : greedy0
// END VARIANT
