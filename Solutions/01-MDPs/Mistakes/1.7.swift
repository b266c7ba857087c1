// The mistake catalogue of exercise 1.7 (advantages): wrong A = Q - V.

// MISTAKE sign-flipped: computes V(s) - Q(s, a)
// WHY: "the advantage of V over Q" and "of Q over V" sound alike; the sign decides which actions look good.
// EXPECT: the sign is flipped
    return zip(q, v).map { row, value in row.map { value - $0 } }
// END MISTAKE

// MISTAKE subtracts-row-max: subtracts max_a Q(s, a) instead of the given V(s)
// WHY: V*(s) = max_a Q*(s, a), and the dueling architecture's max normalisation, make "V = the best Q" look general.
// EXPECT: subtracts the max of the row
    return q.map { row in row.map { $0 - row.max()! } }
// END MISTAKE

// MISTAKE subtracts-row-mean: subtracts the plain average of the row instead of the given V(s)
// WHY: under the uniform policy V(s) is the row's average, so "centre each row" looks like the definition.
// EXPECT: the row's plain average
    return q.map { row in row.map { $0 - row.reduce(0, +) / Double(row.count) } }
// END MISTAKE

// MISTAKE wrong-axis: subtracts V(a) from Q(s, a) along the row
// WHY: zipping each row with v pairs V's entries with the actions, not with the row's state.
// EXPECT: V of the wrong state
    return q.map { row in zip(row, v).map { $0 - $1 } }
// END MISTAKE
