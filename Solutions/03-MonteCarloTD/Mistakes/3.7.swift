// The mistake catalogue of exercise 3.7 (doubleQLearningUpdate, doubleQLearningEpisode):
// wrong bodies students write, each checked by `deeprl mistakes` to fail 3.7's tests with a
// message that names the misconception, and correct variants that draw their random
// numbers in another order. Block 1 is doubleQLearningUpdate, block 2 doubleQLearningEpisode.

// MISTAKE max-of-other-table: bootstraps from max_a Q2(S', a)
// WHY: "use the other table" is applied to Q-learning's max, so the other table both picks and evaluates.
// EXPECT: you used max Q2
// REPLACE: gamma * q2[nextState][argmax(q1[nextState])]
// WITH: gamma * q2[nextState].max()!
// REPLACE: gamma * q1[nextState][argmax(q2[nextState])]
// WITH: gamma * q1[nextState].max()!
// END MISTAKE

// MISTAKE same-table-evaluates: evaluates the argmax with the table that picked it
// WHY: the index and the value are read from the same row, as in plain Q-learning.
// EXPECT: Q1 evaluated its own argmax
// REPLACE: gamma * q2[nextState][argmax(q1[nextState])]
// WITH: gamma * q1[nextState][argmax(q1[nextState])]
// REPLACE: gamma * q1[nextState][argmax(q2[nextState])]
// WITH: gamma * q2[nextState][argmax(q2[nextState])]
// END MISTAKE

// MISTAKE roles-swapped: lets the other table pick and the updated table evaluate
// WHY: "one picks, the other evaluates" does not say which is which; the updated table must be the one that picks.
// EXPECT: the roles are swapped
    func argmax(_ row: [Double]) -> Int {
        var best = 0
        for a in row.indices where row[a] > row[best] { best = a }
        return best
    }
    if updateFirst {
        let future = terminated ? 0 : gamma * q1[nextState][argmax(q2[nextState])]
        q1[state][action] += alpha * (reward + future - q1[state][action])
    } else {
        let future = terminated ? 0 : gamma * q2[nextState][argmax(q1[nextState])]
        q2[state][action] += alpha * (reward + future - q2[state][action])
    }
// END MISTAKE

// MISTAKE updates-evaluating-table: moves the table that evaluated instead of the one that picked
// WHY: the target is built from Q2's value, and the update is written on the table named in it.
// EXPECT: the other table must stay unchanged
    func argmax(_ row: [Double]) -> Int {
        var best = 0
        for a in row.indices where row[a] > row[best] { best = a }
        return best
    }
    if updateFirst {
        let future = terminated ? 0 : gamma * q2[nextState][argmax(q1[nextState])]
        q2[state][action] += alpha * (reward + future - q2[state][action])
    } else {
        let future = terminated ? 0 : gamma * q1[nextState][argmax(q2[nextState])]
        q1[state][action] += alpha * (reward + future - q1[state][action])
    }
// END MISTAKE

// MISTAKE bootstraps-terminal: adds the bootstrap term also for a terminal transition
// WHY: the terminal rows of a fresh table are zero, so the term seems harmless.
// EXPECT: no bootstrap from a terminal state
// REPLACE: terminated ? 0 : gamma
// WITH: gamma
// END MISTAKE

// MISTAKE gamma-ignored: bootstraps without the discount
// WHY: the maximisation-bias experiment uses gamma 1, where the discount changes nothing.
// EXPECT: gamma was ignored
// REPLACE: terminated ? 0 : gamma *
// WITH: terminated ? 0 :
// END MISTAKE

// MISTAKE ties-last-index: breaks argmax ties towards the highest index
// WHY: `>=` in the argmax loop keeps the last maximum; the exercise fixes ties to the lowest index.
// EXPECT: ties go to the lowest index
// REPLACE: where row[a] > row[best]
// WITH: where row[a] >= row[best]
// END MISTAKE

// MISTAKE behaves-on-q1 (block 2): behaves epsilon-greedily on Q1 alone
// WHY: Q1 looks like "the" table and Q2 like a helper for the targets.
// EXPECT: behave epsilon-greedily on Q1 + Q2
// REPLACE: let combined = zip(q1[state], q2[state]).map { $0 + $1 }
// WITH: let combined = q1[state]
// END MISTAKE

// MISTAKE always-first (block 2): updates Q1 on every step
// WHY: updateFirst reads like a switch to set once; the coin flip is forgotten.
// EXPECT: flip a fair coin
// REPLACE: updateFirst: generator.nextDouble() < 0.5
// WITH: updateFirst: true
// END MISTAKE

// MISTAKE alternates (block 2): alternates the tables step by step instead of flipping a coin
// WHY: alternating looks like a fair split without spending a random number.
// EXPECT: flip a fair coin
// REPLACE: updateFirst: generator.nextDouble() < 0.5
// WITH: updateFirst: episode.length % 2 == 1
// END MISTAKE

// MISTAKE updates-both (block 2): updates both tables on every step
// WHY: "each table is evaluated by the other" is read as two updates per step.
// EXPECT: exactly one table
// REPLACE: alpha: alpha, gamma: gamma, updateFirst: generator.nextDouble() < 0.5)
// WITH: alpha: alpha, gamma: gamma, updateFirst: true)\n        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: state, action: action, reward: step.reward, nextState: step.observation, terminated: step.terminated, alpha: alpha, gamma: gamma, updateFirst: false)
// END MISTAKE

// MISTAKE truncation-as-terminal (block 2): passes terminated for a truncated step too
// WHY: a single "done" flag ends both the episode and the bootstrap.
// EXPECT: a time limit is not a terminal state
// REPLACE: terminated: step.terminated,
// WITH: terminated: step.terminated || step.truncated,
// END MISTAKE

// VARIANT coin-first (block 2): flips the coin before choosing the action
// WHY: the order of the two draws is not part of the algorithm; the tests must not depend on it.
// REPLACE: let combined = zip(q1[state], q2[state]).map { $0 + $1 }
// WITH: let updateFirst = generator.nextDouble() < 0.5\n        let combined = zip(q1[state], q2[state]).map { $0 + $1 }
// REPLACE: updateFirst: generator.nextDouble() < 0.5
// WITH: updateFirst: updateFirst
// END VARIANT

// VARIANT own-coin-stream (block 2): flips the coins with a generator seeded from the one passed in
// WHY: the coins come from a private stream, so exploration and coins use other numbers than the reference's.
// REPLACE: var state = env.reset(seed: nil)
// WITH: var coins = SeededGenerator(seed: generator.next())\n    var state = env.reset(seed: nil)
// REPLACE: updateFirst: generator.nextDouble() < 0.5
// WITH: updateFirst: coins.nextInt(below: 2) == 0
// END VARIANT
