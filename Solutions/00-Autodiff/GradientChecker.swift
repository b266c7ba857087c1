import CourseKit

/// What a finite-difference check found: for every coordinate i, the gradient under test
/// (`analytic`), the central-difference estimate (`numeric`) and their error.
public struct FiniteDifferenceReport: Sendable, Equatable, CustomStringConvertible {
    /// The gradient being checked, one entry per coordinate.
    public var analytic: [Double]
    /// The central differences (f(x + h e_i) - f(x - h e_i)) / 2h.
    public var numeric: [Double]
    /// |analytic_i - numeric_i| / (1 + |numeric_i|) per coordinate (NaN when either is NaN).
    public var errors: [Double]
    /// The coordinates whose error is not <= `tolerance` (NaN errors included), in order.
    public var mismatches: [Int]
    /// The largest error accepted.
    public var tolerance: Double

    /// Creates a report from its parts.
    public init(analytic: [Double], numeric: [Double], errors: [Double], mismatches: [Int], tolerance: Double) {
        self.analytic = analytic
        self.numeric = numeric
        self.errors = errors
        self.mismatches = mismatches
        self.tolerance = tolerance
    }

    /// True when every coordinate agreed within the tolerance.
    public var passed: Bool { mismatches.isEmpty }

    public var description: String {
        guard let first = mismatches.first else {
            let largest = errors.reduce(0) { Swift.max($0, $1) }
            return "gradient check passed (\(errors.count) coordinates, largest error \(largest))"
        }
        return "gradient check failed at \(mismatches.count) of \(errors.count) coordinates; first: coordinate "
            + "\(first): analytic \(analytic[first]), numeric \(numeric[first])"
    }
}

/// Checks a gradient against central finite differences, in Double precision.
///
/// For every coordinate i,
/// ```math
/// \text{numeric}_i = \frac{f(x + h e_i) - f(x - h e_i)}{2h},
/// \qquad
/// \text{error}_i = \frac{\lvert \text{analytic}_i - \text{numeric}_i \rvert}{1 + \lvert \text{numeric}_i \rvert},
/// ```
/// where e_i moves coordinate i alone. The central difference is off by O(h^2) (a one-sided one
/// by O(h)); rounding adds about 1e-16 |f| / h, so h must not be too small either (notes, section 6).
/// A coordinate is a mismatch unless its error is <= `tolerance`: a NaN error (a NaN gradient) is
/// one.
///
/// - Parameters:
///   - f: the function, called twice per coordinate.
///   - x: the point.
///   - analytic: the gradient to check, one entry per coordinate of `x`.
///   - step: h, > 0.
///   - tolerance: the largest accepted error, >= 0.
/// - Returns: the report; `x` is passed to `f` with one coordinate moved at a time.
/// - Throws: `InvalidArgument` for a step that is not a finite number > 0, a negative or non-finite
///   tolerance, a point with a non-finite coordinate, or a gradient of another length than `x`;
///   whatever `f` throws.
/// - Complexity: 2 n calls of `f` for n coordinates.
public func finiteDifferenceCheck(_ f: ([Double]) throws -> Double, at x: [Double], analytic: [Double],
                                  step: Double = 1e-5, tolerance: Double = 1e-6) throws -> FiniteDifferenceReport {
    try Validate.positive(step, "step", in: "finiteDifferenceCheck")
    try Validate.nonNegative(tolerance, "tolerance", in: "finiteDifferenceCheck")
    try Validate.allFinite(x, "x", in: "finiteDifferenceCheck")
    guard analytic.count == x.count else {
        throw InvalidArgument("finiteDifferenceCheck", "analytic",
                              "has \(analytic.count) entries for a point of \(x.count) coordinates")
    }
    // BEGIN SOLUTION 0.4: central differences per coordinate, their errors, and every mismatch (NaN too)
    var numeric: [Double] = []
    var errors: [Double] = []
    var mismatches: [Int] = []
    var point = x
    for i in x.indices {
        point[i] = x[i] + step
        let up = try f(point)
        point[i] = x[i] - step
        let down = try f(point)
        point[i] = x[i]
        let estimate = (up - down) / (2 * step)
        let error = Swift.abs(analytic[i] - estimate) / (1 + Swift.abs(estimate))
        numeric.append(estimate)
        errors.append(error)
        if !(error <= tolerance) { mismatches.append(i) }
    }
    return FiniteDifferenceReport(analytic: analytic, numeric: numeric, errors: errors, mismatches: mismatches,
                                  tolerance: tolerance)
    // END SOLUTION
}

/// Checks the scalar engine on a function of several values: runs `f` on leaves made from `x`,
/// differentiates it with `backward()` (exercise 0.3), and compares those gradients with
/// `finiteDifferenceCheck` (exercise 0.4) of the same function on plain numbers.
///
///     let report = try checkValueGradients(at: [0.5, -1]) { v in try v[0].times(v[1]).tanh() }
public func checkValueGradients(at x: [Double], step: Double = 1e-5, tolerance: Double = 1e-6,
                                of f: ([Value]) throws -> Value) throws -> FiniteDifferenceReport {
    let leaves = x.map { Value($0) }
    try f(leaves).backward()
    return try finiteDifferenceCheck({ point in try f(point.map { Value($0) }).data }, at: x,
                                     analytic: leaves.map(\.grad), step: step, tolerance: tolerance)
}
