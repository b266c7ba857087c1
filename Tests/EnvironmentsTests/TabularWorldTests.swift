import Environments
import Testing

// These tests check the models against reference values without solving the
// dynamic programmes themselves (that is what Lessons 01 and 02 ask students to
// write, and these files ship in the student handout). A value table is the
// value of a policy exactly when it satisfies the Bellman expectation equation,
// and the optimal value exactly when it satisfies the optimality equation: for
// gamma < 1, or for policies that end every episode with probability 1, each
// equation has one solution. So a zero residual of the reference values proves
// that the model reproduces them.

/// The one-step lookahead sum_s' p(s'|s,a) [r + gamma (1 - terminated) v(s')].
func lookahead(_ model: TabularMDP, _ s: Int, _ a: Int, _ v: [Double], gamma: Double) -> Double {
    model.transitions[s][a].reduce(0) { $0 + $1.probability * ($1.reward + ($1.terminated ? 0 : gamma * v[$1.nextState])) }
}

/// max_s |v(s) - sum_a pi(a|s) lookahead(s, a)| over the non-terminal states in `states`.
func expectationResidual(_ model: TabularMDP, policy: (Int) -> [Double], gamma: Double, values v: [Double],
                         states: [Int]? = nil) -> Double {
    (states ?? Array(0..<model.stateCount)).filter { !model.isTerminal[$0] }.map { s in
        let backup = policy(s).enumerated().reduce(0.0) { $0 + $1.element * lookahead(model, s, $1.offset, v, gamma: gamma) }
        return abs(backup - v[s])
    }.max() ?? 0
}

/// max_s |v(s) - max_a lookahead(s, a)| over the non-terminal states in `states`.
func optimalityResidual(_ model: TabularMDP, gamma: Double, values v: [Double], states: [Int]? = nil) -> Double {
    (states ?? Array(0..<model.stateCount)).filter { !model.isTerminal[$0] }.map { s in
        abs((0..<model.actionCount(in: s)).map { lookahead(model, s, $0, v, gamma: gamma) }.max()! - v[s])
    }.max() ?? 0
}

/// The number of moves from each state to `goal` in a deterministic model
/// (breadth-first search backwards through non-terminal states); nil where the
/// goal cannot be reached.
func movesToGoal(_ model: TabularMDP, goal: Int) -> [Int?] {
    var distance = [Int?](repeating: nil, count: model.stateCount)
    distance[goal] = 0
    var frontier = [goal]
    while !frontier.isEmpty {
        var next: [Int] = []
        for s in 0..<model.stateCount where distance[s] == nil && !model.isTerminal[s] {
            let reachesFrontier = (0..<model.actionCount).contains { a in
                model.transitions[s][a].contains { frontier.contains($0.nextState) }
            }
            if reachesFrontier { next.append(s) }
        }
        for s in next { distance[s] = distance[frontier[0]]! + 1 }
        frontier = next
    }
    return distance
}

@Suite("Tabular worlds")
struct TabularWorldTests {
    @Test func lectureGridWorldValuesUnderRandomPolicy() {
        let world = GridWorld.lecture()
        // Sutton & Barto, Figure 4.1 (k = infinity): the random policy ends every episode.
        let expected: [Double] = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0]
        let residual = expectationResidual(world.model, policy: { _ in [0.25, 0.25, 0.25, 0.25] }, gamma: 1, values: expected)
        #expect(residual < 1e-12, "the textbook values must solve the Bellman equation of our model, residual \(residual)")
        #expect(world.rows == 4 && world.columns == 4)
        // Optimal values: minus the Manhattan distance to the nearest terminal corner.
        let optimal = (0..<16).map { s -> Double in
            let row = s / 4, column = s % 4
            return -Double(min(row + column, 6 - row - column))
        }
        #expect(optimalityResidual(world.model, gamma: 1, values: optimal) < 1e-12)
    }

    @Test func gridWorldMovesAndBorders() throws {
        var world = try GridWorld(rows: 3, columns: 5, terminalCells: [GridPosition(row: 2, column: 4)], rewardPerStep: -2)
        _ = try world.reset(to: 0)
        var step = try world.step(GridWorld.up)
        #expect(step.observation == 0 && step.reward == -2 && !step.terminated)
        step = try world.step(GridWorld.right)
        #expect(step.observation == 1)
        step = try world.step(GridWorld.down)
        #expect(step.observation == 6)
        _ = try world.reset(to: 13)
        step = try world.step(GridWorld.right)
        #expect(step.observation == 14 && step.terminated)
        #expect(throws: EnvironmentError.self) { try GridWorld(rows: 2, columns: 2, terminalCells: [GridPosition(row: 2, column: 0)]) }
    }

    @Test func frozenLakeOptimalValues() {
        // Optimal values computed from Gymnasium's own P by scripts/frozenlake_reference.py
        // (the same vectors as Tests/ValueIterationTests/FrozenLakeReference.swift).
        let v4: [Double] = [0.068890904889, 0.061414571509, 0.074409761966, 0.055807321475, 0.091854539852, 0, 0.112208206412, 0,
                  0.145436354766, 0.247496954601, 0.299617592739, 0, 0, 0.379935901166, 0.639020148119, 0]
        #expect(optimalityResidual(FrozenLake(.fourByFour).model, gamma: 0.9, values: v4) < 1e-9)
        #expect(abs(v4[0] - 0.0689) < 1e-4)
        // Without slipping, the optimal value is 0.9^(moves to the goal - 1): 0.9^5 from the start.
        let lake = FrozenLake(.fourByFour, isSlippery: false).model
        let moves = movesToGoal(lake, goal: 15)
        let deterministic = moves.map { d -> Double in
            guard let d, d > 0 else { return 0 }
            var v = 1.0
            for _ in 1..<d { v *= 0.9 }
            return v
        }
        #expect(moves[0] == 6 && abs(deterministic[0] - 0.9 * 0.9 * 0.9 * 0.9 * 0.9) < 1e-12)
        #expect(optimalityResidual(lake, gamma: 0.9, values: deterministic) < 1e-12)
    }

    @Test func frozenLakeSlipsOneThirdEach() {
        let lake = FrozenLake(.fourByFour)
        let outcomes = lake.model.transitions[0][FrozenLake.down]
        #expect(outcomes.map(\.nextState) == [0, 4, 1])  // left (wall), down, right
        #expect(outcomes.allSatisfy { abs($0.probability - 1.0 / 3.0) < 1e-15 })
        #expect(lake.model.transitions[5][0] == [Transition(probability: 1, nextState: 5, reward: 0, terminated: true)])
        #expect(lake.layout[3, 3] == .goal && lake.layout[1, 1] == .hole)
        #expect(lake.map == FrozenLake.map4x4)
    }

    @Test func frozenLakeEpisodeReachesGoal() throws {
        var lake = FrozenLake(.fourByFour, isSlippery: false)
        #expect(lake.reset(seed: 1) == 0)
        var total = 0.0
        var last = Step(observation: 0, reward: 0, terminated: false, truncated: false)
        for a in [FrozenLake.down, FrozenLake.down, FrozenLake.right, FrozenLake.right, FrozenLake.down, FrozenLake.right] {
            last = try lake.step(a)
            total += last.reward
        }
        #expect(last.observation == 15 && last.terminated && total == 1)
    }

    @Test func malformedMapsNameTheProblem() {
        func message(_ map: [String]) -> String {
            do { _ = try FrozenLake(map: map); return "no error" } catch { return "\(error)" }
        }
        #expect(message(["FFF", "FFG"]).contains("no start"))
        #expect(message(["SFF", "FFF"]).contains("no goal"))
        #expect(message(["SFF", "FG"]).contains("ragged rows: row 1 has 2 cells, expected 3"))
        #expect(message(["SXF", "FFG"]).contains("unknown letter 'X' at row 0, column 1; expected S, F, H or G"))
        #expect(message([]).contains("empty"))
    }

    @Test func cliffWalkingReturnsToStartWithoutEnding() throws {
        var cliff = CliffWalking()
        #expect(cliff.reset(seed: 3) == 36)
        var step = try cliff.step(CliffWalking.right)
        #expect(step.observation == 36 && step.reward == -100 && !step.terminated)
        step = try cliff.step(CliffWalking.up)
        #expect(step.observation == 24 && step.reward == -1)
        var total = step.reward - 100
        for _ in 0..<11 { step = try cliff.step(CliffWalking.right); total += step.reward }
        step = try cliff.step(CliffWalking.down)
        total += step.reward
        #expect(step.observation == 47 && step.terminated && total == -113)
        // Optimal values: -(moves to the goal along the safe rows); -13 from the start.
        let safe = Array(0..<37)
        let optimal = (0..<48).map { s -> Double in
            let r = s / 12, c = s % 12
            return s == 47 ? 0 : r == 3 ? -13 : -Double((11 - c) + (3 - r))
        }
        #expect(optimalityResidual(cliff.model, gamma: 1, values: optimal, states: safe) < 1e-12)
        #expect(optimal[36] == -13)
    }

    @Test func randomWalkTrueValuesMatchTheModel() {
        let five = RandomWalk.fiveStates()
        for i in five.interiorStates { #expect(abs(five.trueValues[i] - Double(i) / 6) < 1e-12) }
        #expect(expectationResidual(five.model, policy: { _ in [1] }, gamma: 1, values: five.trueValues) < 1e-12)
        #expect(five.startState == 3 && five.stateNames[3] == "C")
        let nineteen = RandomWalk.nineteenStates()
        for i in nineteen.interiorStates { #expect(abs(nineteen.trueValues[i] - (-1 + 0.1 * Double(i))) < 1e-12) }
        #expect(expectationResidual(nineteen.model, policy: { _ in [1] }, gamma: 1, values: nineteen.trueValues) < 1e-12)
    }

    @Test func randomWalkEpisodesEndAtAnExit() throws {
        var walk = RandomWalk.fiveStates(seed: 7)
        var rightExits = 0
        for episode in 0..<2000 {
            var s = walk.reset(seed: episode == 0 ? 7 : nil)
            #expect(s == 3)
            while true {
                let step = try walk.step(0)
                #expect(abs(step.observation - s) == 1)
                s = step.observation
                if step.terminated { if s == 6 { rightExits += 1; #expect(step.reward == 1) }; break }
                #expect(step.reward == 0)
            }
        }
        #expect(abs(Double(rightExits) / 2000 - 0.5) < 0.05)
    }

    @Test func maximizationBiasActionsAndRewards() throws {
        var mdp = MaximizationBias(seed: 11)
        #expect(mdp.actionCount(in: MaximizationBias.stateA) == 2)
        #expect(mdp.actionCount(in: MaximizationBias.stateB) == 10)
        #expect(mdp.actionCount == 10)
        var sum = 0.0
        for _ in 0..<4000 {
            #expect(mdp.reset(seed: nil) == 0)
            let first = try mdp.step(MaximizationBias.left)
            #expect(first.observation == 1 && first.reward == 0 && !first.terminated)
            let second = try mdp.step(7)
            #expect(second.terminated && second.observation == 2)
            sum += second.reward
        }
        #expect(abs(sum / 4000 + 0.1) < 0.06)
        _ = mdp.reset(seed: 1)
        let right = try mdp.step(MaximizationBias.right)
        #expect(right.terminated && right.reward == 0)
        #expect(optimalityResidual(mdp.model, gamma: 1, values: [0, -0.1, 0]) < 1e-12)
    }

    @Test func infiniteVarianceModel() throws {
        let mdp = InfiniteVariance()
        #expect(expectationResidual(mdp.model, policy: { _ in [1, 0] }, gamma: 1, values: [1, 0]) < 1e-12)
        var env = InfiniteVariance(seed: 5)
        var lengths = 0
        for _ in 0..<1000 {
            _ = env.reset(seed: nil)
            while true {
                lengths += 1
                if try env.step(InfiniteVariance.left).terminated { break }
            }
        }
        #expect(abs(Double(lengths) / 1000 - 10) < 1.5)
    }
}
