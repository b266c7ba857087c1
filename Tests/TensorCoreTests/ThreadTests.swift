import Foundation
import Testing
import TensorCore

/// Large products split into bands of rows on several threads give the same
/// bits as on one thread (`TensorThreads`), and the thread setting rejects
/// what is not a thread count.
///
/// The product checks run in a process of their own (an exit test), so that
/// no other test holds the worker pool meanwhile: a busy pool makes a product
/// run on its caller's thread alone, which would pass without testing the split.
@Suite("Threads: products split across threads, bit for bit the same")
struct ThreadTests {
    /// Shapes with every kind of remainder: rows that are not a multiple of
    /// the row block, 32-, 16-, 8- and 4-column panels and a tail, fewer than
    /// 8 columns (dot products), fewer than 8 inner values (B^T copied),
    /// B's panels copied (256 columns) or read in place; the kernel tests'
    /// shapes are added to these. The test lowers the split's threshold to
    /// one multiply-add per band, so that every product of more than one row
    /// block is split.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (256, 256, 256), (257, 100, 83), (203, 300, 7), (300, 5, 1_000), (1_001, 1_024, 1), (131, 127, 129),
        (64, 512, 96), (96, 64, 512), (40, 256, 256), (23, 17, 256),
    ]

    @Test("1, 2 and 3 threads give identical products on this build's tier")
    func productsAreIdentical() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ThreadTests.compareAcrossThreadCounts(ThreadTests.shapes + KernelTests.shapes, what: "product") {
                KernelDiagnostics.productBits(m: $0, k: $1, n: $2, seed: $3, threads: $4)
            }
            exit(0)
        }
        Self.recordReport(of: result)
    }

    /// Shapes of linear layers: SAC's (256 units, a 4-input first layer and a
    /// one-output head), rows that are not a multiple of the row block, and
    /// fewer than 8 outputs.
    static let layerShapes: [(m: Int, k: Int, n: Int)] = [
        (256, 256, 256), (256, 4, 256), (256, 256, 1), (257, 100, 83), (203, 300, 7), (23, 17, 256), (9, 3, 40),
    ]

    @Test("1, 2 and 3 threads give identical layer steps: bias and activation, their gradients, Polyak")
    func layerStepsAreIdentical() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ThreadTests.compareAcrossThreadCounts(ThreadTests.layerShapes, what: "layer step") {
                KernelDiagnostics.layerBits(m: $0, k: $1, n: $2, seed: $3, threads: $4)
            }
            exit(0)
        }
        Self.recordReport(of: result)
    }

    @Test("a late worker's chunks are taken over, each run once, and products keep their bits")
    func lateWorkersAreTakenOver() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            var problems: [String] = []
            for parts in [2, 3] {
                // The workers start 20 ms late; the calling thread claims its own 8 or 12
                // empty chunks and then theirs long before.
                guard let owners = KernelDiagnostics.chunkOwners(parts: parts, chunks: 24, lateWorkerMicroseconds: 20_000) else {
                    problems.append("the worker pool was busy"); continue
                }
                if owners.contains(where: { !(0..<parts).contains($0) }) {
                    problems.append("\(parts) parts: each of 24 chunks must be run once by one part, got owners \(owners)")
                }
                let callers = owners.filter { $0 == 0 }.count
                if callers <= 24 / parts {
                    problems.append("\(parts) parts, workers 20 ms late: the calling thread ran \(callers) of 24 chunks, "
                                    + "expected it to take over the workers' (more than its own \(24 / parts))")
                }
            }
            TensorThreads.multiplyAddsPerBand = 1
            let takenBefore = TensorThreads.takenOverChunks
            for (index, shape) in [(256, 256, 256), (64, 512, 96), (40, 256, 256), (96, 64, 512), (24, 3, 64)].enumerated() {
                let one = KernelDiagnostics.productBits(m: shape.0, k: shape.1, n: shape.2, seed: UInt64(index), threads: 1)
                for threads in [2, 3] {
                    let late = KernelDiagnostics.productBits(m: shape.0, k: shape.1, n: shape.2, seed: UInt64(index), threads: threads,
                                                             lateWorkerMicroseconds: 2_000)
                    if late != one {
                        let differing = zip(one, late).filter { $0 != $1 }.count
                        problems.append("product \(shape.0)x\(shape.1)x\(shape.2) with \(threads) threads, workers 2 ms late: "
                                        + "\(differing) of \(one.count) values differ from one thread's")
                    }
                }
            }
            if KernelDiagnostics.tier == "avx512" && TensorThreads.takenOverChunks == takenBefore {
                problems.append("no panel of a late worker's band was taken over")
            }
            for problem in problems { print("THREADS: on the \(KernelDiagnostics.tier) tier, \(problem)") }
            print("THREADS-CHECKED")
            exit(0)
        }
        Self.recordReport(of: result)
    }

    /// In an exit test's child: lowers the split's threshold to one
    /// multiply-add per band (so that every step of more than one row block
    /// splits), computes `bits(m, k, n, seed, threads)` for each shape with
    /// 1, 2 and 3 threads, and prints a "THREADS: " line for each shape and
    /// thread count whose bits differ from one thread's (and one if nothing
    /// was split at all), then "THREADS-CHECKED".
    static func compareAcrossThreadCounts(_ shapes: [(m: Int, k: Int, n: Int)], what: String,
                                          _ bits: (Int, Int, Int, UInt64, Int) -> [UInt32]) {
        var problems: [String] = []
        TensorThreads.multiplyAddsPerBand = 1
        let splitsBefore = TensorThreads.splitProducts
        for (index, shape) in shapes.enumerated() {
            let one = bits(shape.m, shape.k, shape.n, UInt64(index), 1)
            for threads in [2, 3] {
                let many = bits(shape.m, shape.k, shape.n, UInt64(index), threads)
                if many != one {
                    let differing = zip(one, many).filter { $0 != $1 }.count
                    problems.append("\(what) \(shape.m)x\(shape.k)x\(shape.n) with \(threads) threads: \(differing) of \(one.count) values differ")
                }
            }
        }
        if TensorThreads.splitProducts == splitsBefore { problems.append("no \(what) was split across threads") }
        for problem in problems { print("THREADS: on the \(KernelDiagnostics.tier) tier, \(problem)") }
        print("THREADS-CHECKED")
    }

    /// Records what an exit test reported: the child always ends with status
    /// 0 once it has run its checks, and reports each difference on a
    /// "THREADS: " line of its own (a failed exit expectation would hide its
    /// output), then "THREADS-CHECKED".
    static func recordReport(of result: ExitTest.Result?) {
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        for line in output.split(separator: "\n") where line.hasPrefix("THREADS: ") {
            Issue.record(Comment(rawValue: String(line.dropFirst("THREADS: ".count))))
        }
        #expect(output.contains("THREADS-CHECKED"), "the check did not run to its end")
    }

    @Test("DEEPRL_THREADS takes whole numbers from 1 to the maximum",
          arguments: [("1", 1), ("3", 3), (" 2 ", 2), ("64", 64)])
    func parsesThreadCounts(text: String, expected: Int) {
        #expect((try? TensorThreads.parse(text).get()) == expected)
        let resolved = TensorThreads.resolve(environment: text)
        #expect(resolved.count == expected && resolved.warning == nil, "DEEPRL_THREADS='\(text)' gave \(resolved)")
    }

    @Test("anything else is named, and the default is kept", arguments: ["0", "-2", "abc", "", "1.5", "65", "2x"])
    func rejectsOtherValues(text: String) {
        guard case .failure(let error) = TensorThreads.parse(text) else {
            Issue.record("'\(text)' was taken as a thread count")
            return
        }
        #expect(error.description.contains("DEEPRL_THREADS must be a whole number of threads from 1 to 64, got '\(text)'"))
        let resolved = TensorThreads.resolve(environment: text)
        #expect(resolved.count == TensorThreads.defaultCount, "a bad value must leave the default, got \(resolved.count)")
        #expect(resolved.warning?.contains("got '\(text)'") == true, "no warning names '\(text)'")
    }

    @Test("the default is the machine's cores, at most 8, and never zero")
    func defaultCount() {
        #expect(TensorThreads.defaultCount == min(TensorThreads.cores, 8))
        #expect(TensorThreads.defaultCount >= 1)
        #expect(TensorThreads.resolve(environment: nil).count == TensorThreads.defaultCount)
        #expect(TensorThreads.resolve(environment: nil).warning == nil)
    }
}
