// The mistake catalogue of exercise 2.2 (valueIteration): wrong loops around a
// correct backup. Each edits the reference loop (REPLACE/WITH).

// MISTAKE in-place-sweep: writes each new value into the array the sweep still reads
// WHY: one array looks simpler and converges too (Gauss-Seidel), but the sweep is no longer V_{k+1} = T V_k.
// EXPECT: not in place
// REPLACE: next[s] = try bellmanOptimalityBackup(mdp, values: values, state: s, gamma: gamma)
// WITH: next[s] = try bellmanOptimalityBackup(mdp, values: values, state: s, gamma: gamma)\n            let old = values[s]\n            values[s] = next[s]
// REPLACE: delta = max(delta, abs(next[s] - values[s]))
// WITH: delta = max(delta, abs(next[s] - old))
// END MISTAKE

// MISTAKE ignores-initial-values: always starts from zeros
// WHY: V_0 = 0 is the lecture's start, and the optional argument is never read.
// EXPECT: ignores initialValues
// REPLACE: var values = initialValues ?? Array(repeating: 0, count: mdp.stateCount)
// WITH: var values = Array(repeating: 0.0, count: mdp.stateCount)
// END MISTAKE

// MISTAKE sum-of-changes: measures a sweep's change by the sum over states
// WHY: "how much did V change" is added up over the states; the contraction argument and the stopping rule use the max norm.
// EXPECT: the largest change
// REPLACE: delta = max(delta, abs(next[s] - values[s]))
// WITH: delta += abs(next[s] - values[s])
// END MISTAKE

// MISTAKE signed-change: takes the largest signed change, without abs
// WHY: from V_0 = 0 with positive rewards the values only grow, so the missing abs never shows.
// EXPECT: values that decrease count too
// REPLACE: delta = max(delta, abs(next[s] - values[s]))
// WITH: delta = max(delta, next[s] - values[s])
// END MISTAKE

// MISTAKE max-sweeps-off-by-one: performs maxSweeps + 1 sweeps
// WHY: `<=` in the loop condition.
// EXPECT: with maxSweeps 1, stop after 1 sweep
// REPLACE: while deltas.count < maxSweeps {
// WITH: while deltas.count <= maxSweeps {
// END MISTAKE

// MISTAKE returns-previous-values: stops before taking the last sweep's values
// WHY: the stopping test is placed before `values = next`, so the converged sweep's values are thrown away.
// EXPECT: return the values of the last sweep
// REPLACE: values = next
// WITH: if delta < tolerance {\n            deltas.append(delta)\n            return ValueIterationResult(values: values, sweeps: deltas.count, deltas: deltas, converged: true)\n        }\n        values = next
// END MISTAKE
