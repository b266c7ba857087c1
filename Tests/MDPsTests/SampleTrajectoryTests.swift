import CourseKit
import Environments
import MDPs
import TensorCore
import Testing

@Suite("1.2 sampleTrajectory")
struct SampleTrajectoryTests {
    @Test("a deterministic policy in a deterministic MDP gives one exact trajectory")
    func deterministic() throws {
        var generator = SeededGenerator(seed: 1)
        let policy: [[Double]] = [[1, 0], [1, 0], [1, 0]]
        let trajectory = try sampleTrajectory(in: Fixtures.chain, policy: policy, from: 0, maxSteps: 10, using: &generator)
        #expect(zip(trajectory.steps, trajectory.steps.dropFirst()).allSatisfy { $0.nextState == $1.state },
                "1.2: each step must start where the previous one ended (set state = nextState after every step): moving right from 0 visits 0 and 1, got steps from states \(trajectory.steps.map(\.state))")
        // "Always stay" (action 1) for 20 steps: a policy that is not read shows up as other actions.
        let stay: [[Double]] = [[0, 1], [0, 1], [0, 1]]
        let stayed = try sampleTrajectory(in: Fixtures.chain, policy: stay, from: 0, maxSteps: 20, using: &generator)
        #expect(trajectory.steps.allSatisfy { $0.action == 0 } && stayed.steps.allSatisfy { $0.action == 1 },
                "1.2: ignores the policy: draw each action from policy[state]; 'always right' (action 0) took actions \(trajectory.steps.map(\.action)), 'always stay' (action 1) took \(stayed.steps.map(\.action))")
        #expect(trajectory.steps.last?.terminated == true && trajectory.steps.dropLast().allSatisfy { !$0.terminated },
                "1.2: the terminated flag of a step says whether the outcome it drew is terminal (the state it reaches, not the one it starts in): the step from 1 into state 2 has terminated == true, the step from 0 to 1 false; got \(trajectory.steps.map(\.terminated))")
        let expected = [
            TrajectoryStep(state: 0, action: 0, reward: 1, nextState: 1, terminated: false),
            TrajectoryStep(state: 1, action: 0, reward: 1, nextState: 2, terminated: true),
        ]
        #expect(trajectory.steps == expected, "1.2: moving right twice from state 0 should give \(expected), got \(trajectory.steps)")
        #expect(trajectory.terminated, "1.2: the last step reached the terminal state")
    }

    @Test("draws its random numbers from the generator it is given")
    func usesTheGenerator() throws {
        let grid = Fixtures.grid
        // Twenty random walks, one after the other, from one generator: each call continues its sequence.
        var generator = SeededGenerator(seed: 11)
        var walks = Set<[Int]>()
        for _ in 0..<20 {
            let trajectory = try sampleTrajectory(in: grid, policy: Fixtures.uniform(grid), from: 6, maxSteps: 100, using: &generator)
            walks.insert(trajectory.steps.map(\.action))
        }
        #expect(walks.count > 1, "1.2: ignores the generator: 20 random walks drawn one after the other with the same generator were all identical; draw every random number with the `generator` argument (generator.categorical), not with a generator of your own")
        var first = SeededGenerator(seed: 5), second = SeededGenerator(seed: 5)
        let a = try sampleTrajectory(in: grid, policy: Fixtures.uniform(grid), from: 6, maxSteps: 100, using: &first)
        let b = try sampleTrajectory(in: grid, policy: Fixtures.uniform(grid), from: 6, maxSteps: 100, using: &second)
        #expect(a == b, "1.2: two generators with the same seed must give the same trajectory: draw every random number from the generator argument")
    }

    @Test("stops after maxSteps, and never steps from a terminal start")
    func limits() throws {
        var generator = SeededGenerator(seed: 2)
        let stay: [[Double]] = [[0, 1], [0, 1], [0, 1]]
        let truncated = try sampleTrajectory(in: Fixtures.chain, policy: stay, from: 0, maxSteps: 5, using: &generator)
        #expect(truncated.steps.count == 5, "1.2: a policy that never ends must be cut at maxSteps = 5, got \(truncated.steps.count) steps")
        #expect(!truncated.terminated, "1.2: a trajectory cut by the time limit is not terminated")
        let none = try sampleTrajectory(in: Fixtures.chain, policy: stay, from: 2, maxSteps: 5, using: &generator)
        #expect(none.steps.isEmpty, "1.2: starting in a terminal state there is nothing to do, got \(none.steps.count) steps")
    }

    @Test("consecutive steps connect, and the episode ends at the first terminal outcome")
    func connected() throws {
        let grid = Fixtures.grid
        for seed in 0..<5 as Range<UInt64> {
            var generator = SeededGenerator(seed: seed)
            let trajectory = try sampleTrajectory(in: grid, policy: Fixtures.uniform(grid), from: 6, maxSteps: 10_000, using: &generator)
            for (a, b) in zip(trajectory.steps, trajectory.steps.dropFirst()) {
                #expect(a.nextState == b.state, "1.2: each step must start where the previous one ended (\(a.nextState) then \(b.state))")
                #expect(!a.terminated, "1.2: the trajectory went on after a terminal outcome")
            }
            #expect(trajectory.terminated, "1.2: the random walk in the grid world always ends in a corner within 10,000 steps")
            #expect(trajectory.steps.allSatisfy { $0.reward == -1 }, "1.2: every move of the grid world costs -1")
        }
    }

    @Test("actions and outcomes follow their probabilities")
    func frequencies() throws {
        // pi(0|s) = 0.3, pi(1|s) = 0.7; action 1 pays 10 or 0 with probability 1/2 each.
        let policy: [[Double]] = [[0.3, 0.7], [0.5, 0.5]]
        for seed in [7, 8, 9] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var actionOne = 0, jackpots = 0
            let n = 20_000
            for _ in 0..<n {
                let trajectory = try sampleTrajectory(in: Fixtures.bandit, policy: policy, from: 0, maxSteps: 1, using: &generator)
                let step = try #require(trajectory.steps.first, "1.2: one step expected from a non-terminal start")
                if step.action == 1 {
                    actionOne += 1
                    if step.reward == 10 { jackpots += 1 }
                }
            }
            let actionRate = Double(actionOne) / Double(n)
            #expect(abs(actionRate - 0.7) < 0.02, "1.2: action 1 has probability 0.7 but was taken \(actionRate) of the time; draw the action from policy[state]")
            let jackpotRate = Double(jackpots) / Double(actionOne)
            #expect(abs(jackpotRate - 0.5) < 0.03, "1.2: the reward-10 outcome has probability 0.5 but came \(jackpotRate) of the time; draw the outcome by its probability")
        }
    }

    @Test("outcomes with unequal probabilities come with those probabilities")
    func unequalOutcomes() throws {
        // One action with three outcomes of probabilities 0.1, 0.2 and 0.7 (rewards 1, 2 and 3).
        // Over n = 6000 one-step episodes each frequency has a standard error of at most
        // sqrt(0.7 * 0.3 / 6000) < 0.006, so a tolerance of 0.04 (over 6 standard errors) holds for
        // any correct order of random draws; picking uniformly gives 1/3 each, 0.13 to 0.37 off.
        let probabilities = [0.1, 0.2, 0.7]
        let mdp = try TabularMDP(
            name: "unequal outcomes", stateCount: 2, actionCount: 1,
            transitions: [
                [probabilities.enumerated().map { Transition(probability: $1, nextState: 1, reward: Double($0 + 1), terminated: true) }],
                [[Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]],
            ],
            isTerminal: [false, true], initialDistribution: [1, 0])
        for seed in [21, 22] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var counts = [0, 0, 0]
            let n = 6000
            for _ in 0..<n {
                let trajectory = try sampleTrajectory(in: mdp, policy: [[1], [1]], from: 0, maxSteps: 1, using: &generator)
                let step = try #require(trajectory.steps.first, "1.2: one step expected from a non-terminal start")
                let outcome = Int(step.reward) - 1
                try #require((0..<3).contains(outcome), "1.2: the reward \(step.reward) is not one of the outcomes' rewards 1, 2, 3")
                counts[outcome] += 1
            }
            let frequencies = counts.map { Double($0) / Double(n) }
            let uniform = frequencies.allSatisfy { abs($0 - 1.0 / 3.0) < 0.04 }
            #expect(zip(frequencies, probabilities).allSatisfy { abs($0 - $1) < 0.04 },
                    "1.2: \(uniform ? "picks outcomes uniformly, ignoring their probabilities" : "outcomes do not follow their probabilities"): outcomes with probabilities \(probabilities) came with frequencies \(frequencies.map { ($0 * 1000).rounded() / 1000 }); draw the outcome with generator.categorical of the outcomes' probabilities")
        }
    }

    @Test("rejects a policy of the wrong shape")
    func rejectsBadPolicy() throws {
        var generator = SeededGenerator(seed: 3)
        #expect(throws: InvalidArgument.self) {
            try sampleTrajectory(in: Fixtures.chain, policy: [[1, 0]], from: 0, maxSteps: 3, using: &generator)
        }
        _ = try sampleTrajectory(in: Fixtures.chain, policy: [[1, 0], [1, 0], [1, 0]], from: 0, maxSteps: 3, using: &generator)
    }
}
