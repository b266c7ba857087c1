/// Stopping the program with a message that always reaches standard error.
///
/// Swift drops the message of `precondition` and `preconditionFailure` in
/// optimised (`-O`) builds, and the numeric modules of the course are always
/// optimised: a student would see only "Illegal instruction". `fatalError`
/// prints its message in every build (debug, `-O` and release), so every
/// trap of the course goes through `fail` and `check`, and the message names
/// the operation, the bad shapes or values and what was expected:
///
///     Fatal error: matmul: shapes [128, 4] and [5, 120] do not match: inner dimensions 4 and 5 differ
///
/// Which errors trap and which throw is decided once, in docs/ARCHITECTURE.md
/// ("Errors"): the structure of tensors (shapes, ranks, indices, axes,
/// element counts) traps through these functions; bad values (hyperparameters,
/// distribution parameters, environment states and actions) throw
/// `InvalidArgument`.

/// Stops the program, printing `message` in every build.
///
/// - Parameter message: what went wrong and what was expected, starting with
///   the operation's name ("matmul: ...").
@inline(never)
public func fail(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}

/// Stops the program with `message` unless `condition` holds; the message
/// prints in every build (unlike `precondition`'s).
///
/// - Complexity: the cost of `condition`; the message is built only on failure.
@inlinable @inline(__always)
public func check(_ condition: Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fail(message(), file: file, line: line) }
}

/// Runs `body` and stops the program with the thrown error's description if
/// it throws: the bridge from a throwing validator (`Shapes.matmul`) to an
/// operation that does not throw.
@inlinable @inline(__always)
public func checked<Result>(file: StaticString = #fileID, line: UInt = #line,
                            _ body: () throws -> Result) -> Result {
    do { return try body() } catch { fail("\(error)", file: file, line: line) }
}
