import AllocationCounter
import TensorCore

/// The training updates whose allocations `deeprl bench` and the allocation
/// tests count (the same workloads as the timings).
public enum TrainingUpdate: String, CaseIterable, Codable, Sendable {
    case dqn, ppo, sac

    /// The update's timing key in `deeprl bench` (`dqn_update_us`, ...).
    public var timingKey: String {
        switch self {
        case .dqn: return "dqn_update_us"
        case .ppo: return "ppo_minibatch_us"
        case .sac: return "sac_update_us"
        }
    }

    /// A fresh workload's `update`, as one closure (SAC's update changes its generator).
    func makeUpdate() throws -> () throws -> Void {
        try makeTraining().update
    }

    /// A fresh workload: its update and every tensor it trains.
    func makeTraining() throws -> (update: () throws -> Void, parameters: [Tensor]) {
        switch self {
        case .dqn:
            let workload = try DQNWorkload()
            return ({ try workload.update() }, workload.online.parameters)
        case .ppo:
            let workload = try PPOWorkload()
            return ({ try workload.update() }, workload.actor.parameters + workload.critic.parameters)
        case .sac:
            var workload = try SACWorkload()
            let parameters = workload.q1.parameters + workload.q2.parameters + workload.q1Target.parameters
                + workload.q2Target.parameters + workload.actor.parameters + [workload.logAlpha]
            return ({ try workload.update() }, parameters)
        }
    }
}

/// The heap allocations of training updates after a warm-up, counted on the
/// calling thread by `AllocationCounter` (every `malloc`, `calloc`,
/// `realloc` and aligned allocation the update makes, by Swift's runtime
/// included), with what the buffer pool did meanwhile.
public struct AllocationCount: Sendable, Equatable {
    /// How many updates were counted.
    public var updates: Int
    /// Allocations over all counted updates.
    public var allocations: Int
    /// Requested bytes over all counted updates.
    public var bytes: Int
    /// The buffer pool's counters over the counted updates (process-wide:
    /// measure where no other thread makes tensors).
    public var pool: TensorMemory.Statistics

    /// Allocations per update.
    public var allocationsPerUpdate: Double { Double(allocations) / Double(Swift.max(updates, 1)) }
    /// Requested bytes per update.
    public var bytesPerUpdate: Double { Double(bytes) / Double(Swift.max(updates, 1)) }

    /// Whether this build can count allocations (Linux with glibc).
    public static var isAvailable: Bool { deeprl_allocation_counting_available() == 1 }
}

/// Counts the allocations of `updates` updates of `update`, after `warmUp`
/// updates that fill the buffer pool.
///
/// - Throws: what the update throws.
public func countAllocations(of update: TrainingUpdate, warmUp: Int = 3, updates: Int = 10) throws -> AllocationCount {
    let step = try update.makeUpdate()
    for _ in 0..<warmUp { try step() }
    TensorMemory.resetStatistics()
    let counted = try countAllocations { for _ in 0..<updates { try step() } }
    return AllocationCount(updates: updates, allocations: counted.allocations, bytes: counted.bytes, pool: TensorMemory.statistics)
}

/// The heap allocations `body` makes on the calling thread, and their requested bytes.
public func countAllocations(_ body: () throws -> Void) rethrows -> (allocations: Int, bytes: Int) {
    deeprl_allocation_counting_begin()
    var bytes: UInt64 = 0
    do {
        try body()
    } catch {
        _ = deeprl_allocation_counting_end(nil)
        throw error
    }
    let allocations = deeprl_allocation_counting_end(&bytes)
    return (Int(allocations), Int(bytes))
}

/// `deeprl bench`'s allocation figures: allocations per update after the
/// warm-up (empty where the build cannot count them).
func allocationBenchmarks(only keys: Set<String>?) throws -> [BenchmarkResult] {
    guard AllocationCount.isAvailable else { return [] }
    let all: [(key: String, update: TrainingUpdate, workload: String)] = [
        ("dqn_update_allocations", .dqn, "DQN update: heap allocations per update after warm-up"),
        ("ppo_minibatch_allocations", .ppo, "PPO minibatch: heap allocations per update after warm-up"),
        ("sac_update_allocations", .sac, "SAC update: heap allocations per update after warm-up"),
    ]
    return try all.filter { keys?.contains($0.key) ?? true }.map {
        let count = try countAllocations(of: $0.update)
        let scalars = !TensorMemory.isPooling ? "buffer pool off"
            : count.pool.allocated == 0 ? "no new scalar buffers" : "\(count.pool.allocated) new scalar buffers over \(count.updates) updates"
        return BenchmarkResult(key: $0.key, value: count.allocationsPerUpdate,
                               workload: "\($0.workload) (\(scalars), \(Int(count.bytesPerUpdate)) bytes)")
    }
}
