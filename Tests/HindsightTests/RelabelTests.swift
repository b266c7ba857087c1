import Environments
import Foundation
import Hindsight
import RLKit
import Testing

@Suite("10.2 relabel")
struct RelabelTests {
    // The hand-made episode (Helpers.swift): start 0000, goal 1111, actions 0, 2, 0, 3; it achieves
    // 1000, 1010, 0010, 0011 at steps 0 to 3 and never the goal; step 3 hits the time limit.
    static let achieved: [[Float]] = [[1, 0, 0, 0], [1, 0, 1, 0], [0, 0, 1, 0], [0, 0, 1, 1]]

    /// The copies of every step of `episode` in `out`, after checking that each step has `count` of them,
    /// one of which is the step as it happened, with the episode's goal.
    func grouped(_ out: [GoalTransition], _ episode: GoalEpisode, count: Int, strategy: String) -> [[GoalTransition]]? {
        guard out.count == episode.steps.count * count else {
            Issue.record("10.2 (\(strategy)): \(episode.steps.count) steps should give \(episode.steps.count * count) transitions, \(count) per step (the step with its own goal, then \(count - 1) extra goal\(count == 2 ? "" : "s"): k extra goals per transition for future), got \(out.count)")
            return nil
        }
        var groups: [[GoalTransition]] = []
        for (t, step) in episode.steps.enumerated() {
            let group = copies(of: step, in: out)
            let own = GoalTransition(state: step.state, action: step.action, reward: step.reward, nextState: step.nextState,
                                     goal: episode.goal, terminated: step.terminated, truncated: step.truncated)
            guard group.count == count, group.contains(own) else {
                Issue.record("10.2 (\(strategy)): step \(t) should appear \(count) times, once unchanged with the episode's goal \(show(episode.goal)), reward \(step.reward) and its flags; got \(group.count) copies: \(group.map { "goal \(show($0.goal)) reward \($0.reward) terminated \($0.terminated)" })")
                return nil
            }
            var extra = group
            extra.remove(at: extra.firstIndex(of: own)!)
            groups.append(extra)
        }
        return groups
    }

    /// Checks reward and flags of a relabelled copy of step t against the reward function.
    func checkRecomputed(_ copy: GoalTransition, step: GoalStep, t: Int, reward: some GoalReward, strategy: String) throws {
        let r = try reward.reward(achieved: step.achievedGoal, desired: copy.goal)
        let reached = try reward.isReached(achieved: step.achievedGoal, desired: copy.goal)
        #expect(copy.reward == r, "10.2 (\(strategy)): step \(t) achieves \(show(step.achievedGoal)); relabelled with goal \(show(copy.goal)) its reward must be recomputed for that goal: \(r), got \(copy.reward) (recompute r = reward.reward(achieved: the step's achieved goal, desired: the new goal))")
        #expect(copy.terminated == reached, "10.2 (\(strategy)): a relabelled transition is terminated exactly when its new goal is reached: step \(t) achieves \(show(step.achievedGoal)), the new goal is \(show(copy.goal)), so terminated = \(reached), got \(copy.terminated) (not the episode's flag, and not always true)")
        #expect(copy.truncated == step.truncated, "10.2 (\(strategy)): a relabelled copy keeps the step's truncated flag (\(step.truncated)): the time limit does not depend on the goal")
    }

    @Test("strategy none stores the episode as it happened") func noneKeepsTheEpisode() throws {
        var rng = SeededGenerator(seed: 1)
        let episode = try handEpisode()
        let out = try relabel(episode, strategy: .none, reward: ExactGoalReward(), using: &rng)
        _ = grouped(out, episode, count: 1, strategy: "none")
    }

    @Test("final: one extra copy per step, for the goal achieved at the end of the episode") func final() throws {
        var rng = SeededGenerator(seed: 2)
        let episode = try handEpisode()
        let out = try relabel(episode, strategy: .final, reward: ExactGoalReward(), using: &rng)
        guard let extra = grouped(out, episode, count: 2, strategy: "final") else { return }
        for (t, step) in episode.steps.enumerated() {
            let copy = extra[t][0]
            #expect(copy.goal == RelabelTests.achieved[3], "10.2 (final): the final goal is the goal achieved at the end of the episode, the last step's achievedGoal \(show(RelabelTests.achieved[3])); step \(t) got \(show(copy.goal))\(copy.goal == [0, 0, 1, 0] ? " (the last step's state before its action)" : "")")
            try checkRecomputed(copy, step: step, t: t, reward: ExactGoalReward(), strategy: "final")
        }
        #expect(extra[3][0].reward == 0 && extra[3][0].terminated,
                "10.2 (final): the last step reaches the final goal by definition: relabelled, it pays 0 and is terminated")
    }

    @Test("future: k goals per step, each achieved at that step or later") func futureGoalsComeFromTheFuture() throws {
        let episode = try handEpisode()
        for seed: UInt64 in 0..<20 {
            var rng = SeededGenerator(seed: seed)
            let out = try relabel(episode, strategy: .future(k: 3), reward: ExactGoalReward(), using: &rng)
            guard let extra = grouped(out, episode, count: 4, strategy: "future, k = 3") else { return }
            for (t, step) in episode.steps.enumerated() {
                for copy in extra[t] {
                    guard let j = RelabelTests.achieved.firstIndex(of: copy.goal) else {
                        Issue.record("10.2 (future): step \(t)'s relabelled goal \(show(copy.goal)) was never achieved in the episode (it achieves \(RelabelTests.achieved.map(show))); future goals are achievedGoal of steps t, t + 1, ..., T - 1")
                        return
                    }
                    if j < t {
                        Issue.record("10.2 (future): step \(t) got the goal \(show(copy.goal)), achieved at step \(j), before it: goals drawn from the past of the episode; draw them from its future, the achieved goals of steps t ... T - 1")
                        return
                    }
                    try checkRecomputed(copy, step: step, t: t, reward: ExactGoalReward(), strategy: "future")
                }
            }
            #expect(extra[3].allSatisfy { $0.goal == RelabelTests.achieved[3] && $0.reward == 0 && $0.terminated },
                    "10.2 (future): the last step's only future goal is its own achieved goal \(show(RelabelTests.achieved[3])): all its copies have it, pay 0 and are terminated")
        }
    }

    @Test("future: the goals spread evenly over the rest of the episode, drawn one by one") func futureIsUniform() throws {
        let episode = try handEpisode()
        var counts = [Int](repeating: 0, count: 4), counts2 = [Int](repeating: 0, count: 4)
        var allSame = 0
        let calls = 600
        for seed in 0..<calls {
            var rng = SeededGenerator(seed: UInt64(1_000 + seed))
            let out = try relabel(episode, strategy: .future(k: 4), reward: ExactGoalReward(), using: &rng)
            let first = copies(of: episode.steps[0], in: out).filter { $0.goal != episode.goal }.map(\.goal)
            let third = copies(of: episode.steps[2], in: out).filter { $0.goal != episode.goal }.map(\.goal)
            guard first.count == 4, third.count == 4 else {
                Issue.record("10.2 (future): k = 4 extra goals per step, got \(first.count) for step 0")
                return
            }
            for goal in first { if let j = RelabelTests.achieved.firstIndex(of: goal) { counts[j] += 1 } }
            for goal in third { if let j = RelabelTests.achieved.firstIndex(of: goal) { counts2[j] += 1 } }
            if Set(first).count == 1 { allSame += 1 }
        }
        // Step 0 draws from 4 achieved goals, 2,400 draws: 600 expected each, standard deviation 21; 90 is over 4 of them.
        let shares = counts.map { Double($0) / Double(calls * 4) }
        #expect(counts.allSatisfy { abs($0 - calls) < 90 },
                "10.2 (future): step 0's future goals should spread evenly over the goals achieved at steps 0 to 3 (25% each), got \(shares.map { show($0 * 100, 2) + "%" }): draw j uniformly from t ..< T for each goal")
        #expect(counts2[0] == 0 && counts2[1] == 0 && counts2.dropFirst(2).allSatisfy { abs($0 - 2 * calls) < 110 },
                "10.2 (future): step 2's future goals should split evenly between the goals achieved at steps 2 and 3, got counts \(counts2) over steps 0 to 3")
        // Four independent uniform draws are all equal with probability 1/64: about 9 of 600 calls.
        #expect(allSame < 40, "10.2 (future): the k = 4 goals of a step were all the same in \(allSame) of \(calls) calls (about 9 expected): draw each of the k goals separately, not one index repeated k times")
    }

    @Test("relabelling uses the reward it is given, for any goal reward") func usesTheGivenReward() throws {
        let hamming = HammingGoalReward()
        let episode = try handEpisode(reward: hamming)
        var rng = SeededGenerator(seed: 3)
        let out = try relabel(episode, strategy: .final, reward: hamming, using: &rng)
        guard let extra = grouped(out, episode, count: 2, strategy: "final, a dense reward") else { return }
        // Step 0 achieves 1000; the final goal 0011 differs in 3 places: reward -3, not reached.
        #expect(extra[0][0].reward == -3 && !extra[0][0].terminated,
                "10.2: with a reward of minus the number of differing bits, step 0 (achieving 1000) relabelled with the goal 0011 pays -3 and is not terminated; got \(extra[0][0].reward), terminated \(extra[0][0].terminated): compute rewards and ends with the reward passed in, not a comparison of your own")
        // Step 2 achieves 0010, one bit from 0011: reached under this reward (within one difference).
        #expect(extra[2][0].reward == -1 && extra[2][0].terminated,
                "10.2: under the given reward step 2 (achieving 0010) reaches 0011 (one bit apart counts as reached): reward -1 and terminated, got \(extra[2][0].reward), terminated \(extra[2][0].terminated)")
        for (t, step) in episode.steps.enumerated() {
            try checkRecomputed(extra[t][0], step: step, t: t, reward: hamming, strategy: "final, a dense reward")
        }
    }

    @Test("an episode that reaches its goal early, and an empty one") func successfulEpisode() throws {
        // Goal 1010 is reached at step 1 (the episode ends there).
        let episode = try handEpisode(goal: [1, 0, 1, 0], actions: [0, 2])
        #expect(episode.steps[1].terminated)
        var rng = SeededGenerator(seed: 4)
        let out = try relabel(episode, strategy: .future(k: 2), reward: ExactGoalReward(), using: &rng)
        guard let extra = grouped(out, episode, count: 3, strategy: "future, k = 2") else { return }
        #expect(extra[1].allSatisfy { $0.goal == [1, 0, 1, 0] && $0.terminated && $0.reward == 0 },
                "10.2 (future): the last step of an episode that reached its goal has only that goal in its future")
        for copy in extra[0] {
            try checkRecomputed(copy, step: episode.steps[0], t: 0, reward: ExactGoalReward(), strategy: "future")
        }
        let empty = try relabel(GoalEpisode(goal: [1, 1], steps: []), strategy: .future(k: 4), reward: ExactGoalReward(),
                                using: &rng)
        #expect(empty.isEmpty, "10.2: an episode without steps gives no transitions")
    }

    @Test("bad input is refused by name") func badInput() throws {
        var rng = SeededGenerator(seed: 5)
        let episode = try handEpisode()
        #expect(errorText { _ = try relabel(episode, strategy: .future(k: 0), reward: ExactGoalReward(), using: &rng) }
            == "relabel(_:strategy:reward:using:): invalid k: got 0, expected an integer >= 1")
        var short = episode
        short.steps[2].achievedGoal = [1, 0]
        #expect(errorText { _ = try relabel(short, strategy: .final, reward: ExactGoalReward(), using: &rng) }
            == "relabel(_:strategy:reward:using:): invalid episode: step 2 achieves a goal of 2 values, the episode's goal has 4")
        #expect(try relabel(episode, strategy: .final, reward: ExactGoalReward(), using: &rng).count == 8,
                "10.2: a valid episode of 4 steps relabelled with final gives 8 transitions")
    }
}
