import CourseKit
import Foundation
import TensorCore

/// A two-class data set in the plane: points and their labels, +1 or -1.
public struct MoonsDataSet: Sendable, Equatable {
    /// The points, each [x, y].
    public let points: [[Double]]
    /// The label of each point: +1 or -1.
    public let labels: [Double]

    /// A data set from points and labels.
    ///
    /// - Throws: `InvalidArgument` for an empty data set, a different number of points and labels,
    ///   a point that is not two finite numbers, or a label other than +1 and -1.
    public init(points: [[Double]], labels: [Double]) throws {
        guard !points.isEmpty else {
            throw InvalidArgument("MoonsDataSet", "points", "got an empty data set, expected at least one point")
        }
        guard labels.count == points.count else {
            throw InvalidArgument("MoonsDataSet", "labels", "got \(labels.count) labels for \(points.count) points")
        }
        if let bad = points.firstIndex(where: { $0.count != 2 || !$0.allSatisfy(\.isFinite) }) {
            throw InvalidArgument("MoonsDataSet", "points",
                                  "point \(bad) is \(points[bad]), expected two finite numbers")
        }
        if let bad = labels.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw InvalidArgument("MoonsDataSet", "labels", "label \(bad) is \(labels[bad]), expected +1 or -1")
        }
        self.points = points
        self.labels = labels
    }

    /// The number of points.
    public var count: Int { points.count }
}

/// Two interleaved half circles ("two moons"), a classic data set that no straight line separates.
///
/// The first half of the points lies on the upper moon (cos t - 1/2, sin t - 1/4) with label +1,
/// the second half on the lower moon (1/2 - cos t, 1/4 - sin t) with label -1, t evenly spaced over
/// [0, pi] (the two moons are centred on the origin, each the other turned half a circle); every
/// coordinate then gets Gaussian noise of standard deviation `noise` from a `SeededGenerator`.
///
/// - Parameters:
///   - count: the number of points, >= 2 (an odd count puts the extra point on the upper moon).
///   - noise: the noise's standard deviation, >= 0.
///   - seed: the seed of the noise.
/// - Throws: `InvalidArgument` for a count below 2 or a negative or non-finite noise.
public func makeMoons(count: Int, noise: Double = 0.1, seed: UInt64) throws -> MoonsDataSet {
    try Validate.count(count, "count", atLeast: 2, in: "makeMoons")
    try Validate.nonNegative(noise, "noise", in: "makeMoons")
    var generator = SeededGenerator(seed: seed)
    let upper = (count + 1) / 2, lower = count - upper
    var points: [[Double]] = []
    var labels: [Double] = []
    for (n, label) in [(upper, 1.0), (lower, -1.0)] {
        for k in 0..<n {
            let t = n == 1 ? Double.pi / 2 : Double.pi * Double(k) / Double(n - 1)
            let x = label > 0 ? cos(t) - 0.5 : 0.5 - cos(t)
            let y = label > 0 ? sin(t) - 0.25 : 0.25 - sin(t)
            points.append([x + noise * generator.normal(), y + noise * generator.normal()])
            labels.append(label)
        }
    }
    return try MoonsDataSet(points: points, labels: labels)
}
