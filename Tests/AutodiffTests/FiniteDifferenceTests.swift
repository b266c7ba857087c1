import CourseKit
import Autodiff
import Foundation
import Testing

/// f(x) = x0^3 + 2 x0 x1: gradient (3 x0^2 + 2 x1, 2 x0), (7, 2) at (1, 2).
private func cubic(_ x: [Double]) -> Double { x[0] * x[0] * x[0] + 2 * x[0] * x[1] }

@Suite("0.4 finiteDifferenceCheck")
struct FiniteDifferenceTests {
    @Test("central differences by hand")
    func centralDifferences() throws {
        // With h = 1e-3 the central difference of x^3 at 1 is 3 + h^2 = 3.000001 (a one-sided one 3.003001);
        // 2 x0 x1 is linear in each coordinate, so its differences are exact.
        let report = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2], step: 1e-3, tolerance: 1e-4)
        try #require(report.numeric.count == 2 && report.errors.count == 2,
                     "0.4: one numeric derivative and one error per coordinate (2 here), got \(report.numeric.count) and \(report.errors.count)")
        let n = report.numeric
        if close(n[0], 14.000002, 1e-5) || close(n[1], 4, 1e-6) {
            Issue.record("0.4: divides by h instead of 2h: f(x + h) and f(x - h) are 2h apart; got \(f(n, 6)), expected about [7.000001, 2]")
        }
        if close(n[0], 7.003001, 1e-6) || close(n[0], 6.997001, 1e-6) {
            Issue.record("0.4: a one-sided difference (f(x + h) - f(x)) / h: its error shrinks only like h (here 0.003), the central difference (f(x + h) - f(x - h)) / 2h like h^2 (here 0.000001); got \(f(n[0], 6)), expected 7.000001")
        }
        if close(n[1], 2 * (1 - 1e-3), 1e-6) || close(n[1], 2 * (1 + 1e-3), 1e-6) {
            Issue.record("0.4: does not put x_i back after moving it: the derivative along x1 was taken at x0 = \(f(n[1] / 2, 4)) instead of 1; move one coordinate at a time and restore it before the next")
        }
        #expect(close(n[0], 7.000001, 1e-7) && close(n[1], 2, 1e-7),
                "0.4: the central differences of f = x0^3 + 2 x0 x1 at (1, 2) with h = 1e-3 are (7.000001, 2), got \(f(n, 7))")
        #expect(report.mismatches.isEmpty && report.passed, "0.4: the gradient (7, 2) is right: no mismatches expected, got \(report.mismatches)")
        #expect(close(report.errors[0], 1e-6 / 8.000001, 1e-9) && close(report.errors[1], 0, 1e-9),
                "0.4: error_i = |analytic_i - numeric_i| / (1 + |numeric_i|): (1.25e-7, 0) here, got \(report.errors)")
        #expect(report.analytic == [7, 2] && report.tolerance == 1e-4, "0.4: the report keeps the analytic gradient and the tolerance it was given")
    }

    @Test("a wrong coordinate is reported, and only that one")
    func reportsMismatch() throws {
        let report = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 3], step: 1e-5, tolerance: 1e-6)
        #expect(report.mismatches == [1] && !report.passed,
                "0.4: the analytic gradient (7, 3) is wrong in coordinate 1 (the true value is 2): mismatches should be [1], got \(report.mismatches)")
        #expect(close(report.errors[1], 1.0 / 3, 1e-6), "0.4: error_1 = |3 - 2| / (1 + 2) = 0.3333, got \(report.errors[1])")
    }

    @Test("a NaN gradient is a mismatch")
    func nanIsAMismatch() throws {
        let report = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [.nan, 2])
        #expect(report.mismatches == [0],
                "0.4: a NaN gradient passed the check: every comparison with NaN is false, so `error > tolerance` lets it through; count a coordinate as a mismatch unless error <= tolerance. Got mismatches \(report.mismatches)")
    }

    @Test("errors are relative to the size of the gradient")
    func relativeError() throws {
        // f = 1000 x0 + x1^2 at (1, 3): gradient (1000, 6); analytic (1000.5, 6) is off by 0.05%.
        let report = try finiteDifferenceCheck({ 1000 * $0[0] + $0[1] * $0[1] }, at: [1, 3], analytic: [1000.5, 6], tolerance: 1e-3)
        #expect(close(report.errors[0], 0.5 / 1001, 1e-8),
                "0.4: compare relative to the size of the gradient: error = |a - n| / (1 + |n|) = 0.5 / 1001 = 0.0005 for a gradient of 1000 off by 0.5, got \(report.errors[0])")
        #expect(report.passed, "0.4: an error of 0.0005 is within the tolerance 0.001, got mismatches \(report.mismatches)")
    }

    @Test("it catches a wrong backward rule")
    func catchesAWrongRule() throws {
        // tanh with the rule 1 - x^2 instead of 1 - tanh(x)^2, on f(a, b) = tanh(a b).
        func wrongTanh(_ v: Value) -> Value { node("tanh", Foundation.tanh(v.data), [v], [1 - v.data * v.data]) }
        let point = [0.9, -0.7]
        let a = Value(point[0]), b = Value(point[1])
        referenceBackward(wrongTanh(mul(a, b)))
        let function: ([Double]) -> Double = { Foundation.tanh($0[0] * $0[1]) }
        let wrong = try finiteDifferenceCheck(function, at: point, analytic: [a.grad, b.grad])
        #expect(wrong.mismatches == [0, 1],
                "0.4: the rule 1 - x^2 for tanh gives the gradient \(f([a.grad, b.grad])) at (0.9, -0.7), the central differences about \(f(wrong.numeric)); both coordinates must be reported, got mismatches \(wrong.mismatches)")
        let t = Foundation.tanh(point[0] * point[1])
        let right = try finiteDifferenceCheck(function, at: point, analytic: [(1 - t * t) * point[1], (1 - t * t) * point[0]])
        #expect(right.passed, "0.4: the right gradient of tanh(ab) must pass with the default step and tolerance, got \(right)")
    }

    @Test("bad input: a step that is not > 0, a gradient of the wrong length")
    func badInput() throws {
        #expect(errorText { _ = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2], step: 0) }
                == "finiteDifferenceCheck: invalid step: got 0.0, expected a finite number > 0",
                "0.4: a step of 0 is refused with InvalidArgument (the checks above the TODO; keep them)")
        #expect(throws: InvalidArgument.self, "0.4: a negative step") { _ = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2], step: -1e-3) }
        #expect(throws: InvalidArgument.self, "0.4: a NaN step") { _ = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2], step: .nan) }
        #expect(throws: InvalidArgument.self, "0.4: a negative tolerance") { _ = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2], tolerance: -1) }
        #expect(throws: InvalidArgument.self, "0.4: one gradient entry per coordinate") { _ = try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7]) }
        #expect(throws: InvalidArgument.self, "0.4: a point with NaN") { _ = try finiteDifferenceCheck(cubic, at: [.nan, 2], analytic: [7, 2]) }
        // The refusals are not enough on their own: the checker must also check.
        #expect(try finiteDifferenceCheck(cubic, at: [1, 2], analytic: [7, 2]).passed, "0.4: the right gradient (7, 2) passes")
    }
}
