import Foundation
import Testing
import Benchmarks
import TensorCore

/// A short training run gives the same parameters, bit for bit, whatever
/// the number of threads the large products use (`TensorThreads`): DQN's
/// update and SAC's, with 1, 2 and 3 threads. The runs lower the split's
/// threshold (DQN's products are all below it): to 2^12 multiply-adds per
/// band for DQN, so that every product of its update is split, the
/// two-column head's dot products and the 120- and 84-column panels' tails
/// included, and to 2^16 for SAC, so that its 256-unit layers' bias,
/// activation and gradient steps split in three too (the elementwise steps'
/// minimum follows the products', at 1/32 of it).
///
/// Each run is an exit test (a process of its own), so that no other test
/// holds the worker pool and the products really are split.
@Suite("Threads: training runs are bit for bit the same with 1, 2 and 3 threads")
struct ThreadDeterminismTests {
    @Test(arguments: [TrainingUpdate.dqn, .sac])
    func sameParameters(_ update: TrainingUpdate) async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) { [update] in
            func report(_ problem: String) { print("THREADS: \(update.rawValue): \(problem)") }
            do {
                let updates = update == .sac ? 12 : 40
                let band = update == .sac ? 1 << 16 : 1 << 12
                let splitsBefore = TensorThreads.splitProducts
                let one = try trainedParameterBits(of: update, updates: updates, threads: 1, multiplyAddsPerBand: band)
                if TensorThreads.splitProducts != splitsBefore { report("a product was split with one thread") }
                for threads in [2, 3] {
                    let many = try trainedParameterBits(of: update, updates: updates, threads: threads, multiplyAddsPerBand: band)
                    if many != one {
                        let differing = zip(one, many).filter { $0 != $1 }.count
                        report("\(differing) of \(one.count) parameters differ with \(threads) threads")
                    }
                }
                if TensorThreads.splitProducts == splitsBefore { report("no product was split across threads") }
            } catch {
                report("\(error)")
            }
            print("THREADS-CHECKED")
            exit(0)
        }
        // The child always ends with status 0 once it has run its checks, and reports what
        // differed on a line of its own (a failed exit expectation would hide its output).
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        for line in output.split(separator: "\n") where line.hasPrefix("THREADS: ") {
            Issue.record(Comment(rawValue: String(line.dropFirst("THREADS: ".count))))
        }
        #expect(output.contains("THREADS-CHECKED"), "the check did not run to its end")
    }
}
