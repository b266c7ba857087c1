/// One named curve of a `LinePlot`.
public struct PlotSeries: Sendable, Equatable {
    /// The legend entry.
    public var name: String
    /// The x coordinates.
    public var x: [Double]
    /// The y coordinates, one per x.
    public var y: [Double]

    /// A curve through the points `(x[i], y[i])`.
    ///
    /// - Precondition: `x.count == y.count` (a trap with a message otherwise).
    public init(_ name: String, x: [Double], y: [Double]) {
        check(x.count == y.count, "PlotSeries \(name): \(x.count) x values but \(y.count) y values")
        self.name = name
        self.x = x
        self.y = y
    }

    /// A curve through `(1, y[0]), (2, y[1]), ...`: y per episode or sweep.
    public init(_ name: String, y: [Double]) {
        self.init(name, x: (0..<y.count).map { Double($0 + 1) }, y: y)
    }

    /// The points whose coordinates are both finite (NaN and infinities are
    /// skipped when drawing).
    var finitePoints: [(Double, Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    }
}

/// Axis arithmetic shared by the terminal and SVG renderers.
enum Axis {
    /// "Nice" tick positions covering `low...high`: multiples of 1, 2 or 5
    /// times a power of ten, about `count` of them.
    static func ticks(_ low: Double, _ high: Double, count: Int) -> [Double] {
        guard high > low, count > 0 else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow10(floorLog10(raw))
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var value = (low / step).rounded(.up) * step
        var ticks: [Double] = []
        while value <= high + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// The data range of several series, padded when empty or flat.
    static func range(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            return (low - pad)...(high + pad)
        }
        return low...high
    }

    /// `range` widened to the nearest ticks outside it (the step `ticks`
    /// would use for `count` ticks), so that an axis starts and ends on a
    /// labelled tick: returns from 9 to 500 get the axis 0...500.
    static func niceRange(_ range: ClosedRange<Double>, count: Int) -> ClosedRange<Double> {
        let raw = (range.upperBound - range.lowerBound) / Double(max(count, 1))
        guard raw > 0, raw.isFinite else { return range }
        let magnitude = pow10(floorLog10(raw))
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return ((range.lowerBound / step).rounded(.down) * step)...((range.upperBound / step).rounded(.up) * step)
    }

    /// Labels for a set of ticks in one style: thousands as "k" for every
    /// tick once the largest reaches 10,000 ("0, 5k, 10k", never "5000, 10k"),
    /// no trailing zeros.
    static func labels(_ ticks: [Double]) -> [String] {
        let thousands = (ticks.map { abs($0) }.max() ?? 0) >= 10_000
        return ticks.map { thousands ? ($0 == 0 ? "0" : trim(format3($0 / 1000)) + "k") : label($0) }
    }

    /// A short label for one tick value: no trailing zeros, thousands as "k".
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 10_000 { return trim(String(format3(value / 1000))) + "k" }
        if magnitude >= 100 || value == value.rounded() { return String(Int(value.rounded())) }
        if magnitude >= 1 { return trim(format3(value)) }
        return trim(format3(value))
    }

    private static func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }

    private static func trim(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var t = Substring(s)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t = t.dropLast() }
        return String(t)
    }

    private static func floorLog10(_ x: Double) -> Int {
        var e = 0
        var v = x
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }

    private static func pow10(_ e: Int) -> Double {
        var result = 1.0
        if e >= 0 { for _ in 0..<e { result *= 10 } } else { for _ in 0..<(-e) { result /= 10 } }
        return result
    }
}
