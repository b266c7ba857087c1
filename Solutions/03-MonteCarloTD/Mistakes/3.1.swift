// The mistake catalogue of exercise 3.1 (monteCarloPrediction, constantAlphaMonteCarlo):
// wrong bodies students write, each checked by `deeprl mistakes` to fail 3.1's tests with a
// message that names the misconception. Block 1 is monteCarloPrediction, block 2
// constantAlphaMonteCarlo.

// MISTAKE last-visit: counts the visit met first when walking backwards, i.e. the last one
// WHY: the returns are computed backwards, and "the first time I see the state" in that loop is its last visit in time.
// EXPECT: counted its last visit
// REPLACE: if !firstVisit || first[s] == t {
// WITH: if !firstVisit || !seen.contains(s) {\n                seen.insert(s)
// REPLACE: var g = 0.0
// WITH: var g = 0.0\n        var seen = Set<Int>()
// END MISTAKE

// MISTAKE first-visit-across-episodes: keeps the visited record from one episode to the next
// WHY: the dictionary of first visits is declared with the sums, outside the loop over episodes.
// EXPECT: first visit of each episode
    var sums = Array(repeating: 0.0, count: stateCount)
    var counts = Array(repeating: 0, count: stateCount)
    var seen = Set<Int>()
    for episode in episodes {
        var returns = Array(repeating: 0.0, count: episode.length)
        var g = 0.0
        for t in stride(from: episode.length - 1, through: 0, by: -1) {
            g = episode.rewards[t] + gamma * g
            returns[t] = g
        }
        for t in 0..<episode.length {
            let s = episode.states[t]
            if firstVisit && seen.contains(s) { continue }
            seen.insert(s)
            sums[s] += returns[t]
            counts[s] += 1
        }
    }
    return (0..<stateCount).map { counts[$0] == 0 ? 0 : sums[$0] / Double(counts[$0]) }
// END MISTAKE

// MISTAKE flag-ignored: always averages every visit, whatever firstVisit says
// WHY: every-visit is the simpler loop; the flag is read nowhere.
// EXPECT: 4.5 means every visit counted
// REPLACE: if !firstVisit || first[s] == t {
// WITH: if true {
// END MISTAKE

// MISTAKE per-episode-average: divides every-visit sums by the number of episodes that visit the state
// WHY: "average the returns" read as one count per episode, as in first-visit.
// EXPECT: average over episodes instead of visits
    var sums = Array(repeating: 0.0, count: stateCount)
    var counts = Array(repeating: 0, count: stateCount)
    for episode in episodes {
        var first: [Int: Int] = [:]
        for (t, s) in episode.states.dropLast().enumerated() where first[s] == nil { first[s] = t }
        var g = 0.0
        for t in stride(from: episode.length - 1, through: 0, by: -1) {
            g = episode.rewards[t] + gamma * g
            let s = episode.states[t]
            if !firstVisit || first[s] == t { sums[s] += g }
            if first[s] == t { counts[s] += 1 }
        }
    }
    return (0..<stateCount).map { counts[$0] == 0 ? 0 : sums[$0] / Double(counts[$0]) }
// END MISTAKE

// MISTAKE first-reward-discounted: discounts R_(t+1) as well, G = gamma (R + G)
// WHY: "every reward is discounted" suggests multiplying the whole sum by gamma at every step.
// EXPECT: the first reward R_(t+1) was discounted too
// REPLACE: g = episode.rewards[t] + gamma * g
// WITH: g = gamma * (episode.rewards[t] + g)
// END MISTAKE

// MISTAKE absolute-discount-power: discounts R_(k+1) by gamma^k from the start of the episode
// WHY: the return written forwards, sum_k gamma^k R_(k+1), with k counted from 0 instead of from t.
// EXPECT: counted from the start of the episode
    var sums = Array(repeating: 0.0, count: stateCount)
    var counts = Array(repeating: 0, count: stateCount)
    for episode in episodes {
        var first: [Int: Int] = [:]
        for (t, s) in episode.states.dropLast().enumerated() where first[s] == nil { first[s] = t }
        var powers = [1.0]
        for _ in 0..<episode.length { powers.append(powers[powers.count - 1] * gamma) }
        for t in 0..<episode.length {
            let s = episode.states[t]
            guard !firstVisit || first[s] == t else { continue }
            var g = 0.0
            for k in t..<episode.length { g += powers[k] * episode.rewards[k] }
            sums[s] += g
            counts[s] += 1
        }
    }
    return (0..<stateCount).map { counts[$0] == 0 ? 0 : sums[$0] / Double(counts[$0]) }
// END MISTAKE

// MISTAKE reversed-order (block 2): updates during the backward pass, t = T-1 down to 0
// WHY: the return is computed backwards, so updating in the same loop saves an array.
// EXPECT: the order was reversed
    var g = 0.0
    for t in stride(from: episode.length - 1, through: 0, by: -1) {
        g = episode.rewards[t] + gamma * g
        let s = episode.states[t]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE

// MISTAKE first-visit-only (block 2): updates only the first visit of each state
// WHY: the first-visit rule of the sample-average version carried over.
// EXPECT: only the first visit was updated
    var returns = Array(repeating: 0.0, count: episode.length)
    var g = 0.0
    for t in stride(from: episode.length - 1, through: 0, by: -1) {
        g = episode.rewards[t] + gamma * g
        returns[t] = g
    }
    var seen = Set<Int>()
    for t in 0..<episode.length {
        let s = episode.states[t]
        guard seen.insert(s).inserted else { continue }
        values[s] += alpha * (returns[t] - values[s])
    }
// END MISTAKE

// MISTAKE td-target (block 2): moves towards R + gamma V(S_(t+1)) instead of the return
// WHY: the update line looks exactly like TD(0)'s, and the TD target is the one on the slide next to it.
// EXPECT: full return G_t
    for t in 0..<episode.length {
        let s = episode.states[t]
        let last = t == episode.length - 1
        let target = episode.rewards[t] + (last ? 0 : gamma * values[episode.states[t + 1]])
        values[s] += alpha * (target - values[s])
    }
// END MISTAKE

// MISTAKE gamma-ignored (block 2): sums the rewards without discounting
// WHY: the worked examples use gamma 1, where discounting changes nothing.
// EXPECT: discount the return
// REPLACE: g = episode.rewards[t] + gamma * g
// WITH: g = episode.rewards[t] + g
// END MISTAKE

// MISTAKE sample-average-step (block 2): moves by 1/N(s) instead of alpha
// WHY: the sample-average version just before it uses 1/N(s), the incremental mean.
// EXPECT: instead of alpha
    var returns = Array(repeating: 0.0, count: episode.length)
    var g = 0.0
    for t in stride(from: episode.length - 1, through: 0, by: -1) {
        g = episode.rewards[t] + gamma * g
        returns[t] = g
    }
    var visits = Array(repeating: 0, count: values.count)
    for t in 0..<episode.length {
        let s = episode.states[t]
        visits[s] += 1
        values[s] += (returns[t] - values[s]) / Double(visits[s])
    }
// END MISTAKE
