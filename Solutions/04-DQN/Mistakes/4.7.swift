// The mistake catalogue of exercise 4.7 (trainDQN): broken agents. Each edits one
// line of the reference loop (REPLACE/WITH), the way a student's agent goes wrong.

// MISTAKE no-target-network: computes the targets with the online network
// WHY: the target network looks redundant ("it is just a copy"), so the online network fills in.
// EXPECT: computes the targets with the online network
// REPLACE: : try dqnTargets(target: target, batch: batch)
// WITH: : try dqnTargets(target: online, batch: batch)
// END MISTAKE

// MISTAKE online-evaluates-double: passes the online network as Double DQN's target network
// WHY: Double DQN "uses the online network", so both arguments become the online network.
// EXPECT: in Double DQN the target network evaluates the online network's choice
// REPLACE: ? try doubleDQNTargets(online: online, target: target, batch: batch)
// WITH: ? try doubleDQNTargets(online: online, target: online, batch: batch)
// END MISTAKE

// MISTAKE no-terminal-mask: stores every transition as not terminated
// WHY: the replay buffer asks for flags the loop does not seem to need.
// EXPECT: no terminal mask
// REPLACE: terminated: step.terminated, truncated: step.truncated)
// WITH: terminated: false, truncated: step.truncated)
// END MISTAKE

// MISTAKE truncation-as-terminal: stores done (terminated or truncated) as terminated
// WHY: older Gym's single done flag; a time limit then looks like a terminal state.
// EXPECT: treats truncation as termination
// REPLACE: terminated: step.terminated, truncated: step.truncated)
// WITH: terminated: step.done, truncated: step.truncated)
// END MISTAKE

// MISTAKE target-never-updated: never copies the online network into the target
// WHY: the copy sits at the end of the loop and is easy to leave out.
// EXPECT: the target network must equal the online network
// REPLACE: if config.tau == 1 { target.copyParameters(from: online) } else { try target.polyakUpdate(toward: online, tau: config.tau) }
// WITH: _ = target
// END MISTAKE

// MISTAKE epsilon-never-decays: explores with epsilonStart all along
// WHY: the schedule is built but its value is never read.
// EXPECT: epsilon decays linearly
// REPLACE: let explore = epsilon.value(at: t)
// WITH: let explore = config.epsilonStart
// END MISTAKE

// MISTAKE no-episode-reset: keeps stepping after an episode ends
// WHY: the observation is carried over as if the episode went on.
// EXPECT: called after the episode ended
// REPLACE: observation = env.reset(seed: nil)
// WITH: observation = step.observation
// END MISTAKE

// VARIANT separate-exploration-stream: draws exploration from its own generator
// WHY: a correct agent may use its random numbers in another order; the tests must not depend on the reference's order.
// REPLACE: let action = try rng.epsilonGreedy(q.scalars, epsilon: explore)
// WITH: let action = try explorer.epsilonGreedy(q.scalars, epsilon: explore)
// REPLACE: var observation = env.reset(seed: config.seed)
// WITH: var explorer = SeededGenerator(seed: config.seed &+ 0x5EED)\n    var observation = env.reset(seed: config.seed)
// END VARIANT
