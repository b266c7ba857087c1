import Foundation

/// Policy distributions over a batch: every row is one state's distribution.
/// Log-probabilities and entropies are differentiable tensors of shape `[batch]`.
///
/// Parameters are validated when a distribution is made, as PyTorch's
/// distributions validate their arguments: NaN logits would otherwise sample
/// action 0 forever, a NaN mean would give NaN actions. A wrong rank is a
/// shape error (a trap); a bad value throws `InvalidArgument`.

/// A categorical distribution over K actions for each row of `logits` `[batch, K]`:
/// pi(a) = softmax(logits)_a.
public struct Categorical {
    /// The unnormalised log-probabilities, `[batch, K]`.
    public let logits: Tensor
    /// log pi(a) for every action, `[batch, K]` (logits minus logSumExp).
    public let logProbabilities: Tensor

    /// Creates the distributions for a batch of logits `[batch, K]`.
    ///
    /// - Throws: `InvalidArgument` for a NaN or +infinity logit, or a row
    ///   whose logits are all -infinity (-infinity alone masks an action out).
    public init(logits: Tensor) throws {
        check(logits.rank == 2 && logits.shape[1] > 0, "Categorical: logits must be [batch, actions] with at least one action, got shape \(logits.shape)")
        try logits.scalars.withUnsafeBufferPointer { x in
            let k = logits.shape[1]
            for row in 0..<logits.shape[0] {
                var possible = false
                for a in 0..<k {
                    let v = x[row &* k &+ a]
                    if v.isFinite { possible = true; continue }
                    if v.isNaN || v > 0 {
                        throw InvalidArgument("Categorical", "logits", "row \(row) holds \(v) at action \(a), expected finite logits (or -infinity to rule an action out)")
                    }
                }
                if !possible {
                    throw InvalidArgument("Categorical", "logits", "row \(row) is -infinity everywhere, expected at least one possible action")
                }
            }
        }
        self.logits = logits
        logProbabilities = logits.logSoftmax()
    }

    /// The probabilities pi(a), `[batch, K]`.
    public var probabilities: Tensor { logProbabilities.exp() }

    /// The most likely action of every row.
    public var mode: [Int] { logits.argmax() }

    /// One sampled action per row.
    public func sample(using generator: inout SeededGenerator) -> [Int] {
        let k = logits.shape[1]
        let p = logProbabilities.scalars
        return (0..<logits.shape[0]).map { row in
            generator.categorical((0..<k).map { Double(Foundation.exp(p[row * k + $0])) })
        }
    }

    /// log pi(a_i) for the given action of every row, `[batch]`.
    public func logProbability(of actions: [Int]) -> Tensor { logProbabilities.gather(actions) }

    /// The entropy H = -sum_a pi(a) log pi(a) of every row, `[batch]`.
    public func entropy() -> Tensor { -(probabilities * logProbabilities).sum(alongAxis: -1) }
}

/// Independent normal distributions per action dimension:
/// x_d ~ N(mean_d, exp(logStandardDeviation_d)^2).
public struct DiagonalGaussian {
    /// The means, `[batch, D]`.
    public let mean: Tensor
    /// The log standard deviations, broadcastable to `[batch, D]` (e.g. `[D]`).
    public let logStandardDeviation: Tensor

    /// Creates the distributions.
    ///
    /// - Throws: `InvalidArgument` for a non-finite mean or log standard
    ///   deviation (a standard deviation of 0 or infinity).
    public init(mean: Tensor, logStandardDeviation: Tensor) throws {
        check(mean.rank == 2, "DiagonalGaussian: mean must be [batch, dimensions], got shape \(mean.shape)")
        checked { _ = try Shapes.broadcast(mean.shape, logStandardDeviation.shape, operation: "DiagonalGaussian") }
        try Validate.allFinite(mean.scalars, "mean", in: "DiagonalGaussian")
        try Validate.allFinite(logStandardDeviation.scalars, "logStandardDeviation", in: "DiagonalGaussian")
        self.mean = mean
        self.logStandardDeviation = logStandardDeviation
    }

    /// Creates the distributions from standard deviations (all > 0).
    ///
    /// - Throws: `InvalidArgument` for a non-finite mean, or a standard
    ///   deviation that is not a finite number > 0.
    public init(mean: Tensor, standardDeviation: Tensor) throws {
        if let bad = standardDeviation.scalars.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw InvalidArgument("DiagonalGaussian", "standardDeviation", "got \(bad), expected finite numbers > 0")
        }
        try self.init(mean: mean, logStandardDeviation: standardDeviation.log())
    }

    /// The standard deviations, broadcast to the mean's shape.
    public var standardDeviation: Tensor { (logStandardDeviation + Tensor.zeros(mean.shape)).exp() }

    /// A reparameterised sample x = mean + sigma * epsilon with epsilon ~ N(0, I):
    /// gradients flow to the mean and the standard deviation.
    public func sample(using generator: inout SeededGenerator) -> Tensor {
        mean + standardDeviation * Tensor.normal(mean.shape, using: &generator)
    }

    /// log N(x) summed over dimensions, `[batch]`:
    /// sum_d -((x_d - mu_d) / sigma_d)^2 / 2 - log sigma_d - log(2 pi) / 2.
    public func logProbability(of x: Tensor) -> Tensor {
        let z = (x - mean) / standardDeviation
        let halfLogTwoPi = Float(0.5 * Foundation.log(2 * Double.pi))
        return (z.squared() * -0.5 - (logStandardDeviation + Tensor.zeros(mean.shape)) - halfLogTwoPi).sum(alongAxis: -1)
    }

    /// The entropy sum_d (log sigma_d + log(2 pi e) / 2), `[batch]`.
    public func entropy() -> Tensor {
        let halfLogTwoPiE = Float(0.5 * Foundation.log(2 * Double.pi * M_E))
        return ((logStandardDeviation + Tensor.zeros(mean.shape)) + halfLogTwoPiE).sum(alongAxis: -1)
    }
}

/// A tanh-squashed Gaussian (the SAC policy): u ~ N(mean, sigma^2),
/// action = scale * tanh(u), with the change-of-variables correction
///
///     log pi(a) = log N(u) - sum_d log(scale * (1 - tanh(u_d)^2) + epsilon)
///
/// (with scale 1 this is log N(u) - sum log(1 - tanh(u)^2 + epsilon)).
public struct SquashedGaussian {
    /// The Gaussian before squashing.
    public let base: DiagonalGaussian
    /// Half the action range: actions lie in (-scale, scale).
    public let scale: Float
    /// Keeps the logarithm finite where tanh saturates.
    public let epsilon: Float

    /// Creates the distributions.
    ///
    /// - Throws: `InvalidArgument` for a non-finite mean or log standard
    ///   deviation, a scale that is not > 0, or an epsilon below 0.
    public init(mean: Tensor, logStandardDeviation: Tensor, scale: Float = 1, epsilon: Float = 1e-6) throws {
        try Validate.positive(scale, "scale", in: "SquashedGaussian")
        try Validate.nonNegative(epsilon, "epsilon", in: "SquashedGaussian")
        base = try DiagonalGaussian(mean: mean, logStandardDeviation: logStandardDeviation)
        self.scale = scale
        self.epsilon = epsilon
    }

    /// A reparameterised action and its log-probability `[batch]`.
    public func sample(using generator: inout SeededGenerator) -> (action: Tensor, logProbability: Tensor) {
        let u = base.sample(using: &generator)
        let squashed = u.tanh()
        let correction = ((1 - squashed.squared()) * scale + epsilon).log().sum(alongAxis: -1)
        return (squashed * scale, base.logProbability(of: u) - correction)
    }

    /// The deterministic action scale * tanh(mean) (for evaluation).
    public var mode: Tensor { base.mean.tanh() * scale }
}

/// KL(p || q) = sum_a p(a) (log p(a) - log q(a)) for every row, `[batch]`.
public func klDivergence(_ p: Categorical, _ q: Categorical) -> Tensor {
    (p.probabilities * (p.logProbabilities - q.logProbabilities)).sum(alongAxis: -1)
}

/// KL(p || q) between diagonal Gaussians, summed over dimensions, `[batch]`:
/// sum_d log(sigma_q / sigma_p) + (sigma_p^2 + (mu_p - mu_q)^2) / (2 sigma_q^2) - 1/2.
public func klDivergence(_ p: DiagonalGaussian, _ q: DiagonalGaussian) -> Tensor {
    let sp = p.standardDeviation, sq = q.standardDeviation
    let logRatio = (q.logStandardDeviation + Tensor.zeros(q.mean.shape)) - (p.logStandardDeviation + Tensor.zeros(p.mean.shape))
    return (logRatio + (sp.squared() + (p.mean - q.mean).squared()) / (sq.squared() * 2) - 0.5).sum(alongAxis: -1)
}
