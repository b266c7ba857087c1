import Environments
import Testing

/// Exact policy evaluation: solves (I - gamma P_pi) v = r_pi by Gaussian
/// elimination with partial pivoting (terminal rows pinned to v = 0).
func evaluate(_ model: TabularMDP, policy: (Int) -> [Double], gamma: Double) -> [Double] {
    let n = model.stateCount
    var a = Array(repeating: Array(repeating: 0.0, count: n), count: n)
    var b = Array(repeating: 0.0, count: n)
    for s in 0..<n {
        a[s][s] = 1
        if model.isTerminal[s] { continue }
        for (action, weight) in policy(s).enumerated() where weight > 0 {
            for t in model.transitions[s][action] {
                b[s] += weight * t.probability * t.reward
                if !model.isTerminal[t.nextState] { a[s][t.nextState] -= gamma * weight * t.probability }
            }
        }
    }
    for col in 0..<n {
        let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) }!
        a.swapAt(col, pivot)
        b.swapAt(col, pivot)
        for row in 0..<n where row != col {
            let f = a[row][col] / a[col][col]
            if f == 0 { continue }
            for k in col..<n { a[row][k] -= f * a[col][k] }
            b[row] -= f * b[col]
        }
    }
    return (0..<n).map { b[$0] / a[$0][$0] }
}

/// Value iteration to a tolerance, for reference values.
func optimalValues(_ model: TabularMDP, gamma: Double) -> [Double] {
    var v = Array(repeating: 0.0, count: model.stateCount)
    while true {
        var delta = 0.0
        for s in 0..<model.stateCount where !model.isTerminal[s] {
            let best = (0..<model.actionCount(in: s)).map { a in
                model.transitions[s][a].reduce(0) { $0 + $1.probability * ($1.reward + gamma * v[$1.nextState]) }
            }.max()!
            delta = max(delta, abs(best - v[s]))
            v[s] = best
        }
        if delta < 1e-12 { return v }
    }
}

@Suite("Tabular worlds")
struct TabularWorldTests {
    @Test func lectureGridWorldValuesUnderRandomPolicy() {
        let world = GridWorld.lecture()
        let v = evaluate(world.model, policy: { _ in [0.25, 0.25, 0.25, 0.25] }, gamma: 1)
        let expected: [Double] = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0]
        for s in 0..<16 { #expect(abs(v[s] - expected[s]) < 1e-9, "state \(s): \(v[s])") }
        #expect(world.rows == 4 && world.columns == 4)
        let optimal = optimalValues(world.model, gamma: 1)
        for s in 0..<16 {
            let r = s / 4, c = s % 4
            #expect(optimal[s] == -Double(min(r + c, 6 - r - c)))
        }
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
        let v4 = optimalValues(FrozenLake(.fourByFour).model, gamma: 0.9)
        #expect(abs(v4[0] - 0.0689) < 1e-4)
        let v8 = optimalValues(FrozenLake(.eightByEight).model, gamma: 0.99)
        #expect(abs(v8[0] - 0.4146) < 1e-4)
        let deterministic = optimalValues(FrozenLake(.fourByFour, isSlippery: false).model, gamma: 0.9)
        #expect(abs(deterministic[0] - 0.9 * 0.9 * 0.9 * 0.9 * 0.9) < 1e-12)
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
        let v = optimalValues(cliff.model, gamma: 1)
        #expect(v[36] == -13)
    }

    @Test func randomWalkTrueValuesMatchTheModel() {
        let five = RandomWalk.fiveStates()
        let v5 = evaluate(five.model, policy: { _ in [1] }, gamma: 1)
        for i in five.interiorStates {
            #expect(abs(v5[i] - Double(i) / 6) < 1e-12)
            #expect(abs(five.trueValues[i] - v5[i]) < 1e-12)
        }
        #expect(five.startState == 3 && five.stateNames[3] == "C")
        let nineteen = RandomWalk.nineteenStates()
        let v19 = evaluate(nineteen.model, policy: { _ in [1] }, gamma: 1)
        for i in nineteen.interiorStates {
            #expect(abs(v19[i] - (-1 + 0.1 * Double(i))) < 1e-12)
            #expect(abs(nineteen.trueValues[i] - v19[i]) < 1e-12)
        }
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
        let v = optimalValues(mdp.model, gamma: 1)
        #expect(v[0] == 0 && abs(v[1] + 0.1) < 1e-12)
    }

    @Test func infiniteVarianceModel() throws {
        let mdp = InfiniteVariance()
        let v = evaluate(mdp.model, policy: { _ in [1, 0] }, gamma: 1)
        #expect(abs(v[0] - 1) < 1e-12)
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
