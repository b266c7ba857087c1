import CourseKit
import Environments
import Testing
import TemporalDifference

/// S0 = 0, R 1, S1 = 1, R 2, S2 = 0, R 3, S3 = 2 (terminal): state 0 repeats.
let repeatEpisode = Episode(states: [0, 1, 0, 2], rewards: [1, 2, 3])
/// S0 = 1, R 4, S1 = 2 (terminal).
let shortEpisode = Episode(states: [1, 2], rewards: [4])

@Suite("3.1 monteCarloPrediction")
struct MonteCarloPredictionTests {
    @Test func firstVisitAndEveryVisitDifferOnARepeatedState() throws {
        // gamma 1: returns 6, 5, 3 in the first episode, 4 in the second.
        let first = try monteCarloPrediction([repeatEpisode, shortEpisode], stateCount: 3, gamma: 1, firstVisit: true)
        #expect(abs(entry(first, 0) - 6) < 1e-12, "3.1: first-visit: state 0 is visited at t = 0 and t = 2 of the first episode and only the first visit counts, so V(0) = G_0 = 6, got \(entry(first, 0)) — 3 means you counted its last visit (the first one met when walking backwards), 4.5 means every visit counted")
        #expect(abs(entry(first, 1) - 4.5) < 1e-12, "3.1: first-visit: state 1 is visited once in each episode, with returns 5 and 4, so V(1) = 4.5, got \(entry(first, 1)) — count the first visit of each episode (5 means the record of visited states was kept from one episode to the next)")
        #expect(maxError(first, [6, 4.5, 0]) < 1e-12, "3.1: first-visit MC should give [6, 4.5, 0] (state 0 counts only the return 6 of its first visit), got \(first)")
        let every = try monteCarloPrediction([repeatEpisode, shortEpisode], stateCount: 3, gamma: 1, firstVisit: false)
        #expect(maxError(every, [4.5, 4.5, 0]) < 1e-12, "3.1: every-visit MC should average both returns from state 0, (6 + 3) / 2 = 4.5, got \(every) — did you treat every-visit like first-visit, or average over episodes instead of visits?")
    }

    @Test func discountsTheReturns() throws {
        // gamma 0.5: G2 = 3, G1 = 2 + 1.5 = 3.5, G0 = 1 + 1.75 = 2.75.
        let first = try monteCarloPrediction([repeatEpisode, shortEpisode], stateCount: 3, gamma: 0.5, firstVisit: true)
        #expect(abs(entry(first, 1) - 3.75) < 1e-12, "3.1: with gamma 0.5 the returns from state 1 are G_1 = R_2 + 0.5 R_3 = 2 + 1.5 = 3.5 and 4 (second episode), so V(1) = 3.75, got \(entry(first, 1)) — 1.875 means the first reward R_(t+1) was discounted too (G = gamma (R + G) instead of R + gamma G); 2.875 means the powers of gamma were counted from the start of the episode instead of from time t; 4.5 means gamma was ignored")
        #expect(maxError(first, [2.75, 3.75, 0]) < 1e-12, "3.1: with gamma 0.5 expected [2.75, 3.75, 0], got \(first) — compute G_t backwards, G = R_(t+1) + gamma G, so later rewards are discounted more")
        let every = try monteCarloPrediction([repeatEpisode], stateCount: 3, gamma: 0.5, firstVisit: false)
        #expect(maxError(every, [2.875, 3.5, 0]) < 1e-12, "3.1: every-visit with gamma 0.5 expected [2.875, 3.5, 0], got \(every)")
    }

    @Test func constantAlphaUpdatesForwardInTime() throws {
        // V(0) = 1: t0: 1 + 0.5 (6 - 1) = 3.5;  t1: V(1) = 0.5 * 5 = 2.5;  t2: 3.5 + 0.5 (3 - 3.5) = 3.25.
        var values = [1.0, 0, 0]
        try constantAlphaMonteCarlo(values: &values, episode: repeatEpisode, alpha: 0.5, gamma: 1)
        #expect(maxError(values, [3.25, 2.5, 0]) < 1e-12, "3.1: constant-alpha MC should give [3.25, 2.5, 0], got \(values) — update every visit, t = 0, 1, 2 in order, each towards its full return G_t (3.5 means only the first visit was updated, 4.0 means the order was reversed, [4.5, 5, 0] means a step size of 1/N(s) instead of alpha)")
        // gamma 0.5: G_0 = 2.75, G_1 = 3.5, G_2 = 3; t0: V(0) = 1 + 0.5 (2.75 - 1) = 1.875; t1: V(1) = 1.75; t2: V(0) = 1.875 + 0.5 (3 - 1.875) = 2.4375.
        var discounted = [1.0, 0, 0]
        try constantAlphaMonteCarlo(values: &discounted, episode: repeatEpisode, alpha: 0.5, gamma: 0.5)
        #expect(maxError(discounted, [2.4375, 1.75, 0]) < 1e-12, "3.1: constant-alpha MC with gamma 0.5 should give [2.4375, 1.75, 0], got \(discounted) — discount the return, G_t = R_(t+1) + gamma G_(t+1) ([3.25, 2.5, 0] means gamma was ignored)")
    }

    @Test func averagesConvergeOnTheRandomWalk() throws {
        for seed: UInt64 in 1...3 {
            var walk = RandomWalk.fiveStates(seed: seed)
            let episodes = try walkEpisodes(&walk, count: 2000, seed: seed)
            for firstVisit in [true, false] {
                let values = try monteCarloPrediction(episodes, stateCount: walk.stateCount, gamma: 1, firstVisit: firstVisit)
                #expect(rmsError(values, walk) < 0.05, "3.1: after 2000 random-walk episodes the \(firstVisit ? "first" : "every")-visit averages should be within 0.05 RMS of 1/6 ... 5/6, got \(values)")
            }
        }
    }

    @Test func rejectsBadArguments() throws {
        #expect(throws: InvalidArgument.self, "3.1: gamma 1.2 must be rejected") {
            _ = try monteCarloPrediction([repeatEpisode], stateCount: 3, gamma: 1.2, firstVisit: true)
        }
        #expect(throws: InvalidArgument.self, "3.1: an episode visiting state 2 with stateCount 2 must be rejected") {
            _ = try monteCarloPrediction([repeatEpisode], stateCount: 2, gamma: 1, firstVisit: true)
        }
        var values = [0.0, 0, 0]
        #expect(throws: InvalidArgument.self, "3.1: alpha 0 must be rejected") {
            try constantAlphaMonteCarlo(values: &values, episode: repeatEpisode, alpha: 0, gamma: 1)
        }
        let single = try monteCarloPrediction([shortEpisode], stateCount: 3, gamma: 1, firstVisit: true)
        #expect(maxError(single, [0, 4, 0]) < 1e-12, "3.1: one episode 1 -> 2 with reward 4 gives V = [0, 4, 0], got \(single)")
    }
}

@Suite("3.2 tdZero")
struct TDZeroTests {
    @Test func oneStepByHand() throws {
        // Walk 2 -> 3 -> 4 (terminal, its entry 7 must be ignored), rewards 0 then 1.
        var values = [0.0, 0.5, 0.5, 0.5, 7]
        try tdZero(values: &values, episode: Episode(states: [2, 3, 4], rewards: [0, 1]), alpha: 0.1, gamma: 1)
        #expect(abs(values[2] - 0.5) < 1e-12, "3.2: V(2) += 0.1 (0 + V(3) - V(2)) leaves 0.5, got \(values[2]) — 0.45 means the bootstrap was dropped on every step of a terminated episode, not only the last")
        #expect(abs(values[3] - 0.55) < 1e-12, "3.2: V(3) += 0.1 (1 + 0 - 0.5) = 0.55, got \(values[3]) — the last step of a terminated episode must not bootstrap from V(terminal) (1.25 means it did)")
        #expect(values[4] == 7 && values[0] == 0, "3.2: only visited non-final states change, got \(values)")
    }

    @Test func updatesAreOnline() throws {
        // 1 -> 2 -> 1 -> 0 (terminal), all rewards 0, alpha 0.5:
        // V1 = 0.2 + 0.5 (0.6 - 0.2) = 0.4; V2 = 0.6 + 0.5 (0.4 - 0.6) = 0.5 (sees the new V1); V1 = 0.4 + 0.5 (0 - 0.4) = 0.2.
        var values = [0.0, 0.2, 0.6]
        try tdZero(values: &values, episode: Episode(states: [1, 2, 1, 0], rewards: [0, 0, 0]), alpha: 0.5, gamma: 1)
        #expect(maxError(values, [0, 0.2, 0.5]) < 1e-12, "3.2: expected [0, 0.2, 0.5], got \(values) — apply each update immediately, so later steps see it (0.4 for V(2) means you used the values from before the episode)")
    }

    @Test func discountsTheBootstrap() throws {
        // 1 -> 2 -> 0 (terminal), rewards 1 and 2, alpha 1, gamma 0.5: V(1) = 1 + 0.5 * V(2) = 1 + 0.5 * 4 = 3, then V(2) = 2.
        var values = [0.0, 0, 4]
        try tdZero(values: &values, episode: Episode(states: [1, 2, 0], rewards: [1, 2]), alpha: 1, gamma: 0.5)
        #expect(maxError(values, [0, 3, 2]) < 1e-12, "3.2: the bootstrap is discounted: with alpha 1 and gamma 0.5, V(1) = 1 + 0.5 * V(2) = 3 and then V(2) = 2, expected [0, 3, 2], got \(values) (V(1) = 5 means gamma was ignored)")
    }

    @Test func bootstrapsOnTruncation() throws {
        var values = [0.0, 0, 4]
        try tdZero(values: &values, episode: Episode(states: [1, 2], rewards: [1], terminated: false), alpha: 1, gamma: 0.5)
        #expect(abs(values[1] - 3) < 1e-12, "3.2: a truncated episode's last state is not terminal: V(1) = 1 + 0.5 * V(2) = 3, got \(values[1])")
    }

    @Test func convergesOnTheRandomWalk() throws {
        for seed: UInt64 in 1...3 {
            var walk = RandomWalk.fiveStates(seed: seed)
            var values = Array(repeating: 0.5, count: walk.stateCount)
            values[0] = 0
            values[walk.stateCount - 1] = 0
            for episode in try walkEpisodes(&walk, count: 2000, seed: seed) {
                try tdZero(values: &values, episode: episode, alpha: 0.02, gamma: 1)
            }
            #expect(rmsError(values, walk) < 0.08, "3.2: TD(0) with alpha 0.02 should be within 0.08 RMS of the random walk's values 1/6 ... 5/6 after 2000 episodes, got \(values)")
        }
    }

    @Test func rejectsBadArguments() throws {
        var values = [0.0, 0, 0]
        #expect(throws: InvalidArgument.self, "3.2: alpha 1.5 must be rejected") {
            try tdZero(values: &values, episode: shortEpisode, alpha: 1.5, gamma: 1)
        }
        #expect(throws: InvalidArgument.self, "3.2: an episode with as many states as rewards must be rejected") {
            try tdZero(values: &values, episode: Episode(states: [1], rewards: [4]), alpha: 0.1, gamma: 1)
        }
        try tdZero(values: &values, episode: shortEpisode, alpha: 1, gamma: 1)
        #expect(maxError(values, [0, 4, 0]) < 1e-12, "3.2: with alpha 1, V(1) becomes the target 4 + 0, got \(values)")
    }
}

@Suite("3.3 nStepTD")
struct NStepTDTests {
    @Test func twoStepByHand() throws {
        // 1 -> 2 -> 3 -> 4 (terminal, entry 99 ignored), rewards 1, 2, 3, alpha 0.5, gamma 0.5, n 2:
        // tau 0: G = 1 + 0.5 * 2 + 0.25 * V(3) = 9.5 -> V(1) = 9.75
        // tau 1: G = 2 + 0.5 * 3 = 3.5 (the episode ends)  -> V(2) = 11.75
        // tau 2: G = 3                                      -> V(3) = 16.5
        var values = [0.0, 10, 20, 30, 99]
        try nStepTD(values: &values, episode: Episode(states: [1, 2, 3, 4], rewards: [1, 2, 3]), n: 2, alpha: 0.5, gamma: 0.5)
        #expect(abs(entry(values, 1) - 9.75) < 1e-12, "3.3: tau 0's target is R_1 + gamma R_2 + gamma^2 V(S_2) = 1 + 0.5 * 2 + 0.25 * 30 = 9.5, so V(1) = 9.75, got \(entry(values, 1)) — 9.25 means the first reward R_(tau+1) was discounted; 13.5 means the bootstrap got gamma^(n-1) instead of gamma^n; 6 means you did not bootstrap from V(S_(tau+n)) although tau + n < T")
        #expect(abs(entry(values, 2) - 11.75) < 1e-12, "3.3: tau 1's two rewards reach the end of the episode: G = 2 + 0.5 * 3 = 3.5 with no bootstrap, so V(2) = 11.75, got \(entry(values, 2)) — 24.125 means you bootstrapped from V(terminal) = 99")
        #expect(abs(entry(values, 3) - 16.5) < 1e-12, "3.3: tau 2 = T - 1 still gets its update, towards G = R_3 = 3, so V(3) = 16.5, got \(entry(values, 3)) — 30 means the last n - 1 updates at the end of the episode were skipped")
        #expect(maxError(values, [0, 9.75, 11.75, 16.5, 99]) < 1e-12, "3.3: expected [0, 9.75, 11.75, 16.5, 99], got \(values) — bootstrap with gamma^n V(S_(tau+n)) only while tau + n < T, and never from the terminal state")
    }

    @Test func episodeShorterThanNIsMonteCarlo() throws {
        // n = 10 > T = 3: the targets are the full returns 6, 5, 3 (constant-alpha MC).
        var values = [1.0, 0, 7]
        try nStepTD(values: &values, episode: repeatEpisode, n: 10, alpha: 0.5, gamma: 1)
        #expect(maxError(values, [3.25, 2.5, 7]) < 1e-12, "3.3: with n larger than the episode the update is constant-alpha MC: expected [3.25, 2.5, 7], got \(values) — did you skip the updates of the last n - 1 steps, or bootstrap from the terminal state?")
    }

    @Test func oneStepIsTDZero() throws {
        var values = [0.0, 0.2, 0.6]
        try nStepTD(values: &values, episode: Episode(states: [1, 2, 1, 0], rewards: [0, 0, 0]), n: 1, alpha: 0.5, gamma: 1)
        #expect(maxError(values, [0, 0.2, 0.5]) < 1e-12, "3.3: n = 1 must reproduce online TD(0): expected [0, 0.2, 0.5], got \(values) — 0.4 for V(2) means the targets used the values from before the episode; each update must see the earlier ones")
    }

    @Test func bootstrapsOnTruncation() throws {
        // Truncated after 2 steps in state 3 (V = 10): targets 1 + 1 + 10 = 12 and 1 + 10 = 11.
        var values = [0.0, 0, 0, 10]
        try nStepTD(values: &values, episode: Episode(states: [1, 2, 3], rewards: [1, 1], terminated: false), n: 5, alpha: 1, gamma: 1)
        #expect(maxError(values, [0, 12, 11, 10]) < 1e-12, "3.3: a truncated episode bootstraps from V(S_T) with gamma^(T - tau): expected [0, 12, 11, 10], got \(values)")
        // gamma 0.5, V(3) = 8: targets 1 + 0.5 + 0.25 * 8 = 3.5 (tau 0) and 1 + 0.5 * 8 = 5 (tau 1).
        var discounted = [0.0, 0, 0, 8]
        try nStepTD(values: &discounted, episode: Episode(states: [1, 2, 3], rewards: [1, 1], terminated: false), n: 5, alpha: 1, gamma: 0.5)
        #expect(maxError(discounted, [0, 3.5, 5, 8]) < 1e-12, "3.3: a truncated episode bootstraps from V(S_T) with gamma^(T - tau), not gamma^n: with gamma 0.5, n 5 and V(3) = 8 the targets are 1 + 0.5 + 0.25 * 8 = 3.5 and 1 + 0.5 * 8 = 5, expected [0, 3.5, 5, 8], got \(discounted)")
    }

    @Test func learnsTheNineteenStateWalk() throws {
        for seed: UInt64 in 1...3 {
            var walk = RandomWalk.nineteenStates(seed: seed)
            var values = Array(repeating: 0.0, count: walk.stateCount)
            for episode in try walkEpisodes(&walk, count: 1000, seed: seed) {
                try nStepTD(values: &values, episode: episode, n: 4, alpha: 0.02, gamma: 1)
            }
            #expect(rmsError(values, walk) < 0.13, "3.3: 4-step TD (alpha 0.02, 1000 episodes) should be within 0.13 RMS of the 19-state walk's values -0.9 ... 0.9, got RMS \(rmsError(values, walk))")
        }
    }

    @Test func rejectsBadArguments() throws {
        var values = [0.0, 0, 0]
        #expect(throws: InvalidArgument.self, "3.3: n = 0 must be rejected") {
            try nStepTD(values: &values, episode: shortEpisode, n: 0, alpha: 0.1, gamma: 1)
        }
        #expect(throws: InvalidArgument.self, "3.3: gamma -1 must be rejected") {
            try nStepTD(values: &values, episode: shortEpisode, n: 2, alpha: 0.1, gamma: -1)
        }
        try nStepTD(values: &values, episode: shortEpisode, n: 2, alpha: 1, gamma: 1)
        #expect(maxError(values, [0, 4, 0]) < 1e-12, "3.3: with alpha 1 and an episode shorter than n, V(1) becomes the return 4, got \(values)")
    }
}
