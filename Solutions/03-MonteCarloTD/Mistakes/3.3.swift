// The mistake catalogue of exercise 3.3 (nStepTD): wrong bodies students write, each
// checked by `deeprl mistakes` to fail 3.3's tests with a message that names the
// misconception.

// MISTAKE first-reward-discounted: multiplies by gamma before adding each reward
// WHY: "discount every reward" puts `discount *= gamma` first in the loop, so R_(tau+1) gets gamma^1.
// EXPECT: the first reward R_(tau+1) was discounted
    let T = episode.length
    for tau in 0..<T {
        let end = min(tau + n, T)
        var g = 0.0
        var discount = 1.0
        for i in tau..<end {
            discount *= gamma
            g += discount * episode.rewards[i]
        }
        if end < T || !episode.terminated {
            g += discount * values[episode.states[end]]
        }
        let s = episode.states[tau]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE

// MISTAKE bootstrap-gamma-n-minus-1: discounts the bootstrap by gamma^(n-1), the power of the last reward
// WHY: the last reward R_(tau+n) gets gamma^(n-1), and the bootstrap is written with the same power.
// EXPECT: gamma^(n-1) instead of gamma^n
    let T = episode.length
    for tau in 0..<T {
        let end = min(tau + n, T)
        var g = 0.0
        var discount = 1.0
        var last = 1.0
        for i in tau..<end {
            g += discount * episode.rewards[i]
            last = discount
            discount *= gamma
        }
        if end < T || !episode.terminated {
            g += last * values[episode.states[end]]
        }
        let s = episode.states[tau]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE

// MISTAKE no-mid-episode-bootstrap: bootstraps only at the end of a truncated episode
// WHY: the terminal/truncated condition is written alone, and the "tau + n < T" case is forgotten.
// EXPECT: did not bootstrap from V(S_(tau+n))
// REPLACE: if end < T || !episode.terminated {
// WITH: if end == T && !episode.terminated {
// END MISTAKE

// MISTAKE bootstraps-terminal: adds gamma^(T-tau) V(S_T) even when S_T is terminal
// WHY: the bootstrap is added whenever the n rewards are used up, without asking how the episode ended.
// EXPECT: bootstrapped from V(terminal)
// REPLACE: if end < T || !episode.terminated {
// WITH: if true {
// END MISTAKE

// MISTAKE skips-tail-updates: stops after tau = T - n, forgetting the updates of the last n - 1 states
// WHY: the online loop "tau = t - n + 1; if tau >= 0 update" is copied without the book's extra steps after the end.
// EXPECT: the last n - 1 updates at the end of the episode were skipped
    let T = episode.length
    for tau in 0..<max(0, T - n + 1) {
        let end = min(tau + n, T)
        var g = 0.0
        var discount = 1.0
        for i in tau..<end {
            g += discount * episode.rewards[i]
            discount *= gamma
        }
        if end < T || !episode.terminated {
            g += discount * values[episode.states[end]]
        }
        let s = episode.states[tau]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE

// MISTAKE truncation-as-terminal: never bootstraps at the end of an episode, even a truncated one
// WHY: the end of the recorded episode is taken to be a terminal state.
// EXPECT: a truncated episode bootstraps from V(S_T)
// REPLACE: if end < T || !episode.terminated {
// WITH: if end < T {
// END MISTAKE

// MISTAKE truncation-gamma-n: bootstraps from V(S_T) with gamma^n also when fewer than n rewards were left
// WHY: the bootstrap's power is written as the constant gamma^n from the formula.
// EXPECT: with gamma^(T - tau), not gamma^n
    let T = episode.length
    var gammaN = 1.0
    for _ in 0..<n { gammaN *= gamma }
    for tau in 0..<T {
        let end = min(tau + n, T)
        var g = 0.0
        var discount = 1.0
        for i in tau..<end {
            g += discount * episode.rewards[i]
            discount *= gamma
        }
        if end < T || !episode.terminated {
            g += gammaN * values[episode.states[end]]
        }
        let s = episode.states[tau]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE

// MISTAKE synchronous: computes every target from the values before the episode
// WHY: the targets are computed first in one pass and applied afterwards, as in a batch update.
// EXPECT: values from before the episode
    let T = episode.length
    let old = values
    for tau in 0..<T {
        let end = min(tau + n, T)
        var g = 0.0
        var discount = 1.0
        for i in tau..<end {
            g += discount * episode.rewards[i]
            discount *= gamma
        }
        if end < T || !episode.terminated {
            g += discount * old[episode.states[end]]
        }
        let s = episode.states[tau]
        values[s] += alpha * (g - values[s])
    }
// END MISTAKE
