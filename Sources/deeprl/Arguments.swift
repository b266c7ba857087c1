/// A hand-written command-line parser (the course has no package
/// dependencies): positional arguments, `--name value` options and flags.
struct Arguments {
    /// Arguments that are not options, in order.
    var positional: [String] = []
    /// `--name value` pairs.
    var values: [String: String] = [:]
    /// `--flag` switches that were given.
    var flags: Set<String> = []

    /// Parses `arguments` for a subcommand that accepts the given options
    /// (which take a value) and flags (which do not). `--name=value` works too.
    ///
    /// - Throws: `UsageError` for an unknown option or a missing value.
    init(_ arguments: [String], options: Set<String> = [], flags: Set<String> = [], command: String) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if options.contains(name) {
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError(command: command, message: "--\(name) needs a value") }
                    values[name] = arguments[index]
                    index += 1
                }
            } else if flags.contains(name) && inlineValue == nil {
                self.flags.insert(name)
            } else {
                throw UsageError(command: command, message: "unknown option --\(name)")
            }
        }
    }

    /// The value of an integer option.
    func int(_ name: String, command: String) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            throw UsageError(command: command, message: "--\(name) expects an integer, got '\(text)'")
        }
        return value
    }

    /// The value of a number option.
    func double(_ name: String, command: String) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw UsageError(command: command, message: "--\(name) expects a number, got '\(text)'")
        }
        return value
    }
}

/// A command line that does not fit the subcommand: printed with its usage,
/// exit status 2.
struct UsageError: Error {
    var command: String
    var message: String
}
