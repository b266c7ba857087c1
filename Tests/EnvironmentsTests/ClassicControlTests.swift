import Environments
import TensorCore
import Testing

@Suite("Classic control")
struct ClassicControlTests {
    @Test func cartPoleStartsNearUprightAndIsSeeded() {
        var a = CartPole(), b = CartPole()
        let first = a.reset(seed: 42)
        #expect(first == b.reset(seed: 42))
        for i in 0..<4 { #expect(abs(first[i]) <= 0.05) }
        #expect(CartPole.observationSpace.contains(first))
        #expect(a.reset(seed: 43) != first)
    }

    @Test func cartPoleRandomEpisodesAreShortAndPayOnePerStep() throws {
        var env = CartPole(seed: 1)
        var rng = SeededGenerator(seed: 9)
        var lengths: [Int] = []
        for _ in 0..<200 {
            _ = env.reset(seed: nil)
            var length = 0
            while true {
                let step = try env.step(CartPole.actionSpace.sample(using: &rng))
                #expect(step.reward == 1)
                length += 1
                if step.done { #expect(step.terminated); break }
            }
            lengths.append(length)
        }
        let mean = Double(lengths.reduce(0, +)) / 200
        #expect(mean > 15 && mean < 30)  // random play lasts about 22 steps
    }

    @Test func cartPoleTimeLimitTruncatesAt500() throws {
        var env = CartPole(seed: 1)
        _ = try env.reset(to: CartPoleState())
        var step = Step(observation: CartPoleState(), reward: 0, terminated: false, truncated: false)
        // A simple balancing controller survives the whole episode.
        while !step.done {
            let s = env.state
            step = try env.step(s.angle + 0.5 * s.angularVelocity > 0 ? 1 : 0)
        }
        #expect(step.truncated && !step.terminated && env.elapsedSteps == 500)
    }

    @Test func pendulumRewardAndAngleWrapping() throws {
        #expect(abs(Pendulum.normalizeAngle(3 * Double.pi / 2) + Double.pi / 2) < 1e-12)
        #expect(abs(Pendulum.normalizeAngle(-3 * Double.pi / 2) - Double.pi / 2) < 1e-12)
        #expect(Pendulum.normalizeAngle(Double.pi) == -Double.pi)
        var env = Pendulum()
        _ = try env.reset(angle: 0, angularVelocity: 0)
        let still = try env.step(0)
        #expect(still.reward == 0 && still.observation.cosine == 1)
        _ = try env.reset(angle: Double.pi, angularVelocity: 1)
        let step = try env.step(3)  // clipped to 2
        #expect(abs(step.reward + (Double.pi * Double.pi + 0.1 + 0.004)) < 1e-12)
        var count = 0
        var env2 = Pendulum(seed: 3)
        var obs = env2.reset(seed: nil)
        #expect(Pendulum.observationSpace.contains(obs))
        while true {
            let s = try env2.step(1)
            count += 1
            obs = s.observation
            #expect(!s.terminated && abs(obs.angularVelocity) <= 8)
            if s.done { break }
        }
        #expect(count == 200)
    }

    @Test func mountainCarWallAndGoal() throws {
        var env = MountainCar()
        _ = env.reset(to: MountainCarState(position: -1.19, velocity: -0.05))
        let wall = try env.step(0)
        #expect(wall.observation.position == -1.2 && wall.observation.velocity == 0 && wall.reward == -1)
        _ = env.reset(to: MountainCarState(position: 0.49, velocity: 0.07))
        #expect(try env.step(2).terminated)
        let start = env.reset(seed: 5)
        #expect(start.position >= -0.6 && start.position <= -0.4 && start.velocity == 0)
    }

    @Test func spacesSampleInsideThemselves() {
        var rng = SeededGenerator(seed: 4)
        let box = BoxSpace(low: [-1, -.infinity, 0, -.infinity], high: [1, .infinity, .infinity, 2])
        for _ in 0..<200 {
            #expect(box.contains(box.sample(using: &rng)))
            #expect(DiscreteSpace(3, start: 1).contains(DiscreteSpace(3, start: 1).sample(using: &rng)))
        }
        #expect(!box.contains([0, 0, -1, 0]) && !box.contains([Double.nan, 0, 0, 0]) && !box.contains([0]))
        #expect(!DiscreteSpace(2).contains(2) && DiscreteSpace(2).description == "Discrete(2)")
        #expect(Pendulum.actionSpace.contains([2]) && !Pendulum.actionSpace.contains([2.5]))
    }

    @Test func observationsConvertForNetworks() {
        let s = CartPoleState(position: 1, velocity: 2, angle: 3, angularVelocity: 4)
        #expect(s.floats == [1, 2, 3, 4] && s.doubles == [1, 2, 3, 4])
        #expect(CartPoleState([1, 2, 3, 4]) == s)
        var buffer = [Float](repeating: 0, count: 6)
        s.write(into: &buffer, at: 2)
        #expect(buffer == [0, 0, 1, 2, 3, 4])
        #expect(renderCartPole(CartPoleState(), width: 9) == "|...[|]...| x=+0.000 θ=+0.0°")
        #expect(renderCartPole(CartPoleState(position: 2.4, velocity: 0, angle: 0.2, angularVelocity: 0), width: 9).hasPrefix("|.......[/|"))
    }
}

@Suite("environment traps print their message in every build")
struct EnvironmentTrapTests {
    @Test("index: an observation feature that does not exist") func featureIndex() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = CartPoleState()[4]
        }
        let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(text.contains("CartPoleState has 4 features, index 4"), "\(text)")
    }

    @Test("element count: an observation made from the wrong number of values") func featureCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = PendulumObservation([1, 2])
        }
        let text = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(text.contains("PendulumObservation needs 3 values, got 2"), "\(text)")
    }
}
