import Environments
import Foundation
import Testing

/// The fixtures written by scripts/make_gym_fixtures.py (Gymnasium 1.x).
enum GymFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EnvironmentsTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/gymnasium")

    struct Trajectory: Decodable {
        var name: String
        var start: [Double]
        var max_episode_steps: Int
        var actions: [Double]
        var observations: [[Double]]
        var rewards: [Double]
        var terminated: [Bool]
        var truncated: [Bool]
    }

    struct ClassicControl: Decodable {
        var cartpole: [Trajectory]
        var pendulum: [Trajectory]
        var mountaincar: [Trajectory]
    }

    struct ToyText: Decodable {
        var frozenlake_4x4_slippery: Table
        var frozenlake_4x4: Table
        var frozenlake_8x8_slippery: Table
        var frozenlake_8x8: Table
        var cliffwalking: Table
    }

    struct Table: Decodable {
        var env: String
        var P: [[[[JSONNumberOrBool]]]]
    }

    /// One entry of a [probability, next state, reward, terminated] tuple.
    enum JSONNumberOrBool: Decodable {
        case number(Double)
        case flag(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .number(try c.decode(Double.self)) }
        }
        var number: Double { if case let .number(x) = self { return x } else { return .nan } }
        var flag: Bool { if case let .flag(b) = self { return b } else { return false } }
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// Replays a fixture trajectory on one of our environments.
func replay<Env: Environment>(_ trajectory: GymFixtures.Trajectory, on env: inout Env,
                              action: (Double) -> Env.Action, features: (Env.Observation) -> [Double]) throws {
    for (t, a) in trajectory.actions.enumerated() {
        let step = try env.step(action(a))
        let ours = features(step.observation)
        let theirs = trajectory.observations[t]
        for i in ours.indices {
            #expect(abs(ours[i] - theirs[i]) <= 1e-5, "\(trajectory.name) step \(t) feature \(i): \(ours[i]) vs \(theirs[i])")
        }
        #expect(abs(step.reward - trajectory.rewards[t]) <= 1e-5, "\(trajectory.name) step \(t) reward")
        #expect(step.terminated == trajectory.terminated[t], "\(trajectory.name) step \(t) terminated")
        #expect(step.truncated == trajectory.truncated[t], "\(trajectory.name) step \(t) truncated")
    }
    #expect(trajectory.terminated.last! || trajectory.truncated.last! || trajectory.actions.count >= 40)
}

@Suite("Gymnasium parity")
struct GymnasiumParityTests {
    @Test func cartPoleMatchesGymnasium() throws {
        let fixtures = try GymFixtures.load("classic_control.json", as: GymFixtures.ClassicControl.self)
        #expect(fixtures.cartpole.count >= 4)
        for trajectory in fixtures.cartpole {
            var env = try CartPole(maxEpisodeSteps: trajectory.max_episode_steps)
            _ = try env.reset(to: CartPoleState(trajectory.start))
            try replay(trajectory, on: &env, action: { Int($0) }, features: { $0.doubles })
        }
    }

    @Test func pendulumMatchesGymnasium() throws {
        let fixtures = try GymFixtures.load("classic_control.json", as: GymFixtures.ClassicControl.self)
        for trajectory in fixtures.pendulum {
            var env = try Pendulum(maxEpisodeSteps: trajectory.max_episode_steps)
            _ = try env.reset(angle: trajectory.start[0], angularVelocity: trajectory.start[1])
            try replay(trajectory, on: &env, action: { $0 }, features: { $0.doubles })
        }
    }

    @Test func mountainCarMatchesGymnasium() throws {
        let fixtures = try GymFixtures.load("classic_control.json", as: GymFixtures.ClassicControl.self)
        for trajectory in fixtures.mountaincar {
            var env = try MountainCar(maxEpisodeSteps: trajectory.max_episode_steps)
            _ = env.reset(to: MountainCarState(trajectory.start))
            try replay(trajectory, on: &env, action: { Int($0) }, features: { $0.doubles })
        }
    }

    /// Compares our model with Gymnasium's P table entry by entry.
    func compare(_ model: TabularMDP, with table: GymFixtures.Table, skipping skipped: Set<Int> = []) {
        #expect(table.P.count == model.stateCount)
        for s in 0..<model.stateCount where !skipped.contains(s) {
            for a in 0..<model.actionCount {
                let theirs = table.P[s][a].map {
                    Transition(probability: $0[0].number, nextState: Int($0[1].number), reward: $0[2].number, terminated: $0[3].flag)
                }
                #expect(model.transitions[s][a] == theirs, "\(table.env) P[\(s)][\(a)]")
            }
        }
    }

    @Test func frozenLakeTablesMatchGymnasiumExactly() throws {
        let tables = try GymFixtures.load("toy_text.json", as: GymFixtures.ToyText.self)
        compare(FrozenLake(.fourByFour, isSlippery: true).model, with: tables.frozenlake_4x4_slippery)
        compare(FrozenLake(.fourByFour, isSlippery: false).model, with: tables.frozenlake_4x4)
        compare(FrozenLake(.eightByEight, isSlippery: true).model, with: tables.frozenlake_8x8_slippery)
        compare(FrozenLake(.eightByEight, isSlippery: false).model, with: tables.frozenlake_8x8)
    }

    @Test func cliffWalkingTableMatchesGymnasiumExceptTheGoalSelfLoop() throws {
        let tables = try GymFixtures.load("toy_text.json", as: GymFixtures.ToyText.self)
        let cliff = CliffWalking()
        compare(cliff.model, with: tables.cliffwalking, skipping: [cliff.goalState])
        for a in 0..<4 {
            #expect(cliff.model.transitions[47][a] == [Transition(probability: 1, nextState: 47, reward: 0, terminated: true)])
        }
    }
}
