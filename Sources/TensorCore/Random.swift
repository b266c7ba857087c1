/// The one seeded random number generator of the course.
///
/// Every module (tensor initialisation, environments, exploration, replay
/// sampling) draws from this generator, so a seed gives the same numbers on
/// every machine and every run.
///
/// The state advances with SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit
/// counter incremented by the golden-ratio constant and scrambled by two
/// multiply-xorshift rounds. It passes BigCrush, needs one word of state and
/// is cheap enough to call in the innermost loops.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The current internal state; two generators with equal state produce
    /// equal sequences.
    public var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 uniformly distributed bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform `Double` in `[low, high)`.
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextDouble()
    }

    /// A uniform integer in `0..<count` (unbiased, by rejection).
    ///
    /// - Precondition: `count > 0`.
    @inlinable
    public mutating func nextInt(below count: Int) -> Int {
        check(count > 0, "nextInt(below:) needs a positive count, got \(count)")
        return Int(next(upperBound: UInt64(count)))
    }

    /// A standard normal sample N(0, 1) by the Box-Muller transform.
    ///
    /// Uses two uniforms per call (the second Box-Muller value is discarded so
    /// that the sequence does not depend on a hidden cache).
    @inlinable
    public mutating func normal() -> Double {
        let u1 = 1.0 - nextDouble()  // in (0, 1], so log(u1) is finite
        let u2 = nextDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// A normal sample with the given mean and standard deviation.
    @inlinable
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// An index drawn with the given probabilities (which should sum to 1; any
    /// rounding shortfall falls on the last index with positive probability).
    ///
    /// - Complexity: O(n).
    @inlinable
    public mutating func categorical(_ probabilities: [Double]) -> Int {
        check(!probabilities.isEmpty, "categorical: needs at least one probability, got an empty list")
        let u = nextDouble()
        var cumulative = 0.0
        var last = 0
        for (index, p) in probabilities.enumerated() where p > 0 {
            cumulative += p
            last = index
            if u < cumulative { return index }
        }
        return last
    }
}

@usableFromInline func _log(_ x: Double) -> Double { Foundation.log(x) }

@usableFromInline func _cos(_ x: Double) -> Double { Foundation.cos(x) }

import Foundation
