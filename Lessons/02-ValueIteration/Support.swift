import CourseKit
import Environments

// Argument checks shared by the lesson's functions. They are not exercises:
// they run before your code and turn a bad call into an `InvalidArgument`
// that names what was wrong.

/// Throws unless `values` has one entry per state of `mdp`.
func checkValues(_ values: [Double], of mdp: TabularMDP, in function: String, name: String = "values") throws {
    guard values.count == mdp.stateCount else {
        throw InvalidArgument(function, name,
                              "has \(values.count) entries, expected one per state (\(mdp.stateCount)) of \(mdp.name)")
    }
}

/// Throws unless `state` is a state of `mdp`.
func checkState(_ state: Int, of mdp: TabularMDP, in function: String) throws {
    guard (0..<mdp.stateCount).contains(state) else {
        throw InvalidArgument(function, "state",
                              "got \(state), expected a state in 0..<\(mdp.stateCount) of \(mdp.name)")
    }
}

/// Throws unless `count` is at least 1.
func checkAtLeastOne(_ count: Int, _ name: String, in function: String) throws {
    guard count >= 1 else {
        throw InvalidArgument(function, name, "got \(count), expected at least 1")
    }
}
