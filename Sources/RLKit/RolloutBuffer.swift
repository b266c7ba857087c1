/// On-policy rollout storage for N environments stepped together for T steps
/// (the batch of one PPO or A2C iteration).
///
/// Entry `[t, e]` is what environment `e` did at step `t`: the observation it
/// acted on, the action, log pi(a | s) under the policy that acted, the value
/// estimate V(s), the reward, and the two end flags of that step. When a
/// time limit truncated an episode, `truncationValues[t, e]` holds V of the
/// final observation (the bootstrap that a truncated episode still gets;
/// the environment has already reset, so it cannot be read from the next
/// row). Everything is stored row-major, time first.
///
///     var rollout = try RolloutBuffer(steps: 128, environments: 4, observationSize: 4)
///     try rollout.append(observations: obs, actions: a, logProbabilities: lp, values: v,
///                        rewards: r, terminated: term, truncated: trunc)
///     let data = rollout.flattened()           // tensors of T x N rows
public struct RolloutBuffer: Sendable {
    /// T, the steps per environment.
    public let steps: Int
    /// N, the environments.
    public let environments: Int
    /// The length of one observation.
    public let observationSize: Int
    /// The length of one action (1 for a discrete action index).
    public let actionSize: Int
    /// How many time steps are stored so far (0...steps).
    public private(set) var count = 0

    /// Observations, `T x N x observationSize` values.
    public private(set) var observations: [Float]
    /// Actions, `T x N x actionSize` values.
    public private(set) var actions: [Float]
    /// log pi(a | s) when acting, `T x N`.
    public private(set) var logProbabilities: [Float]
    /// V(s) when acting, `T x N`.
    public private(set) var values: [Float]
    /// Rewards, `T x N`.
    public private(set) var rewards: [Float]
    /// 1 where the step reached a terminal state, `T x N`.
    public private(set) var terminated: [Float]
    /// 1 where a time limit ended the episode, `T x N`.
    public private(set) var truncated: [Float]
    /// V(final observation) where truncated, else 0, `T x N`.
    public private(set) var truncationValues: [Float]

    /// Creates empty storage.
    ///
    /// - Throws: `InvalidArgument` for a size below 1, or sizes whose product overflows `Int`.
    public init(steps: Int, environments: Int, observationSize: Int, actionSize: Int = 1) throws {
        for (name, value) in [("steps", steps), ("environments", environments), ("observationSize", observationSize), ("actionSize", actionSize)] {
            try Validate.count(value, name, in: "RolloutBuffer")
        }
        for size in [("observationSize", observationSize), ("actionSize", actionSize)] {
            _ = try Validate.product([("steps", steps), ("environments", environments), size], in: "RolloutBuffer")
        }
        self.steps = steps
        self.environments = environments
        self.observationSize = observationSize
        self.actionSize = actionSize
        let n = steps * environments
        observations = [Float](repeating: 0, count: n * observationSize)
        actions = [Float](repeating: 0, count: n * actionSize)
        logProbabilities = [Float](repeating: 0, count: n)
        values = logProbabilities
        rewards = logProbabilities
        terminated = logProbabilities
        truncated = logProbabilities
        truncationValues = logProbabilities
    }

    /// True when all T steps are stored.
    public var isFull: Bool { count == steps }

    /// Appends one time step of all N environments (arrays of N entries;
    /// observations and actions N x size values).
    ///
    /// - Throws: `InvalidArgument` when the storage is full, an array has the
    ///   wrong length, or a value is not finite.
    public mutating func append(observations obs: [Float], actions act: [Float], logProbabilities logp: [Float],
                                values v: [Float], rewards r: [Double], terminated term: [Bool], truncated trunc: [Bool],
                                truncationValues tv: [Float]? = nil) throws {
        let function = "RolloutBuffer.append"
        guard count < steps else {
            throw InvalidArgument(function, "step", "the storage already holds all \(steps) steps; call reset() to start a new rollout")
        }
        let n = environments
        let lengths: [(String, Int, Int)] = [("observations", obs.count, n * observationSize), ("actions", act.count, n * actionSize),
                                             ("logProbabilities", logp.count, n), ("values", v.count, n), ("rewards", r.count, n),
                                             ("terminated", term.count, n), ("truncated", trunc.count, n), ("truncationValues", tv?.count ?? n, n)]
        for (name, found, expected) in lengths where found != expected {
            throw InvalidArgument(function, name, "got \(found) values, expected \(expected) (one step of \(n) environments)")
        }
        try Validate.allFinite(obs, "observations", in: function)
        try Validate.allFinite(act, "actions", in: function)
        try Validate.allFinite(logp, "logProbabilities", in: function)
        try Validate.allFinite(v, "values", in: function)
        try Validate.allFinite(r, "rewards", in: function)
        if let tv { try Validate.allFinite(tv, "truncationValues", in: function) }
        let t = count
        observations.replaceSubrange((t * n * observationSize)..<((t + 1) * n * observationSize), with: obs)
        actions.replaceSubrange((t * n * actionSize)..<((t + 1) * n * actionSize), with: act)
        for e in 0..<n {
            logProbabilities[t * n + e] = logp[e]
            values[t * n + e] = v[e]
            rewards[t * n + e] = Float(r[e])
            terminated[t * n + e] = term[e] ? 1 : 0
            truncated[t * n + e] = trunc[e] ? 1 : 0
            truncationValues[t * n + e] = trunc[e] ? (tv?[e] ?? 0) : 0
        }
        count += 1
    }

    /// Forgets the stored steps (the arrays are reused).
    public mutating func reset() { count = 0 }

    /// Every stored entry as tensors with one row per (t, e), time first.
    public func flattened() -> RolloutBatch {
        let rows = count * environments
        func column(_ values: [Float]) -> Tensor { Tensor(shape: [rows], scalars: Array(values[0..<rows])) }
        return RolloutBatch(
            observations: Tensor(shape: [rows, observationSize], scalars: Array(observations[0..<(rows * observationSize)])),
            actions: Tensor(shape: [rows, actionSize], scalars: Array(actions[0..<(rows * actionSize)])),
            logProbabilities: column(logProbabilities), values: column(values), rewards: column(rewards),
            terminated: column(terminated), truncated: column(truncated))
    }
}

/// A rollout as tensors, one row per (step, environment), time first.
public struct RolloutBatch {
    /// `[rows, observationSize]`.
    public var observations: Tensor
    /// `[rows, actionSize]`.
    public var actions: Tensor
    /// `[rows]` each.
    public var logProbabilities: Tensor, values: Tensor, rewards: Tensor, terminated: Tensor, truncated: Tensor

    /// The discrete action of every row.
    public var actionIndices: [Int] { actions.scalars.map { Int($0) } }

    /// The rows at `indices` of every column (one minibatch).
    public func rows(_ indices: [Int]) -> RolloutBatch {
        RolloutBatch(observations: observations.rows(indices), actions: actions.rows(indices),
                     logProbabilities: logProbabilities.rows(indices), values: values.rows(indices),
                     rewards: rewards.rows(indices), terminated: terminated.rows(indices), truncated: truncated.rows(indices))
    }
}

extension SeededGenerator {
    /// The minibatches of one epoch: a seeded permutation of `0..<count`
    /// cut into `minibatches` slices of equal size (the last `count %
    /// minibatches` indices of the permutation are left out, as CleanRL does
    /// when the batch does not divide).
    ///
    /// - Throws: `InvalidArgument` for fewer than 1 minibatch or more
    ///   minibatches than indices.
    public mutating func minibatches(of count: Int, into minibatches: Int) throws -> [[Int]] {
        try Validate.count(minibatches, "minibatches", in: "minibatches(of:into:)")
        guard minibatches <= count else {
            throw InvalidArgument("minibatches(of:into:)", "minibatches", "got \(minibatches) for \(count) indices, expected at most \(count)")
        }
        let order = try permutation(of: count)
        let size = count / minibatches
        return (0..<minibatches).map { Array(order[($0 * size)..<(($0 + 1) * size)]) }
    }
}
