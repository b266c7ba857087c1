/// An argument outside the values a function accepts: a learning rate below
/// zero, a discount factor above 1, a capacity of 0, NaN logits, a policy row
/// that is not a distribution.
///
/// The message names the function, the argument, its value and what was
/// expected, in the style of PyTorch's "Invalid learning rate: -0.1":
///
///     Adam: invalid learningRate: got -0.1, expected a finite number >= 0
public struct InvalidArgument: Error, Equatable, Sendable, CustomStringConvertible {
    /// The function (or type) that rejected the argument.
    public var function: String
    /// The argument's name.
    public var argument: String
    /// What was wrong and what was expected.
    public var problem: String

    /// Creates the error.
    public init(_ function: String, _ argument: String, _ problem: String) {
        self.function = function
        self.argument = argument
        self.problem = problem
    }

    public var description: String {
        "\(function): invalid \(argument): \(problem)"
    }
}

/// Throwing checks for the argument values that recur across the course.
/// Each throws `InvalidArgument` naming `function` and the argument.
public enum Validate {
    /// `value` is finite (not NaN or infinite).
    public static func finite<T: BinaryFloatingPoint>(_ value: T, _ name: String, in function: String) throws {
        guard value.isFinite else {
            throw InvalidArgument(function, name, "got \(value), expected a finite number")
        }
    }

    /// `value` is finite and greater than 0.
    public static func positive<T: BinaryFloatingPoint>(_ value: T, _ name: String, in function: String) throws {
        guard value.isFinite, value > 0 else {
            throw InvalidArgument(function, name, "got \(value), expected a finite number > 0")
        }
    }

    /// `value` is finite and at least 0.
    public static func nonNegative<T: BinaryFloatingPoint>(_ value: T, _ name: String, in function: String) throws {
        guard value.isFinite, value >= 0 else {
            throw InvalidArgument(function, name, "got \(value), expected a finite number >= 0")
        }
    }

    /// `low <= value <= high` (and not NaN).
    public static func inClosedRange<T: BinaryFloatingPoint>(_ value: T, _ low: T, _ high: T, _ name: String,
                                                            in function: String) throws {
        guard value >= low, value <= high else {
            throw InvalidArgument(function, name, "got \(value), expected a number in [\(low), \(high)]")
        }
    }

    /// `low <= value < high` (and not NaN): Adam's betas, for example.
    public static func inHalfOpenRange<T: BinaryFloatingPoint>(_ value: T, _ low: T, _ high: T, _ name: String,
                                                              in function: String) throws {
        guard value >= low, value < high else {
            throw InvalidArgument(function, name, "got \(value), expected a number in [\(low), \(high))")
        }
    }

    /// An integer count of at least `minimum` (1 unless said otherwise).
    public static func count(_ value: Int, _ name: String, atLeast minimum: Int = 1, in function: String) throws {
        guard value >= minimum else {
            throw InvalidArgument(function, name, "got \(value), expected an integer >= \(minimum)")
        }
    }

    /// The product of `counts` (sizes already validated), which must fit in
    /// an `Int`: storage sized capacity times observation size, say. Checked
    /// with `multipliedReportingOverflow`, so an overflow throws instead of
    /// trapping without a message.
    ///
    /// - Parameter counts: the arguments' names and values, in order.
    public static func product(_ counts: [(String, Int)], in function: String) throws -> Int {
        var product = 1
        for (_, count) in counts {
            let (next, overflow) = product.multipliedReportingOverflow(by: count)
            guard !overflow else {
                throw InvalidArgument(function, counts.map(\.0).joined(separator: " * "),
                                      "\(counts.map { String($0.1) }.joined(separator: " * ")) overflows Int; expected a product of at most \(Int.max)")
            }
            product = next
        }
        return product
    }

    /// Every value finite; names the first offending position.
    public static func allFinite<C: Collection>(_ values: C, _ name: String, in function: String) throws
    where C.Element: BinaryFloatingPoint {
        if let position = values.firstIndex(where: { !$0.isFinite }) {
            let offset = values.distance(from: values.startIndex, to: position)
            throw InvalidArgument(function, name, "entry \(offset) is \(values[position]), expected finite numbers only")
        }
    }
}
