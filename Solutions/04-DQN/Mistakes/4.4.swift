// The mistake catalogue of exercise 4.4 (nStepReturn).

// MISTAKE off-by-one-discount: bootstraps with gamma^(K-1)
// WHY: the k-th reward gets gamma^(k-1) counting from one, and the same count leaks into the bootstrap.
// EXPECT: off by one
    var reward = 0.0, factor = 1.0, last = 1.0
    var steps = 0
    while steps < Swift.min(n, rewards.count) {
        reward += factor * rewards[steps]
        last = factor
        factor *= gamma
        steps += 1
        if terminated[steps - 1] || truncated[steps - 1] { break }
    }
    return NStepReturn(reward: reward, discount: terminated[steps - 1] ? 0 : last, steps: steps,
                       terminated: terminated[steps - 1], truncated: truncated[steps - 1])
// END MISTAKE

// MISTAKE no-cut-at-episode-end: sums n rewards even across an episode end
// WHY: the window holds n transitions, so summing all of them looks right.
// EXPECT: the sum stops at the first terminated transition
    var reward = 0.0, factor = 1.0
    let steps = Swift.min(n, rewards.count)
    for k in 0..<steps {
        reward += factor * rewards[k]
        factor *= gamma
    }
    let ended = terminated[0..<steps].contains(true)
    return NStepReturn(reward: reward, discount: ended ? 0 : factor, steps: steps, terminated: ended, truncated: truncated[steps - 1])
// END MISTAKE

// MISTAKE truncation-as-terminal: drops the bootstrap at a truncation
// WHY: both flags end the episode, so both look like "no future".
// EXPECT: treats truncation as termination
    var reward = 0.0, factor = 1.0
    var steps = 0
    while steps < Swift.min(n, rewards.count) {
        reward += factor * rewards[steps]
        factor *= gamma
        steps += 1
        if terminated[steps - 1] || truncated[steps - 1] { break }
    }
    let ended = terminated[steps - 1] || truncated[steps - 1]
    return NStepReturn(reward: reward, discount: ended ? 0 : factor, steps: steps,
                       terminated: terminated[steps - 1], truncated: truncated[steps - 1])
// END MISTAKE

// MISTAKE undiscounted-rewards: adds the rewards without gamma^k
// WHY: the return of lesson 01 is discounted, but here the bootstrap's gamma^K looks like the only discount.
// EXPECT: reward k is multiplied by gamma^k
    var reward = 0.0, factor = 1.0
    var steps = 0
    while steps < Swift.min(n, rewards.count) {
        reward += rewards[steps]
        factor *= gamma
        steps += 1
        if terminated[steps - 1] || truncated[steps - 1] { break }
    }
    return NStepReturn(reward: reward, discount: terminated[steps - 1] ? 0 : factor, steps: steps,
                       terminated: terminated[steps - 1], truncated: truncated[steps - 1])
// END MISTAKE
