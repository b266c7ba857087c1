import Environments
import Testing

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

@Suite("Bad input gets a clear error")
struct BadInputTests {
    @Test func actionOutsideTheSpace() {
        var lake = FrozenLake()
        _ = lake.reset(seed: 0)
        #expect(errorText { _ = try lake.step(4) } == "FrozenLake 4x4: invalid action 4; expected an integer in 0..<4 in state 0")
        var cartPole = CartPole()
        _ = cartPole.reset(seed: 0)
        #expect(errorText { _ = try cartPole.step(2) } == "CartPole: invalid action 2; expected 0 (push left) or 1 (push right)")
        var car = MountainCar()
        _ = car.reset(seed: 0)
        #expect(errorText { _ = try car.step(-1) }.contains("invalid action -1; expected 0 (push left), 1 (no push) or 2 (push right)"))
        var blackjack = Blackjack()
        _ = blackjack.reset(seed: 0)
        #expect(errorText { _ = try blackjack.step(3) } == "Blackjack: invalid action 3; expected 0 (stick) or 1 (hit)")
    }

    @Test func actionNotAvailableInThisState() {
        var mdp = MaximizationBias()
        _ = mdp.reset(seed: 0)
        #expect(errorText { _ = try mdp.step(5) } == "MaximizationBias: invalid action 5; expected an integer in 0..<2 in state 0")
        _ = try? mdp.step(MaximizationBias.left)
        #expect(errorText { _ = try mdp.step(5) } == "no error")
    }

    @Test func nonFiniteTorque() {
        var pendulum = Pendulum()
        _ = pendulum.reset(seed: 0)
        #expect(errorText { _ = try pendulum.step(.nan) }
            == "Pendulum: invalid action torque nan; expected a finite torque in [-2, 2] (finite values outside are clipped)")
        #expect(errorText { _ = try pendulum.step(.infinity) }.contains("invalid action torque inf; expected a finite torque"))
        #expect(errorText { _ = try pendulum.step(5) } == "no error")
    }

    @Test func stepBeforeReset() throws {
        var cliff = CliffWalking()
        #expect(errorText { _ = try cliff.step(0) } == "CliffWalking: step(_:) called before reset(seed:); call reset(seed:) first")
        var cartPole = CartPole()
        #expect(errorText { _ = try cartPole.step(0) }.hasPrefix("CartPole: step(_:) called before reset(seed:)"))
        var pendulum = Pendulum()
        #expect(errorText { _ = try pendulum.step(0) }.hasPrefix("Pendulum: step(_:) called before reset(seed:)"))
        var blackjack = Blackjack()
        #expect(errorText { _ = try blackjack.step(0) }.hasPrefix("Blackjack: step(_:) called before reset(seed:)"))
        var limited = try TimeLimit(GridWorld.lecture(), maxEpisodeSteps: 3)
        #expect(errorText { _ = try limited.step(0) }.contains("step(_:) called before reset(seed:)"))
    }

    @Test func stepAfterTheEpisodeEnded() throws {
        var lake = FrozenLake(isSlippery: false)
        _ = lake.reset(seed: 0)
        _ = try lake.step(FrozenLake.right)
        let fell = try lake.step(FrozenLake.down)  // into the hole at (1, 1)
        #expect(fell.terminated)
        #expect(errorText { _ = try lake.step(0) }
            == "FrozenLake 4x4: step(_:) called after the episode ended (terminated or truncated); call reset(seed:) first")
        var cartPole = try CartPole(maxEpisodeSteps: 2)
        _ = cartPole.reset(seed: 0)
        _ = try cartPole.step(0)
        #expect(try cartPole.step(0).truncated)
        #expect(errorText { _ = try cartPole.step(0) }.hasPrefix("CartPole: step(_:) called after the episode ended"))
        var limited = try TimeLimit(GridWorld.lecture(), maxEpisodeSteps: 1)
        _ = limited.reset(seed: 0)
        _ = try limited.base.reset(to: 5)
        #expect(try limited.step(GridWorld.up).truncated)
        #expect(errorText { _ = try limited.step(0) }.contains("step(_:) called after the episode ended"))
        var blackjack = Blackjack()
        _ = blackjack.reset(seed: 0)
        _ = try blackjack.step(Blackjack.stick)
        #expect(errorText { _ = try blackjack.step(0) }.hasPrefix("Blackjack: step(_:) called after the episode ended"))
    }

    @Test func malformedConfigurations() {
        #expect(errorText { _ = try FrozenLake(map: ["SHG", "FFFF"]) }
            == "FrozenLake 2x3: ragged rows: row 1 has 4 cells, expected 3 like row 0")
        #expect(errorText { _ = try GridWorld(rows: 2, columns: 2, terminalCells: [GridPosition(row: 0, column: 5)]) }
            == "GridWorld 2x2: terminal cell (row 0, column 5) is off the grid; expected rows 0..<2 and columns 0..<2")
        #expect(errorText { _ = try RandomWalk(interiorStateCount: 4, leftReward: 0, rightReward: 1) }
            == "RandomWalk 4: interiorStateCount is 4; expected a positive odd number")
        var blackjack = Blackjack()
        #expect(errorText { _ = try blackjack.reset(to: BlackjackState(playerSum: 25, dealerCard: 2, usableAce: false)) }
            == "Blackjack: cannot start from (25, 2, no ace); expected a player sum in 4...21 and a dealer card in 1...10")
        #expect(errorText {
            _ = try TabularMDP(name: "Bad", stateCount: 1, actionCount: 1,
                               transitions: [[[Transition(probability: 0.5, nextState: 0, reward: 0, terminated: false)]]],
                               isTerminal: [false], initialDistribution: [1])
        } == "Bad: probabilities of transitions[0][0] sum to 0.5, expected 1")
    }

    @Test func sizesThatOverflow() {
        #expect(errorText { _ = try GridWorld(rows: Int.max, columns: 2) }
            == "GridWorld 9223372036854775807x2: 9223372036854775807 rows times 2 columns is more cells than an Int can count")
        #expect(errorText { _ = try GridWorld(rows: 1 << 32, columns: 1 << 32) }.hasSuffix("is more cells than an Int can count"))
        #expect(errorText { _ = try GridWorld(rows: -3, columns: -4) } == "GridWorld -3x-4: needs at least 2 cells, got -3 rows and -4 columns")
        #expect(errorText { _ = try RandomWalk(interiorStateCount: Int.max, leftReward: 0, rightReward: 1) }
            == "RandomWalk 9223372036854775807: interiorStateCount is 9223372036854775807; expected a positive odd number below 9223372036854775806")
    }

    @Test func vectorNeedsOneActionPerCopy() throws {
        var vector = try VectorEnvironment(count: 3) { CartPole(seed: UInt64($0)) }
        _ = vector.reset(seed: 0)
        #expect(errorText { _ = try vector.step([0, 1]) }
            == "VectorEnvironment: invalid action 2 actions; expected 3 actions, one per copy")
    }
}

@Suite("bad values are refused by name: states, step limits, models, counts")
struct BadValueTests {
    @Test func nonFiniteStartStates() {
        var cartPole = CartPole(seed: 1)
        #expect(errorText { _ = try cartPole.reset(to: CartPoleState(position: 0, velocity: .nan, angle: 0, angularVelocity: 0)) }
            == "CartPole.reset(to:): invalid start: entry 1 is nan, expected finite numbers only")
        #expect(errorText { _ = try cartPole.step(0) }.hasPrefix("CartPole: step(_:) called before reset(seed:)"),
                "a refused reset does not start an episode")
        var pendulum = Pendulum()
        #expect(errorText { _ = try pendulum.reset(angle: .infinity, angularVelocity: 0) }
            == "Pendulum.reset(angle:angularVelocity:): invalid angle: got inf, expected a finite number")
    }

    @Test func stepLimitsBelowOne() {
        #expect(errorText { _ = try CartPole(seed: 0, maxEpisodeSteps: 0) } == "CartPole: invalid maxEpisodeSteps: got 0, expected an integer >= 1")
        #expect(errorText { _ = try Pendulum(maxEpisodeSteps: -5) } == "Pendulum: invalid maxEpisodeSteps: got -5, expected an integer >= 1")
        #expect(errorText { _ = try MountainCar(maxEpisodeSteps: 0) }.hasPrefix("MountainCar: invalid maxEpisodeSteps"))
        #expect(errorText { _ = try TimeLimit(GridWorld.lecture(), maxEpisodeSteps: 0) } == "TimeLimit: invalid maxEpisodeSteps: got 0, expected an integer >= 1")
        #expect(errorText { _ = try CartPole(seed: 0, maxEpisodeSteps: nil) } == "no error", "nil means no limit")
    }

    @Test func modelsWithBadNumbers() {
        func model(reward: Double, probability: Double = 1, start: [Double] = [1, 0]) throws -> TabularMDP {
            try TabularMDP(name: "tiny", stateCount: 2, actionCount: 1,
                           transitions: [[[Transition(probability: probability, nextState: 1, reward: reward, terminated: true)]],
                                         [[Transition(probability: 1, nextState: 1, reward: 0, terminated: true)]]],
                           isTerminal: [false, true], initialDistribution: start)
        }
        #expect(errorText { _ = try model(reward: .nan) } == "tiny: transitions[0][0] has reward nan, expected a finite number")
        #expect(errorText { _ = try model(reward: 0, probability: .nan) }.hasPrefix("tiny: transitions[0][0] has probability nan"))
        #expect(errorText { _ = try model(reward: 0, start: [0.5, 0.2]) }.hasPrefix("tiny: initialDistribution [0.5, 0.2] is not a probability distribution"))
        #expect(errorText { _ = try model(reward: 1) } == "no error")
    }

    @Test func maximisationBiasParameters() {
        #expect(errorText { _ = try MaximizationBias(actionsInB: 0) } == "MaximizationBias: invalid actionsInB: got 0, expected an integer >= 2")
        #expect(errorText { _ = try MaximizationBias(actionsInB: 10, rewardStandardDeviation: .nan) }
            == "MaximizationBias: invalid rewardStandardDeviation: got nan, expected a finite number >= 0")
        #expect(errorText { _ = try MaximizationBias(actionsInB: 10, meanRewardInB: .infinity) }.hasPrefix("MaximizationBias: invalid meanRewardInB"))
    }

    @Test func vectorOfNoCopies() {
        #expect(errorText { _ = try VectorEnvironment(count: 0) { CartPole(seed: UInt64($0)) } }
            == "VectorEnvironment: invalid count: got 0, expected an integer >= 1")
    }
}

@Suite("sizes whose cell count overflows Int stop with a message in every build")
struct SizeOverflowTrapTests {
    @Test("GridLayout: rows times columns overflows") func layout() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GridLayout(rows: Int.max, columns: 2, cells: [], actionArrows: [])
        }
        let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(text.contains("GridLayout: 9223372036854775807 rows times 2 columns is more cells than an Int can count"), "\(text)")
    }

    @Test("renderValues: rows times columns overflows") func rendering() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = renderValues([1, 2], rows: 1 << 32, columns: 1 << 32)
        }
        let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(text.contains("renderValues: 4294967296 rows times 4294967296 columns is more cells than an Int can count"), "\(text)")
    }
}
