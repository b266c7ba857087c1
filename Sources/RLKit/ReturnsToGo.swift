/// Discounted returns to go over a stream of steps, the shared version of
/// an idea taught in lesson 01 (returns) and lesson 05 (reward-to-go).
///
///     G_t = r_t + gamma (1 - done_t) G_{t+1}
///
/// computed backwards over one environment's steps, where `done` (terminated
/// or truncated) cuts the sum at each episode end, and `bootstrap` (V of
/// the state after the last step, 0 if unknown) starts it. Lesson 05 teaches
/// reward-to-go as an exercise: the course catalog lists this function as a
/// shared version that lesson 05's code must not name (docs/ARCHITECTURE.md,
/// "Shared versions of taught ideas").
///
/// - Throws: `InvalidArgument` for gamma outside [0, 1], lengths that differ
///   or a non-finite reward.
public func discountedReturnsToGo(rewards: [Double], dones: [Bool], gamma: Double, bootstrap: Double = 0) throws -> [Double] {
    let function = "discountedReturnsToGo"
    try Validate.inClosedRange(gamma, 0, 1, "gamma", in: function)
    guard rewards.count == dones.count else {
        throw InvalidArgument(function, "dones", "got \(dones.count) flags for \(rewards.count) rewards")
    }
    try Validate.allFinite(rewards, "rewards", in: function)
    try Validate.finite(bootstrap, "bootstrap", in: function)
    var returns = [Double](repeating: 0, count: rewards.count)
    var future = bootstrap
    for t in rewards.indices.reversed() {
        future = rewards[t] + (dones[t] ? 0 : gamma * future)
        returns[t] = future
    }
    return returns
}
