import Diagnostics

/// An environment that declares its discrete action space: actions are the
/// integers `actionSpace.start ..< actionSpace.start + actionSpace.count`
/// (CartPole, MountainCar, Blackjack). Agents read the number of actions
/// from it instead of being told.
public protocol DiscreteActionEnvironment: Environment where Action == Int {
    /// The actions the environment accepts.
    var actionSpace: DiscreteSpace { get }
}

/// An environment whose actions are real vectors in a box (Pendulum):
/// continuous-control agents read the bounds to scale their outputs.
public protocol BoxActionEnvironment: Environment {
    /// The actions the environment accepts: `actionSpace.dimension`
    /// coordinates, each within its bounds.
    var actionSpace: BoxSpace { get }
    /// The environment's action with coordinates `values` (as many as
    /// `actionSpace.dimension`), for agents that produce vectors.
    func action(_ values: [Double]) -> Action
}

extension CartPole: DiscreteActionEnvironment {
    /// `Discrete(2)`: push left (0) or right (1).
    public var actionSpace: DiscreteSpace { CartPole.actionSpace }
}

extension MountainCar: DiscreteActionEnvironment {
    /// `Discrete(3)`: accelerate left, do nothing, accelerate right.
    public var actionSpace: DiscreteSpace { MountainCar.actionSpace }
}

extension Blackjack: DiscreteActionEnvironment {
    /// `Discrete(2)`: stick (0) or hit (1).
    public var actionSpace: DiscreteSpace { DiscreteSpace(actionCount) }
}

extension Pendulum: BoxActionEnvironment {
    /// `Box([-2], [2])`: the torque.
    public var actionSpace: BoxSpace { Pendulum.actionSpace }
    /// The torque `values[0]`.
    public func action(_ values: [Double]) -> Double {
        check(values.count == 1, "Pendulum.action: got \(values.count) values, expected 1 (the torque)")
        return values[0]
    }
}

extension TimeLimit: DiscreteActionEnvironment where Base: DiscreteActionEnvironment {
    /// The base's actions.
    public var actionSpace: DiscreteSpace { base.actionSpace }
}

extension TimeLimit: BoxActionEnvironment where Base: BoxActionEnvironment {
    /// The base's actions.
    public var actionSpace: BoxSpace { base.actionSpace }
    /// The base's action with coordinates `values`.
    public func action(_ values: [Double]) -> Base.Action { base.action(values) }
}

extension NormalizeObservation: DiscreteActionEnvironment where Base: DiscreteActionEnvironment {
    /// The base's actions.
    public var actionSpace: DiscreteSpace { base.actionSpace }
}

extension NormalizeObservation: BoxActionEnvironment where Base: BoxActionEnvironment {
    /// The base's actions.
    public var actionSpace: BoxSpace { base.actionSpace }
    /// The base's action with coordinates `values`.
    public func action(_ values: [Double]) -> Base.Action { base.action(values) }
}

extension EpisodeStatistics: DiscreteActionEnvironment where Base: DiscreteActionEnvironment {
    /// The base's actions.
    public var actionSpace: DiscreteSpace { base.actionSpace }
}

extension EpisodeStatistics: BoxActionEnvironment where Base: BoxActionEnvironment {
    /// The base's actions.
    public var actionSpace: BoxSpace { base.actionSpace }
    /// The base's action with coordinates `values`.
    public func action(_ values: [Double]) -> Base.Action { base.action(values) }
}
