import Diagnostics
import Foundation
import TensorCore

/// CartPole's state and observation: cart position and velocity, pole angle
/// (radians, 0 = upright) and angular velocity.
public struct CartPoleState: ObservationVector, CustomStringConvertible {
    /// Cart position x (m); the episode ends beyond +-2.4.
    public var position: Double
    /// Cart velocity (m/s).
    public var velocity: Double
    /// Pole angle theta (rad); the episode ends beyond +-12 degrees.
    public var angle: Double
    /// Pole angular velocity (rad/s).
    public var angularVelocity: Double

    /// The number of features, 4.
    public static let dimension = 4

    /// Creates a state.
    public init(position: Double, velocity: Double, angle: Double, angularVelocity: Double) {
        self.position = position
        self.velocity = velocity
        self.angle = angle
        self.angularVelocity = angularVelocity
    }

    /// The upright cart at rest in the centre.
    public init() { self.init(position: 0, velocity: 0, angle: 0, angularVelocity: 0) }

    /// Features in Gymnasium's order (x, x_dot, theta, theta_dot).
    public subscript(index: Int) -> Double {
        get {
            switch index {
            case 0: return position
            case 1: return velocity
            case 2: return angle
            default: check(index == 3, "CartPoleState has 4 features, index \(index)"); return angularVelocity
            }
        }
        set {
            switch index {
            case 0: position = newValue
            case 1: velocity = newValue
            case 2: angle = newValue
            default: check(index == 3, "CartPoleState has 4 features, index \(index)"); angularVelocity = newValue
            }
        }
    }

    /// For example "x=+0.012 v=-0.200 θ=+0.031 ω=+0.300".
    public var description: String {
        String(format: "x=%+.3f v=%+.3f θ=%+.3f ω=%+.3f", position, velocity, angle, angularVelocity)
    }
}

/// Gymnasium's CartPole-v1: push a cart left or right to balance a pole.
///
/// Dynamics (Barto, Sutton and Anderson 1983, as coded in Gymnasium), with
/// F = +-10 N, g = 9.8, cart mass 1, pole mass 0.1, half-length l = 0.5,
/// M = 1.1 the total mass:
///
///     temp  = (F + m l thetaDot^2 sin theta) / M
///     thetaAcc = (g sin theta - cos theta * temp) / (l (4/3 - m cos^2 theta / M))
///     xAcc  = temp - m l thetaAcc cos theta / M
///
/// then one explicit Euler step of tau = 0.02 s (positions use the old
/// velocities). Actions: 0 push left, 1 push right. Reward 1 on every step,
/// including the terminating one. Terminated when |x| > 2.4 or |theta| > 12
/// degrees; truncated after `maxEpisodeSteps` (500 as registered for v1; the
/// time limit is built in and, like Gymnasium's `TimeLimit`, can report
/// truncated together with terminated on the last step). The start state is uniform in [-0.05, 0.05]^4.
/// Observations are the Double state (Gymnasium rounds them to Float32).
public struct CartPole: Environment, Sendable {
    /// Gravity g (m/s^2).
    public static let gravity = 9.8
    /// Cart mass (kg).
    public static let cartMass = 1.0
    /// Pole mass (kg).
    public static let poleMass = 0.1
    /// Half the pole's length (m).
    public static let halfLength = 0.5
    /// The magnitude of the push (N).
    public static let forceMagnitude = 10.0
    /// The time step (s).
    public static let timeStep = 0.02
    /// The angle beyond which the episode ends: 12 degrees in radians.
    public static let angleThreshold = 12 * 2 * Double.pi / 360
    /// The position beyond which the episode ends (m).
    public static let positionThreshold = 2.4
    /// The action space: 0 push left, 1 push right.
    public static let actionSpace = DiscreteSpace(2)
    /// The observation space (Gymnasium's bounds: twice the thresholds).
    public static let observationSpace = BoxSpace(
        low: [-4.8, -.infinity, -2 * angleThreshold, -.infinity],
        high: [4.8, .infinity, 2 * angleThreshold, .infinity])

    /// The current state; set it with `reset(to:)`.
    public private(set) var state = CartPoleState()
    /// Steps since the last reset.
    public private(set) var elapsedSteps = 0
    /// The time limit (500 for v1); `nil` for none.
    public private(set) var maxEpisodeSteps: Int?
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The random stream (start states).
    public var generator: SeededGenerator

    /// Creates the environment.
    ///
    /// - Parameters:
    ///   - seed: the seed of the start-state generator.
    ///   - maxEpisodeSteps: the time limit (500 for CartPole-v1; `nil` for none).
    /// - Throws: `InvalidArgument` for a limit below 1.
    public init(seed: UInt64 = 0, maxEpisodeSteps: Int?) throws {
        if let maxEpisodeSteps { try Validate.count(maxEpisodeSteps, "maxEpisodeSteps", in: "CartPole") }
        generator = SeededGenerator(seed: seed)
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Creates the environment with the registered time limit (500 steps).
    public init(seed: UInt64 = 0) {
        generator = SeededGenerator(seed: seed)
        maxEpisodeSteps = 500
    }

    /// The number of actions, 2.
    public var actionCount: Int { 2 }

    /// Starts an episode from a state uniform in [-0.05, 0.05]^4.
    public mutating func reset(seed: UInt64? = nil) -> CartPoleState {
        if let seed { generator = SeededGenerator(seed: seed) }
        state = CartPoleState(position: generator.uniform(-0.05, 0.05), velocity: generator.uniform(-0.05, 0.05),
                              angle: generator.uniform(-0.05, 0.05), angularVelocity: generator.uniform(-0.05, 0.05))
        elapsedSteps = 0
        status = .running
        return state
    }

    /// Starts an episode from a chosen state (tests, teaching).
    ///
    /// - Throws: `InvalidArgument` for a NaN or infinite coordinate (the
    ///   dynamics would step on with NaN, as Gymnasium's checker warns).
    public mutating func reset(to start: CartPoleState) throws -> CartPoleState {
        try Validate.allFinite(start.doubles, "start", in: "CartPole.reset(to:)")
        state = start
        elapsedSteps = 0
        status = .running
        return state
    }

    /// Pushes the cart and advances tau = 0.02 s.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action other than 0
    ///   or 1; `.notReset` / `.episodeFinished` outside an episode.
    public mutating func step(_ action: Int) throws -> Step<CartPoleState> {
        if status != .running { try status.checkCanStep("CartPole") }
        guard action == 0 || action == 1 else {
            throw EnvironmentError.invalidAction(environment: "CartPole", action: "\(action)",
                                                 expected: "0 (push left) or 1 (push right)")
        }
        let force = action == 1 ? CartPole.forceMagnitude : -CartPole.forceMagnitude
        let totalMass = CartPole.poleMass + CartPole.cartMass
        let poleMassLength = CartPole.poleMass * CartPole.halfLength
        let s = state
        let cosine = cos(s.angle), sine = sin(s.angle)
        let temp = (force + poleMassLength * s.angularVelocity * s.angularVelocity * sine) / totalMass
        let angularAcceleration = (CartPole.gravity * sine - cosine * temp)
            / (CartPole.halfLength * (4.0 / 3.0 - CartPole.poleMass * cosine * cosine / totalMass))
        let acceleration = temp - poleMassLength * angularAcceleration * cosine / totalMass
        let tau = CartPole.timeStep
        state = CartPoleState(position: s.position + tau * s.velocity,
                              velocity: s.velocity + tau * acceleration,
                              angle: s.angle + tau * s.angularVelocity,
                              angularVelocity: s.angularVelocity + tau * angularAcceleration)
        elapsedSteps += 1
        let terminated = state.position < -CartPole.positionThreshold || state.position > CartPole.positionThreshold
            || state.angle < -CartPole.angleThreshold || state.angle > CartPole.angleThreshold
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        if terminated || truncated { status = .ended }
        return Step(observation: state, reward: 1, terminated: terminated, truncated: truncated)
    }
}
