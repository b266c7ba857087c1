import CourseKit
import Foundation

/// One number that remembers how it was computed: the scalar autodiff engine of this lesson.
///
/// A `Value` holds its number (`data`), the derivative of some final result with respect to it
/// (`grad`, filled in by `backward()`), the values it was computed from (`parents`) and a small
/// closure, its *local backward rule*: given dL/d(this value), add dL/d(parent) into each parent's
/// `grad` by the chain rule. Leaves (inputs and parameters) have no parents and no rule.
///
/// Every operation is made through one door, `Value.record`, exactly as the course's `Tensor`
/// operations are made through `Tensor.record`:
///
///     let c = Value.record("*", data: a.data * b.data, inputs: [a, b]) { g in
///         a.grad += g * b.data
///         b.grad += g * a.data
///     }
///
/// `Value` is a class: a value used twice is one object with two users, and both users add into
/// its one `grad`.
public final class Value {
    /// The number this value holds (the forward pass's result). Training changes it in place.
    public var data: Double
    /// dL/d(this value) for the last `backward()` call(s): gradients are added, never overwritten,
    /// so set it back to 0 before the next backward pass.
    public var grad: Double = 0
    /// The values this one was computed from, in the order the operation took them (empty for a
    /// leaf). A value used twice by one operation appears twice (`a.times(a)`).
    public private(set) var parents: [Value]
    /// The name of the operation that made this value ("*", "tanh"), or nil for a leaf.
    public let operation: String?
    /// A name for printing graphs (the demo's "a", "b", "L"); empty unless given.
    public var label: String
    /// The local backward rule: receives dL/d(this value) and adds into the parents' `grad`.
    private var rule: ((_ gradient: Double) -> Void)?

    /// A leaf: an input or a parameter.
    ///
    /// - Parameters:
    ///   - data: the number.
    ///   - label: a name for printing graphs.
    public init(_ data: Double, label: String = "") {
        self.data = data
        self.parents = []
        self.operation = nil
        self.label = label
    }

    private init(data: Double, parents: [Value], operation: String, rule: @escaping (Double) -> Void) {
        self.data = data
        self.parents = parents
        self.operation = operation
        self.label = ""
        self.rule = rule
    }

    /// Makes the result of an operation: the one door through which every operation enters the
    /// graph (the lesson's `plus`, `times`, ... and any operation you add).
    ///
    /// - Parameters:
    ///   - operation: a short name for printing ("+", "tanh").
    ///   - data: the result of the forward computation.
    ///   - inputs: the values it was computed from; they become `parents`.
    ///   - backward: the local backward rule. It receives dL/d(result), the `grad` of the result,
    ///     and must add (`+=`) dL/d(input) into each input's `grad`, by the chain rule
    ///     dL/d(input) = dL/d(result) * d(result)/d(input). It may read the inputs' `data`.
    /// - Returns: the result, linked to its inputs.
    public static func record(_ operation: String, data: Double, inputs: [Value],
                              backward: @escaping (_ gradient: Double) -> Void) -> Value {
        Value(data: data, parents: inputs, operation: operation, rule: backward)
    }

    /// Runs this value's local backward rule once with its current `grad`: adds this value's
    /// contribution to each parent's `grad`. Does nothing for a leaf.
    ///
    /// `backward()` calls it on every value of the graph, outputs first (exercise 0.3).
    public func propagateGradient() {
        rule?(grad)
    }

    /// Frees a long chain without recursion. Releasing the last reference to a value releases its
    /// parents, which release theirs, ...: Swift would do that recursively, one stack frame per
    /// link, and a chain of 100,000 operations would overflow the stack. Instead the parents of a
    /// value nobody else holds are collected into an array and released one by one.
    deinit {
        rule = nil  // the rule holds its inputs too
        var pending = parents
        parents = []
        while var value = pending.popLast() {
            if isKnownUniquelyReferenced(&value) {
                value.rule = nil
                pending.append(contentsOf: value.parents)
                value.parents = []
            }
        }
    }
}

extension Value: CustomStringConvertible {
    /// `Value(data: 2.0, grad: 0.5)`, with the label and operation when there are any.
    public var description: String {
        let name = label.isEmpty ? "" : "\(label) = "
        let op = operation.map { "\($0), " } ?? ""
        return "\(name)Value(\(op)data: \(data), grad: \(grad))"
    }
}

// Conveniences built from the exercise operations of `Operations.swift` (exercise 0.1): they work
// as soon as those do.
extension Value {
    /// self + c for a constant c.
    public func plus(_ constant: Double) throws -> Value { try plus(Value(constant)) }

    /// self * c for a constant c.
    public func times(_ constant: Double) throws -> Value { try times(Value(constant)) }

    /// -self.
    public func negated() throws -> Value { try times(-1) }

    /// self - other.
    public func minus(_ other: Value) throws -> Value { try plus(other.negated()) }

    /// self / other, as self * other^-1.
    public func dividedBy(_ other: Value) throws -> Value { try times(other.power(-1)) }

    /// The sum of `values` (a chain of `plus`), or a leaf 0 for an empty list.
    public static func sum(_ values: [Value]) throws -> Value {
        guard var total = values.first else { return Value(0) }
        for value in values.dropFirst() { total = try total.plus(value) }
        return total
    }
}
