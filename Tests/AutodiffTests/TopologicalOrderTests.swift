import Autodiff
import Testing

/// The problems of `order` as a topological order of the graph below `output`, in the student's
/// terms, most specific first.
func orderProblems(_ order: [Value], of output: Value, exercise: String = "0.2") -> [String] {
    let expected = reachable(from: output)
    let name = { (v: Value) in v.label.isEmpty ? "a leaf of value \(v.data)" : "'\(v.label)'" }
    var problems: [String] = []
    var seen: [ObjectIdentifier: Int] = [:]
    for (position, value) in order.enumerated() {
        if let first = seen[ObjectIdentifier(value)] {
            problems.append("\(exercise): \(name(value)) appears twice (at \(first) and \(position)): a value used twice "
                            + "must be listed once; remember which values you have already visited")
            break
        }
        seen[ObjectIdentifier(value)] = position
    }
    if let missing = expected.first(where: { seen[ObjectIdentifier($0)] == nil }) {
        problems.append("\(exercise): the order misses \(name(missing)): it must hold every value the output depends on, "
                        + "leaves included (\(expected.count) values here, got \(order.count))")
    }
    if order.count > 1, order.first === output {
        problems.append("\(exercise): the order is reversed: the output comes first, but every value must come after "
                        + "its inputs, so the leaves come first and the output last (backward() walks it from the end)")
    }
    outer: for (position, value) in order.enumerated() {
        for parent in value.parents {
            if let at = seen[ObjectIdentifier(parent)], at > position {
                problems.append("\(exercise): \(name(value)) comes before its input \(name(parent)): add a value to the "
                                + "order only after all of its inputs are in it (when you leave it, not when you reach it)")
                break outer
            }
        }
    }
    if problems.isEmpty, order.last !== output {
        problems.append("\(exercise): the order must end with the value itself (the output), after everything it depends on")
    }
    return problems
}

@Suite("0.2 Value.topologicalOrder")
struct TopologicalOrderTests {
    /// x = 1.5, w = -2, b = 2; u = w x; v = u + b; y = tanh(v); L = y x (the notes' worked example:
    /// x is used twice).
    static func workedExample() -> (x: Value, w: Value, b: Value, loss: Value) {
        let x = Value(1.5, label: "x"), w = Value(-2, label: "w"), b = Value(2, label: "b")
        let u = mul(w, x, "u"), v = add(u, b, "v"), y = tanhNode(v, "y")
        return (x, w, b, mul(y, x, "L"))
    }

    @Test("the worked example: every value once, each after its inputs")
    func workedExample() throws {
        let (_, _, _, loss) = Self.workedExample()
        let order = try loss.topologicalOrder()
        for problem in orderProblems(order, of: loss) { Issue.record("\(problem)") }
        #expect(order.count == 7, "0.2: the worked example has 7 values (x, w, b, u, v, y, L), got \(order.count): \(order.map(\.label))")
    }

    @Test("a diamond: a value with two users is listed once, before both")
    func diamond() throws {
        // a -> b = a * a -> d = b + c;  a -> c = tanh(a) -> d
        let a = Value(0.5, label: "a")
        let b = mul(a, a, "b"), c = tanhNode(a, "c")
        let d = add(b, c, "d")
        let order = try d.topologicalOrder()
        for problem in orderProblems(order, of: d) { Issue.record("\(problem)") }
        #expect(order.count == 4, "0.2: the diamond a -> (b = a*a, c = tanh a) -> d has 4 values, got \(order.count): \(order.map(\.label))")
    }

    @Test("a leaf's order is the leaf alone")
    func leaf() throws {
        let a = Value(3, label: "a")
        let order = try a.topologicalOrder()
        #expect(order.count == 1 && order[0] === a, "0.2: a leaf depends on nothing else: its order is [itself], got \(order.count) values")
    }

    @Test("a chain of 100,000 operations: no recursion, no stack overflow")
    func deepChain() throws {
        let x = Value(1, label: "x")
        var top = x
        for _ in 0..<100_000 { top = node("+1", top.data + 1, [top], [1]) }
        let output = top
        var order: [Value] = []
        var failure: (any Error)?
        let bytes = stackBytesUsed {
            do { order = try output.topologicalOrder() } catch { failure = error }
        }
        if let failure { throw failure }
        #expect(bytes < stackAllowance,
                "0.2: the search recursed once per value: it used \(megabytes(bytes)) of stack on a chain of 100,000 operations, where a loop needs a few kilobytes; a longer chain would overflow the stack and crash the program. Keep your own stack (an array of values still to finish) instead of calling the function recursively")
        #expect(order.count == 100_001 && order.first === x && order.last === output,
                "0.2: a chain of 100,000 operations has 100,001 values, the leaf first and the output last; got \(order.count) values")
        order = []
    }
}
