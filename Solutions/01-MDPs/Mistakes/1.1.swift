// The mistake catalogue of exercise 1.1 (discountedReturn): wrong bodies students
// write, each checked by `deeprl mistakes` to fail 1.1's tests with a message that
// names the misconception.

// MISTAKE forward-recursion: runs G = r + gamma * G from the first reward to the last
// WHY: the recursion is written in time order, as the rewards arrive; it then gives the LAST reward weight 1 and the first gamma^(T-1).
// EXPECT: powers of gamma in the wrong order
    var g = 0.0
    for reward in rewards {
        g = reward + gamma * g
    }
    return g
// END MISTAKE

// MISTAKE first-reward-discounted: discounts the first reward by gamma (powers start at 1)
// WHY: "a reward in the future is worth gamma times less" is applied to every reward, including the one at time 0.
// EXPECT: the first reward is not discounted
    var g = 0.0
    var discount = gamma
    for reward in rewards {
        g += discount * reward
        discount *= gamma
    }
    return g
// END MISTAKE

// MISTAKE ignores-gamma: adds the rewards up
// WHY: with gamma = 1, the course's first example, the return is the plain sum, and the discount never gets wired in.
// EXPECT: ignores gamma
    return rewards.reduce(0, +)
// END MISTAKE

// MISTAKE discount-once: discounts every later reward by gamma once instead of gamma^k
// WHY: "later rewards are discounted by gamma" read as one factor for everything after the first step.
// EXPECT: the reward k steps ahead is worth gamma^k
    guard let first = rewards.first else { return 0 }
    return first + gamma * rewards.dropFirst().reduce(0, +)
// END MISTAKE

// MISTAKE drops-last-reward: the backward loop starts one index too early
// WHY: an off-by-one in the index loop (count - 2 instead of count - 1), as when the last reward is taken to belong to the terminal state.
// EXPECT: drops the last reward
    var g = 0.0
    for t in stride(from: rewards.count - 2, through: 0, by: -1) {
        g = rewards[t] + gamma * g
    }
    return g
// END MISTAKE
