import CourseKit
import Autodiff
import Foundation
import TensorCore
import Testing

/// Runs `output`'s local rule once with upstream gradient `upstream`, after giving each input the
/// gradient `start` (so that an overwriting rule shows), and returns the inputs' gradients.
private func afterRule(_ output: Value, inputs: [Value], upstream: Double = 0.5, start: Double = 0.25) -> [Double] {
    for input in inputs { input.grad = start }
    output.grad = upstream
    output.propagateGradient()
    return inputs.map(\.grad)
}

/// Names the usual slips of a rule whose correct local derivative is `local`: the gradient after
/// the rule should be start + upstream * local.
private func ruleProblem(_ got: Double, local: Double, upstream: Double = 0.5, start: Double = 0.25) -> String? {
    if close(got, start + upstream * local, 1e-9) { return nil }
    if close(got, upstream * local, 1e-9) {
        return "the gradient is overwritten instead of accumulated: a value used twice would get only one contribution "
            + "(add with +=, do not assign)"
    }
    if close(got, start + local, 1e-9) {
        return "forgets the upstream gradient: the chain rule multiplies the local derivative by g = dL/d(result) "
            + "(got \(f(got)) = \(f(start)) + \(f(local)), expected \(f(start)) + g * \(f(local)) with g = \(f(upstream)))"
    }
    return nil
}

@Suite("0.1 Value operations")
struct ValueOperationTests {
    @Test("plus: the rule passes g to both inputs")
    func plus() throws {
        let a = Value(2), b = Value(-3)
        let c = try a.plus(b)
        #expect(c.data == -1, "0.1: plus: 2 + (-3) = -1, got \(c.data)")
        #expect(c.parents.count == 2 && c.parents[0] === a && c.parents[1] === b,
                "0.1: plus: make the result with Value.record(..., inputs: [self, other]) so that the backward pass can reach both inputs")
        let g = afterRule(c, inputs: [a, b])
        for (name, got) in zip(["a", "b"], g) {
            if let problem = ruleProblem(got, local: 1) { Issue.record("0.1: plus: \(problem)") }
            #expect(close(got, 0.75), "0.1: plus: d(a + b)/d\(name) = 1, so \(name).grad goes from 0.25 to 0.25 + 0.5 * 1 = 0.75 when g = 0.5; got \(f(got))")
        }
    }

    @Test("times: each input's derivative is the other input")
    func times() throws {
        let a = Value(2), b = Value(-3)
        let c = try a.times(b)
        #expect(c.data == -6, "0.1: times: 2 * (-3) = -6, got \(c.data)")
        #expect(c.parents.count == 2 && c.parents[0] === a && c.parents[1] === b,
                "0.1: times: make the result with Value.record(..., inputs: [self, other]) so that the backward pass can reach both inputs")
        let g = afterRule(c, inputs: [a, b])
        if close(g[0], 0.25 + 0.5 * 2) && close(g[1], 0.25 + 0.5 * -3) {
            Issue.record("0.1: times: the derivatives are swapped: d(ab)/da = b and d(ab)/db = a, so a.grad gets g * b.data; got a.grad \(f(g[0])), b.grad \(f(g[1]))")
        }
        if let problem = ruleProblem(g[0], local: -3) ?? ruleProblem(g[1], local: 2) { Issue.record("0.1: times: \(problem)") }
        #expect(close(g[0], -1.25) && close(g[1], 1.25),
                "0.1: times: with a = 2, b = -3, g = 0.5 and both gradients starting at 0.25: a.grad = 0.25 + 0.5 * (-3) = -1.25, b.grad = 0.25 + 0.5 * 2 = 1.25; got \(f(g))")
    }

    @Test("power: p x^(p-1), for integer, fractional and negative exponents")
    func power() throws {
        for (x, p, expected, derivative) in [(3.0, 2.0, 9.0, 6.0), (4, 0.5, 2, 0.25), (2, -1, 0.5, -0.25), (1.5, 3, 3.375, 6.75)] {
            let a = Value(x)
            let y = try a.power(p)
            #expect(close(y.data, expected, 1e-12), "0.1: power: \(x)^\(p) = \(expected), got \(y.data)")
            #expect(y.parents.count == 1 && y.parents[0] === a, "0.1: power: record the base as the one input (inputs: [self])")
            let got = afterRule(y, inputs: [a])[0]
            if let problem = ruleProblem(got, local: derivative) { Issue.record("0.1: power: \(problem)") }
            if close(got, 0.25 + 0.5 * p * Foundation.pow(x, p)) {
                Issue.record("0.1: power: the power rule lowers the exponent by one: d(x^p)/dx = p x^(p-1), not p x^p; got \(f(got)) at x = \(x), p = \(p)")
            } else if close(got, 0.25 + 0.5 * Foundation.pow(x, p - 1)) {
                Issue.record("0.1: power: forgets the factor p: d(x^p)/dx = p x^(p-1); got \(f(got)) at x = \(x), p = \(p)")
            }
            #expect(close(got, 0.25 + 0.5 * derivative),
                    "0.1: power: d(x^p)/dx = p x^(p-1) = \(derivative) at x = \(x), p = \(p); with g = 0.5 the gradient goes from 0.25 to \(0.25 + 0.5 * derivative), got \(f(got))")
        }
    }

    @Test("tanh: 1 - tanh(x)^2")
    func tanh() throws {
        let a = Value(0.5)
        let y = try a.tanh()
        let t = Foundation.tanh(0.5)
        #expect(close(y.data, t, 1e-12), "0.1: tanh(0.5) = \(f(t, 6)), got \(y.data)")
        #expect(y.parents.count == 1 && y.parents[0] === a, "0.1: tanh: record the input (inputs: [self])")
        let got = afterRule(y, inputs: [a])[0]
        if let problem = ruleProblem(got, local: 1 - t * t) { Issue.record("0.1: tanh: \(problem)") }
        if close(got, 0.25 + 0.5 * (1 - 0.25)) {
            Issue.record("0.1: tanh' is 1 - tanh^2, not 1 - x^2: at x = 0.5 the slope is 1 - \(f(t))^2 = \(f(1 - t * t)), not 1 - 0.5^2 = 0.75")
        }
        #expect(close(got, 0.25 + 0.5 * (1 - t * t)),
                "0.1: tanh: d tanh(x)/dx = 1 - tanh(x)^2 = \(f(1 - t * t)) at x = 0.5; with g = 0.5 the gradient goes from 0.25 to \(f(0.25 + 0.5 * (1 - t * t))), got \(f(got))")
    }

    @Test("exponential: e^x is its own derivative")
    func exponential() throws {
        let a = Value(1)
        let y = try a.exponential()
        #expect(close(y.data, M_E, 1e-12), "0.1: exponential: e^1 = \(f(M_E, 6)), got \(y.data)")
        #expect(y.parents.count == 1 && y.parents[0] === a, "0.1: exponential: record the input (inputs: [self])")
        let got = afterRule(y, inputs: [a])[0]
        if let problem = ruleProblem(got, local: M_E) { Issue.record("0.1: exponential: \(problem)") }
        #expect(close(got, 0.25 + 0.5 * M_E),
                "0.1: exponential: d e^x/dx = e^x (the result itself) = \(f(M_E)) at x = 1; with g = 0.5 the gradient goes from 0.25 to \(f(0.25 + 0.5 * M_E)), got \(f(got))")
    }

    @Test("logarithm: 1 / x, where x is the input")
    func logarithm() throws {
        let a = Value(2)
        let y = try a.logarithm()
        #expect(close(y.data, Foundation.log(2), 1e-12), "0.1: logarithm: ln 2 = 0.693147, got \(y.data)")
        #expect(y.parents.count == 1 && y.parents[0] === a, "0.1: logarithm: record the input (inputs: [self])")
        let got = afterRule(y, inputs: [a])[0]
        if let problem = ruleProblem(got, local: 0.5) { Issue.record("0.1: logarithm: \(problem)") }
        if close(got, 0.25 + 0.5 / Foundation.log(2)) {
            Issue.record("0.1: logarithm: d ln(x)/dx = 1/x with x the input (2), not the result (ln 2 = 0.6931); got \(f(got))")
        }
        #expect(close(got, 0.5), "0.1: logarithm: d ln(x)/dx = 1/x = 0.5 at x = 2; with g = 0.5 the gradient goes from 0.25 to 0.5, got \(f(got))")
    }

    @Test("relu: passes g where x > 0 and nothing where x < 0")
    func relu() throws {
        let negative = Value(-1), positive = Value(2)
        let y0 = try negative.relu(), y1 = try positive.relu()
        #expect(y0.data == 0 && y1.data == 2, "0.1: relu: max(x, 0) is 0 at x = -1 and 2 at x = 2, got \(y0.data) and \(y1.data)")
        #expect(y0.parents.count == 1 && y0.parents[0] === negative, "0.1: relu: record the input (inputs: [self])")
        let g0 = afterRule(y0, inputs: [negative])[0], g1 = afterRule(y1, inputs: [positive])[0]
        #expect(close(g0, 0.25), "0.1: relu passes no gradient where x < 0 (its slope there is 0): at x = -1 the gradient must stay 0.25, got \(f(g0))")
        if close(g1, 0.25 + 0.5 * 2) {
            Issue.record("0.1: relu: its slope is 1 for x > 0, not x: at x = 2 the rule adds g * 1, got \(f(g1))")
        } else if let problem = ruleProblem(g1, local: 1) {
            Issue.record("0.1: relu: \(problem)")
        }
        #expect(close(g1, 0.75), "0.1: relu: at x = 2 the slope is 1; with g = 0.5 the gradient goes from 0.25 to 0.75, got \(f(g1))")
    }

    @Test("a value used twice by one operation gets both contributions")
    func usedTwice() throws {
        let a = Value(3)
        let square = try a.times(a)
        let got = afterRule(square, inputs: [a], upstream: 1, start: 0)[0]
        #expect(close(got, 6), "0.1: the gradient is overwritten instead of accumulated: a value used twice gets only one contribution; for a * a at a = 3, d(a^2)/da = 3 + 3 = 6, got \(f(got)) (add into grad with +=)")
        let double = try a.plus(a)
        let got2 = afterRule(double, inputs: [a], upstream: 1, start: 0)[0]
        #expect(close(got2, 2), "0.1: the gradient is overwritten instead of accumulated: for a + a, d/da = 1 + 1 = 2, got \(f(got2))")
    }

    @Test("an expression agrees with the course's Tensor (values and gradients)")
    func agreesWithTensor() throws {
        // L = ln(e^(a b) + c^2) * tanh(relu(a) + b) at a = 0.7, b = -1.3, c = 2.
        let a = Value(0.7), b = Value(-1.3), c = Value(2)
        let left = try a.times(b).exponential().plus(c.power(2)).logarithm()
        let loss = try left.times(a.relu().plus(b).tanh())
        referenceBackward(loss)
        let ta = Tensor(scalar: 0.7, requiresGradient: true), tb = Tensor(scalar: -1.3, requiresGradient: true)
        let tc = Tensor(scalar: 2, requiresGradient: true)
        let tensorLoss = ((ta * tb).exp() + tc.pow(2)).log() * (ta.relu() + tb).tanh()
        tensorLoss.backward()
        let expected = [ta, tb, tc].map { Double($0.gradient!.scalar) }
        let got = [a.grad, b.grad, c.grad]
        #expect(close(loss.data, Double(tensorLoss.scalar), 1e-5),
                "0.1: L = ln(e^(ab) + c^2) tanh(relu(a) + b) is \(f(Double(tensorLoss.scalar), 5)) on the course's Tensor, got \(f(loss.data, 5))")
        #expect(zip(got, expected).allSatisfy { close($0, $1, 1e-5) },
                "0.1: the gradients of L = ln(e^(ab) + c^2) tanh(relu(a) + b) with respect to (a, b, c) are \(f(expected, 5)) on the course's Tensor, got \(f(got, 5)) with your rules; check the rules of the suites above")
    }

    @Test("bad input: the logarithm of x <= 0, and powers without a real derivative")
    func badInput() throws {
        #expect(errorText { _ = try Value(0).logarithm() } == "Value.logarithm: invalid value: got 0.0, expected a number > 0 (the logarithm is defined for positive numbers only)",
                "0.1: the logarithm of 0 is refused with InvalidArgument (the check above the TODO; keep it)")
        #expect(throws: InvalidArgument.self, "0.1: ln(-1) has no real value") { _ = try Value(-1).logarithm() }
        #expect(throws: InvalidArgument.self, "0.1: an exponent must be finite") { _ = try Value(2).power(.nan) }
        #expect(throws: InvalidArgument.self, "0.1: an exponent must be finite") { _ = try Value(2).power(.infinity) }
        #expect(throws: InvalidArgument.self, "0.1: (-2)^0.5 has no real value") { _ = try Value(-2).power(0.5) }
        #expect(throws: InvalidArgument.self, "0.1: 0^-1 is infinite") { _ = try Value(0).power(-1) }
        // The refusals are not enough on their own: the operations must also compute.
        #expect(try Value(-2).power(3).data == -8, "0.1: (-2)^3 = -8 (an integer exponent works for a negative base)")
        #expect(try Value(0).power(2).data == 0, "0.1: 0^2 = 0")
    }
}
