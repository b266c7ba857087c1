// The mistake catalogue of exercise 4.6 (PrioritizedReplay.sample,
// updatePriorities). Block 1 is sample, block 2 updatePriorities.

// MISTAKE alpha-ignored (block 2): stores |delta| + epsilon without the power alpha
// WHY: the tree holds "the priority"; that the stored number is p^alpha is easy to lose.
// EXPECT: raise to alpha
        for (slot, delta) in zip(indices, tdErrors) {
            let p = Double(Swift.abs(delta)) + epsilon
            maxPriority = Swift.max(maxPriority, p)
            try tree.update(slot, priority: p)
        }
// END MISTAKE

// MISTAKE no-epsilon (block 2): uses |delta| alone
// WHY: epsilon looks like numerical decoration, but without it a transition with delta = 0 is never replayed again.
// EXPECT: add epsilon
        for (slot, delta) in zip(indices, tdErrors) {
            let p = Double(Swift.abs(delta))
            maxPriority = Swift.max(maxPriority, p)
            try tree.update(slot, priority: Foundation.pow(p, alpha))
        }
// END MISTAKE

// MISTAKE signed-error (block 2): uses the signed TD error
// WHY: the TD error is what tdLoss returns; its size, not its sign, is the priority.
// EXPECT: use the absolute value
// CHARGES: 4.7
        for (slot, delta) in zip(indices, tdErrors) {
            let p = Double(delta) + epsilon
            maxPriority = Swift.max(maxPriority, p)
            try tree.update(slot, priority: Foundation.pow(Swift.max(p, 0), alpha))
        }
// END MISTAKE

// MISTAKE stale-max-priority (block 2): never raises maxPriority
// WHY: maxPriority is only read when a transition is added, so its upkeep here is easy to forget.
// EXPECT: update maxPriority
        for (slot, delta) in zip(indices, tdErrors) {
            let p = Double(Swift.abs(delta)) + epsilon
            try tree.update(slot, priority: Foundation.pow(p, alpha))
        }
// END MISTAKE

// MISTAKE not-stratified: draws every prefix sum from the whole range
// WHY: one uniform draw per sample is the simplest correct-looking sampler.
// EXPECT: draw one prefix sum in each
        let total = tree.total
        var slots: [Int] = []
        for _ in 0..<batchSize { slots.append(try tree.find(prefixSum: generator.nextDouble() * total)) }
        let n = Double(buffer.count)
        let raw = slots.map { Foundation.pow(n * tree.priority(at: $0) / total, -beta) }
        let largest = raw.max()!
        return (try buffer.batch(at: slots), Tensor(raw.map { Float($0 / largest) }))
// END MISTAKE

// MISTAKE unnormalised-weights: returns (N P(i))^-beta without dividing by the largest
// WHY: the formula in the paper is written before the normalisation sentence.
// EXPECT: normalised by the batch's largest
        let total = tree.total
        let segment = total / Double(batchSize)
        var slots: [Int] = []
        for i in 0..<batchSize {
            slots.append(try tree.find(prefixSum: Swift.min((Double(i) + generator.nextDouble()) * segment, total)))
        }
        let n = Double(buffer.count)
        let raw = slots.map { Foundation.pow(n * tree.priority(at: $0) / total, -beta) }
        return (try buffer.batch(at: slots), Tensor(raw.map { Float($0) }))
// END MISTAKE

// MISTAKE positive-beta: uses (N P(i))^beta
// WHY: the minus sign of the exponent is small on the page.
// EXPECT: the exponent is -beta
        let total = tree.total
        let segment = total / Double(batchSize)
        var slots: [Int] = []
        for i in 0..<batchSize {
            slots.append(try tree.find(prefixSum: Swift.min((Double(i) + generator.nextDouble()) * segment, total)))
        }
        let n = Double(buffer.count)
        let raw = slots.map { Foundation.pow(n * tree.priority(at: $0) / total, beta) }
        let largest = raw.max()!
        return (try buffer.batch(at: slots), Tensor(raw.map { Float($0 / largest) }))
// END MISTAKE
