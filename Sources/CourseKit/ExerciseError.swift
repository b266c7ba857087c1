/// The error an unfinished exercise throws.
///
/// `deeprl generate` replaces every solution body in `Solutions/` by a
/// `TODO(<id>): <hint>` comment and `throw ExerciseError.notImplemented(...)`,
/// so an unfinished exercise fails only the tests that call it, with a message
/// that names the exercise, its file and the hint, and never crashes a run.
public struct ExerciseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The exercise id, for example "1.3".
    public var exercise: String
    /// The file to edit, relative to the course root.
    public var file: String
    /// What to do.
    public var hint: String

    /// The error of an exercise whose body is still the generated stub.
    public static func notImplemented(_ exercise: String, file: String, hint: String) -> ExerciseError {
        ExerciseError(exercise: exercise, file: file, hint: hint)
    }

    public var description: String {
        "exercise \(exercise) is not implemented yet: edit \(file) (look for TODO(\(exercise))). Hint: \(hint)"
    }
}

/// An argument outside the values a function accepts (a discount factor
/// above 1, a negative step size, a policy row that is not a distribution).
/// The message names the function, the argument, its value and what was
/// expected.
public struct InvalidArgument: Error, Equatable, Sendable, CustomStringConvertible {
    /// The function that rejected the argument.
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

/// Checks that a discount factor lies in [0, 1].
///
/// - Throws: `InvalidArgument` naming `function` otherwise.
public func checkDiscount(_ gamma: Double, in function: String) throws {
    guard gamma >= 0, gamma <= 1, gamma.isFinite else {
        throw InvalidArgument(function, "gamma", "got \(gamma), expected a discount factor in [0, 1]")
    }
}

/// Checks that `value` is positive and finite (step sizes, tolerances).
///
/// - Throws: `InvalidArgument` naming `function` and `name` otherwise.
public func checkPositive(_ value: Double, _ name: String, in function: String) throws {
    guard value > 0, value.isFinite else {
        throw InvalidArgument(function, name, "got \(value), expected a positive finite number")
    }
}
