import Synchronization

/// Memory reuse across training steps: the arrays of values and gradients
/// that tensors leave behind are kept, by their count, and handed to the
/// next tensors of the same size.
///
/// A training step makes the same tensors, of the same sizes, every time:
/// the activations of the forward pass, the local derivatives saved for the
/// backward pass, the gradients. Without reuse each one is a `malloc` when
/// it is made and a `free` when the step's graph goes away. With the pool,
/// a tensor's arrays go back to the pool when the tensor goes away (and an
/// intermediate gradient as soon as the backward pass has used it), and the
/// next request for that many scalars takes one of them: after the first
/// step (the warm-up) a step allocates no scalar memory at all.
/// `Tests/BenchmarksTests` counts the allocations of the DQN, PPO and SAC
/// updates to show it, and `deeprl bench` reports them.
///
/// An array enters the pool only if nothing else holds it (the array's
/// storage is uniquely referenced): the scalars of a `reshaped` view, a
/// gradient handed on to a parent, or `t.scalars` kept by a caller stay with
/// their other owner. A pooled array is handed out uniquely owned, so
/// writing into it never copies.
///
/// The pool holds at most `capacityBytes` of scalars per shard; beyond that
/// a freed array goes back to the allocator. Threads share it through 8
/// shards, each behind its own lock, picked by a hash of the calling thread:
/// a training run on one thread always uses the same shard, and runs trained
/// side by side (`deeprl demo --jobs`) rarely wait for each other's lock.
/// (With one lock for all, two PPO runs side by side each took twice as long
/// as alone.)
public enum TensorMemory {
    /// What the pool has done since the last `resetStatistics()`.
    public struct Statistics: Sendable, Equatable {
        /// Arrays handed out from the pool (allocations saved).
        public var reused = 0
        /// The scalar bytes of those arrays.
        public var bytesReused = 0
        /// Requests the pool could not serve (no free array of that count):
        /// each one is a new allocation. Nothing is counted while pooling is off.
        public var allocated = 0
        /// Arrays taken into the pool.
        public var returned = 0
        /// Arrays that could not be kept (the pool was full).
        public var released = 0
        /// Pooled arrays that were copied when written, because something
        /// else held them after all: each one is an allocation the pool
        /// failed to save. Always 0 unless its uniqueness test is wrong.
        public var copied = 0
        /// Bytes of scalars the pool holds now.
        public var bytesHeld = 0
    }

    /// The most scalar memory each of the pool's shards keeps: 64 MiB.
    public static let capacityBytes = 64 << 20

    /// Whether freed arrays are kept for reuse. On by default; the
    /// environment variable `DEEPRL_NO_BUFFER_POOL=1` switches it off at
    /// start-up (to measure what it saves). Switching it off empties the pool.
    public static var isPooling: Bool {
        get { enabled.load(ordering: .relaxed) }
        set {
            enabled.store(newValue, ordering: .relaxed)
            if !newValue { releaseCachedBuffers() }
        }
    }

    /// The pool's counters since the last reset (all threads).
    public static var statistics: Statistics {
        (0..<shardCount).reduce(into: Statistics()) { total, i in
            let s = (shardBase + i).pointee.shelves.withLock { $0.statistics }
            total.reused += s.reused
            total.bytesReused += s.bytesReused
            total.allocated += s.allocated
            total.returned += s.returned
            total.released += s.released
            total.copied += s.copied
            total.bytesHeld += s.bytesHeld
        }
    }

    /// Sets the counters to zero (`bytesHeld` stays: it is a level, not a count).
    public static func resetStatistics() {
        for i in 0..<shardCount {
            (shardBase + i).pointee.shelves.withLock { $0.statistics = Statistics(bytesHeld: $0.statistics.bytesHeld) }
        }
    }

    /// Counts a pooled array that was copied on its first write.
    static func countCopy() { threadShard.pointee.shelves.withLock { $0.statistics.copied += 1 } }

    /// Gives every pooled array back to the allocator.
    public static func releaseCachedBuffers() {
        for i in 0..<shardCount {
            let dropped = (shardBase + i).pointee.shelves.withLock { state -> [Int: [[Float]]] in
                state.statistics.bytesHeld = 0
                defer { state.arrays = [:] }
                return state.arrays
            }
            _ = dropped  // freed here, outside the lock
        }
    }

    // MARK: - The pool

    /// The free arrays by count, and the counters.
    struct Shelves: Sendable {
        var arrays: [Int: [[Float]]] = [:]
        var statistics = Statistics()
    }

    /// One shard of the pool: its shelves behind their own lock, padded so
    /// that two shards' locks never share a cache line.
    struct Shard: ~Copyable {
        let shelves = Mutex(Shelves())
        let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// The 8 shards, allocated once and never freed (reached through a
    /// pointer: no reference counting on the path of every tensor).
    nonisolated(unsafe) static let shardBase: UnsafeMutablePointer<Shard> = {
        let base = UnsafeMutablePointer<Shard>.allocate(capacity: shardCount)
        for i in 0..<shardCount { (base + i).initialize(to: Shard()) }
        return base
    }()
    static let shardCount = 8

    /// The calling thread's shard: a Fibonacci hash of its identity.
    @inline(__always)
    static var threadShard: UnsafeMutablePointer<Shard> {
        shardBase + Int(truncatingIfNeeded: (UInt64(Platform.currentThread()) &* 0x9E37_79B9_7F4A_7C15) >> 61)
    }

    static let enabled = Atomic<Bool>(Platform.environment("DEEPRL_NO_BUFFER_POOL") != "1")

    /// A uniquely owned array of exactly `count` scalars (with old values)
    /// from the pool, or nil if there is none (the caller allocates one).
    @inline(__always)
    static func take(_ count: Int) -> [Float]? {
        guard count > 0, enabled.load(ordering: .relaxed) else { return nil }
        return threadShard.pointee.shelves.withLock { state -> [Float]? in
            // Through the index: `arrays[count]?.popLast()` would copy the shelf.
            guard let shelf = state.arrays.index(forKey: count), let array = state.arrays.values[shelf].popLast() else {
                state.statistics.allocated += 1
                return nil
            }
            state.statistics.reused += 1
            state.statistics.bytesReused += count * MemoryLayout<Float>.stride
            state.statistics.bytesHeld -= count * MemoryLayout<Float>.stride
            return array
        }
    }

    /// Takes `array` into the pool if nothing else holds it, and leaves
    /// `array` empty either way.
    @inline(__always)
    static func recycle(_ array: inout [Float]) {
        let count = array.count
        guard count > 0 else { return }
        guard enabled.load(ordering: .relaxed), isUniquelyReferenced(&array) else {
            array = []
            return
        }
        let bytes = count * MemoryLayout<Float>.stride
        let kept = threadShard.pointee.shelves.withLock { state -> Bool in
            guard state.statistics.bytesHeld + bytes <= capacityBytes else {
                state.statistics.released += 1
                return false
            }
            if let shelf = state.arrays.index(forKey: count) { state.arrays.values[shelf].append(array) }
            else { state.arrays[count] = [array] }
            array = []  // the pool's reference is the only one again
            state.statistics.returned += 1
            state.statistics.bytesHeld += bytes
            return true
        }
        if !kept { array = [] }  // freed outside the lock
    }

    /// `recycle` for an optional array (a gradient); leaves it nil.
    @inline(__always)
    static func recycle(_ array: inout [Float]?) {
        guard var values = array.take() else { return }
        recycle(&values)
    }

    /// Whether `array`'s storage has no other owner, so that the pool may
    /// hand it to a new tensor. Swift has no public test for an array; an
    /// array is a single reference to its storage object (checked), so the
    /// variable is read as that reference. Where arrays may be bridged from
    /// Objective-C the answer is always false (nothing is pooled).
    @inline(__always)
    static func isUniquelyReferenced(_ array: inout [Float]) -> Bool {
        #if _runtime(_ObjC)
        return false
        #else
        guard MemoryLayout<[Float]>.size == MemoryLayout<AnyObject>.size else { return false }
        return withUnsafeMutablePointer(to: &array) { pointer in
            pointer.withMemoryRebound(to: AnyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
        }
        #endif
    }
}

extension Kernels {
    /// Runs `body` with `count` floats of uninitialised scratch memory (a
    /// kernel's packed panels or transposed copy), taken from the buffer pool
    /// and given back after.
    @inline(__always)
    static func withScratch<Result>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Result) -> Result {
        var buffer = Tensor.uninitializedScalars(Swift.max(count, 1)) { _ in }
        defer { TensorMemory.recycle(&buffer) }
        return buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
