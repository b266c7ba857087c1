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

    @Test func stepBeforeReset() {
        var cliff = CliffWalking()
        #expect(errorText { _ = try cliff.step(0) } == "CliffWalking: step(_:) called before reset(seed:); call reset(seed:) first")
        var cartPole = CartPole()
        #expect(errorText { _ = try cartPole.step(0) }.hasPrefix("CartPole: step(_:) called before reset(seed:)"))
        var pendulum = Pendulum()
        #expect(errorText { _ = try pendulum.step(0) }.hasPrefix("Pendulum: step(_:) called before reset(seed:)"))
        var blackjack = Blackjack()
        #expect(errorText { _ = try blackjack.step(0) }.hasPrefix("Blackjack: step(_:) called before reset(seed:)"))
        var limited = TimeLimit(GridWorld.lecture(), maxEpisodeSteps: 3)
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
        var cartPole = CartPole(maxEpisodeSteps: 2)
        _ = cartPole.reset(seed: 0)
        _ = try cartPole.step(0)
        #expect(try cartPole.step(0).truncated)
        #expect(errorText { _ = try cartPole.step(0) }.hasPrefix("CartPole: step(_:) called after the episode ended"))
        var limited = TimeLimit(GridWorld.lecture(), maxEpisodeSteps: 1)
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

    @Test func vectorNeedsOneActionPerCopy() {
        var vector = VectorEnvironment(count: 3) { CartPole(seed: UInt64($0)) }
        _ = vector.reset(seed: 0)
        #expect(errorText { _ = try vector.step([0, 1]) }
            == "VectorEnvironment: invalid action 2 actions; expected 3 actions, one per copy")
    }
}
