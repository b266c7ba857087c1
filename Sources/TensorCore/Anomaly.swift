/// Anomaly detection: find the operation where a loss became NaN.
///
/// A NaN spreads: once one operation produces it, every later result and
/// every gradient holds NaN too, and the loss that the student finally sees
/// says nothing about where it started. Inside `withAnomalyDetection`, every
/// operation checks its result, and `backward()` checks the gradients each
/// operation passes back, and the first NaN or infinity stops the program
/// with the operation's name and its inputs' shapes (as PyTorch's
/// `torch.autograd.set_detect_anomaly(True)` does):
///
///     withAnomalyDetection {
///         let loss = (q - y).squared().mean().log()
///         loss.backward()
///     }
///     // Fatal error: anomaly: 'log' made -infinity at [] from inputs of shapes [[]] ...
///
/// Outside the scope nothing is checked and almost nothing is paid: one
/// relaxed load of a process-wide count of open scopes per operation (the
/// task-local flag is read only while some scope is open).
extension Tensor {
    /// Whether operations check their results for NaN and infinity here.
    public static var isDetectingAnomalies: Bool { detectsAnomalies }

    /// The first non-finite scalar of `values`: its offset and a name for it.
    static func firstNonFinite(_ values: [Float]) -> (offset: Int, kind: String)? {
        guard let offset = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        let value = values[offset]
        return (offset, value.isNaN ? "NaN" : (value > 0 ? "+infinity" : "-infinity"))
    }

    /// The multi-index of a row-major offset in `shape`.
    static func multiIndex(of offset: Int, in shape: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = offset
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// Stops with a message if `out` (the result of an operation on `inputs`)
    /// is not finite. An input that is already non-finite is named as the
    /// cause (it came from outside the scope, or from a leaf).
    static func checkForAnomaly(in out: Tensor, inputs: [Tensor]) {
        guard let (offset, kind) = firstNonFinite(out.scalars) else { return }
        let name = out.operation ?? "?"
        let shapes = inputs.map(\.shape)
        if let (k, input) = inputs.enumerated().first(where: { firstNonFinite($0.element.scalars) != nil }) {
            fail("anomaly: '\(name)' (inputs of shapes \(shapes)) got a non-finite value in input \(k), "
                 + "made by \(input.operation.map { "'\($0)' outside the anomaly scope" } ?? "no operation (a leaf: check the data or the parameters)")")
        }
        fail("anomaly: '\(name)' made \(kind) at \(multiIndex(of: offset, in: out.shape)) from finite inputs of shapes \(shapes)")
    }

    /// Stops with a message if the backward pass of `node` put a NaN or an
    /// infinity into an input's gradient.
    static func checkBackwardForAnomaly(_ node: Tensor) {
        if let gradient = node.gradientStorage, let (offset, kind) = firstNonFinite(gradient) {
            fail("anomaly: the gradient reaching '\(node.operation ?? "?")' (shape \(node.shape)) holds \(kind) at \(multiIndex(of: offset, in: node.shape))")
        }
        for (k, parent) in node.parents.enumerated() {
            guard let gradient = parent.gradientStorage, let (offset, kind) = firstNonFinite(gradient) else { continue }
            fail("anomaly: the backward pass of '\(node.operation ?? "?")' (inputs of shapes \(node.parents.map(\.shape))) "
                 + "put \(kind) into the gradient of input \(k) at \(multiIndex(of: offset, in: parent.shape))")
        }
    }
}

/// Runs `body` with anomaly detection on: the first operation, forward or
/// backward, that produces a NaN or an infinity stops the program with the
/// operation's name and its inputs' shapes.
///
/// Slower (every result is scanned): use it to find a bug, not for training.
public func withAnomalyDetection<Result>(_ body: () throws -> Result) rethrows -> Result {
    var mode = Tensor.mode
    mode.detectsAnomalies = true
    activeAnomalyScopes.add(1, ordering: .relaxed)
    defer { activeAnomalyScopes.subtract(1, ordering: .relaxed) }
    return try Tensor.$mode.withValue(mode) { try body() }
}
