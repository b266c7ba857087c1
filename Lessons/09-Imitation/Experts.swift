import Environments
import Foundation

// The experts of the lesson: two controllers written for the course from the
// physics of the environments, not trained. They can be asked for an action
// in any state, which is what DAgger needs (notes, section 5). Their returns
// are measured in docs/BENCHMARKS.md, "Lesson 09".

/// A CartPole balancing controller: a linear state-feedback law with
/// bang-bang actuation,
///
///     u = 1.0 x + 2.0 x' + 30 theta + 8 theta',   push right (1) if u > 0, else left (0)
///
/// The gains are those of a linear-quadratic regulator (LQR) for the
/// dynamics linearised about the upright pole and discretised with
/// CartPole's Euler step (state cost I, force cost 1: K = (0.91, 2.13, 30.6,
/// 7.84)), rounded. Pushing with the full 10 N in the direction the
/// regulator asks for keeps the pole up for all 500 steps (on 100 of 100
/// CartPole-v1 episodes, docs/BENCHMARKS.md).
public struct CartPoleExpert: Sendable {
    /// The gains on (x, x', theta, theta').
    public static let gains = [1.0, 2.0, 30.0, 8.0]

    /// The expert.
    public init() {}

    /// The expert's action in `state`: 1 (push right) when the gains' sum is
    /// positive, else 0.
    public func callAsFunction(_ state: CartPoleState) -> Int {
        var u = 0.0
        for i in 0..<4 { u += CartPoleExpert.gains[i] * state[i] }
        return u > 0 ? 1 : 0
    }
}

/// A Pendulum swing-up and balance controller.
///
/// Far from upright (cos theta <= 0.8) it pumps energy. The pendulum's energy
/// (a rod of mass m and length l on a pivot, theta = 0 upright) is
///
///     E = (1/2) (m l^2 / 3) theta'^2 + m g (l / 2) cos theta,
///
/// E* = m g l / 2 = 5 upright at rest, and Pendulum's dynamics give
/// dE/dt = theta' u: a torque with the sign of theta' adds energy, against it
/// removes some. The controller uses u = clip(0.5 (E* - E) theta', -2, 2).
/// Near upright (cos theta > 0.8) it balances with u = clip(-10 theta - 2
/// theta', -2, 2), theta wrapped to (-pi, pi]. From Pendulum-v1's start
/// states it stands the pendulum up and holds it: a mean return of -155
/// over 100 episodes (docs/BENCHMARKS.md).
public struct PendulumExpert: Sendable {
    /// The expert.
    public init() {}

    /// The expert's torque for `observation` (cos theta, sin theta, theta').
    public func callAsFunction(_ observation: PendulumObservation) -> Double {
        let (c, s, velocity) = (observation.cosine, observation.sine, observation.angularVelocity)
        if c > 0.8 {
            let angle = atan2(s, c)
            return Swift.min(Swift.max(-10 * angle - 2 * velocity, -2), 2)
        }
        let (m, g, l) = (Pendulum.mass, Pendulum.gravity, Pendulum.length)
        let energy = 0.5 * (m * l * l / 3) * velocity * velocity + m * g * (l / 2) * c
        let target = m * g * l / 2
        return Swift.min(Swift.max(0.5 * (target - energy) * velocity, -2), 2)
    }
}
