import Foundation

/// Means, variances and standardisation, along an axis of a tensor (for
/// advantage normalisation, differentiable) or of a list of returns (for
/// reports).
extension Tensor {
    /// The variance along `axis` (all scalars when nil):
    /// mean((x - mean(x))^2), divided by n - 1 instead of n when `unbiased`
    /// (PyTorch's `var`, whose default is unbiased).
    ///
    /// Differentiable: built from the core's operations.
    public func variance(alongAxis axis: Int? = nil, keepingDimensions: Bool = false, unbiased: Bool = true) -> Tensor {
        let n = axis.map { shape[$0 < 0 ? $0 + rank : $0] } ?? count
        let centred = self - mean(alongAxis: axis, keepingDimensions: true)
        let divisor = Float(Swift.max(unbiased ? n - 1 : n, 1))
        return centred.squared().sum(alongAxis: axis, keepingDimensions: keepingDimensions) / divisor
    }

    /// (x - mean) / (std + epsilon) along `axis` (all scalars when nil), with
    /// the unbiased standard deviation, as CleanRL normalises advantages.
    public func standardized(alongAxis axis: Int? = nil, epsilon: Float = 1e-8) -> Tensor {
        let centred = self - mean(alongAxis: axis, keepingDimensions: true)
        let std = variance(alongAxis: axis, keepingDimensions: true, unbiased: true).sqrt()
        return centred / (std + epsilon)
    }
}

/// Mean, standard deviation and range of a list of numbers (returns of
/// evaluation episodes, the final returns of a seed sweep).
public struct Summary: Sendable, Equatable, CustomStringConvertible {
    /// How many values.
    public var count: Int
    /// Their mean (NaN for none).
    public var mean: Double
    /// Their population standard deviation (divided by n; 0 for one value).
    public var standardDeviation: Double
    /// The smallest and largest value.
    public var minimum: Double, maximum: Double
    /// The median (the mean of the middle two for an even count).
    public var median: Double

    /// Summarises `values`.
    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else {
            mean = .nan; standardDeviation = .nan; minimum = .nan; maximum = .nan; median = .nan
            return
        }
        mean = values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
        let sorted = values.sorted()
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    public var description: String {
        String(format: "mean %.2f ± %.2f (min %.2f, median %.2f, max %.2f, n = %d)", mean, standardDeviation, minimum, median, maximum, count)
    }
}
