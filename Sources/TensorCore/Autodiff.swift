import Synchronization

/// How many anomaly scopes are open in the process (any task); while none
/// is, operations skip the task-local lookup of the anomaly flag.
let activeAnomalyScopes = Atomic<Int>(0)

/// Reverse-mode automatic differentiation: the whole engine.
///
/// Every operation computes its result (the forward pass) and hands it to
/// `Tensor.record`, together with a small closure: given dL/d(result), add
/// dL/d(input) into each input's gradient (the chain rule for that one
/// operation). For example, y = x^3 with dy/dx = 3 x^2:
///
///     extension Tensor {
///         func cubed() -> Tensor {
///             let y = scalars.map { $0 * $0 * $0 }
///             return Tensor.record("cubed", shape: shape, scalars: y, inputs: [self]) { [self] g in
///                 accumulateGradient(zip(g, scalars).map { $0 * 3 * $1 * $1 })
///             }
///         }
///     }
///
/// (`Tests/TensorCoreTests/CustomOperationTests.swift` compiles and checks
/// this very example.) `record` is public: a lesson, a test or any module
/// defines a new differentiable operation exactly the way the core defines
/// its own. `loss.backward()` then visits the graph from the loss back to the
/// leaves in reverse topological order, so that a tensor's gradient is
/// complete (all its uses have contributed) before its own closure runs.
/// This is exactly micrograd's algorithm, on arrays instead of single numbers.
///
/// The core's own operations use one internal variant of the same door,
/// `node(..., saving:)`: identical, except that the closure also receives
/// the result tensor and reads the local derivatives the forward pass saved
/// in it, instead of capturing arrays. The only reason is speed: the saved
/// arrays then go back to the buffer pool (`BufferPool.swift`) with the
/// node, so a training step allocates no scalar memory. Two more shortcuts
/// exist for speed and are tested equal to their plain compositions: the
/// fused `affine(x, W, b, activation:)` (a layer in one node, see `MLP`) and
/// the matrix kernels behind `matmul` (`Kernels*.swift`, each beside its
/// plain loop in `KernelReference.swift`).
///
/// Three rules keep it small:
/// - Only a scalar (one-element) loss is differentiated: dL/dL = 1.
/// - Gradients accumulate (`+=`), so a tensor used twice gets both
///   contributions; call `zeroGradient()` (or the optimiser's
///   `zeroGradients()`) before the next backward pass.
/// - Broadcasting is undone by summing: if `b` of shape `[3]` was added to
///   every row of `[128, 3]`, its gradient is the column sums (`reduced(_:from:to:)`).
///
/// Two checks catch the mistakes that would otherwise give silently wrong
/// gradients or NaNs (both stop the program with a message):
/// - a *stale graph*: an input of a recorded operation whose values changed in
///   place (an optimiser step, `assign`, a target update, a checkpoint load)
///   between the forward pass and `backward()` (each tensor counts its in-place
///   writes in `version`, as PyTorch's version counters do);
/// - inside `withAnomalyDetection { }`, the first operation whose result or
///   whose backward pass holds a NaN or an infinity.
extension Tensor {
    /// How operations behave in the current context: whether they record the
    /// graph (see `withoutGradients`) and whether they check their results
    /// for NaN and infinity (see `withAnomalyDetection`). One task-local
    /// value, so an operation pays one lookup for both.
    struct Mode: Sendable {
        var recordsGradients = true
        var detectsAnomalies = false
    }

    @TaskLocal static var mode = Mode()

    /// Whether operations record the graph in the current context.
    static var recordsGradients: Bool { mode.recordsGradients }

    /// Whether operations check their results for NaN and infinity here.
    static var detectsAnomalies: Bool { mode.detectsAnomalies }

    /// Whether new operations record the graph in the current context.
    public static var isRecording: Bool { recordsGradients }

    /// Makes the result of a differentiable operation and, if an input needs
    /// a gradient (and recording is on), links it into the graph with its
    /// backward closure. Every operation of the core is made this way.
    ///
    /// - Parameters:
    ///   - operation: the operation's name, used in error messages ("matmul").
    ///   - shape, scalars: the forward result (`scalars.count` must fill `shape`).
    ///   - inputs: the tensors the result was computed from.
    ///   - backward: receives dL/d(result), row-major like `scalars`, and adds
    ///     dL/d(input) into each input with `accumulateGradient`. Called at
    ///     most once per backward pass. It may read the inputs' `scalars`:
    ///     `backward()` refuses to run it if any input changed in place since.
    /// - Returns: the result tensor.
    @inline(__always)
    public static func record(_ operation: String, shape: [Int], scalars: [Float], inputs: [Tensor],
                              backward: @escaping (_ gradient: [Float]) -> Void) -> Tensor {
        node(operation, shape: shape, scalars: scalars, inputs: inputs) { gradient, _ in backward(gradient) }
    }

    /// `record` for the core's own operations: the closure also receives the
    /// node, so that it can read the result (`node.scalars`) and what the
    /// forward pass saved for it (`saving`, `savingSecond`, kept in the node
    /// as `saved` and `savedSecond`) instead of capturing them: the node
    /// hands them back to the buffer pool when it goes away.
    @inline(__always)
    static func node(_ operation: String, shape: [Int], scalars: [Float], inputs: [Tensor],
                     saving: [Float] = [], savingSecond: [Float] = [],
                     backward: @escaping (_ gradient: [Float], _ node: Tensor) -> Void) -> Tensor {
        let out = Tensor(unchecked: shape, scalars: scalars)
        out.operation = operation
        // The task-local mode is looked up only when it can matter: when some
        // task is inside an anomaly scope, or when an input needs a gradient.
        if activeAnomalyScopes.load(ordering: .relaxed) > 0 && detectsAnomalies {
            checkForAnomaly(in: out, inputs: inputs)
        }
        var anyNeedsGradient = false
        var versions = 0
        for input in inputs {
            if input.requiresGradient { anyNeedsGradient = true }
            versions &+= input.version
        }
        if anyNeedsGradient && recordsGradients {
            out.requiresGradient = true
            out.parents = inputs
            out.parentVersions = versions
            out.backwardFunction = backward
            out.saved = saving
            out.savedSecond = savingSecond
        }
        return out
    }

    /// The result of an operation that records nothing (no input needs a
    /// gradient, or recording is off): `record` without the backward
    /// closure. The inputs are an autoclosure, so that the array is built
    /// only when an anomaly scope needs them.
    @inline(__always)
    static func constant(_ operation: String, shape: [Int], scalars: [Float], inputs: @autoclosure () -> [Tensor]) -> Tensor {
        let out = Tensor(unchecked: shape, scalars: scalars)
        out.operation = operation
        if activeAnomalyScopes.load(ordering: .relaxed) > 0 && detectsAnomalies {
            checkForAnomaly(in: out, inputs: inputs())
        }
        return out
    }

    /// Adds `body`'s contribution into this tensor's gradient, allocating a
    /// zero gradient first if needed. Does nothing if no gradient is needed.
    ///
    /// `body` receives the gradient buffer (count == `count`) to add into.
    @inline(__always)
    public func accumulateGradient(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGradient else { return }
        if gradientStorage == nil { gradientStorage = Tensor.zeroedScalars(count) }
        gradientStorage!.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Adds a contribution into this tensor's gradient, or writes it if it is
    /// the first: `body(buffer, accumulate)` must add into `buffer` when
    /// `accumulate` is true and set every one of its `count` values when it
    /// is false (the buffer is then uninitialised, so nothing is zero-filled
    /// only to be added to). Does nothing if no gradient is needed.
    @inline(__always)
    func addOrWriteGradient(_ body: (_ buffer: UnsafeMutablePointer<Float>, _ accumulate: Bool) -> Void) {
        guard requiresGradient else { return }
        if gradientStorage == nil {
            gradientStorage = Tensor.uninitializedScalars(count) { body($0, false) }
        } else {
            gradientStorage!.withUnsafeMutableBufferPointer { g in
                if let base = g.baseAddress { body(base, true) }
            }
        }
    }

    /// An array of `count` floats that `initialize` must fill completely,
    /// without zero-filling it first (for results that a kernel overwrites):
    /// one from the buffer pool if it has one, else a new one.
    @inline(__always)
    static func uninitializedScalars(_ count: Int, _ initialize: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        if var reused = TensorMemory.take(count) {
            let pooled = reused.withUnsafeBufferPointer { $0.baseAddress }
            reused.withUnsafeMutableBufferPointer { buffer in  // uniquely owned: no copy
                if UnsafePointer(buffer.baseAddress) != pooled { TensorMemory.countCopy() }
                initialize(buffer.baseAddress!)
            }
            return reused
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let base = buffer.baseAddress { initialize(base) }
            initialized = count
        }
    }

    /// An array of `count` copies of `value` (from the buffer pool if it has one).
    @inline(__always)
    static func filledScalars(_ count: Int, with value: Float) -> [Float] {
        uninitializedScalars(count) { $0.initialize(repeating: value, count: count) }
    }

    /// An array of `count` zeros (from the buffer pool if it has one).
    @inline(__always)
    static func zeroedScalars(_ count: Int) -> [Float] { filledScalars(count, with: 0) }

    /// Adds `values` (count == `count`, row-major) into this tensor's gradient.
    public func accumulateGradient(_ values: [Float]) {
        guard requiresGradient else { return }
        check(values.count == count, "accumulateGradient: got \(values.count) values for a tensor of shape \(shape), expected \(count)")
        if gradientStorage == nil {  // the first contribution: no need to add to zeros
            gradientStorage = values
            return
        }
        accumulateGradient { g in
            values.withUnsafeBufferPointer { v in for i in 0..<g.count { g[i] += v[i] } }
        }
    }

    /// The accumulated gradient dL/d(self), shaped like `self`, or `nil` if
    /// no backward pass has reached this tensor.
    public var gradient: Tensor? {
        gradientStorage.map { Tensor(unchecked: shape, scalars: $0) }
    }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { TensorMemory.recycle(&gradientStorage) }

    /// Marks this leaf as trainable (or not); it must not be an operation result.
    public func setRequiresGradient(_ flag: Bool) {
        check(backwardFunction == nil, "setRequiresGradient: only leaf tensors (not the result of '\(operation ?? "an operation")') can change")
        requiresGradient = flag
    }

    /// The same values cut off from the graph: no gradient flows through.
    ///
    /// Use it for TD targets, y = r + gamma * max Q_target(s', .), that the
    /// loss must treat as constants.
    public func stopGradient() -> Tensor {
        Tensor(unchecked: shape, scalars: scalars)
    }

    /// Computes dself/dx for every tensor x this scalar depends on that
    /// requires a gradient, adding into `x.gradient`.
    ///
    /// Stops the program with a message if `self` has more than one value,
    /// or if an input of a recorded operation changed in place since the
    /// forward pass (the gradients would be those of the new values).
    ///
    /// - Complexity: one visit of every recorded operation, O(graph size).
    public func backward() {
        check(count == 1, "backward: only a scalar loss can be differentiated, got shape \(shape); reduce it first, e.g. with mean()")
        guard requiresGradient else { return }  // a constant: nothing to do
        let order = topologicalOrder()
        let anomalies = Tensor.detectsAnomalies
        accumulateGradient { $0[0] += 1 }  // dL/dL = 1
        for node in order.reversed() {
            guard let backward = node.backwardFunction, var gradient = node.gradientStorage else { continue }
            var versions = 0
            for parent in node.parents { versions &+= parent.version }
            if versions != node.parentVersions {
                fail("backward: an input of '\(node.operation ?? "?")' (inputs of shapes \(node.parents.map(\.shape))) was changed in place after the forward pass used it "
                     + "(an optimizer step, assign, copyParameters, polyakUpdate or a checkpoint load); the gradients would be those of the new values. "
                     + "Run the forward pass again after changing the tensor, and call backward() before optimizer.step()")
            }
            backward(gradient, node)
            if anomalies { Tensor.checkBackwardForAnomaly(node) }
            node.gradientStorage = nil  // intermediate gradients are not kept: back to the pool
            TensorMemory.recycle(&gradient)
        }
    }

    /// Every recorded tensor reachable from `self`, each after all of its
    /// parents (an iterative depth-first search, so deep graphs cannot
    /// overflow the stack).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Each stack entry is a tensor and how many of its parents we have pushed.
        var stack: [(tensor: Tensor, nextParent: Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while !stack.isEmpty {
            let (tensor, next) = stack[stack.count - 1]
            if next < tensor.parents.count {
                stack[stack.count - 1].nextParent += 1
                let parent = tensor.parents[next]
                if parent.requiresGradient && visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                stack.removeLast()
                order.append(tensor)  // all parents are already in `order`
            }
        }
        return order
    }
}

/// Runs `body` without recording any graph: results need no gradient.
///
/// Use it for acting in an environment and for target networks; it saves the
/// memory and time of the backward closures.
///
///     let action = withoutGradients { policy(observation).argmax() }
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    var mode = Tensor.mode
    mode.recordsGradients = false
    return try Tensor.$mode.withValue(mode) { try body() }
}
