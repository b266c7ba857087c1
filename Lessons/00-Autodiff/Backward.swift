import CourseKit

// Exercises 0.2 and 0.3: reverse mode. The local rules of 0.1 know only their own operation; these
// two functions run them in an order that makes every gradient complete before it is passed on.
extension Value {
    /// Every value this one depends on (itself and all its ancestors, leaves included), each listed
    /// once and after all of its parents: a topological order of the graph, ending with `self`.
    ///
    /// A depth-first search that adds a value once all of its parents are in the list. It keeps its
    /// own stack (an array) instead of calling itself: a chain of 100,000 operations is 100,000
    /// nested calls for a recursive search, more than a thread's stack holds.
    ///
    /// - Complexity: O(V + E), one visit per value and per parent link.
    public func topologicalOrder() throws -> [Value] {
        // TODO(0.2): every value reachable from self, each once and after its parents (no recursion)
        throw ExerciseError.notImplemented("0.2", file: "Lessons/00-Autodiff/Backward.swift", hint: "every value reachable from self, each once and after its parents (no recursion)")
    }

    /// Reverse-mode differentiation of this value, L: fills in dL/dv for every value v it depends
    /// on.
    ///
    /// Sets `grad` to 1 (dL/dL), then runs every value's local rule (`propagateGradient()`) in
    /// reverse topological order, so that each value's gradient has received the contributions of
    /// all of its users before its own rule passes it on. Gradients are added into whatever the
    /// values already hold (a parameter used by two losses gets both): set the parameters'
    /// `grad` to 0 between training steps.
    ///
    /// - Complexity: O(V + E).
    public func backward() throws {
        // TODO(0.3): seed dL/dL = 1, then run each node's rule in reverse topological order
        throw ExerciseError.notImplemented("0.3", file: "Lessons/00-Autodiff/Backward.swift", hint: "seed dL/dL = 1, then run each node's rule in reverse topological order")
    }
}
