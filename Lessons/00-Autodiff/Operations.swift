import CourseKit
import Foundation

// Exercise 0.1: the operations of the scalar engine, each a forward computation and a local
// backward rule, made through `Value.record` (notes, section 2). Each rule receives g = dL/d(result)
// and adds g times the local derivative into each input's `grad`.
extension Value {
    /// self + other.
    ///
    /// Local derivatives: d(a + b)/da = 1, d(a + b)/db = 1.
    public func plus(_ other: Value) throws -> Value {
        // TODO(0.1): a + b, whose rule adds g to both inputs' grad (notes, section 2)
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "a + b, whose rule adds g to both inputs' grad (notes, section 2)")
    }

    /// self * other.
    ///
    /// Local derivatives: d(ab)/da = b, d(ab)/db = a.
    public func times(_ other: Value) throws -> Value {
        // TODO(0.1): a * b, whose rule adds g * b to a's grad and g * a to b's
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "a * b, whose rule adds g * b to a's grad and g * a to b's")
    }

    /// self raised to a constant power p.
    ///
    /// Local derivative: d(x^p)/dx = p x^(p-1).
    ///
    /// - Throws: `InvalidArgument` for an exponent that is not finite, a negative base with a
    ///   non-integer exponent (no real result), and a base of 0 with an exponent below 1 (an
    ///   infinite or undefined derivative).
    public func power(_ exponent: Double) throws -> Value {
        try Validate.finite(exponent, "exponent", in: "Value.power")
        if data < 0 && exponent != exponent.rounded() {
            throw InvalidArgument("Value.power", "exponent",
                                  "got \(exponent) for the base \(data): a negative number has no real power "
                                  + "with a non-integer exponent")
        }
        if data == 0 && exponent < 1 {
            throw InvalidArgument("Value.power", "exponent",
                                  "got \(exponent) for the base 0: expected an exponent >= 1 (0^p for p < 1 has "
                                  + "an infinite or undefined derivative)")
        }
        // TODO(0.1): x^p for a constant p, whose rule adds g * p * x^(p-1) to x's grad
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "x^p for a constant p, whose rule adds g * p * x^(p-1) to x's grad")
    }

    /// The hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x).
    ///
    /// Local derivative: d tanh(x)/dx = 1 - tanh(x)^2, which the rule can read from the result.
    public func tanh() throws -> Value {
        // TODO(0.1): tanh(x), whose rule adds g * (1 - tanh(x)^2) to x's grad
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "tanh(x), whose rule adds g * (1 - tanh(x)^2) to x's grad")
    }

    /// e^x.
    ///
    /// Local derivative: d e^x/dx = e^x.
    public func exponential() throws -> Value {
        // TODO(0.1): e^x, whose rule adds g * e^x to x's grad
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "e^x, whose rule adds g * e^x to x's grad")
    }

    /// The natural logarithm.
    ///
    /// Local derivative: d ln(x)/dx = 1 / x.
    ///
    /// - Throws: `InvalidArgument` when the value is not > 0.
    public func logarithm() throws -> Value {
        guard data > 0 else {
            throw InvalidArgument("Value.logarithm", "value", "got \(data), expected a number > 0 (the logarithm "
                                  + "is defined for positive numbers only)")
        }
        // TODO(0.1): ln(x), whose rule adds g / x to x's grad
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "ln(x), whose rule adds g / x to x's grad")
    }

    /// max(x, 0), the rectified linear unit.
    ///
    /// Local derivative: 1 for x > 0, else 0 (0 at x = 0 by convention, as in PyTorch).
    public func relu() throws -> Value {
        // TODO(0.1): max(x, 0), whose rule passes g to x only where x > 0
        throw ExerciseError.notImplemented("0.1", file: "Lessons/00-Autodiff/Operations.swift", hint: "max(x, 0), whose rule passes g to x only where x > 0")
    }
}
