import CourseKit
import Foundation
import TensorCore

// Exercises 0.5 and 0.6: two operations of the course's Tensor written from outside the core, through
// the public door its own operations use (notes, section 7): compute the result's scalars, then
// `Tensor.record(name, shape:, scalars:, inputs:) { g in ... }`, whose closure receives dL/d(result)
// (row-major, like the scalars) and calls `accumulateGradient` on each input. The gradient check,
// `Tensor.backward()` and every other operation then treat them like the core's own.

/// softplus(x) = ln(1 + e^x) for every scalar, as one recorded operation named "softplus".
///
/// Local derivative: d softplus(x)/dx = 1 / (1 + e^-x), the logistic function.
///
/// Both are computed without overflow in Float: ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), and the
/// logistic function as 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0, so that no e^x
/// of a large x is ever formed (notes, section 7).
///
/// - Parameter x: any shape.
/// - Returns: a tensor of the same shape whose `operation` is "softplus".
public func softplusOperation(_ x: Tensor) throws -> Tensor {
    // BEGIN SOLUTION 0.5: forward max(x,0) + log1p(exp(-|x|)), backward g * 1/(1+e^-x), via Tensor.record
    let y = x.scalars.map { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
    return Tensor.record("softplus", shape: x.shape, scalars: y, inputs: [x]) { g in
        let slopes = x.scalars.map { v -> Float in
            v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
        }
        x.accumulateGradient(zip(g, slopes).map { $0 * $1 })
    }
    // END SOLUTION
}

/// The log-sum-exp of every row of a matrix, as one recorded operation named "logSumExp":
/// for x of shape [n, m], the n values
/// ```math
/// y_i = \ln \sum_j e^{x_{ij}} = m_i + \ln \sum_j e^{x_{ij} - m_i}, \qquad m_i = \max_j x_{ij}.
/// ```
/// Subtracting the row's maximum keeps every exponent <= 0, so rows like [1000, 1000] do not
/// overflow.
///
/// Local derivatives: dy_i/dx_ij = e^(x_ij - y_i), the softmax of row i. The backward pass sends
/// row i's upstream gradient g_i to every entry of that row: the gradient of a reduction is
/// spread back over what it reduced (notes, section 5).
///
/// - Parameter x: a matrix [n, m] with m >= 1 (anything else stops the program with a message,
///   like the core's shape errors).
/// - Returns: a tensor of shape [n] whose `operation` is "logSumExp".
public func logSumExpRows(_ x: Tensor) throws -> Tensor {
    check(x.rank == 2 && x.shape[1] >= 1,
          "logSumExpRows: needs a matrix [rows, columns] with at least one column, got shape \(x.shape)")
    // BEGIN SOLUTION 0.6: y_i = m_i + log sum_j exp(x_ij - m_i); backward: g_i * exp(x_ij - y_i) per entry
    let rows = x.shape[0], columns = x.shape[1]
    let v = x.scalars
    var y = [Float](repeating: 0, count: rows)
    for i in 0..<rows {
        let row = v[(i * columns)..<((i + 1) * columns)]
        let m = row.max()!
        y[i] = m.isFinite ? m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) }) : m
    }
    return Tensor.record("logSumExp", shape: [rows], scalars: y, inputs: [x]) { g in
        var dx = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { dx[i * columns + j] = g[i] * Foundation.exp(v[i * columns + j] - y[i]) }
        }
        x.accumulateGradient(dx)
    }
    // END SOLUTION
}
