import CourseKit
import Environments

/// The map from the policy's actions, every coordinate in (-1, 1), to an
/// environment's box of actions [low, high]: low + (a + 1) (high - low) / 2
/// (Pendulum's torque: 2a). The agent stores and learns from the policy's
/// actions; only the environment sees the scaled ones.
public struct ActionScaling: Sendable, Equatable {
    /// The lower bounds.
    public let low: [Double]
    /// The upper bounds.
    public let high: [Double]

    /// The scaling onto `space`.
    ///
    /// - Throws: `InvalidArgument` for a bound that is not finite (a tanh
    ///   policy cannot cover an infinite range) or a lower bound that is not
    ///   below its upper bound.
    public init(_ space: BoxSpace) throws {
        let function = "ActionScaling"
        guard space.low.count == space.high.count, space.dimension >= 1 else {
            throw InvalidArgument(function, "actionSpace", "has \(space.low.count) lower and \(space.high.count) upper "
                                  + "bounds, expected as many, at least one")
        }
        try Validate.allFinite(space.low, "actionSpace.low", in: function)
        try Validate.allFinite(space.high, "actionSpace.high", in: function)
        if let i = space.low.indices.first(where: { !(space.low[$0] < space.high[$0]) }) {
            throw InvalidArgument(function, "actionSpace", "coordinate \(i) has bounds [\(space.low[i]), "
                                  + "\(space.high[i])], expected low < high")
        }
        low = space.low
        high = space.high
    }

    /// The number of action coordinates.
    public var dimension: Int { low.count }

    /// low + (a + 1) (high - low) / 2 for every coordinate of `action`.
    public func environmentValues(_ action: [Float]) -> [Double] {
        action.indices.map { low[$0] + (Double(action[$0]) + 1) * 0.5 * (high[$0] - low[$0]) }
    }
}
