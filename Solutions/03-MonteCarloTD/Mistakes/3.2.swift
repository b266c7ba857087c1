// The mistake catalogue of exercise 3.2 (tdZero): wrong bodies students write, each
// checked by `deeprl mistakes` to fail 3.2's tests with a message that names the
// misconception.

// MISTAKE bootstraps-terminal: bootstraps from V(S_T) on the last step of a terminated episode
// WHY: the TD target R + gamma V(S') is written once for every step; the terminal case is the part students drop.
// EXPECT: must not bootstrap from V(terminal)
    for t in 0..<episode.length {
        let s = episode.states[t]
        let target = episode.rewards[t] + gamma * values[episode.states[t + 1]]
        values[s] += alpha * (target - values[s])
    }
// END MISTAKE

// MISTAKE truncation-as-terminal: never bootstraps on the last step, even when the episode was truncated
// WHY: "the last state of an episode is terminal" is true of every episode the student has seen so far.
// EXPECT: a truncated episode's last state is not terminal
// REPLACE: let lastOfTerminated = t == episode.length - 1 && episode.terminated
// WITH: let lastOfTerminated = t == episode.length - 1
// END MISTAKE

// MISTAKE terminal-flag-every-step: drops the bootstrap on every step of a terminated episode
// WHY: `episode.terminated` reads like "this transition ends the episode", but it describes only S_T.
// EXPECT: not only the last
// REPLACE: let lastOfTerminated = t == episode.length - 1 && episode.terminated
// WITH: let lastOfTerminated = episode.terminated
// END MISTAKE

// MISTAKE synchronous: computes every target from the values before the episode
// WHY: a copy of the table looks safer, and it is what batch updating or dynamic programming's sweeps do.
// EXPECT: used the values from before the episode
    let old = values
    for t in 0..<episode.length {
        let s = episode.states[t]
        let next = episode.states[t + 1]
        let lastOfTerminated = t == episode.length - 1 && episode.terminated
        let target = episode.rewards[t] + (lastOfTerminated ? 0 : gamma * old[next])
        values[s] += alpha * (target - values[s])
    }
// END MISTAKE

// MISTAKE gamma-ignored: bootstraps with V(S_(t+1)) undiscounted
// WHY: the random-walk examples use gamma 1, where the discount changes nothing.
// EXPECT: the bootstrap is discounted
// REPLACE: (lastOfTerminated ? 0 : gamma * values[next])
// WITH: (lastOfTerminated ? 0 : values[next])
// END MISTAKE

