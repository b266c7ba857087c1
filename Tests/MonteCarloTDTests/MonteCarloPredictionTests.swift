import CourseKit
import Environments
import Testing
import MonteCarloTD

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
