import CourseKit
import Environments
import RLKit

/// Which form of the behaviour-cloning loss a policy is fitted with (notes,
/// section 2).
public enum BCLoss: Sendable, Equatable {
    /// Regression: the policy outputs an action and is fitted by the squared
    /// error (`regressionLoss`). Continuous actions only.
    case regression
    /// Maximum likelihood: the policy outputs a distribution and is fitted by
    /// the negative log-likelihood of the expert's actions: categorical for
    /// discrete actions (`categoricalNegativeLogLikelihood`), a Gaussian with a
    /// learned standard deviation per coordinate for continuous ones
    /// (`gaussianNegativeLogLikelihood`).
    case maximumLikelihood
}

/// The learner: a network from observations to K logits (discrete actions)
/// or D action means (continuous ones), with a learned log standard deviation
/// per coordinate for a Gaussian policy. Observations are standardised first,
/// x' = (x - shift) / scale, with a shift and scale fixed when the policy is
/// made (the training set's mean and standard deviation); they are saved with
/// the weights but never trained.
///
/// It acts greedily: the most likely action, or the mean (clipped to the
/// action box by the environment).
public final class ImitationPolicy: Module {
    /// The actions it chooses among.
    public let actionKind: ActionKind
    /// The loss it is fitted with.
    public let loss: BCLoss
    /// observation -> logits or means.
    public let network: MLP
    /// log sigma per action coordinate, `[D]` (trained for a Gaussian policy only).
    public let logStandardDeviation: Tensor
    /// The standardisation of observations: shift and scale, `[observationSize]`.
    public let observationShift: Tensor, observationScale: Tensor

    /// Creates an untrained policy.
    ///
    /// - Parameters:
    ///   - standardisation: the mean and standard deviation of each
    ///     observation feature (nil: none); a deviation of 0 counts as 1.
    /// - Throws: `InvalidArgument` for regression with discrete actions, bad
    ///   sizes, or a standardisation of the wrong length.
    public init(observationSize: Int, actionKind: ActionKind, loss: BCLoss, hiddenSizes: [Int],
                activation: Activation, standardisation: (mean: [Float], deviation: [Float])? = nil,
                using generator: inout SeededGenerator) throws {
        let function = "ImitationPolicy"
        try Validate.count(observationSize, "observationSize", in: function)
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes", "got \(hiddenSizes), expected layers of width >= 1")
        }
        let outputs: Int
        switch actionKind {
        case .discrete(let count):
            try Validate.count(count, "actionKind", in: function)
            guard loss == .maximumLikelihood else {
                throw InvalidArgument(function, "loss", "regression needs continuous actions; a discrete policy is "
                                      + "fitted by maximum likelihood (a categorical policy)")
            }
            outputs = count
        case .continuous(let low, let high):
            guard !low.isEmpty, low.count == high.count else {
                throw InvalidArgument(function, "actionKind",
                                      "has bounds \(low) and \(high), expected one bound per coordinate")
            }
            outputs = low.count
        }
        var shift = [Float](repeating: 0, count: observationSize)
        var scale = [Float](repeating: 1, count: observationSize)
        if let standardisation {
            guard standardisation.mean.count == observationSize,
                  standardisation.deviation.count == observationSize else {
                throw InvalidArgument(function, "standardisation", "has \(standardisation.mean.count) means and "
                                      + "\(standardisation.deviation.count) deviations for \(observationSize) features")
            }
            try Validate.allFinite(standardisation.mean + standardisation.deviation, "standardisation", in: function)
            shift = standardisation.mean
            scale = standardisation.deviation.map { $0 > 0 ? $0 : 1 }
        }
        self.actionKind = actionKind
        self.loss = loss
        network = MLP([observationSize] + hiddenSizes + [outputs], activation: activation, using: &generator)
        let width = actionKind.rowWidth
        logStandardDeviation = Tensor(shape: [width], scalars: [Float](repeating: 0, count: width),
                                      requiresGradient: true)
        observationShift = Tensor(shape: [observationSize], scalars: shift)
        observationScale = Tensor(shape: [observationSize], scalars: scale)
    }

    /// The number of numbers in an observation.
    public var observationSize: Int { network.sizes[0] }

    /// Every tensor, trained or not, by name (what a checkpoint holds).
    public var namedParameters: [(name: String, tensor: Tensor)] {
        network.namedParameters + [("log standard deviation", logStandardDeviation),
                                   ("observation shift", observationShift), ("observation scale", observationScale)]
    }

    /// The tensors an optimiser trains: the network's, and log sigma for a
    /// Gaussian policy.
    public var trainableParameters: [Tensor] {
        isGaussian ? network.parameters + [logStandardDeviation] : network.parameters
    }

    /// True for a continuous policy fitted by maximum likelihood.
    public var isGaussian: Bool {
        if case .continuous = actionKind { return loss == .maximumLikelihood }
        return false
    }

    /// The network's outputs for a batch `[N, observationSize]`: logits
    /// `[N, K]` or means `[N, D]`.
    public func callAsFunction(_ observations: Tensor) -> Tensor {
        network((observations - observationShift) / observationScale)
    }

    /// The behaviour-cloning loss of the policy on a minibatch: the expert's
    /// actions `[N, actionSize]` (discrete ones as indices) under the loss
    /// the policy was made with (exercises 9.2 and 9.3).
    public func loss(observations: Tensor, actions: Tensor) throws -> Tensor {
        let outputs = self(observations)
        switch (actionKind, loss) {
        case (.discrete, _):
            return try categoricalNegativeLogLikelihood(logits: outputs, actions: actions.scalars.map { Int($0) })
        case (.continuous, .regression):
            return try regressionLoss(predictions: outputs, targets: actions)
        case (.continuous, .maximumLikelihood):
            return try gaussianNegativeLogLikelihood(mean: outputs, logStandardDeviation: logStandardDeviation,
                                                     actions: actions)
        }
    }

    /// The greedy action of every row of `observations`, as data-set rows:
    /// the most likely action's index, or the mean clipped to the box.
    public func actionRows(_ observations: Tensor) -> [[Float]] {
        let outputs = withoutGradients { self(observations) }
        switch actionKind {
        case .discrete:
            return outputs.argmax(alongAxis: 1).map { [Float($0)] }
        case .continuous(let low, let high):
            return outputs.arrayRows.map { row in
                row.indices.map { Swift.min(Swift.max(row[$0], Float(low[$0])), Float(high[$0])) }
            }
        }
    }

    /// The greedy action in `observation`, as `env`'s action.
    public func greedyAction<E: ImitationEnvironment>(_ observation: E.Observation, in env: E) -> E.Action {
        env.action(from: actionRows(Tensor(shape: [1, E.Observation.dimension], scalars: observation.floats))[0])
    }

    /// How far the greedy policy is from the labels of `data`: for discrete
    /// actions the fraction of rows whose greedy action differs from the
    /// label (the error rate), for continuous ones the mean Euclidean distance
    /// between the greedy action and the label.
    ///
    /// - Throws: `InvalidArgument` for empty data or data of other sizes.
    public func actionError(on data: Demonstrations) throws -> Double {
        try checkDemonstrations(data, observationSize: observationSize, actionKind: actionKind,
                                in: "ImitationPolicy.actionError(on:)")
        let chosen = actionRows(data.observationTensor())
        var total = 0.0
        for (i, row) in chosen.enumerated() {
            let label = data.action(at: i)
            switch actionKind {
            case .discrete: total += row[0] == label[0] ? 0 : 1
            case .continuous:
                total += zip(row, label).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
            }
        }
        return total / Double(data.count)
    }
}

/// The greedy policy's returns over `episodes` episodes, episode i in
/// `make(seed + i)` reset with seed `seed + i` (RLKit's `evaluatePolicy`).
public func evaluateGreedy<E: ImitationEnvironment>(_ policy: ImitationPolicy, episodes: Int, seed: UInt64,
                                                    make: @escaping (UInt64) throws -> E) throws -> EvaluationResult {
    let env = try make(seed)
    return try evaluatePolicy(episodes: episodes, seed: seed, make: { try make(seed &+ UInt64($0)) }) { observations in
        policy.actionRows(observations).map { env.action(from: $0) }
    }
}
