import CourseKit
import Environments
import RLKit

/// What a policy can do in an environment: pick one of `count` discrete
/// actions, or a vector of real numbers within a box.
public enum ActionKind: Sendable, Equatable {
    /// Actions 0..<count (CartPole: 0 push left, 1 push right).
    case discrete(count: Int)
    /// A vector with one coordinate per bound, each in [low[d], high[d]]
    /// (Pendulum: one torque in [-2, 2]).
    case continuous(low: [Double], high: [Double])

    /// The number of numbers one action is written as in a data set: 1 for a
    /// discrete action (its index), the dimension for a continuous one.
    public var rowWidth: Int {
        switch self {
        case .discrete: return 1
        case .continuous(let low, _): return low.count
        }
    }
}

/// An environment to imitate in: vector observations, and actions that a
/// data set stores as a row of numbers (a discrete action as its index, a
/// continuous one as its coordinates). CartPole and Pendulum conform; so can
/// any small environment of a test.
public protocol ImitationEnvironment: Environment where Observation: ObservationVector {
    /// The actions the environment accepts.
    var actionKind: ActionKind { get }
    /// `action` as the row a data set stores: `actionKind.rowWidth` numbers.
    func row(of action: Action) -> [Float]
    /// The action a row of `actionKind.rowWidth` numbers stands for (a
    /// continuous one clipped to the box).
    func action(from row: [Float]) -> Action
}

extension CartPole: ImitationEnvironment {
    /// `.discrete(count: 2)`: push left (0) or right (1).
    public var actionKind: ActionKind { .discrete(count: 2) }
    /// [index].
    public func row(of action: Int) -> [Float] { [Float(action)] }
    /// The index row[0].
    public func action(from row: [Float]) -> Int { Int(row[0]) }
}

extension Pendulum: ImitationEnvironment {
    /// `.continuous(low: [-2], high: [2])`: the torque.
    public var actionKind: ActionKind { .continuous(low: [-2], high: [2]) }
    /// [torque].
    public func row(of action: Double) -> [Float] { [Float(action)] }
    /// The torque row[0], clipped to [-2, 2].
    public func action(from row: [Float]) -> Double { Swift.min(Swift.max(Double(row[0]), -2), 2) }
}
