import Autodiff
import Foundation
import TensorCore
import Testing

/// The logistic function 1 / (1 + e^-x) in Double.
func logistic(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

@Suite("0.5 softplusOperation")
struct SoftplusOperationTests {
    @Test("values, the operation's name, and the gradient with an upstream gradient")
    func byHand() throws {
        let x = Tensor([-2, 0, 3], requiresGradient: true)
        let y = try softplusOperation(x)
        let values = [-2.0, 0, 3].map { Foundation.log(1 + Foundation.exp($0)) }
        try #require(y.shape == [3], "0.5: softplus keeps the shape: [3] in, [3] out; got \(y.shape)")
        #expect(y.operation == "softplus",
                "0.5: make the result with one Tensor.record(\"softplus\", ...) whose closure is your backward rule; got an operation named \(y.operation.map { "'\($0)'" } ?? "nil") (composing the core's exp and log gives the right numbers but is not the exercise)")
        #expect(zip(y.scalars, values).allSatisfy { close(Double($0), $1, 1e-5) },
                "0.5: softplus(x) = ln(1 + e^x) = \(f(values, 6)) at x = [-2, 0, 3], got \(f(y.scalars.map(Double.init), 6))")
        // L = sum(y * [1, 2, 3]): dL/dx_i = g_i * logistic(x_i) with g = [1, 2, 3].
        (y * Tensor([1, 2, 3])).sum().backward()
        let got = x.gradient?.scalars.map(Double.init) ?? [0, 0, 0]
        let slopes = [-2.0, 0, 3].map(logistic)
        let expected = zip([1.0, 2, 3], slopes).map { $0 * $1 }
        if zip(got, slopes).allSatisfy({ close($0, $1, 1e-5) }) {
            Issue.record("0.5: forgets the upstream gradient: the closure receives g = dL/dy, and dL/dx = g * softplus'(x); got \(f(got)), the bare slopes, expected \(f(expected))")
        } else if close(got[1], 2 * Foundation.log(2), 1e-4) {
            Issue.record("0.5: softplus' is the logistic function 1 / (1 + e^-x), not softplus itself: at x = 0 the slope is 0.5, not ln 2 = 0.6931")
        } else if close(got[0], Foundation.exp(-2), 1e-5) {
            Issue.record("0.5: softplus' is e^x / (1 + e^x) = 1 / (1 + e^-x), not e^x: the slope never exceeds 1")
        }
        #expect(zip(got, expected).allSatisfy { close($0, $1, 1e-5) },
                "0.5: with upstream gradient g = [1, 2, 3], dL/dx = g * 1/(1 + e^-x) = \(f(expected)), got \(f(got))")
    }

    @Test("no overflow and no NaN at |x| = 100 in Float")
    func largeInputs() throws {
        let x = Tensor([-100, -30, 30, 100], requiresGradient: true)
        let y = try softplusOperation(x)
        try #require(y.shape == [4], "0.5: softplus keeps the shape: [4] in, [4] out; got \(y.shape)")
        let v = y.scalars
        #expect(v[3].isFinite && close(Double(v[3]), 100, 1e-4) && close(Double(v[2]), 30, 1e-4),
                "0.5: ln(1 + e^x) overflows in Float for large x: e^100 is infinite in Float, so softplus(100) came out \(v[3]); write it as max(x, 0) + ln(1 + e^-|x|), which is 100 here")
        #expect(v[0] >= 0 && v[0] < 1e-30 && close(Double(v[1]), 9.357622968840175e-14, 1e-15),
                "0.5: softplus(-100) is about 3.7e-44 and softplus(-30) about 9.4e-14 (ln(1 + e^x) loses them to rounding; ln(1 + e^-|x|) via log1p keeps them), got \(v[0]) and \(v[1])")
        y.sum().backward()
        let g = x.gradient?.scalars ?? []
        #expect(g.count == 4 && g.allSatisfy { $0.isFinite },
                "0.5: the slope came out NaN or infinite for large |x|: e^x / (1 + e^x) is inf / inf = NaN in Float at x = 100; use 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0; got \(g)")
        #expect(g.count == 4 && g[3] == 1 && close(Double(g[2]), 1, 1e-6) && g[0] >= 0 && g[0] < 1e-30,
                "0.5: the slopes at x = [-100, -30, 30, 100] are about [0, 9.4e-14, 1, 1], got \(g)")
    }

    @Test("it passes the core's gradient check and matches the core's softplus")
    func againstTheCore() throws {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.uniform([3, 4], low: -4, high: 4, using: &generator, requiresGradient: true)
        let report = try gradientCheck([x]) { try softplusOperation($0[0]) }
        #expect(report.passed, "0.5: the gradient check of softplusOperation on a [3, 4] input in [-4, 4] failed: \(report)")
        let mine = try softplusOperation(x)
        try #require(mine.shape == [3, 4], "0.5: softplus keeps the shape [3, 4], got \(mine.shape)")
        let theirs = x.softplus()
        #expect(zip(mine.scalars, theirs.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-6 }, "0.5: the values differ from the core's softplus by more than 1e-6")
        (mine * mine).sum().backward()
        let myGradient = x.gradient?.scalars ?? []
        x.zeroGradient()
        (theirs * theirs).sum().backward()
        #expect(zip(myGradient, x.gradient!.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 },
                "0.5: the gradient of sum(softplus(x)^2) differs from the core's (your rule composes with the core's operations through the chain rule)")
    }
}
