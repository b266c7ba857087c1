import Diagnostics
import Foundation
import TensorCore

/// MountainCar's state and observation: position and velocity.
public struct MountainCarState: ObservationVector, CustomStringConvertible {
    /// Position on the track, in [-1.2, 0.6]; the goal is at 0.5.
    public var position: Double
    /// Velocity, in [-0.07, 0.07].
    public var velocity: Double

    /// The number of features, 2.
    public static let dimension = 2

    /// Creates a state.
    public init(position: Double, velocity: Double) {
        self.position = position
        self.velocity = velocity
    }

    /// The zero vector.
    public init() { self.init(position: 0, velocity: 0) }

    /// Features in Gymnasium's order (position, velocity).
    public subscript(index: Int) -> Double {
        get {
            check(index == 0 || index == 1, "MountainCarState has 2 features, index \(index)")
            return index == 0 ? position : velocity
        }
        set {
            check(index == 0 || index == 1, "MountainCarState has 2 features, index \(index)")
            if index == 0 { position = newValue } else { velocity = newValue }
        }
    }

    /// For example "x=-0.500 v=+0.000".
    public var description: String { String(format: "x=%+.3f v=%+.4f", position, velocity) }
}

/// Gymnasium's MountainCar-v0: an underpowered car must rock back and forth
/// to climb the right hill.
///
/// With action a in {0 push left, 1 no push, 2 push right}:
///
///     v' = clip(v + (a - 1) 0.001 - 0.0025 cos(3x), -0.07, 0.07)
///     x' = clip(x + v', -1.2, 0.6);  v' = 0 if x' == -1.2 and v' < 0 (the left wall)
///
/// Reward -1 per step. Terminated when x' >= 0.5 (and v' >= 0, the default
/// goal velocity); truncated after `maxEpisodeSteps` (200 as registered for
/// v0; built in). Start: x uniform in [-0.6, -0.4], v = 0.
public struct MountainCar: Environment, Sendable {
    /// The left end of the track.
    public static let minPosition = -1.2
    /// The right end of the track.
    public static let maxPosition = 0.6
    /// The speed limit.
    public static let maxSpeed = 0.07
    /// The goal position.
    public static let goalPosition = 0.5
    /// The engine's force.
    public static let force = 0.001
    /// The gravity term.
    public static let gravity = 0.0025
    /// The action space: 0 push left, 1 no push, 2 push right.
    public static let actionSpace = DiscreteSpace(3)
    /// The observation space.
    public static let observationSpace = BoxSpace(low: [-1.2, -0.07], high: [0.6, 0.07])

    /// The current state; set it with `reset(to:)`.
    public private(set) var state = MountainCarState()
    /// Steps since the last reset.
    public private(set) var elapsedSteps = 0
    /// The time limit (200 for v0); `nil` for none.
    public private(set) var maxEpisodeSteps: Int?
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The random stream (start states).
    public var generator: SeededGenerator

    /// Creates the environment.
    ///
    /// - Parameters:
    ///   - seed: the seed of the start-state generator.
    ///   - maxEpisodeSteps: the time limit (200 for MountainCar-v0; `nil` for none).
    /// - Throws: `InvalidArgument` for a limit below 1.
    public init(seed: UInt64 = 0, maxEpisodeSteps: Int?) throws {
        if let maxEpisodeSteps { try Validate.count(maxEpisodeSteps, "maxEpisodeSteps", in: "MountainCar") }
        generator = SeededGenerator(seed: seed)
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Creates the environment with the registered time limit (200 steps).
    public init(seed: UInt64 = 0) {
        generator = SeededGenerator(seed: seed)
        maxEpisodeSteps = 200
    }

    /// The number of actions, 3.
    public var actionCount: Int { 3 }

    /// Starts an episode at rest at a position uniform in [-0.6, -0.4].
    public mutating func reset(seed: UInt64? = nil) -> MountainCarState {
        if let seed { generator = SeededGenerator(seed: seed) }
        return reset(to: MountainCarState(position: generator.uniform(-0.6, -0.4), velocity: 0))
    }

    /// Starts an episode from a chosen state.
    public mutating func reset(to start: MountainCarState) -> MountainCarState {
        state = start
        elapsedSteps = 0
        status = .running
        return state
    }

    /// Pushes (or not) for one step.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action outside
    ///   0...2; `.notReset` / `.episodeFinished` outside an episode.
    public mutating func step(_ action: Int) throws -> Step<MountainCarState> {
        if status != .running { try status.checkCanStep("MountainCar") }
        guard (0...2).contains(action) else {
            throw EnvironmentError.invalidAction(environment: "MountainCar", action: "\(action)",
                                                 expected: "0 (push left), 1 (no push) or 2 (push right)")
        }
        var velocity = state.velocity + Double(action - 1) * MountainCar.force
            + cos(3 * state.position) * -MountainCar.gravity
        velocity = min(max(velocity, -MountainCar.maxSpeed), MountainCar.maxSpeed)
        var position = state.position + velocity
        position = min(max(position, MountainCar.minPosition), MountainCar.maxPosition)
        if position == MountainCar.minPosition && velocity < 0 { velocity = 0 }
        state = MountainCarState(position: position, velocity: velocity)
        elapsedSteps += 1
        let terminated = position >= MountainCar.goalPosition && velocity >= 0
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        if terminated || truncated { status = .ended }
        return Step(observation: state, reward: -1, terminated: terminated, truncated: truncated)
    }
}
