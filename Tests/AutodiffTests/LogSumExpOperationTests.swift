import Autodiff
import Foundation
import TensorCore
import Testing

/// The softmax of a row, in Double.
private func softmax(_ row: [Double]) -> [Double] {
    let m = row.max()!
    let e = row.map { Foundation.exp($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

@Suite("0.6 logSumExpRows")
struct LogSumExpOperationTests {
    @Test("values, the operation's name, and each row's own upstream gradient")
    func byHand() throws {
        let rows: [[Double]] = [[1, 2, 3], [0, 0, 0]]
        let x = Tensor(rows.map { $0.map(Float.init) }, requiresGradient: true)
        let y = try logSumExpRows(x)
        let values = rows.map { row in Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) }
        try #require(y.shape == [2], "0.6: one value per row: a [2, 3] input gives shape [2], got \(y.shape)")
        #expect(y.operation == "logSumExp",
                "0.6: make the result with one Tensor.record(\"logSumExp\", ...) whose closure is your backward rule; got an operation named \(y.operation.map { "'\($0)'" } ?? "nil")")
        let got = y.scalars.map(Double.init)
        if got.count == 2 && close(got[0], values[0] - 3, 1e-4) {
            Issue.record("0.6: subtracts the row's maximum but does not add it back: ln sum e^x = m + ln sum e^(x - m); got \(f(got)), expected \(f(values))")
        }
        #expect(got.count == 2 && zip(got, values).allSatisfy { close($0, $1, 1e-5) },
                "0.6: ln(e^1 + e^2 + e^3) = 3.4076 and ln(3 e^0) = 1.0986, got \(f(got))")
        // L = sum(y * [1, 2]): row i's entries get g_i * softmax(row i).
        (y * Tensor([1, 2])).sum().backward()
        let flat = x.gradient?.scalars.map(Double.init) ?? [Double](repeating: 0, count: 6)
        let gradient = [Array(flat[0..<3]), Array(flat[3..<6])]
        let expected = [softmax(rows[0]), softmax(rows[1]).map { 2 * $0 }]
        if close(flat[3], 1.0 / 3, 1e-5) && close(flat[0], expected[0][0], 1e-5) {
            Issue.record("0.6: each row has its own upstream gradient: row i's entries get g_i * softmax(row i), with g = [1, 2] here; row 1 got g_0's share, \(f(gradient[1]))")
        } else if zip(flat, [softmax(rows[0]), softmax(rows[1])].flatMap { $0 }).allSatisfy({ close($0, $1, 1e-5) }) {
            Issue.record("0.6: forgets the upstream gradient: the closure receives g = dL/dy (one number per row) and row i's entries get g_i * softmax(row i); got the bare softmax")
        } else if zip(flat, zip([1.0, 1, 1, 2, 2, 2], softmax(rows[0] + rows[1])).map { $0 * $1 }).allSatisfy({ close($0, $1, 1e-5) }) {
            Issue.record("0.6: the softmax is taken over the whole matrix instead of within each row: dy_i/dx_ij = e^(x_ij - y_i) uses row i's own log-sum-exp")
        } else if zip(flat, [1.0, 1, 1, 2, 2, 2]).allSatisfy({ close($0, $1, 1e-5) }) {
            Issue.record("0.6: the derivative of log-sum-exp is the softmax of the row, e^(x_ij - y_i), not 1: got g_i for every entry")
        }
        #expect(zip(flat, expected.flatMap { $0 }).allSatisfy { close($0, $1, 1e-5) },
                "0.6: with g = [1, 2], dL/dx = [g_0 softmax(row 0); g_1 softmax(row 1)] = \(expected.map { f($0) }), got \(gradient.map { f($0) })")
    }

    @Test("rows like [1000, 1000] do not overflow in Float")
    func largeInputs() throws {
        let x = Tensor([[1000, 1000], [-1000, -1000], [0, -1000]], requiresGradient: true)
        let y = try logSumExpRows(x)
        try #require(y.shape == [3], "0.6: one value per row: a [3, 2] input gives shape [3], got \(y.shape)")
        let got = y.scalars.map(Double.init)
        #expect(got.allSatisfy { $0.isFinite },
                "0.6: e^1000 overflows (and e^-1000 underflows to 0, whose log is -inf): subtract each row's maximum before exponentiating, y = m + ln sum e^(x - m); got \(got)")
        #expect(got.count == 3 && close(got[0], 1000 + Foundation.log(2), 1e-3) && close(got[1], -1000 + Foundation.log(2), 1e-3) && close(got[2], 0, 1e-6),
                "0.6: the rows give 1000 + ln 2, -1000 + ln 2 and 0, got \(got)")
        y.sum().backward()
        let g = x.gradient?.scalars ?? []
        #expect(g.count == 6 && zip(g, [0.5, 0.5, 0.5, 0.5, 1, 0]).allSatisfy { close(Double($0), $1, 1e-4) },
                "0.6: the softmax of each row: [0.5, 0.5], [0.5, 0.5], [1, 0]; compute it as e^(x - y) with the row's y, which never overflows; got \(g)")
    }

    @Test("it passes the core's gradient check and matches the core's log-sum-exp")
    func againstTheCore() throws {
        var generator = SeededGenerator(seed: 6)
        let x = Tensor.uniform([4, 5], low: -3, high: 3, using: &generator, requiresGradient: true)
        let report = try gradientCheck([x]) { try logSumExpRows($0[0]) }
        #expect(report.passed, "0.6: the gradient check of logSumExpRows on a [4, 5] input failed: \(report)")
        let mine = try logSumExpRows(x)
        let theirs = x.logSumExp(alongAxis: 1)
        try #require(mine.shape == [4], "0.6: one value per row: a [4, 5] input gives shape [4], got \(mine.shape)")
        #expect(zip(mine.scalars, theirs.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 },
                "0.6: the values differ from the core's logSumExp(alongAxis: 1): \(mine.scalars) against \(theirs.scalars)")
        (mine * mine).sum().backward()
        let myGradient = x.gradient?.scalars ?? []
        x.zeroGradient()
        (theirs * theirs).sum().backward()
        #expect(zip(myGradient, x.gradient!.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 },
                "0.6: the gradient of sum(y^2) differs from the core's log-sum-exp (each row's upstream gradient 2 y_i must reach that row)")
        let single = try logSumExpRows(Tensor([[2], [-3]]))
        #expect(single.scalars == [2, -3], "0.6: a one-column matrix: the log-sum-exp of one number is the number, got \(single.scalars)")
    }
}
