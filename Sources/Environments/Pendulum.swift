import Diagnostics
import Foundation
import TensorCore

/// Pendulum's observation: (cos theta, sin theta, angular velocity).
public struct PendulumObservation: ObservationVector, CustomStringConvertible {
    /// cos theta (1 when upright).
    public var cosine: Double
    /// sin theta.
    public var sine: Double
    /// Angular velocity (rad/s), in [-8, 8].
    public var angularVelocity: Double

    /// The number of features, 3.
    public static let dimension = 3

    /// Creates an observation.
    public init(cosine: Double, sine: Double, angularVelocity: Double) {
        self.cosine = cosine
        self.sine = sine
        self.angularVelocity = angularVelocity
    }

    /// The zero vector.
    public init() { self.init(cosine: 0, sine: 0, angularVelocity: 0) }

    /// Features in Gymnasium's order (cos, sin, thetaDot).
    public subscript(index: Int) -> Double {
        get {
            switch index {
            case 0: return cosine
            case 1: return sine
            default: check(index == 2, "PendulumObservation has 3 features, index \(index)"); return angularVelocity
            }
        }
        set {
            switch index {
            case 0: cosine = newValue
            case 1: sine = newValue
            default: check(index == 2, "PendulumObservation has 3 features, index \(index)"); angularVelocity = newValue
            }
        }
    }

    /// For example "cos=+1.000 sin=+0.000 ω=+0.000".
    public var description: String { String(format: "cos=%+.3f sin=%+.3f ω=%+.3f", cosine, sine, angularVelocity) }
}

/// Gymnasium's Pendulum-v1: swing a pendulum up and hold it upright with a
/// bounded torque.
///
/// With theta the angle from upright, g = 10, m = 1, l = 1, dt = 0.05 and the
/// torque u clipped to [-2, 2]:
///
///     reward = -(normalize(theta)^2 + 0.1 thetaDot^2 + 0.001 u^2)   (old state)
///     thetaDot' = clip(thetaDot + (3g / (2l) sin theta + 3 / (m l^2) u) dt, -8, 8)
///     theta'    = theta + thetaDot' dt
///
/// where normalize wraps an angle to [-pi, pi). The episode never terminates;
/// it is truncated after `maxEpisodeSteps` (200 as registered for v1; built
/// in). The start state is theta uniform in [-pi, pi], thetaDot uniform in
/// [-1, 1]. The state keeps the unwrapped theta, as Gymnasium does.
public struct Pendulum: Environment, Sendable {
    /// Gravity g.
    public static let gravity = 10.0
    /// Mass m.
    public static let mass = 1.0
    /// Length l.
    public static let length = 1.0
    /// The time step dt (s).
    public static let timeStep = 0.05
    /// The speed limit (rad/s).
    public static let maxSpeed = 8.0
    /// The torque limit.
    public static let maxTorque = 2.0
    /// The action space: a torque in [-2, 2] (larger finite torques are clipped).
    public static let actionSpace = BoxSpace(low: [-2], high: [2])
    /// The observation space.
    public static let observationSpace = BoxSpace(low: [-1, -1, -8], high: [1, 1, 8])

    /// The angle theta (rad, 0 = upright), not wrapped.
    public private(set) var angle = 0.0
    /// The angular velocity thetaDot (rad/s).
    public private(set) var angularVelocity = 0.0
    /// Steps since the last reset.
    public private(set) var elapsedSteps = 0
    /// The time limit (200 for v1); `nil` for none.
    public private(set) var maxEpisodeSteps: Int?
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The random stream (start states).
    public var generator: SeededGenerator

    /// Creates the environment.
    ///
    /// - Parameters:
    ///   - seed: the seed of the start-state generator.
    ///   - maxEpisodeSteps: the time limit (200 for Pendulum-v1; `nil` for none).
    /// - Throws: `InvalidArgument` for a limit below 1.
    public init(seed: UInt64 = 0, maxEpisodeSteps: Int?) throws {
        if let maxEpisodeSteps { try Validate.count(maxEpisodeSteps, "maxEpisodeSteps", in: "Pendulum") }
        generator = SeededGenerator(seed: seed)
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Creates the environment with the registered time limit (200 steps).
    public init(seed: UInt64 = 0) {
        generator = SeededGenerator(seed: seed)
        maxEpisodeSteps = 200
    }

    /// Wraps an angle to [-pi, pi): ((x + pi) mod 2 pi) - pi, with a
    /// non-negative modulo like Python's `%`.
    public static func normalizeAngle(_ x: Double) -> Double {
        let period = 2 * Double.pi
        var r = fmod(x + Double.pi, period)
        if r < 0 { r += period }
        return r - Double.pi
    }

    /// The observation of the current state.
    public var observation: PendulumObservation {
        PendulumObservation(cosine: cos(angle), sine: sin(angle), angularVelocity: angularVelocity)
    }

    /// Starts an episode with theta uniform in [-pi, pi] and thetaDot in [-1, 1].
    public mutating func reset(seed: UInt64? = nil) -> PendulumObservation {
        if let seed { generator = SeededGenerator(seed: seed) }
        angle = generator.uniform(-Double.pi, Double.pi)
        angularVelocity = generator.uniform(-1, 1)
        elapsedSteps = 0
        status = .running
        return observation
    }

    /// Starts an episode from a chosen angle and angular velocity.
    ///
    /// - Throws: `InvalidArgument` for a NaN or infinite angle or velocity.
    public mutating func reset(angle: Double, angularVelocity: Double) throws -> PendulumObservation {
        try Validate.finite(angle, "angle", in: "Pendulum.reset(angle:angularVelocity:)")
        try Validate.finite(angularVelocity, "angularVelocity", in: "Pendulum.reset(angle:angularVelocity:)")
        self.angle = angle
        self.angularVelocity = angularVelocity
        elapsedSteps = 0
        status = .running
        return observation
    }

    /// Applies `torque` (clipped to [-2, 2]) for dt = 0.05 s.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for a NaN or infinite
    ///   torque; `.notReset` / `.episodeFinished` outside an episode.
    public mutating func step(_ torque: Double) throws -> Step<PendulumObservation> {
        if status != .running { try status.checkCanStep("Pendulum") }
        guard torque.isFinite else {
            throw EnvironmentError.invalidAction(environment: "Pendulum", action: "torque \(torque)",
                                                 expected: "a finite torque in [-2, 2] (finite values outside are clipped)")
        }
        let u = min(max(torque, -Pendulum.maxTorque), Pendulum.maxTorque)
        let wrapped = Pendulum.normalizeAngle(angle)
        let cost = wrapped * wrapped + 0.1 * angularVelocity * angularVelocity + 0.001 * u * u
        let g = Pendulum.gravity, m = Pendulum.mass, l = Pendulum.length, dt = Pendulum.timeStep
        var newVelocity = angularVelocity + (3 * g / (2 * l) * sin(angle) + 3.0 / (m * l * l) * u) * dt
        newVelocity = min(max(newVelocity, -Pendulum.maxSpeed), Pendulum.maxSpeed)
        angle += newVelocity * dt
        angularVelocity = newVelocity
        elapsedSteps += 1
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        if truncated { status = .ended }
        return Step(observation: observation, reward: -cost, terminated: false, truncated: truncated)
    }
}
