import CourseKit
import RLKit

/// The mean-return baseline: one constant, the average of the returns of
/// every step of every episode of the batch,
///
///     b = (1 / sum_i T_i) sum_i sum_t G_{i,t}.
///
/// Averaged over steps, not over episodes: a long episode has more actions,
/// and its returns weigh accordingly (notes, section 5).
///
/// - Parameter returns: one list of returns per episode (reward-to-go or
///   full returns).
/// - Throws: `InvalidArgument` for no episode, an empty episode or a
///   non-finite return.
public func meanReturnBaseline(_ returns: [[Double]]) throws -> Double {
    try validateEpisodes(returns, "returns", in: "meanReturnBaseline(_:)")
    // BEGIN SOLUTION 5.4: b = the average return over every step of every episode (notes, section 5)
    var total = 0.0, steps = 0
    for episode in returns {
        total += episode.reduce(0, +)
        steps += episode.count
    }
    return total / Double(steps)
    // END SOLUTION
}

/// A learned state-value baseline b(s) = V_phi(s): a small network (the
/// critic) regressed on the returns that followed each state. It depends on
/// the state only, never on the action taken there, so subtracting it keeps
/// the policy gradient unbiased (notes, section 5).
public struct ValueBaseline {
    /// V_phi: observations `[steps, observationSize]` to values `[steps, 1]`.
    public let critic: MLP
    /// Adam on the critic's parameters.
    public let optimizer: Adam

    /// A baseline around an existing critic (one output).
    ///
    /// - Throws: `InvalidArgument` for a critic with more than one output or
    ///   a bad learning rate.
    public init(critic: MLP, learningRate: Float) throws {
        guard critic.sizes[critic.sizes.count - 1] == 1 else {
            throw InvalidArgument("ValueBaseline", "critic", "has \(critic.sizes.last!) outputs, expected 1 (V(s))")
        }
        self.critic = critic
        optimizer = try Adam(parameters: critic.parameters, learningRate: learningRate)
    }

    /// A baseline with a fresh tanh critic `[observationSize] + hiddenSizes + [1]`.
    ///
    /// - Throws: `InvalidArgument` for a bad size or learning rate.
    public init(observationSize: Int, hiddenSizes: [Int], learningRate: Float,
                using generator: inout SeededGenerator) throws {
        try Validate.count(observationSize, "observationSize", in: "ValueBaseline")
        guard hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument("ValueBaseline", "hiddenSizes", "got \(hiddenSizes), expected widths >= 1")
        }
        try self.init(critic: MLP([observationSize] + hiddenSizes + [1], activation: .tanh, using: &generator),
                      learningRate: learningRate)
    }

    /// V(s_t) for every row of `observations` `[steps, observationSize]`,
    /// computed without recording a graph: baselines are constants of the
    /// policy's loss.
    ///
    /// - Throws: `InvalidArgument` for observations of the wrong width.
    public func values(_ observations: Tensor) throws -> [Double] {
        try check(observations, in: "ValueBaseline.values(_:)")
        return withoutGradients { critic(observations) }.scalars.map(Double.init)
    }

    /// One regression step of the critic on the returns that followed each
    /// state: one Adam step on
    ///
    ///     L(phi) = (1 / T) sum_t (V_phi(s_t) - G_t)^2
    ///
    /// with gradients of this loss alone.
    ///
    /// - Parameters:
    ///   - observations: s_t, `[steps, observationSize]`.
    ///   - returns: G_t, one per row.
    /// - Returns: L before the step.
    /// - Throws: `InvalidArgument` for observations of the wrong width, a
    ///   different number of returns, or a non-finite return.
    @discardableResult
    public func fit(observations: Tensor, returns: [Double]) throws -> Double {
        let function = "ValueBaseline.fit(observations:returns:)"
        try check(observations, in: function)
        guard returns.count == observations.shape[0] else {
            throw InvalidArgument(function, "returns", "got \(returns.count) for \(observations.shape[0]) observations")
        }
        try Validate.allFinite(returns, "returns", in: function)
        // BEGIN SOLUTION 5.4: one Adam step on the mean squared error of V(s_t) against G_t (notes, section 5)
        let predictions = critic(observations).reshaped(to: [returns.count])        // V(s_t), [steps]
        let loss = mseLoss(predictions, Tensor(returns.map(Float.init)))
        optimizer.zeroGradients()                                                   // this loss's gradients only
        loss.backward()
        optimizer.step()
        return Double(loss.scalar)
        // END SOLUTION
    }

    /// Checks that `observations` is `[steps >= 1, inputs]` for the critic.
    func check(_ observations: Tensor, in function: String) throws {
        guard observations.rank == 2, observations.shape[0] > 0, observations.shape[1] == critic.sizes[0] else {
            throw InvalidArgument(function, "observations", "has shape \(observations.shape), expected [steps >= 1, "
                                  + "\(critic.sizes[0])]")
        }
    }
}
