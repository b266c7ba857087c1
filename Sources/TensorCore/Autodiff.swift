/// Reverse-mode automatic differentiation: the whole engine.
///
/// Every operation computes its result (the forward pass) and, if any input
/// needs a gradient, attaches a small closure: given dL/d(result), add
/// dL/d(input) into each input's gradient (the chain rule for that one
/// operation). For example `c = a * b` attaches
///
///     { g in a.gradient += g * b;  b.gradient += g * a }
///
/// `loss.backward()` then visits the graph from the loss back to the leaves in
/// reverse topological order, so that a tensor's gradient is complete (all its
/// uses have contributed) before its own closure runs. This is exactly
/// micrograd's algorithm, on arrays instead of single numbers.
///
/// Three rules keep it small:
/// - Only a scalar (one-element) loss is differentiated: dL/dL = 1.
/// - Gradients accumulate (`+=`), so a tensor used twice gets both
///   contributions; call `zeroGradient()` (or the optimiser's
///   `zeroGradients()`) before the next backward pass.
/// - Broadcasting is undone by summing: if `b` of shape `[3]` was added to
///   every row of `[128, 3]`, its gradient is the column sums (`reduced(_:from:to:)`).
extension Tensor {
    /// Whether operations currently record the graph (see `withoutGradients`).
    @TaskLocal static var recordsGradients = true

    /// Whether new operations record the graph in the current context.
    public static var isRecording: Bool { recordsGradients }

    /// Makes an operation's result and, if an input needs a gradient, links it
    /// into the graph with its backward closure.
    ///
    /// - Parameters:
    ///   - shape, scalars: the forward result.
    ///   - parents: the inputs.
    ///   - backward: receives dL/d(result) and adds into the parents'
    ///     gradients (via `addGradient`). Called at most once per backward pass.
    @inline(__always)
    static func result(shape: [Int], scalars: [Float], parents: [Tensor],
                       backward: @escaping (_ gradient: [Float]) -> Void) -> Tensor {
        let out = Tensor(unchecked: shape, scalars: scalars)
        var anyNeedsGradient = false
        for parent in parents where parent.requiresGradient { anyNeedsGradient = true; break }
        if anyNeedsGradient && recordsGradients {
            out.requiresGradient = true
            out.parents = parents
            out.backwardFunction = backward
        }
        return out
    }

    /// Adds `body`'s contribution into this tensor's gradient, allocating a
    /// zero gradient first if needed. Does nothing if no gradient is needed.
    ///
    /// `body` receives the gradient buffer (count == `count`) to add into.
    @inline(__always)
    func addGradient(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGradient else { return }
        if gradientStorage == nil { gradientStorage = [Float](repeating: 0, count: count) }
        gradientStorage!.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Adds an array (count == `count`) into this tensor's gradient.
    func addGradient(_ values: [Float]) {
        guard requiresGradient else { return }
        if gradientStorage == nil {  // the first contribution: no need to add to zeros
            gradientStorage = values
            return
        }
        addGradient { g in
            values.withUnsafeBufferPointer { v in for i in 0..<g.count { g[i] += v[i] } }
        }
    }

    /// The accumulated gradient dL/d(self), shaped like `self`, or `nil` if
    /// no backward pass has reached this tensor.
    public var gradient: Tensor? {
        gradientStorage.map { Tensor(unchecked: shape, scalars: $0) }
    }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { gradientStorage = nil }

    /// Marks this leaf as trainable (or not); it must not be an operation result.
    public func setRequiresGradient(_ flag: Bool) {
        precondition(backwardFunction == nil, "setRequiresGradient: only leaf tensors (not operation results) can change")
        requiresGradient = flag
    }

    /// The same values cut off from the graph: no gradient flows through.
    ///
    /// Use it for TD targets, y = r + gamma * max Q_target(s', .), that the
    /// loss must treat as constants.
    public func stopGradient() -> Tensor {
        Tensor(unchecked: shape, scalars: scalars)
    }

    /// The error `backward()` reports, if any: the loss must have one value.
    public func validateBackward() throws {
        guard count == 1 else {
            throw ShapeError("backward: only a scalar loss can be differentiated, got shape \(shape); reduce it first, e.g. with mean()")
        }
    }

    /// Computes dself/dx for every tensor x this scalar depends on that
    /// requires a gradient, adding into `x.gradient`.
    ///
    /// - Precondition: `count == 1` (a scalar loss).
    /// - Complexity: one visit of every recorded operation, O(graph size).
    public func backward() {
        Shapes.trap { try validateBackward() }
        guard requiresGradient else { return }  // a constant: nothing to do
        let order = topologicalOrder()
        addGradient { $0[0] += 1 }  // dL/dL = 1
        for node in order.reversed() {
            guard let backward = node.backwardFunction, let gradient = node.gradientStorage else { continue }
            backward(gradient)
            node.gradientStorage = nil  // intermediate gradients are not kept
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
    try Tensor.$recordsGradients.withValue(false) { try body() }
}
