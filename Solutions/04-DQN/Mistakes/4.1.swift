// The mistake catalogue of exercise 4.1 (dqnTargets, tdLoss): wrong bodies students
// write, each checked by `deeprl mistakes` to fail 4.1's tests with a message that
// names the misconception. Block 1 is dqnTargets, block 2 tdLoss.

// MISTAKE no-terminal-mask: bootstraps from terminal states
// WHY: the first target on the slides is r + gamma max Q'; the (1 - terminated) factor is the part students drop.
// EXPECT: bootstraps from a terminal state
// CHARGES: 4.7
    let nextQ = try withoutGradients { try target(batch.nextObservations) }
    return (batch.rewards + nextQ.max(alongAxis: 1) * batch.discounts).stopGradient()
// END MISTAKE

// MISTAKE truncation-as-terminal: treats a time limit as a terminal state
// WHY: older Gym had a single `done` flag, and many tutorials still mask with it.
// EXPECT: treats truncation as termination
// CHARGES: 4.7
    let nextQ = try withoutGradients { try target(batch.nextObservations) }
    let done = Tensor.maximum(batch.terminated, batch.truncated)
    return (batch.rewards + nextQ.max(alongAxis: 1) * batch.discounts * (1 - done)).stopGradient()
// END MISTAKE

// MISTAKE fixed-gamma: uses a fixed gamma instead of each transition's discount
// WHY: the lecture's formula has gamma; the per-transition discount (gamma^K for n-step transitions) is easy to overlook.
// EXPECT: ignores the transition's own discount
// CHARGES: 4.7
    let nextQ = try withoutGradients { try target(batch.nextObservations) }
    return (batch.rewards + 0.99 * nextQ.max(alongAxis: 1) * (1 - batch.terminated)).stopGradient()
// END MISTAKE

// MISTAKE target-not-constant: lets the gradient flow through the target
// WHY: without withoutGradients or stopGradient the target is just another recorded expression.
// EXPECT: the target must be a constant
    let nextQ = try target(batch.nextObservations)
    return batch.rewards + nextQ.max(alongAxis: 1) * batch.discounts * (1 - batch.terminated)
// END MISTAKE

// MISTAKE mean-over-actions: averages Q_target(s', .) instead of taking the max
// WHY: mean() is the reduction students use most; Q-learning needs the max (the greedy policy's value).
// EXPECT: not the mean or the min
// CHARGES: 4.7
    let nextQ = try withoutGradients { try target(batch.nextObservations) }
    return (batch.rewards + nextQ.mean(alongAxis: 1) * batch.discounts * (1 - batch.terminated)).stopGradient()
// END MISTAKE

// MISTAKE wrong-gather (block 2): regresses max_a Q(s, a) instead of the action taken
// WHY: the target has a max, so students put one on the prediction too.
// EXPECT: Q(s, a) is the online output at the action actually taken
// CHARGES: 4.7
    let q = try online(batch.observations).max(alongAxis: 1)
    let loss: Tensor
    switch kind {
    case .squared: loss = mseLoss(q, targets, weights: weights)
    case .huber(let delta): loss = huberLoss(q, targets, delta: delta, weights: weights)
    }
    return TDLossResult(loss: loss, predictions: q, tdErrors: zip(targets.scalars, q.scalars).map { $0 - $1 })
// END MISTAKE

// MISTAKE sum-not-mean (block 2): sums the losses of the batch
// WHY: a sum is what the equation's sigma looks like; the loss's scale then grows with the batch size.
// EXPECT: the mean over the batch, not the sum
    let q = try online(batch.observations).gather(batch.actionIndices)
    let squared = (q - targets).squared()
    let loss = (weights.map { squared * $0 } ?? squared).sum()
    return TDLossResult(loss: kind == .squared ? loss : huberLoss(q, targets, weights: weights) * Float(batch.count),
                        predictions: q, tdErrors: zip(targets.scalars, q.scalars).map { $0 - $1 })
// END MISTAKE

// MISTAKE weights-ignored (block 2): drops the importance weights
// WHY: the weights only matter with prioritised replay, so the uniform case passes without them.
// EXPECT: importance weights multiply each transition's loss
    let q = try online(batch.observations).gather(batch.actionIndices)
    let loss: Tensor
    switch kind {
    case .squared: loss = mseLoss(q, targets)
    case .huber(let delta): loss = huberLoss(q, targets, delta: delta)
    }
    return TDLossResult(loss: loss, predictions: q, tdErrors: zip(targets.scalars, q.scalars).map { $0 - $1 })
// END MISTAKE

// MISTAKE error-sign (block 2): reports Q(s, a) - y as the TD error
// WHY: "prediction minus target" is the usual residual; the lecture's delta is y - Q.
// EXPECT: tdErrors are y - Q(s, a)
    let q = try online(batch.observations).gather(batch.actionIndices)
    let loss: Tensor
    switch kind {
    case .squared: loss = mseLoss(q, targets, weights: weights)
    case .huber(let delta): loss = huberLoss(q, targets, delta: delta, weights: weights)
    }
    return TDLossResult(loss: loss, predictions: q, tdErrors: zip(targets.scalars, q.scalars).map { $1 - $0 })
// END MISTAKE
