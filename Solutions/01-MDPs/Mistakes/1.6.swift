// The mistake catalogue of exercise 1.6 (greedyPolicy(from:)): wrong argmaxes.

// MISTAKE ties-to-last: replaces the best action on an equal value
// WHY: `>=` instead of `>`, the same slip that makes ties go to the highest index (numpy's argmax keeps the first).
// EXPECT: ties go to the lowest index
// REPLACE: row[a] > row[best]
// WITH: row[a] >= row[best]
// END MISTAKE

// MISTAKE random-ties: picks one of the tied actions at random
// WHY: random tie-breaking is what an exploring agent does, and it looks "fairer"; the exercise specifies the lowest index.
// EXPECT: not at random
    return q.map { row in
        let top = row.max()!
        return row.indices.filter { row[$0] == top }.randomElement()!
    }
// END MISTAKE

// MISTAKE argmin: keeps the smallest value
// WHY: the comparison is flipped, as when the values are read as costs.
// EXPECT: picks the smallest value
// REPLACE: row[a] > row[best]
// WITH: row[a] < row[best]
// END MISTAKE

// MISTAKE returns-max-value: returns the largest value instead of its index
// WHY: max() is at hand and gives "the best"; the policy needs the action, argmax, not the value, max.
// EXPECT: returns the largest value, not its index
    return q.map { Int($0.max()!) }
// END MISTAKE

// MISTAKE zero-initial-max: starts the running maximum at 0
// WHY: "best so far = 0" works while some value is positive; in a row of negative values nothing beats it.
// EXPECT: every value of a row negative
    return q.map { row in
        var best = 0
        var bestValue = 0.0
        for a in 0..<row.count where row[a] > bestValue {
            best = a
            bestValue = row[a]
        }
        return best
    }
// END MISTAKE
