import Environments
import TensorCore
import Testing

@Suite("Wrappers, Blackjack and rendering")
struct WrapperAndBlackjackTests {
    @Test func timeLimitAndEpisodeStatistics() throws {
        var env = EpisodeStatistics(try TimeLimit(RandomWalk.nineteenStates(seed: 1), maxEpisodeSteps: 5))
        #expect(env.stateCount == 21 && env.actionCount == 1)
        for _ in 0..<50 {
            _ = env.reset(seed: nil)
            while try !env.step(0).done {}
        }
        #expect(env.episodeCount == 50)
        #expect(env.lengths.allSatisfy { $0 == 5 })  // 19 states: no exit within 5 steps
        #expect(env.returns.allSatisfy { $0 == 0 } && env.meanReturn() == 0)
    }

    @Test func vectorAutoresetKeepsTheFinalObservation() throws {
        var vector = try VectorEnvironment(count: 4) { try CartPole(seed: UInt64($0), maxEpisodeSteps: 30) }
        let first = vector.reset(seed: 10)
        #expect(first.count == 4 && first[0] != first[1])
        var finished = 0
        for _ in 0..<200 {
            let step = try vector.step([1, 0, 1, 0])
            for i in 0..<4 {
                if step.done(i) {
                    finished += 1
                    let final = try #require(step.finalObservations[i])
                    #expect(step.terminated[i] == (abs(final.angle) > CartPole.angleThreshold || abs(final.position) > 2.4))
                    #expect(vector.environments[i].elapsedSteps == 0)
                    for k in 0..<4 { #expect(abs(step.observations[i][k]) <= 0.05) }
                } else {
                    #expect(step.finalObservations[i] == nil && step.observations[i] == vector.environments[i].state)
                }
            }
        }
        #expect(finished == vector.episodeReturns.count && finished > 20)
        #expect(vector.episodeLengths.allSatisfy { $0 <= 30 })
        #expect(zip(vector.episodeReturns, vector.episodeLengths).allSatisfy { $0 == Double($1) })
    }

    @Test func normalizedObservationsHaveUnitScale() throws {
        var env = NormalizeObservation(Pendulum(seed: 2))
        var rng = SeededGenerator(seed: 3)
        var sum = [Double](repeating: 0, count: 3), sumSquares = sum
        var n = 0.0
        for _ in 0..<20 {
            _ = env.reset(seed: nil)
            while true {
                let step = try env.step(rng.uniform(-2, 2))
                if n > 1000 {
                    for i in 0..<3 { sum[i] += step.observation[i]; sumSquares[i] += step.observation[i] * step.observation[i] }
                }
                n += 1
                if step.done { break }
            }
        }
        let m = n - 1001
        for i in 0..<3 {
            #expect(abs(sum[i] / m) < 0.3)
            #expect(abs(sumSquares[i] / m - 1) < 0.4)
        }
        env.isUpdating = false
        let frozen = env.count
        _ = env.reset(seed: 1)
        #expect(env.count == frozen)
    }

    @Test func blackjackIndexRoundTripsAndDealsValidHands() throws {
        for index in 0..<BlackjackState.indexCount {
            #expect(BlackjackState(index: index).index == index)
        }
        var game = Blackjack(seed: 3)
        for _ in 0..<500 {
            let s = game.reset(seed: nil)
            #expect((4...21).contains(s.playerSum) && (1...10).contains(s.dealerCard))
            #expect(!s.usableAce || s.playerSum >= 12)
            var step = try game.step(Blackjack.hit)
            while !step.done { step = try game.step(step.observation.playerSum >= 17 ? Blackjack.stick : Blackjack.hit) }
            #expect([-1.0, 0, 1].contains(step.reward))
        }
    }

    /// Example 5.4: from (13, usable ace, dealer 2), the policy that sticks
    /// only on 20 or 21 has value about -0.27726.
    @Test func blackjackExample54Value() throws {
        var game = Blackjack(seed: 7)
        let start = BlackjackState(playerSum: 13, dealerCard: 2, usableAce: true)
        var total = 0.0
        let episodes = 40_000
        for _ in 0..<episodes {
            var s = try game.reset(to: start)
            #expect(s == start)
            while true {
                let step = try game.step(s.playerSum >= 20 ? Blackjack.stick : Blackjack.hit)
                s = step.observation
                if step.done { total += step.reward; break }
            }
        }
        #expect(abs(total / Double(episodes) + 0.27726) < 0.02)
    }

    @Test func blackjackModelGivesExample54ExactValue() {
        let model = Blackjack.model
        let policy: (Int) -> [Double] = { s in
            s < BlackjackState.indexCount && BlackjackState(index: s).playerSum >= 20 ? [1, 0] : [0, 1]
        }
        let v = evaluateForward(model, policy: policy)
        let start = BlackjackState(playerSum: 13, dealerCard: 2, usableAce: true)
        #expect(abs(v[start.index] + 0.27726) < 1e-4)  // exactly -0.277316: the book quotes a simulation
        #expect(abs(model.initialDistribution.reduce(0, +) - 1) < 1e-12)
        #expect(Blackjack().model.stateCount == 705)
    }

    @Test func gridRenderings() {
        let world = GridWorld.lecture()
        let v = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0.0]
        #expect(renderValues(v, layout: world.layout, decimals: 0).split(separator: "\n")
            == ["  0 -14 -20 -22", "-14 -18 -20 -20", "-20 -20 -18 -14", "-22 -20 -14   0"])
        let lake = FrozenLake()
        let policy = [0, 3, 3, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 2, 1, 0]
        #expect(renderPolicy(policy, layout: lake.layout) == "← ↑ ↑ ↑\n← H ← H\n↑ ↓ ← H\nH → ↓ G")
        #expect(renderPolicy(Array(repeating: 1, count: 48), layout: CliffWalking().layout).hasSuffix("→ C C C C C C C C C C G"))
        #expect(renderPolicy(Array(repeating: 2, count: 16), layout: world.layout).hasPrefix("T ↓ ↓ ↓"))
        #expect(renderMap(lake.layout) == "S . . .\n. H . H\n. . . H\nH . . G")
        #expect(renderValues([0.5, -0.0001], rows: 1, columns: 2) == "0.50 0.00")
    }
}

/// Evaluates a policy on a model whose states only move forward (no state can
/// be revisited, as in Blackjack: the player's sum grows, and a usable ace can
/// only be spent once), by recursion over successors with memoisation.
func evaluateForward(_ model: TabularMDP, policy: (Int) -> [Double]) -> [Double] {
    var memo = [Double?](repeating: nil, count: model.stateCount)
    func value(_ s: Int) -> Double {
        if model.isTerminal[s] { return 0 }
        if let known = memo[s] { return known }
        var total = 0.0
        for (a, weight) in policy(s).enumerated() where weight > 0 {
            for t in model.transitions[s][a] {
                precondition(t.nextState != s || t.terminated, "evaluateForward: state \(s) loops to itself")
                total += weight * t.probability * (t.reward + (t.terminated ? 0 : value(t.nextState)))
            }
        }
        memo[s] = total
        return total
    }
    return (0..<model.stateCount).map(value)
}
