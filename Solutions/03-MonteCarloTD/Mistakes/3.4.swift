// The mistake catalogue of exercise 3.4 (epsilonGreedy): wrong bodies students write,
// each checked by `deeprl mistakes` to fail 3.4's tests with a message that names the
// misconception, and correct variants that draw their random numbers in another order.

// MISTAKE first-maximum: breaks ties by taking the first maximum
// WHY: firstIndex(of: max) is the one-liner for argmax, and ties look like a corner case.
// EXPECT: always taking the first maximum
    if generator.nextDouble() < epsilon {
        return generator.nextInt(below: actionValues.count)
    }
    return actionValues.firstIndex(of: actionValues.max()!)!
// END MISTAKE

// MISTAKE excludes-greedy: explores only among the non-greedy actions
// WHY: "explore" read as "try something other than the best"; the book's random action includes the greedy one.
// EXPECT: greedy one included
// CHARGES: 3.7
    let best = actionValues.max()!
    var ties: [Int] = []
    for (a, value) in actionValues.enumerated() where value == best { ties.append(a) }
    let others = actionValues.indices.filter { actionValues[$0] != best }
    if generator.nextDouble() < epsilon && !others.isEmpty {
        return others[generator.nextInt(below: others.count)]
    }
    return ties.count == 1 ? ties[0] : ties[generator.nextInt(below: ties.count)]
// END MISTAKE

// MISTAKE explore-when-above: explores when u >= epsilon, i.e. with probability 1 - epsilon
// WHY: the comparison is written the wrong way round; with epsilon 0.5 both read the same.
// EXPECT: epsilon is the probability of a random action
// CHARGES: 3.5, 3.6, 3.7, 3.8
// REPLACE: if generator.nextDouble() < epsilon {
// WITH: if generator.nextDouble() >= epsilon {
// END MISTAKE

// MISTAKE system-random: draws from the system's random source instead of the generator passed in
// WHY: Double.random(in:) and randomElement() are what every Swift tutorial uses.
// EXPECT: use the generator passed in
    if Double.random(in: 0..<1) < epsilon {
        return Int.random(in: 0..<actionValues.count)
    }
    let best = actionValues.max()!
    return actionValues.indices.filter { actionValues[$0] == best }.randomElement()!
// END MISTAKE

// VARIANT one-uniform: reuses the exploring uniform to choose the random action
// WHY: given u < epsilon, u / epsilon is uniform in [0, 1): one draw does both; tests must not depend on the reference's draws.
    let u = generator.nextDouble()
    if u < epsilon {
        return min(Int(u / epsilon * Double(actionValues.count)), actionValues.count - 1)
    }
    let best = actionValues.max()!
    let ties = actionValues.indices.filter { actionValues[$0] == best }
    return ties[generator.nextInt(below: ties.count)]
// END VARIANT

// VARIANT ties-first: draws the tie-breaking index and the random action before the coin
// WHY: every call draws three numbers in another order; a correct implementation all the same.
    let best = actionValues.max()!
    let ties = actionValues.indices.filter { actionValues[$0] == best }
    let greedy = ties[generator.nextInt(below: ties.count)]
    let random = generator.nextInt(below: actionValues.count)
    return generator.nextDouble() < epsilon ? random : greedy
// END VARIANT

// VARIANT mixture-by-inversion: samples the epsilon-greedy distribution with one uniform and its cumulative sum
// WHY: pi(a) = epsilon / n + (1 - epsilon) / k on the k maxima; inverting its distribution function is equally correct.
    let best = actionValues.max()!
    let k = Double(actionValues.filter { $0 == best }.count)
    let n = Double(actionValues.count)
    let u = generator.nextDouble()
    var cumulative = 0.0
    for a in actionValues.indices {
        cumulative += epsilon / n + (actionValues[a] == best ? (1 - epsilon) / k : 0)
        if u < cumulative { return a }
    }
    return actionValues.lastIndex(of: best)!
// END VARIANT
