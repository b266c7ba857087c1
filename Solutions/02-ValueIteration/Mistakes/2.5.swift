// The mistake catalogue of exercise 2.5 (policyIteration): broken loops. Each edits
// one line of the reference (REPLACE/WITH).

// MISTAKE one-sweep-evaluation: evaluates each policy with a single sweep
// WHY: the evaluation loop's exit is placed inside it unconditionally; one sweep then passes for "policy evaluation".
// EXPECT: evaluationTolerance
// REPLACE: if delta < evaluationTolerance { break }
// WITH: break
// END MISTAKE

// MISTAKE no-tie-keeping: always takes the lowest-index best action, even when the current one is as good
// WHY: "improvement = greedy policy" is taken literally; with equally good actions and values known only to the tolerance, the choice can flip from round to round.
// EXPECT: keep the current action when it is as good as the best
// REPLACE: if let old = current?[s], lookahead(s, old) >= bestValue - 1e-9 { best = old }
// WITH: _ = current
// END MISTAKE

// MISTAKE ignores-initial-policy: always starts from the equiprobable policy
// WHY: the optional argument defaults to the uniform policy in the lecture, and it is never read.
// EXPECT: ignores initialPolicy
// REPLACE: var probabilities = initialPolicy
// WITH: var probabilities = [[Double]]?.none
// END MISTAKE

// MISTAKE compares-with-itself: tests stability against the policy just built
// WHY: the "policy stable" test compares improved[s] after it was overwritten, so nothing ever counts as changed and the loop ends after one round.
// EXPECT: compared the new policy with itself
// REPLACE: if current?[s] != best { changed += 1 }
// WITH: if improved[s] != best { changed += 1 }
// END MISTAKE

// MISTAKE illegal-actions: improves over every action of the model, legal or not
// WHY: mdp.actionCount is the width of the table; actionCount(in: s) is easy to overlook when every state of the usual examples has all actions.
// EXPECT: legal in s
// REPLACE: for a in 0..<mdp.actionCount(in: s) {
// WITH: for a in 0..<mdp.actionCount {
// END MISTAKE
