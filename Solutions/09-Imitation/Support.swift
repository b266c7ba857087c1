import CourseKit
import RLKit

// Argument checks shared by the lesson's functions (not exercises). Each
// throws `InvalidArgument` naming the function and the argument.

/// Checks that `tensor` is a non-empty batch `[N, D]` with N, D >= 1.
func checkBatch(_ tensor: Tensor, _ name: String, in function: String) throws {
    guard tensor.rank == 2, tensor.shape[0] >= 1, tensor.shape[1] >= 1 else {
        throw InvalidArgument(function, name, "has shape \(tensor.shape), expected a non-empty batch [N, D]")
    }
}

/// Checks that `data` can teach a policy for `kind` on observations of
/// `observationSize` numbers: not empty, observations and actions of the
/// environment's sizes, discrete labels among the actions.
func checkDemonstrations(_ data: Demonstrations, observationSize: Int, actionKind: ActionKind,
                         in function: String) throws {
    guard !data.isEmpty else {
        throw InvalidArgument(function, "demonstrations", "are empty: there is nothing to imitate")
    }
    guard data.observationSize == observationSize else {
        throw InvalidArgument(function, "demonstrations", "hold observations of \(data.observationSize) numbers, the "
                              + "environment's have \(observationSize)")
    }
    guard data.actionSize == actionKind.rowWidth else {
        throw InvalidArgument(function, "demonstrations", "hold actions of \(data.actionSize) numbers, the "
                              + "environment's are written as \(actionKind.rowWidth)")
    }
    if case .discrete(let count) = actionKind,
       let bad = data.actions.first(where: { $0 != $0.rounded() || $0 < 0 || Int($0) >= count }) {
        throw InvalidArgument(function, "demonstrations", "hold the action \(bad), expected actions 0..<\(count)")
    }
}
