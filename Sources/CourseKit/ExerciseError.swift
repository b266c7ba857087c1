@_exported import Diagnostics

/// The error an unfinished exercise throws.
///
/// `deeprl generate` replaces every solution body in `Solutions/` by a
/// `TODO(<id>): <task>` comment and `throw ExerciseError.notImplemented(...)`,
/// so an unfinished exercise fails only the tests that call it, with a message
/// that names the exercise, its file, its task and where the hints are, and
/// never crashes a run.
public struct ExerciseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The exercise id, for example "1.3".
    public var exercise: String
    /// The file to edit, relative to the course root.
    public var file: String
    /// What to do: the one-line task of the exercise's TODO.
    public var hint: String

    /// The error of an exercise whose body is still the generated stub.
    public static func notImplemented(_ exercise: String, file: String, hint: String) -> ExerciseError {
        ExerciseError(exercise: exercise, file: file, hint: hint)
    }

    public var description: String {
        "exercise \(exercise) is not implemented yet: edit \(file), TODO(\(exercise)): \(hint); "
            + "hints: swift run deeprl hint \(exercise)"
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
