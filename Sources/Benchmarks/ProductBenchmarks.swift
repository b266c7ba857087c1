import Foundation
import TensorCore

/// The matrix products of one training update, timed where they run:
/// what `deeprl bench --products` prints.
public struct UpdateProducts: Sendable {
    /// Which update.
    public var update: TrainingUpdate
    /// How many updates were timed (after a warm-up).
    public var updates: Int
    /// The whole update's time while its products were timed, in microseconds.
    public var updateMicroseconds: Double
    /// The whole update's time in the same number of updates just before,
    /// with nothing timed: the difference is what the timing cost.
    public var untimedUpdateMicroseconds: Double
    /// Every kind and shape of product with its calls and time over all
    /// `updates` updates, the slowest in total first.
    public var entries: [ProductProfile.Entry]
    /// Each entry's rate timed alone with its operands in cache
    /// (`ProductProfile.gigaflopsAlone`), in the order of `entries`.
    public var gigaflopsAlone: [Double]

    /// The products' time per update, in microseconds.
    public var productMicroseconds: Double {
        Double(entries.reduce(0) { $0 &+ $1.nanoseconds }) / 1000 / Double(updates)
    }

    /// The products' floating-point operations per update.
    public var productFlops: Double { entries.reduce(0) { $0 + $1.flops } / Double(updates) }

    /// The report's table: one row per product, then the totals.
    public func table() -> (headers: [String], rows: [[String]]) {
        let headers = ["product", "m x k x n", "C", "calls", "us", "share", "GFLOP/s", "alone"]
        func row(_ name: String, _ shape: String, _ c: String, calls: Int, microseconds: Double, gigaflops: Double,
                 alone: String) -> [String] {
            [name, shape, c, String(format: "%g", Double(calls) / Double(updates)), String(format: "%.1f", microseconds),
             String(format: "%.1f%%", 100 * microseconds / updateMicroseconds),
             gigaflops > 0 ? String(format: "%.1f", gigaflops) : "-", alone]
        }
        var rows = zip(entries, gigaflopsAlone).map { entry, alone in
            row(entry.kind.rawValue, "\(entry.m) x \(entry.k) x \(entry.n)", entry.accumulates ? "+=" : "=",
                calls: entry.calls, microseconds: Double(entry.nanoseconds) / 1000 / Double(updates),
                gigaflops: entry.gigaflops, alone: String(format: "%.1f", alone))
        }
        rows.append(row("all products", "", "", calls: entries.reduce(0) { $0 + $1.calls },
                        microseconds: productMicroseconds, gigaflops: productFlops / (productMicroseconds * 1000), alone: ""))
        rows.append(["whole update", "", "", "", String(format: "%.1f", updateMicroseconds), "100.0%", ""])
        rows.append(["untimed update", "", "", "", String(format: "%.1f", untimedUpdateMicroseconds),
                     String(format: "%.1f%%", 100 * untimedUpdateMicroseconds / updateMicroseconds), ""])
        return (headers, rows)
    }
}

/// Times the matrix products of each update in `updates`: a warm-up of 20
/// updates, `count` updates with nothing timed, then `count` updates under
/// `ProductProfile.measure`; then each kind and shape of product alone.
///
/// Timing a product costs two clock reads and a locked table update; the
/// report has the update's time both ways, so that this cost shows.
public func productProfiles(of updates: [TrainingUpdate], count: Int = 100) throws -> [UpdateProducts] {
    try updates.map { update in
        let step = try update.makeUpdate()
        for _ in 0..<20 { try step() }
        func microsecondsPerUpdate(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(count)
        }
        let untimed = try microsecondsPerUpdate { for _ in 0..<count { try step() } }
        var entries: [ProductProfile.Entry] = []
        let timed = try microsecondsPerUpdate {
            entries = try ProductProfile.measure { for _ in 0..<count { try step() } }.entries
        }
        return UpdateProducts(update: update, updates: count, updateMicroseconds: timed,
                              untimedUpdateMicroseconds: untimed, entries: entries,
                              gigaflopsAlone: entries.map { ProductProfile.gigaflopsAlone($0) })
    }
}
