import Foundation
import Testing
import Benchmarks
import TensorCore

/// A training update allocates no scalar memory after its warm-up: every
/// array of values, local derivatives and gradients comes from the buffer
/// pool, and each array the pool hands out saves exactly one heap
/// allocation (none is copied behind its back because it was shared).
///
/// Each check runs in a process of its own (an exit test), so that no other
/// test makes tensors meanwhile: the pool is shared by the whole process.
@Suite("Allocations per training update")
struct AllocationTests {
    @Test("no new scalar buffers after warm-up", .enabled(if: AllocationCount.isAvailable), arguments: TrainingUpdate.allCases)
    func noNewScalarBuffers(_ update: TrainingUpdate) async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) { [update] in
            exitAfterChecking(update)
        }
        let name = update.rawValue.uppercased()
        #expect(report(result).contains("checked: \(name)"), "the check did not run to its end: \(report(result))")
        #expect(problems(result).isEmpty, "\(problems(result))")
    }

    @Test("The counter sees the allocations of this thread", .enabled(if: AllocationCount.isAvailable))
    func counterCounts() {
        let none = countAllocations { }
        #expect(none.allocations == 0 && none.bytes == 0, "counted \(none) with nothing allocated")
        // Three arrays of 12,345 floats, each made and dropped inside the counted region.
        let three = countAllocations {
            for value in 1...3 { blackHole([Float](repeating: Float(value), count: 12_345)) }
        }
        #expect(three.allocations >= 3, "counted \(three.allocations) allocations for 3 arrays")
        #expect(three.bytes >= 3 * 12_345 * 4, "counted \(three.bytes) bytes for 3 arrays of 49,380 bytes")
    }
}

/// Keeps the optimiser from removing an unused array.
@inline(never) func blackHole(_ values: [Float]) { _ = values.withUnsafeBufferPointer { $0.baseAddress } }

/// What an exit test wrote to standard error.
func report(_ result: ExitTest.Result?) -> String {
    result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? "the exit test's process did not exit normally"
}

/// The problems an exit test reported on standard error (its lines that
/// start with "problem: "; the testing library may write other bytes there).
func problems(_ result: ExitTest.Result?) -> String {
    guard let result else { return "the exit test's process did not exit normally" }
    return String(decoding: result.standardErrorContent, as: UTF8.self)
        .split(separator: "\n").filter { $0.hasPrefix("problem: ") }.joined(separator: "\n")
}

/// In the exit test's own process: counts `update` with the pool and without
/// it, and prints what is wrong to standard error (exiting 0 either way, so
/// that the test can show the message).
func exitAfterChecking(_ update: TrainingUpdate) -> Never {
    var problems: [String] = []
    do {
        TensorMemory.isPooling = true
        let pooled = try countAllocations(of: update)
        TensorMemory.isPooling = false
        let unpooled = try countAllocations(of: update)
        let name = update.rawValue.uppercased()
        if pooled.pool.allocated != 0 {
            problems.append("\(name): \(pooled.pool.allocated) scalar arrays were newly allocated over \(pooled.updates) updates after the warm-up, expected 0 (the pool had no free array of that count)")
        }
        if pooled.pool.reused == 0 {
            problems.append("\(name): the pool handed out no array: nothing is reused")
        }
        if pooled.pool.copied != 0 {
            problems.append("\(name): \(pooled.pool.copied) pooled arrays were copied on their first write: they were shared when the pool took them")
        }
        // Each array the pool hands out must save its allocation: the heap sees at
        // least its scalar bytes fewer (a copy on write would ask for them again).
        let savedBytes = unpooled.bytes - pooled.bytes
        if savedBytes < pooled.pool.bytesReused {
            problems.append("\(name): the pool handed out \(pooled.pool.bytesReused) bytes of arrays, but the heap was asked for only \(savedBytes) bytes fewer "
                            + "(\(unpooled.bytes) without the pool, \(pooled.bytes) with it)")
        }
        FileHandle.standardError.write(Data(("checked: \(name), per update \(pooled.allocationsPerUpdate) allocations of \(pooled.bytesPerUpdate) bytes "
                                             + "with the pool, \(unpooled.allocationsPerUpdate) of \(unpooled.bytesPerUpdate) without\n").utf8))
        if pooled.allocations >= unpooled.allocations {
            problems.append("\(name): \(pooled.allocations) allocations with the pool, \(unpooled.allocations) without it")
        }
    } catch {
        problems.append("the \(update.rawValue) update threw \(error)")
    }
    for problem in problems { FileHandle.standardError.write(Data("problem: \(problem)\n".utf8)) }
    exit(0)
}
