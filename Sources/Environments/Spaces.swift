import Diagnostics
import Foundation
import TensorCore

/// A fixed-size vector of real features: the observation type of the
/// classic-control environments. Being a small struct, an observation costs no
/// heap allocation per step; `floats` and `doubles` copy it into an array for
/// a network's input.
public protocol ObservationVector: Sendable, Equatable {
    /// The number of features.
    static var dimension: Int { get }
    /// The feature at `index` (0..<dimension).
    subscript(index: Int) -> Double { get set }
    /// The zero vector.
    init()
}

extension ObservationVector {
    /// Creates a vector from `dimension` values.
    ///
    /// - Precondition: `values.count == Self.dimension`.
    public init(_ values: [Double]) {
        check(values.count == Self.dimension,
                     "\(Self.self) needs \(Self.dimension) values, got \(values.count)")
        self.init()
        for i in 0..<Self.dimension { self[i] = values[i] }
    }

    /// The features as `[Double]`.
    public var doubles: [Double] { (0..<Self.dimension).map { self[$0] } }

    /// The features as `[Float]` (the tensor core's element type).
    public var floats: [Float] { (0..<Self.dimension).map { Float(self[$0]) } }

    /// Writes the features as `Float` into `buffer[offset..<offset + dimension]`
    /// (fills a batch row without allocating).
    public func write(into buffer: inout [Float], at offset: Int) {
        for i in 0..<Self.dimension { buffer[offset + i] = Float(self[i]) }
    }
}

/// The action or observation space {start, ..., start + count - 1}
/// (Gymnasium's `Discrete(n, start)`).
public struct DiscreteSpace: Sendable, Equatable, CustomStringConvertible {
    /// The number of elements.
    public var count: Int
    /// The smallest element.
    public var start: Int

    /// Creates the space {start, ..., start + count - 1}.
    public init(_ count: Int, start: Int = 0) {
        check(count > 0, "DiscreteSpace needs a positive count, got \(count)")
        self.count = count
        self.start = start
    }

    /// True when `value` is an element.
    public func contains(_ value: Int) -> Bool { value >= start && value < start + count }

    /// A uniformly random element.
    public func sample(using generator: inout SeededGenerator) -> Int {
        start + generator.nextInt(below: count)
    }

    /// For example "Discrete(4)".
    public var description: String { start == 0 ? "Discrete(\(count))" : "Discrete(\(count), start: \(start))" }
}

/// A box of real vectors low[i] <= x[i] <= high[i] (Gymnasium's `Box`);
/// bounds may be infinite.
public struct BoxSpace: Sendable, Equatable, CustomStringConvertible {
    /// The lower bounds.
    public var low: [Double]
    /// The upper bounds.
    public var high: [Double]

    /// Creates a box.
    ///
    /// - Precondition: equal lengths and low[i] <= high[i].
    public init(low: [Double], high: [Double]) {
        check(low.count == high.count && zip(low, high).allSatisfy { $0 <= $1 },
                     "BoxSpace needs bounds of equal length with low <= high, got \(low) and \(high)")
        self.low = low
        self.high = high
    }

    /// The number of coordinates.
    public var dimension: Int { low.count }

    /// True when `values` has the right length, is finite where the bounds
    /// are, not NaN, and lies inside the bounds.
    public func contains(_ values: [Double]) -> Bool {
        values.count == low.count && values.indices.allSatisfy { i in
            !values[i].isNaN && values[i] >= low[i] && values[i] <= high[i]
        }
    }

    /// True when the observation lies inside the box.
    public func contains<V: ObservationVector>(_ observation: V) -> Bool {
        V.dimension == low.count && contains(observation.doubles)
    }

    /// A random point, as Gymnasium samples: uniform on bounded coordinates,
    /// standard normal on unbounded ones, and low + Exp(1) (or high - Exp(1))
    /// on half-bounded ones.
    public func sample(using generator: inout SeededGenerator) -> [Double] {
        (0..<low.count).map { i in
            switch (low[i].isFinite, high[i].isFinite) {
            case (true, true): return generator.uniform(low[i], high[i])
            case (false, false): return generator.normal()
            case (true, false): return low[i] - _logOfUniform(&generator)
            case (false, true): return high[i] + _logOfUniform(&generator)
            }
        }
    }

    /// For example "Box([-2.0], [2.0])".
    public var description: String { "Box(\(low), \(high))" }
}

/// log(u) for u uniform in (0, 1]: minus an Exp(1) sample.
private func _logOfUniform(_ generator: inout SeededGenerator) -> Double {
    log(1.0 - generator.nextDouble())
}
