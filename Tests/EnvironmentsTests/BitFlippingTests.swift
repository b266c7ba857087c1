import Environments
import TensorCore
import Testing

@Suite("Bit flipping (the HER paper's task)")
struct BitFlippingTests {
    @Test("a reset draws n start bits and n goal bits, and a seed repeats them") func resetIsSeeded() throws {
        var env = try BitFlipping(bits: 8, seed: 3)
        let first = env.reset(seed: 11)
        #expect(first.state.count == 8 && first.desiredGoal.count == 8)
        #expect(first.achievedGoal == first.state, "in bit flipping a state achieves itself as a goal")
        #expect((first.state + first.desiredGoal).allSatisfy { $0 == 0 || $0 == 1 })
        #expect(env.reset(seed: 11) == first, "the same seed gives the same start and goal")
        var other = try BitFlipping(bits: 8, seed: 11)
        #expect(other.reset(seed: nil) == first, "a new environment seeded 11 continues as a reset with seed 11")
        var ones = 0, total = 0, starts = Set<[Float]>()
        for _ in 0..<500 {
            let o = env.reset(seed: nil)
            ones += Int((o.state + o.desiredGoal).reduce(0, +))
            total += 16
            starts.insert(o.state)
        }
        #expect(abs(Double(ones) / Double(total) - 0.5) < 0.03, "bits are fair coins: \(ones) ones in \(total)")
        #expect(starts.count > 200, "starts vary: \(starts.count) distinct in 500 resets")
    }

    @Test("action k flips bit k; -1 per step, 0 and terminated on reaching the goal") func flipsAndRewards() throws {
        var env = try BitFlipping(bits: 4)
        _ = try env.reset(state: [0, 1, 0, 0], goal: [1, 1, 0, 1])
        let a = try env.step(0)
        #expect(a.observation.state == [1, 1, 0, 0] && a.observation.desiredGoal == [1, 1, 0, 1])
        #expect(a.observation.achievedGoal == a.observation.state)
        #expect(a.reward == -1 && !a.terminated && !a.truncated)
        let b = try env.step(2)
        #expect(b.observation.state == [1, 1, 1, 0] && b.reward == -1 && !b.done)
        let c = try env.step(2)
        #expect(c.observation.state == [1, 1, 0, 0] && c.reward == -1 && !c.done, "flipping twice undoes the flip")
        let d = try env.step(3)
        #expect(d.observation.state == [1, 1, 0, 1] && d.reward == 0 && d.terminated,
                "the step that reaches the goal pays 0 and terminates")
        #expect(d.truncated, "it is also the 4th step of 4: like Gymnasium's TimeLimit, both flags are set")
    }

    @Test("episodes are cut after n steps (truncated)") func truncatesAfterNSteps() throws {
        var env = try BitFlipping(bits: 3)
        _ = try env.reset(state: [0, 0, 0], goal: [1, 1, 1])
        var steps: [Step<GoalObservation>] = []
        for action in [0, 0, 1] { steps.append(try env.step(action)) }
        #expect(steps.map(\.truncated) == [false, false, true])
        #expect(steps.map(\.terminated) == [false, false, false])
        #expect(steps.map(\.reward) == [-1, -1, -1])
        #expect(errorText { _ = try env.step(0) }
            == "BitFlipping 3: step(_:) called after the episode ended (terminated or truncated); call reset(seed:) first")
    }

    @Test("random play: rewards and flags follow the state and the goal") func randomPlay() throws {
        var env = try BitFlipping(bits: 5, seed: 1)
        var rng = SeededGenerator(seed: 2)
        var successes = 0, episodes = 0
        while episodes < 2_000 {
            var observation = env.reset(seed: nil)
            var length = 0
            while true {
                let action = rng.nextInt(below: 5)
                let step = try env.step(action)
                length += 1
                var expected = observation.state
                expected[action] = 1 - expected[action]
                #expect(step.observation.state == expected)
                #expect(step.observation.desiredGoal == observation.desiredGoal, "the goal stays fixed within an episode")
                let reached = expected == observation.desiredGoal
                #expect(step.reward == (reached ? 0 : -1) && step.terminated == reached && step.truncated == (length == 5))
                observation = step.observation
                if step.done {
                    if step.terminated { successes += 1 }
                    break
                }
            }
            episodes += 1
        }
        // Random flips reach a 5-bit goal within 5 steps with probability 0.1355 (the number of wrong bits is an
        // Ehrenfest chain from Binomial(5, 1/2); lesson 10's notes, section 1): 271 of 2000, standard deviation 15.
        #expect(abs(successes - 271) < 75, "random play reaches a 5-bit goal in 13.5% of episodes: \(successes) of 2000")
    }

    @Test("the action space, sizes and the time limit are n") func sizes() throws {
        let env = try BitFlipping(bits: 7)
        #expect(env.actionSpace == DiscreteSpace(7) && env.stateSize == 7 && env.goalSize == 7 && env.maxEpisodeSteps == 7)
    }

    @Test("bad input gets named errors") func badInput() throws {
        #expect(errorText { _ = try BitFlipping(bits: 0) } == "BitFlipping: invalid bits: got 0, expected an integer >= 1")
        #expect(errorText { _ = try BitFlipping(bits: -2) } == "BitFlipping: invalid bits: got -2, expected an integer >= 1")
        #expect(errorText { _ = try BitFlipping(bits: 5_000) } == "BitFlipping: invalid bits: got 5000, expected at most 4096")
        var env = try BitFlipping(bits: 3)
        #expect(errorText { _ = try env.step(0) } == "BitFlipping 3: step(_:) called before reset(seed:); call reset(seed:) first")
        _ = env.reset(seed: 0)
        #expect(errorText { _ = try env.step(3) } == "BitFlipping 3: invalid action 3; expected an integer in 0..<3 (the bit to flip)")
        #expect(errorText { _ = try env.step(-1) } == "BitFlipping 3: invalid action -1; expected an integer in 0..<3 (the bit to flip)")
        #expect(errorText { _ = try env.reset(state: [0, 1], goal: [0, 0, 0]) }
            == "BitFlipping.reset(state:goal:): invalid state: got 2 values [0.0, 1.0], expected 3 values, each 0 or 1")
        #expect(errorText { _ = try env.reset(state: [0, 1, 0], goal: [0, 2, 0]) }
            == "BitFlipping.reset(state:goal:): invalid goal: got 3 values [0.0, 2.0, 0.0], expected 3 values, each 0 or 1")
        #expect(errorText { _ = try env.step(0) } == "no error", "the refused reset left the seeded episode running")
        var one = try BitFlipping(bits: 1)
        _ = try one.reset(state: [1], goal: [1])
        let step = try one.step(0)
        #expect(step.reward == -1 && !step.terminated && step.truncated,
                "with one bit and start == goal, the only step leaves the goal and ends the episode")
    }
}
