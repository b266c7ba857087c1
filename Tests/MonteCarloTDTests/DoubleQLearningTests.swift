import CourseKit
import Environments
import Testing
import MonteCarloTD
import TensorCore

@Suite("3.7 doubleQLearning")
struct DoubleQLearningTests {
    @Test func updateByHand() throws {
        var q1: [[Double]] = [[0, 0], [1, 5], [0, 0]]
        var q2: [[Double]] = [[0, 0], [4, 2], [0, 0]]
        // Q1 picks A* = argmax Q1(1, .) = 1, Q2 evaluates it: target 1 + Q2(1, 1) = 3.
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 0, reward: 1, nextState: 1, terminated: false, alpha: 0.5, gamma: 1, updateFirst: true)
        #expect(abs(q1[0][0] - 1.5) < 1e-12 && q2[0][0] == 0, "3.7: Q1(0,0) should move halfway to 1 + Q2(1, argmax Q1(1, .)) = 3, i.e. 1.5, and Q2 stay unchanged; got Q1(0,0) = \(q1[0][0]), Q2(0,0) = \(q2[0][0]) — 2.5 means you used max Q2, 3 means Q1 evaluated its own argmax, 1 means the roles are swapped (Q2 picked and Q1 evaluated: the table you update picks), and Q2(0,0) = 1.5 means you updated the table that evaluates: the other table must stay unchanged")
        // Q2 picks A* = argmax Q2(1, .) = 0, Q1 evaluates it: target 1 + Q1(1, 0) = 2.
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 1, terminated: false, alpha: 0.5, gamma: 1, updateFirst: false)
        #expect(abs(q2[0][1] - 1) < 1e-12 && q1[0][1] == 0, "3.7: with updateFirst false, Q2(0,1) should move halfway to 1 + Q1(1, argmax Q2(1, .)) = 2, i.e. 1; got \(q2[0][1])")
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 1, action: 0, reward: -2, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: true)
        #expect(abs(q1[1][0] + 0.5) < 1e-12, "3.7: a terminal transition's target is just R: Q1(1,0) = 1 + 0.5 (-2 - 1) = -0.5, got \(q1[1][0])")
    }

    @Test func discountTiesAndTerminalByHand() throws {
        // Alpha 1, gamma 0.5: Q1 picks A* = 1 in state 1, Q2 evaluates it: Q1(0,0) = 1 + 0.5 * Q2(1, 1) = 1 + 0.5 * 2 = 2.
        var q1: [[Double]] = [[0, 0], [1, 5], [3, 1]]
        var q2: [[Double]] = [[0, 0], [4, 2], [2, 6]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 0, reward: 1, nextState: 1, terminated: false, alpha: 1, gamma: 0.5, updateFirst: true)
        #expect(abs(entry(q1, 0, 0) - 2) < 1e-12, "3.7: with alpha 1 and gamma 0.5, Q1(0,0) = 1 + 0.5 * Q2(1, argmax Q1(1, .)) = 1 + 0.5 * 2 = 2, got \(entry(q1, 0, 0)) — 3 means gamma was ignored")
        // Ties go to the lowest index: argmax [5, 5] = 0, so Q1(0,1) = 0 + Q2(1, 0) = 4; argmax [3, 3] = 0, so Q2(0,1) = 0 + Q1(1, 0) = 7.
        q1 = [[0, 0], [5, 5], [0, 0]]
        q2 = [[0, 0], [4, 2], [0, 0]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 0, nextState: 1, terminated: false, alpha: 1, gamma: 1, updateFirst: true)
        #expect(abs(entry(q1, 0, 1) - 4) < 1e-12, "3.7: argmax Q1(1, .) = argmax [5, 5]: ties go to the lowest index, A* = 0, so Q1(0,1) = Q2(1, 0) = 4, got \(entry(q1, 0, 1)) (2 means the tie went to the last index)")
        q1 = [[0, 0], [7, 1], [0, 0]]
        q2 = [[0, 0], [3, 3], [0, 0]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 0, nextState: 1, terminated: false, alpha: 1, gamma: 1, updateFirst: false)
        #expect(abs(entry(q2, 0, 1) - 7) < 1e-12, "3.7: argmax Q2(1, .) = argmax [3, 3]: ties go to the lowest index, A* = 0, so Q2(0,1) = Q1(1, 0) = 7, got \(entry(q2, 0, 1)) (1 means the tie went to the last index)")
        // A terminal transition: the target is just R, whatever the tables hold in the terminal row.
        q1 = [[0, 0], [0, 0], [3, 1]]
        q2 = [[0, 0], [0, 0], [2, 6]]
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: true)
        try doubleQLearningUpdate(q1: &q1, q2: &q2, state: 0, action: 1, reward: 1, nextState: 2, terminated: true, alpha: 0.5, gamma: 1, updateFirst: false)
        #expect(abs(entry(q1, 0, 1) - 0.5) < 1e-12 && abs(entry(q2, 0, 1) - 0.5) < 1e-12, "3.7: no bootstrap from a terminal state: with terminated true both updates move halfway to R = 1, expected Q1(0,1) = Q2(0,1) = 0.5, got \(entry(q1, 0, 1)) and \(entry(q2, 0, 1)) (1.5 and 1 mean you bootstrapped from the terminal row)")
    }

    @Test func bothTablesLearnOnAChain() throws {
        var env = try chainEnvironment()
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 3)
        var q1 = makeQTable(for: env), q2 = makeQTable(for: env)
        var lengths: [Int] = []
        for _ in 0..<200 {
            lengths.append(try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 0.1, using: &g).length)
        }
        #expect(lengths.allSatisfy { $0 == 2 }, "3.7: every chain episode takes 2 steps, got lengths \(Set(lengths))")
        #expect(tableError(q1, [[-2], [-1], [0]]) < 0.01 && tableError(q2, [[-2], [-1], [0]]) < 0.01, "3.7: on the chain both tables should approach Q = [-2, -1, 0]; got Q1 = \(q1), Q2 = \(q2) — flip a fair coin each step to choose which table to update")
    }

    @Test func updatesOneTablePerStepAndBootstrapsAtTimeLimits() throws {
        // A time limit of one step on the chain, Q1 = Q2 = [[0], [4], [100]], alpha 1, gamma 1: the coin picks
        // one table, whose Q(0) becomes -1 + 4 = 3; the other keeps 0.
        var env = try TimeLimit(chainEnvironment(), maxEpisodeSteps: 1)
        _ = env.reset(seed: 0)
        var g = SeededGenerator(seed: 5)
        var q1 = chainStart, q2 = chainStart
        let episode = try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 1, gamma: 1, epsilon: 0.1, using: &g)
        let a = entry(q1, 0, 0), b = entry(q2, 0, 0)
        #expect((a == 0) != (b == 0), "3.7: each step updates exactly one table, chosen by a coin flip: after one step one of Q1(0,0), Q2(0,0) should have changed and the other still be 0, got Q1(0,0) = \(a), Q2(0,0) = \(b)")
        #expect(abs(a + b - 3) < 1e-12, "3.7: a time limit is not a terminal state: after a truncated first step the updated table's Q(0) = -1 + 4 = 3, got Q1(0,0) = \(a), Q2(0,0) = \(b) (-1 means the truncated step was treated as terminal; bootstrap on truncation)")
        #expect(episode.states == [0, 1] && episode.length == 1 && !episode.terminated, "3.7: an episode cut by a time limit has one step and terminated == false, got \(episode)")
        var plain = try chainEnvironment()
        _ = plain.reset(seed: 0)
        q1 = chainStart
        q2 = chainStart
        let short = try doubleQLearningEpisode(&plain, q1: &q1, q2: &q2, alpha: 1, gamma: 1, epsilon: 0.1, maxSteps: 1, using: &g)
        #expect(short.states == [0, 1] && short.length == 1 && !short.terminated, "3.7: with maxSteps 1 the episode must stop after maxSteps steps: expected states [0, 1], one step, terminated == false, got \(short)")
    }

    @Test func behavesOnTheSumOfBothTables() throws {
        // Uses your epsilonGreedy (3.4). Q1(0, .) + Q2(0, .) = [-1, 0] in both set-ups, so action 1 is greedy,
        // although Q1 alone prefers action 0 in the first and Q2 alone in the second.
        for (row1, row2) in [([2.0, 0], [-3.0, 0]), ([-3.0, 0], [2.0, 0])] {
            let greedy = try firstActions(100, seed: 23) { env, g in
                var q1 = [row1, [0, 0]], q2 = [row2, [0, 0]]
                return try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 0, using: &g)
            }
            let other = greedy.filter { $0 != 1 }.count
            #expect(other == 0, "3.7: with epsilon 0 the agent takes the greedy action of Q1 + Q2: Q1(0, .) = \(row1) and Q2(0, .) = \(row2) sum to [-1, 0], so action 1, got another action in \(other) of 100 episodes — behave epsilon-greedily on Q1 + Q2, not on one table or their maximum")
        }
        let random = try firstActions(400, seed: 24) { env, g in
            var q1: [[Double]] = [[0, 1], [0, 0]], q2: [[Double]] = [[0, 1], [0, 0]]
            return try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.5, gamma: 1, epsilon: 1, using: &g)
        }
        let nonGreedy = Double(random.filter { $0 != 1 }.count) / 400
        #expect(nonGreedy > 0.25, "3.7: with epsilon 1 the first action is uniformly random (action 0 about half the time), got a non-greedy first action in \(nonGreedy * 100)% of 400 episodes — behave epsilon-greedily on Q1 + Q2 with the epsilon passed in")
    }

    @Test func avoidsTheMaximisationBias() throws {
        var early = 0.0, late = 0.0
        let runs = 300
        for run in 0..<runs {
            var env = MaximizationBias(seed: UInt64(run))
            _ = env.reset(seed: UInt64(run))
            var g = SeededGenerator(seed: UInt64(run) &+ 10_000)
            var q1 = makeQTable(for: env), q2 = makeQTable(for: env)
            for episode in 0..<300 {
                let result = try doubleQLearningEpisode(&env, q1: &q1, q2: &q2, alpha: 0.1, gamma: 1, epsilon: 0.1, using: &g)
                let wentLeft = result.actions.first == MaximizationBias.left ? 1.0 : 0.0
                if episode < 100 { early += wentLeft }
                if episode >= 200 { late += wentLeft }
            }
        }
        early /= Double(runs * 100)
        late /= Double(runs * 100)
        #expect(early < 0.3, "3.7: over the first 100 episodes Double Q-learning should go 'left' rarely (about 20%; Q-learning about 70%), got \(early * 100)% — does one table choose the argmax and the other evaluate it?")
        #expect(late > 0.03 && late < 0.11, "3.7: in episodes 200-300 Double Q-learning should be near the epsilon-greedy optimum of 5% left, got \(late * 100)% — behave epsilon-greedily on Q1 + Q2")
    }
}
