// The mistake catalogue of exercise 3.5 (sarsaEpisode): wrong bodies students write,
// each checked by `deeprl mistakes` to fail 3.5's tests with a message that names the
// misconception, and correct variants that draw their random numbers in another order.

// MISTAKE max-target: bootstraps from max_a Q(S', a)
// WHY: the greedy value looks like "the value of the next state", and Q-learning's line is next to SARSA's on the slide.
// EXPECT: that is Q-learning
// REPLACE: gamma * q[next][nextAction]
// WITH: gamma * q[next].max()!
// END MISTAKE

// MISTAKE redraws-next-action: updates towards one sample of A' but then acts with a fresh draw
// WHY: written like Q-learning, with the action chosen at the top of every step; the A' of the target is never taken.
// EXPECT: re-draw A'
    var state = env.reset(seed: nil)
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        if step.terminated {
            q[state][action] += alpha * (step.reward - q[state][action])
            episode.terminated = true
            break
        }
        let nextAction = try epsilonGreedy(q[next], epsilon: epsilon, using: &generator)
        q[state][action] += alpha * (step.reward + gamma * q[next][nextAction] - q[state][action])
        if step.truncated { break }
        state = next
    }
    return episode
// END MISTAKE

// MISTAKE bootstraps-terminal: adds gamma Q(S', A') also when S' is terminal
// WHY: one update line for every step is shorter, and the terminal row "should be zero anyway".
// EXPECT: no bootstrap from the terminal state
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
        q[state][action] += alpha * (step.reward + gamma * q[next][nextAction] - q[state][action])
        if step.terminated { episode.terminated = true; break }
        if step.truncated { break }
        state = next
        action = nextAction
    }
    return episode
// END MISTAKE

// MISTAKE truncation-as-terminal: uses the target R without bootstrap when the episode is truncated
// WHY: older Gym had one `done` flag, and many tutorials still treat a time limit like a terminal state.
// EXPECT: a time limit is not a terminal state
// REPLACE: if step.terminated {
// WITH: if step.terminated || step.truncated {
// REPLACE: episode.terminated = true
// WITH: episode.terminated = step.terminated
// END MISTAKE

// MISTAKE fixed-epsilon: explores with a hard-coded epsilon 0.1
// WHY: the value of the book's examples is typed in while experimenting and never replaced by the argument.
// EXPECT: explore with the epsilon passed in
// REPLACE: var action = try epsilonGreedy(q[state], epsilon: epsilon, using: &generator)
// WITH: var action = try epsilonGreedy(q[state], epsilon: 0.1, using: &generator)
// REPLACE: let nextAction = try epsilonGreedy(q[next], epsilon: epsilon, using: &generator)
// WITH: let nextAction = try epsilonGreedy(q[next], epsilon: 0.1, using: &generator)
// END MISTAKE

// MISTAKE gamma-ignored: bootstraps with Q(S', A') undiscounted
// WHY: the cliff experiments use gamma 1, where the discount changes nothing.
// EXPECT: gamma was ignored
// REPLACE: gamma * q[next][nextAction]
// WITH: q[next][nextAction]
// END MISTAKE

// MISTAKE max-steps-ignored: plays on until the environment ends the episode
// WHY: the environments of the experiments all end by themselves; the step limit is an argument nobody reads.
// EXPECT: stop after maxSteps steps
// REPLACE: while episode.length < maxSteps {
// WITH: while true {
// END MISTAKE

// MISTAKE fresh-table: starts every episode from a new table instead of the Q passed in
// WHY: makeQTable(for:) is at hand, and "initialise Q" is the first line of the book's pseudocode (which runs once, before all episodes).
// EXPECT: instead of the Q passed in
// REPLACE: var state = env.reset(seed: nil)
// WITH: q = makeQTable(for: env)\n    var state = env.reset(seed: nil)
// END MISTAKE

// VARIANT next-action-always: draws A' also in a terminal state (and never uses it)
// WHY: a correct implementation may draw more random numbers than the reference; the tests must not depend on its draws.
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
// END VARIANT

// VARIANT own-exploration-stream: explores with a generator seeded from the one passed in
// WHY: one draw seeds a private stream, so every later action uses other numbers than the reference's.
// REPLACE: var state = env.reset(seed: nil)
// WITH: var explorer = SeededGenerator(seed: generator.next())\n    var state = env.reset(seed: nil)
// REPLACE: using: &generator)
// WITH: using: &explorer)
// END VARIANT

// VARIANT inline-epsilon-greedy: picks actions with its own epsilon-greedy, ties drawn first
// WHY: a student may inline the action choice; drawing the tie-break before the coin is equally correct.
    func choose(_ row: [Double]) -> Int {
        let best = row.max()!
        let ties = row.indices.filter { row[$0] == best }
        let greedy = ties[generator.nextInt(below: ties.count)]
        return generator.nextDouble() < epsilon ? generator.nextInt(below: row.count) : greedy
    }
    var state = env.reset(seed: nil)
    var action = choose(q[state])
    var episode = Episode(states: [state], rewards: [], terminated: false)
    while episode.length < maxSteps {
        let step = try env.step(action)
        let next = step.observation
        episode.actions.append(action)
        episode.rewards.append(step.reward)
        episode.states.append(next)
        if step.terminated {
            q[state][action] += alpha * (step.reward - q[state][action])
            episode.terminated = true
            break
        }
        let nextAction = choose(q[next])
        q[state][action] += alpha * (step.reward + gamma * q[next][nextAction] - q[state][action])
        if step.truncated { break }
        state = next
        action = nextAction
    }
    return episode
// END VARIANT
