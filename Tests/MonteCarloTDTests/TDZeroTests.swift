import CourseKit
import Environments
import Testing
import MonteCarloTD

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
