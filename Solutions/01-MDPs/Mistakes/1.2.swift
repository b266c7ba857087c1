// The mistake catalogue of exercise 1.2 (sampleTrajectory): wrong rollouts. Most
// edit one line of the reference loop (REPLACE/WITH), the way a student's loop goes
// wrong; the variant at the end is a correct rollout that draws its random numbers
// in another order and must pass.

// MISTAKE max-steps-off-by-one: takes maxSteps + 1 steps
// WHY: `<=` in the loop condition, or a counter started at 0 and compared after the step.
// EXPECT: cut at maxSteps
// REPLACE: steps.count < maxSteps
// WITH: steps.count <= maxSteps
// END MISTAKE

// MISTAKE steps-from-terminal-start: takes a step from a terminal start state
// WHY: the loop only stops on a terminal outcome, so a start in a terminal state still steps once along its self-loop.
// EXPECT: starting in a terminal state
// REPLACE: while !mdp.isTerminal[state] && steps.count < maxSteps {
// WITH: while steps.count < maxSteps {
// END MISTAKE

// MISTAKE ignores-policy: draws the action uniformly at random
// WHY: "a random policy" from the lecture's first example; the policy argument is never read.
// EXPECT: ignores the policy
// REPLACE: let action = generator.categorical(policy[state])
// WITH: let action = generator.nextInt(below: mdp.actionCount)
// END MISTAKE

// MISTAKE first-outcome-only: always takes the first outcome of the list
// WHY: in deterministic worlds the outcome list has one entry, so outcomes[0] looks like "the" next state.
// EXPECT: draw the outcome by its probability
// REPLACE: let outcome = outcomes[generator.categorical(outcomes.map(\.probability))]
// WITH: let outcome = outcomes[0]
// END MISTAKE

// MISTAKE uniform-outcomes: picks among an action's outcomes uniformly, ignoring their probabilities
// WHY: the outcome list reads like "the places the agent can go", so one of them at random looks like sampling.
// EXPECT: picks outcomes uniformly, ignoring their probabilities
// REPLACE: let outcome = outcomes[generator.categorical(outcomes.map(\.probability))]
// WITH: let outcome = outcomes[generator.nextInt(below: outcomes.count)]
// END MISTAKE

// MISTAKE stale-state: never moves to the next state
// WHY: the step is recorded with its nextState, and the line that carries it over to the next iteration is forgotten.
// EXPECT: each step must start where the previous one ended
// REPLACE: state = outcome.nextState
// WITH: _ = outcome.nextState
// END MISTAKE

// MISTAKE truncation-as-termination: marks the step at the time limit as terminated
// WHY: older Gym had a single `done` flag for both endings, and the last step looks like "the end of the episode".
// EXPECT: cut by the time limit is not terminated
// REPLACE: nextState: outcome.nextState, terminated: outcome.terminated))
// WITH: nextState: outcome.nextState, terminated: outcome.terminated || steps.count + 1 == maxSteps))
// END MISTAKE

// MISTAKE terminated-of-current-state: flags the step by the state it starts in
// WHY: "terminated" is read as a property of the state the agent is in, not of the state the step reaches.
// EXPECT: terminated flag of a step
// REPLACE: nextState: outcome.nextState, terminated: outcome.terminated))
// WITH: nextState: outcome.nextState, terminated: mdp.isTerminal[state]))
// END MISTAKE

// MISTAKE fresh-generator: draws from a generator of its own, seeded with a constant
// WHY: "seed the generator for reproducibility" inside the function, so every call replays the same numbers.
// EXPECT: ignores the generator
// REPLACE: var steps: [TrajectoryStep] = []
// WITH: var steps: [TrajectoryStep] = []\n    var rng = SeededGenerator(seed: 0)
// REPLACE: generator.categorical
// WITH: rng.categorical
// END MISTAKE

// VARIANT outcome-first-reversed: draws both uniforms of a step up front (the outcome's first) and walks the cumulative sums from the last index
// WHY: a correct rollout may use its random numbers in another order; the tests must check distributions, not the reference's exact sequence.
    var steps: [TrajectoryStep] = []
    var state = start
    func pick(_ probabilities: [Double], _ u: Double) -> Int {
        var cumulative = 0.0
        var chosen = 0
        for index in probabilities.indices.reversed() where probabilities[index] > 0 {
            cumulative += probabilities[index]
            chosen = index
            if u < cumulative { return index }
        }
        return chosen
    }
    while steps.count < maxSteps, !mdp.isTerminal[state] {
        let uOutcome = generator.nextDouble()
        let uAction = generator.nextDouble()
        let action = pick(policy[state], uAction)
        let outcomes = mdp.transitions[state][action]
        let outcome = outcomes[pick(outcomes.map(\.probability), uOutcome)]
        steps.append(TrajectoryStep(state: state, action: action, reward: outcome.reward,
                                    nextState: outcome.nextState, terminated: outcome.terminated))
        if outcome.terminated { break }
        state = outcome.nextState
    }
    return Trajectory(steps: steps)
// END VARIANT
