import Autodiff
import Foundation
import TensorCore
import Testing

/// The problems of a backward pass whose rules were logged in `log`: each rule must run exactly
/// once, and after the rules of every value that uses its value (`users`: value -> its users).
private func scheduleProblems(_ log: RuleLog, users: [String: [String]]) -> [String] {
    var problems: [String] = []
    for name in users.keys.sorted() {
        let count = log.count(name)
        if count == 0 {
            problems.append("0.3: the rule of '\(name)' never ran: run the rule (propagateGradient()) of every value of "
                            + "the graph, not only the output's; rules ran for \(log.names)")
        } else if count > 1 {
            problems.append("0.3: the rule of '\(name)' ran \(count) times: each value's rule runs exactly once per backward "
                            + "pass, after all of its users; a value reached along two paths is still one value")
        }
    }
    for (name, userNames) in users.sorted(by: { $0.key < $1.key }) {
        guard let mine = log.position(name) else { continue }
        for user in userNames {
            if let theirs = log.position(user), theirs > mine {
                problems.append("0.3: the backward pass visits a node before all its users: the rule of '\(name)' ran before "
                                + "the rule of '\(user)', which uses it, had added its share to \(name).grad; walk the "
                                + "topological order from the end (the output) back to the leaves")
                return problems
            }
        }
    }
    return problems
}

@Suite("0.3 Value.backward")
struct BackwardTests {
    @Test("the worked example: every gradient by hand, every rule once and in order")
    func workedExample() throws {
        let log = RuleLog()
        let x = Value(1.5, label: "x"), w = Value(-2, label: "w"), b = Value(2, label: "b")
        let u = mul(w, x, "u", log: log), v = add(u, b, "v", log: log), y = tanhNode(v, "y", log: log)
        let loss = mul(y, x, "L", log: log)
        try loss.backward()
        let t = Foundation.tanh(-1.0)
        let dv = 1.5 * (1 - t * t)
        let expected = ["x": t + dv * -2, "w": dv * 1.5, "b": dv, "u": dv, "v": dv, "y": 1.5, "L": 1]
        let values = ["x": x, "w": w, "b": b, "u": u, "v": v, "y": y, "L": loss]
        if values.values.allSatisfy({ $0.grad == 0 }) {
            Issue.record("0.3: every gradient is 0: the backward pass starts from dL/dL = 1 at the output (set the output's grad to 1 before running the rules)")
        }
        for problem in scheduleProblems(log, users: ["u": ["v"], "v": ["y"], "y": ["L"], "L": []]) { Issue.record("\(problem)") }
        #expect(loss.grad == 1, "0.3: dL/dL = 1: backward() sets the output's own gradient to 1, got \(loss.grad)")
        #expect(close(x.grad, expected["x"]!, 1e-12),
                "0.3: dL/dx = y + x (1 - y^2) w = \(f(expected["x"]!)): x is used twice (in u = w x and in L = y x) and gets both contributions; got \(f(x.grad))")
        for name in ["w", "b", "u", "v", "y"] {
            #expect(close(values[name]!.grad, expected[name]!, 1e-12), "0.3: dL/d\(name) = \(f(expected[name]!)) in the worked example, got \(f(values[name]!.grad))")
        }
    }

    @Test("a value with three users gets all three contributions before its rule runs")
    func fanOut() throws {
        let log = RuleLog()
        let a = Value(0.3, label: "a"), c = Value(2, label: "c")
        let p = tanhNode(a, "p", log: log)
        let q1 = mul(p, c, "q1", log: log), q2 = add(p, c, "q2", log: log), q3 = tanhNode(p, "q3", log: log)
        let s = add(add(q1, q2, "s1", log: log), q3, "s", log: log)
        try s.backward()
        for problem in scheduleProblems(log, users: ["p": ["q1", "q2", "q3"], "q1": ["s1"], "q2": ["s1"], "q3": ["s"], "s1": ["s"], "s": []]) {
            Issue.record("\(problem)")
        }
        let tp = Foundation.tanh(0.3), tq = Foundation.tanh(tp)
        let dp = 2 + 1 + (1 - tq * tq)
        #expect(close(p.grad, dp, 1e-12), "0.3: p feeds q1 = 2p, q2 = p + 2 and q3 = tanh(p), so dL/dp = 2 + 1 + (1 - tanh(p)^2) = \(f(dp)), got \(f(p.grad))")
        #expect(close(a.grad, dp * (1 - tp * tp), 1e-12), "0.3: dL/da = dL/dp (1 - tanh(a)^2) = \(f(dp * (1 - tp * tp))), got \(f(a.grad))")
    }

    @Test("gradients add up across backward passes")
    func accumulatesAcrossPasses() throws {
        let a = Value(2, label: "a"), b = Value(-3, label: "b"), c = Value(5, label: "c")
        let first = mul(a, b), second = add(a, c)
        try first.backward()
        try second.backward()
        #expect(close(a.grad, -3 + 1), "0.3: backward() reset a gradient that was already there: gradients add up across backward passes (a parameter used by two losses gets both; the training loop sets them to 0 between steps, backward() does not). After d(ab)/da = -3 and d(a + c)/da = 1, a.grad should be -2, got \(f(a.grad))")
        #expect(close(b.grad, 2) && close(c.grad, 1), "0.3: b.grad = a = 2 from the first loss and c.grad = 1 from the second, got \(f(b.grad)) and \(f(c.grad))")
    }

    @Test("a chain of 100,000 operations: no recursion, no stack overflow")
    func deepChain() throws {
        // y_{k+1} = 1.00001 y_k, so dy/dx = 1.00001^100000, about e.
        let x = Value(1, label: "x")
        var top = x
        for _ in 0..<100_000 { top = node("*1.00001", top.data * 1.00001, [top], [1.00001]) }
        let output = top
        var failure: (any Error)?
        let bytes = stackBytesUsed {
            do { try output.backward() } catch { failure = error }
        }
        if let failure { throw failure }
        #expect(bytes < stackAllowance,
                "0.3: backward() recursed once per value: it used \(megabytes(bytes)) of stack on a chain of 100,000 operations (a loop needs a few kilobytes); walk the list of topologicalOrder() with a loop instead")
        let expected = Foundation.pow(1.00001, 100_000.0)
        #expect(close(x.grad, expected, 1e-9), "0.3: on a chain y = 1.00001^100000 x, dy/dx = \(f(expected, 6)), got \(f(x.grad, 6))")
    }

    @Test("agrees with the course's Tensor on the same expression")
    func agreesWithTensor() throws {
        // L = tanh(a b + a) b at a = 0.8, b = -0.6: a is used twice, b twice.
        let a = Value(0.8, label: "a"), b = Value(-0.6, label: "b")
        let loss = mul(tanhNode(add(mul(a, b), a)), b)
        try loss.backward()
        let ta = Tensor(scalar: 0.8, requiresGradient: true), tb = Tensor(scalar: -0.6, requiresGradient: true)
        let tensorLoss = (ta * tb + ta).tanh() * tb
        tensorLoss.backward()
        let expected = [Double(ta.gradient!.scalar), Double(tb.gradient!.scalar)]
        #expect(close(a.grad, expected[0], 1e-5) && close(b.grad, expected[1], 1e-5),
                "0.3: for L = tanh(ab + a) b the course's Tensor gives (dL/da, dL/db) = \(f(expected, 5)), your backward() \(f([a.grad, b.grad], 5))")
    }
}
