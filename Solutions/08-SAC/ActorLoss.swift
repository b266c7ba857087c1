import CourseKit
import RLKit

/// The actor's loss on a minibatch of observations, and what the temperature needs from it.
public struct ActorLossResult {
    /// mean_i (alpha log pi(a~_i | s_i) - min_j Q_j(s_i, a~_i)), the scalar to differentiate.
    public var loss: Tensor
    /// log pi(a~_i | s_i) of the sampled actions, `[batch]`, as constants (the temperature's loss reads them).
    public var logProbabilities: Tensor
    /// The policy's entropy estimated on the batch, -mean_i log pi(a~_i | s_i).
    public var entropy: Float

    /// Creates a result.
    public init(loss: Tensor, logProbabilities: Tensor, entropy: Float) {
        self.loss = loss
        self.logProbabilities = logProbabilities
        self.entropy = entropy
    }
}

/// The SAC actor's loss,
///
///     a~_i = tanh(mu(s_i) + sigma(s_i) epsilon_i)        (reparameterised, sampled now)
///     L = mean_i (alpha log pi(a~_i | s_i) - min_j Q_j(s_i, a~_i)),
///
/// whose gradient reaches the policy's parameters along two paths: through
/// the action into the critics (the reparameterisation trick: raise the soft
/// value by moving the action) and through log pi (the entropy term). The
/// critics are only read: the caller freezes their parameters
/// (`setRequiresGradient(false)`) until the actor's optimiser has stepped,
/// so that this loss moves the policy and nothing else.
///
/// - Parameters:
///   - observations: s, `[batch, observationSize]` (from the replay buffer).
///   - alpha: the entropy temperature (0: no entropy term).
/// - Throws: `InvalidArgument` for a negative or non-finite alpha, or networks that do not fit the observations.
public func actorLoss(policy: some StochasticPolicy, critics: TwinCritics, observations: Tensor, alpha: Float,
                      using generator: inout SeededGenerator) throws -> ActorLossResult {
    let function = "actorLoss(policy:critics:observations:alpha:using:)"
    try validate(policy: policy, critics: critics, observations: observations, in: function)
    try Validate.nonNegative(alpha, "alpha", in: function)
    // BEGIN SOLUTION 8.4: mean(alpha log pi(a~|s) - min_j Q_j(s, a~)) through a reparameterised a~ (notes, section 5)
    let sample = try policy.sample(observations, using: &generator)
    let q = Tensor.minimum(critics.q1(observations, sample.action), critics.q2(observations, sample.action))
    let loss = (alpha * sample.logProbability - q).mean()
    let logProbabilities = sample.logProbability.stopGradient()
    return ActorLossResult(loss: loss, logProbabilities: logProbabilities, entropy: -logProbabilities.mean().scalar)
    // END SOLUTION
}
