import Environments
import Foundation
import Hindsight
import RLKit
import Testing

@Suite("10.1 SparseGoalReward")
struct GoalRewardTests {
    @Test("a goal equal to the achieved goal pays 0 and is reached; any miss pays -1") func exactValues() throws {
        let sparse = try SparseGoalReward()
        for (achieved, desired) in [([1, 0, 1], [1, 0, 1]), ([0, 0], [0, 0]), ([1], [1])] as [([Float], [Float])] {
            let (r, reached) = (try sparse.reward(achieved: achieved, desired: desired),
                                try sparse.isReached(achieved: achieved, desired: desired))
            #expect(reached, "10.1: the achieved goal \(show(achieved)) equals the goal \(show(desired)), so it is reached (distance 0 <= tolerance 0); got false. A distance equal to the tolerance counts as reached (<=, not <)")
            #expect(r == 0, "10.1: the sparse reward is 0 when the goal is reached and -1 for every step that misses it (not +1 and 0); achieved \(show(achieved)) = goal \(show(desired)) gave \(r)")
        }
        for (achieved, desired) in [([1, 0, 1], [1, 1, 1]), ([0, 0], [1, 1]), ([1], [0])] as [([Float], [Float])] {
            let (r, reached) = (try sparse.reward(achieved: achieved, desired: desired),
                                try sparse.isReached(achieved: achieved, desired: desired))
            #expect(!reached, "10.1: \(show(achieved)) is not the goal \(show(desired)); got reached")
            #expect(r == -1, "10.1: the sparse reward is 0 when the goal is reached and -1 for every step that misses it (not +1 and 0, and not minus the distance); achieved \(show(achieved)), goal \(show(desired)) gave \(r)")
        }
    }

    @Test("differences of opposite sign do not cancel") func oppositeDifferences() throws {
        let sparse = try SparseGoalReward()
        for (achieved, desired) in [([1, 0], [0, 1]), ([1, 0, 1, 0], [0, 1, 0, 1]), ([0.5, -0.5], [0, 0])] as [([Float], [Float])] {
            #expect(try !sparse.isReached(achieved: achieved, desired: desired),
                    "10.1: \(show(achieved)) and \(show(desired)) differ, yet count as reached: differences of opposite sign cancel in a plain sum; use the Euclidean distance sqrt(sum_i (a_i - g_i)^2)")
            #expect(try sparse.reward(achieved: achieved, desired: desired) == -1,
                    "10.1: \(show(achieved)) misses the goal \(show(desired)): the reward is -1 (differences of opposite sign must not cancel)")
        }
    }

    @Test("the tolerance bounds the Euclidean distance, inclusive") func tolerance() throws {
        let five = try SparseGoalReward(tolerance: 5)
        #expect(try five.isReached(achieved: [3, 4], desired: [0, 0]) && five.reward(achieved: [3, 4], desired: [0, 0]) == 0,
                "10.1: [3, 4] is at Euclidean distance exactly 5 from [0, 0]: with tolerance 5 it is reached (<=, not <) and pays 0. Compare the distance itself with the tolerance, not its square (25); a sum of absolute differences (7) is not the Euclidean distance")
        #expect(try five.isReached(achieved: [1, 2, 3], desired: [1, 2, 3]),
                "10.1: a distance equal to the tolerance (here 0 <= 5) counts as reached")
        let half = try SparseGoalReward(tolerance: 4.5)
        #expect(try !half.isReached(achieved: [3, 4], desired: [0, 0]),
                "10.1: [3, 4] is at Euclidean distance 5 from [0, 0], beyond tolerance 4.5, yet counts as reached: the largest single difference (4) is not the Euclidean distance")
        #expect(try !five.isReached(achieved: [3, 4.01], desired: [0, 0]),
                "10.1: [3, 4.01] is at distance 5.006 from [0, 0], beyond tolerance 5")
        let quarter = try SparseGoalReward(tolerance: 0.25)
        #expect(try !quarter.isReached(achieved: [0.4], desired: [0]),
                "10.1: [0.4] is at distance 0.4 from [0], beyond tolerance 0.25, yet counts as reached: compare the distance (the square root), not its square, with the tolerance")
        #expect(try quarter.reward(achieved: [0.1, 0.2], desired: [0, 0]) == 0,
                "10.1: [0.1, 0.2] is within 0.25 of [0, 0] (distance 0.224): reward 0")
    }

    @Test("tiny and huge differences: the distance is right for any finite goals") func precision() throws {
        let exact = try SparseGoalReward()
        #expect(try !exact.isReached(achieved: [1e-30], desired: [0]),
                "10.1: [1e-30] differs from the goal [0], yet counts as reached: the square 1e-60 underflows to 0 in Float; add up the squares in Double (or scale by the largest difference)")
        #expect(try !exact.isReached(achieved: [0, 1e-25, 0], desired: [0, 0, 0]),
                "10.1: [0, 1e-25, 0] differs from [0, 0, 0], yet counts as reached: its square underflows to 0 in Float; add up the squares in Double")
        let wide = try SparseGoalReward(tolerance: 1e21)
        #expect(try wide.isReached(achieved: [1e20, 1e20], desired: [0, 0]),
                "10.1: [1e20, 1e20] is at distance 1.4e20 from [0, 0], within tolerance 1e21, yet does not count as reached: its squares overflow to infinity in Float; add up the squares in Double")
        #expect(try wide.reward(achieved: [-3e38], desired: [3e38]) == -1,
                "10.1: [-3e38] is at distance 6e38 from [3e38], beyond tolerance 1e21: reward -1")
    }

    @Test("the reward agrees with the bit-flipping environment at every step") func agreesWithBitFlipping() throws {
        let sparse = try SparseGoalReward()
        var env = try BitFlipping(bits: 4, seed: 5)
        var rng = SeededGenerator(seed: 6)
        var checked = 0, successes = 0
        for _ in 0..<300 {
            _ = env.reset(seed: nil)
            var done = false
            while !done {
                let step = try env.step(rng.nextInt(below: 4))
                let o = step.observation
                let (r, reached) = (try sparse.reward(achieved: o.achievedGoal, desired: o.desiredGoal),
                                    try sparse.isReached(achieved: o.achievedGoal, desired: o.desiredGoal))
                if r != step.reward || reached != step.terminated {
                    Issue.record("10.1: bit flipping reached \(show(o.achievedGoal)) with goal \(show(o.desiredGoal)) and paid \(step.reward) (terminated \(step.terminated)); SparseGoalReward gave \(r) (reached \(reached))")
                    return
                }
                if step.terminated { successes += 1 }
                checked += 1
                done = step.done
            }
        }
        #expect(checked > 500 && successes > 10)
    }

    @Test("bad goals are refused by name") func badInput() throws {
        let sparse = try SparseGoalReward()
        #expect(errorText { _ = try sparse.reward(achieved: [1, 0], desired: [1]) }
            == "SparseGoalReward.reward(achieved:desired:): invalid goals: got lengths 2 and 1, expected two goals of the same length >= 1")
        #expect(errorText { _ = try sparse.isReached(achieved: [], desired: []) }
            == "SparseGoalReward.isReached(achieved:desired:): invalid goals: got lengths 0 and 0, expected two goals of the same length >= 1")
        #expect(errorText { _ = try sparse.isReached(achieved: [0, .nan], desired: [0, 0]) }
            == "SparseGoalReward.isReached(achieved:desired:): invalid achieved: entry 1 is nan, expected finite numbers only")
        #expect(errorText { _ = try SparseGoalReward(tolerance: -1) }
            == "SparseGoalReward: invalid tolerance: got -1.0, expected a finite number >= 0")
        #expect(try sparse.reward(achieved: [1, 1], desired: [1, 1]) == 0,
                "10.1: valid goals get a reward: equal goals pay 0")
    }
}
