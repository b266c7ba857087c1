import CourseKit

// Argument checks shared by the lesson's functions (not exercises). Each
// throws `InvalidArgument` naming the function and the argument.

/// Checks that `values` are probabilities: every entry finite and in [0, 1].
func checkProbabilities(_ values: [Double], _ name: String, in function: String) throws {
    if let t = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
        throw InvalidArgument(function, name, "entry \(t) is \(values[t]), expected a probability in [0, 1]")
    }
}

/// Checks that the behaviour policy could have taken every recorded action:
/// b(A_t | S_t) > 0. A zero leaves the ratio pi / b undefined.
func checkBehaviourCovers(_ probabilities: [Double], _ name: String, in function: String) throws {
    if let t = probabilities.firstIndex(where: { $0 == 0 }) {
        throw InvalidArgument(function, name, "entry \(t) is 0: the behaviour policy cannot have taken that action, "
                              + "so the ratio pi / b is undefined (importance sampling needs b > 0 wherever pi > 0)")
    }
}

/// Checks that two per-step lists of one episode have the same length.
func checkSameLength(_ a: Int, _ aName: String, _ b: Int, _ bName: String, in function: String) throws {
    guard a == b else {
        throw InvalidArgument(function, bName, "has \(b) entries but \(aName) has \(a): expected one entry per step")
    }
}
