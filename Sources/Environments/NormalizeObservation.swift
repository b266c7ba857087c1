/// Normalises observations by a running mean and variance (Gymnasium's
/// `NormalizeObservation`): each feature becomes (x - mean) / sqrt(var + 1e-8).
///
/// The statistics are updated with every observation (from `reset` and
/// `step`) before it is normalised, while `isUpdating` is true; freeze them
/// for evaluation. They start as mean 0, variance 1 with a pseudo-count of
/// 1e-4, and merge each new observation with the parallel-variance formula
/// (Chan et al.): with delta = x - mean and n the count,
/// mean' = mean + delta / (n + 1), var' = (n var + delta^2 n / (n + 1)) / (n + 1).
public struct NormalizeObservation<Base: Environment>: Environment where Base.Observation: ObservationVector {
    /// The wrapped environment.
    public var base: Base
    /// The running mean of each feature.
    public private(set) var mean: [Double]
    /// The running (population) variance of each feature.
    public private(set) var variance: [Double]
    /// The number of observations merged so far (plus 1e-4).
    public private(set) var count = 1e-4
    /// Whether new observations update the statistics.
    public var isUpdating = true
    /// Added to the variance before the square root.
    public let epsilon = 1e-8

    /// Wraps `base`.
    public init(_ base: Base) {
        self.base = base
        mean = Array(repeating: 0, count: Base.Observation.dimension)
        variance = Array(repeating: 1, count: Base.Observation.dimension)
    }

    /// Normalises `observation` with the current statistics (no update).
    public func normalize(_ observation: Base.Observation) -> Base.Observation {
        var out = observation
        for i in 0..<Base.Observation.dimension {
            out[i] = (observation[i] - mean[i]) / (variance[i] + epsilon).squareRoot()
        }
        return out
    }

    private mutating func update(_ observation: Base.Observation) {
        guard isUpdating else { return }
        let total = count + 1
        for i in 0..<Base.Observation.dimension {
            let delta = observation[i] - mean[i]
            mean[i] += delta / total
            variance[i] = (variance[i] * count + delta * delta * count / total) / total
        }
        count = total
    }

    /// Resets the base and returns its normalised first observation.
    public mutating func reset(seed: UInt64?) -> Base.Observation {
        let observation = base.reset(seed: seed)
        update(observation)
        return normalize(observation)
    }

    /// Steps the base and returns the normalised observation.
    public mutating func step(_ action: Base.Action) throws -> Step<Base.Observation> {
        var result = try base.step(action)
        update(result.observation)
        result.observation = normalize(result.observation)
        return result
    }
}

extension NormalizeObservation: Sendable where Base: Sendable {}
