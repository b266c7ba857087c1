// The mistake catalogue of exercise 3.6 (qLearningEpisode): wrong bodies students write,
// each checked by `deeprl mistakes` to fail 3.6's tests with a message that names the
// misconception, and correct variants that draw their random numbers in another order.

// MISTAKE sarsa-target: bootstraps from the next action it will take
// WHY: SARSA was the exercise before; choosing A' first and using Q(S', A') carries over.
// EXPECT: that is SARSA
    var state = env.reset(seed: nil)
    var action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        let nextAction = try epsilonGreedy(q[next], epsilon: epsilon, using: &generator)
        let future = step.terminated ? 0 : gamma * q[next][nextAction]
        q[state][action] += alpha * (step.reward + future - q[state][action])
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = next
        action = nextAction
    }
    return episode
// END MISTAKE

// MISTAKE bootstraps-terminal: adds gamma max_a Q(S', a) also when S' is terminal
// WHY: the update is written exactly as on the slide, R + gamma max Q(S', a), for every step.
// EXPECT: no bootstrap from the terminal state
// REPLACE: let future = step.terminated ? 0 : gamma * q[next].max()!
// WITH: let future = gamma * q[next].max()!
// END MISTAKE

// MISTAKE truncation-as-terminal: drops the bootstrap when the episode is truncated
// WHY: a single "done" flag, as in older Gym, ends both the episode and the bootstrap.
// EXPECT: a time limit is not a terminal state
// REPLACE: let future = step.terminated ? 0 : gamma * q[next].max()!
// WITH: let future = step.terminated || step.truncated ? 0 : gamma * q[next].max()!
// END MISTAKE

// MISTAKE acts-greedily: behaves greedily because Q-learning learns the greedy policy
// WHY: "off-policy, learns the greedy policy" is read as "acts greedily"; epsilon only appears in the SARSA code.
// EXPECT: the behaviour policy is epsilon-greedy
// REPLACE: let action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
// WITH: let action = try epsilonGreedy(q[state], epsilon: 0, using: &generator)
// END MISTAKE

// MISTAKE gamma-ignored: bootstraps with max_a Q(S', a) undiscounted
// WHY: the cliff experiments use gamma 1, where the discount changes nothing.
// EXPECT: gamma was ignored
// REPLACE: let future = step.terminated ? 0 : gamma * q[next].max()!
// WITH: let future = step.terminated ? 0 : q[next].max()!
// END MISTAKE

// MISTAKE max-of-current-state: takes the max over the row of the state it left
// WHY: q[state] and q[next] differ by one word, and both rows are at hand in the update.
// EXPECT: bootstrapped from the state you left
// REPLACE: let future = step.terminated ? 0 : gamma * q[next].max()!
// WITH: let future = step.terminated ? 0 : gamma * q[state].max()!
// END MISTAKE

// VARIANT own-exploration-stream: explores with a generator seeded from the one passed in
// WHY: one draw seeds a private stream, so every later action uses other numbers than the reference's.
// REPLACE: var state = env.reset(seed: nil)
// WITH: var explorer = SeededGenerator(seed: generator.next())\n    var state = env.reset(seed: nil)
// REPLACE: using: &generator)
// WITH: using: &explorer)
// END VARIANT

// VARIANT inline-one-uniform: picks actions with its own epsilon-greedy from a single uniform
// WHY: given u < epsilon, u / epsilon is uniform; a correct implementation that draws other numbers than the reference.
    func choose(_ row: [Double]) -> Int {
        let u = generator.nextDouble()
        if u < epsilon { return min(Int(u / epsilon * Double(row.count)), row.count - 1) }
        let best = row.max()!
        let ties = row.indices.filter { row[$0] == best }
        return ties.count == 1 ? ties[0] : ties[generator.nextInt(below: ties.count)]
    }
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let action = choose(q[state])
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        let future = step.terminated ? 0 : gamma * q[next].max()!
        q[state][action] += alpha * (step.reward + future - q[state][action])
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = next
    }
    return episode
// END VARIANT
