import CourseKit
import Environments
import Testing
import MonteCarloTD

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
