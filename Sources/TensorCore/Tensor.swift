@_exported import Diagnostics

// How to read the tensor core, in an evening, in this order:
//  1. Tensor.swift (this file): the array, its shape and its gradient.
//  2. Autodiff.swift: the whole engine: `record`, `backward()`, topological order.
//  3. Elementwise.swift, Broadcasting.swift, Reductions.swift: operations, each a
//     forward pass plus a backward closure; broadcasting undone by summing.
//  4. LinearAlgebra.swift (matmul and the fused affine layer), Indexing.swift, Shapes.swift.
//  5. Layers.swift (Linear, MLP), Losses.swift, Optimizers.swift (SGD, Adam, clipping),
//     Distributions.swift (categorical, Gaussian), Parameters.swift (copies, Polyak).
//  6. GradientCheck.swift, Anomaly.swift: how a wrong gradient or a NaN gets caught.
//  7. Random.swift, Checkpoint.swift: seeded numbers and saved runs.
// Skip on a first reading: speed lives apart from the math. Kernels*.swift (the
// SIMD loops behind matmul, tanh and Adam, each beside its plain loop in
// KernelReference.swift), BufferPool.swift (reused arrays), ProductProfile.swift
// (timing), and the CPU and allocator settings the kernels start with.

/// An n-dimensional array of `Float` values that remembers how it was made.
///
/// A tensor stores its scalars contiguously in row-major order: for shape
/// `[rows, columns]` the scalar at `[i, j]` is `scalars[i * columns + j]`.
/// A rank-0 tensor (shape `[]`) holds one scalar.
///
/// `Tensor` is a class, like a micrograd `Value` or a PyTorch tensor: an
/// operation's result keeps references to its inputs (`parents`) and a small
/// closure that turns the gradient of the result into gradients of the
/// inputs. See `Autodiff.swift` for the engine.
///
/// - Note: Operations never change their inputs; they return new tensors.
///   Only optimisers, parameter updates (`assign`, `copyParameters`,
///   `polyakUpdate`, checkpoint loads) and the scalar subscript write into an
///   existing tensor, and each such write counts in `version`, so that
///   `backward()` can refuse a graph whose saved inputs changed since the
///   forward pass (see `Autodiff.swift`).
public final class Tensor {
    /// The extent of each dimension, for example `[128, 4]`.
    public let shape: [Int]
    /// The values in row-major order; `scalars.count == shape.product`.
    /// In-place writes go through `updateScalars` (which counts them in `version`).
    public internal(set) var scalars: [Float]
    /// Whether backward passes compute a gradient for this tensor.
    public internal(set) var requiresGradient: Bool
    /// The accumulated gradient (same count as `scalars`), or `nil` if none
    /// has reached this tensor since the last `zeroGradient()`.
    var gradientStorage: [Float]?
    /// The tensors this one was computed from (empty for leaves).
    var parents: [Tensor] = []
    /// The sum of the parents' `version`s when this tensor was recorded.
    /// Versions only grow, so any in-place write to a parent changes the sum.
    var parentVersions = 0
    /// Adds this tensor's gradient into its parents' gradients; receives the
    /// gradient and this tensor (whose `scalars` and `saved` it may read).
    var backwardFunction: ((_ gradient: [Float], _ node: Tensor) -> Void)?
    /// Values an operation keeps for its backward pass (local derivatives),
    /// held by the node rather than by the closure so that they go back to
    /// the buffer pool with it (see `BufferPool.swift`).
    var saved: [Float] = [], savedSecond: [Float] = []
    /// The name of the operation that made this tensor ("matmul"), or nil
    /// for a tensor made from values (a leaf).
    public internal(set) var operation: String?
    /// How many times the scalars were changed in place (an optimiser step,
    /// `assign`, a target-network update, a checkpoint load, the subscript).
    public internal(set) var version = 0

    /// Creates a tensor from a shape and matching row-major scalars.
    ///
    /// - Parameters:
    ///   - shape: the extent of each dimension (all non-negative).
    ///   - scalars: exactly `shape.reduce(1, *)` values.
    ///   - requiresGradient: `true` for trainable parameters (leaves whose
    ///     gradient `backward()` should compute).
    public init(shape: [Int], scalars: [Float], requiresGradient: Bool = false) {
        checked { try Shapes.validateScalarCount(shape: shape, count: scalars.count) }
        _ = Kernels.startUp  // once per process: the CPU check and the allocator setting
        self.shape = shape
        self.scalars = scalars
        self.requiresGradient = requiresGradient
    }

    /// A tensor whose scalar count the caller has already checked; no graph link.
    init(unchecked shape: [Int], scalars: [Float]) {
        _ = Kernels.startUp  // once per process: the CPU check and the allocator setting
        self.shape = shape
        self.scalars = scalars
        self.requiresGradient = false
    }

    /// Hands the tensor's arrays to the buffer pool. The backward closure goes
    /// first: it may share the result's array, which is then no longer shared.
    deinit {
        backwardFunction = nil
        TensorMemory.recycle(&scalars)
        TensorMemory.recycle(&gradientStorage)
        TensorMemory.recycle(&saved)
        TensorMemory.recycle(&savedSecond)
    }

    /// Creates a rank-1 tensor from an array.
    public convenience init(_ scalars: [Float], requiresGradient: Bool = false) {
        self.init(shape: [scalars.count], scalars: scalars, requiresGradient: requiresGradient)
    }

    /// Creates a rank-2 tensor from an array of equally long rows.
    public convenience init(_ rows: [[Float]], requiresGradient: Bool = false) {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != columns {
            fail("Tensor(rows): row \(index) has \(row.count) values, row 0 has \(columns); rows must be equally long")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 }, requiresGradient: requiresGradient)
    }

    /// Creates a rank-0 tensor holding one value.
    public convenience init(scalar: Float, requiresGradient: Bool = false) {
        self.init(shape: [], scalars: [scalar], requiresGradient: requiresGradient)
    }

    /// A tensor of the given shape filled with `value`.
    public static func full(_ shape: [Int], value: Float, requiresGradient: Bool = false) -> Tensor {
        let count = checked { try Shapes.elementCount(shape) }
        return Tensor(shape: shape, scalars: filledScalars(count, with: value), requiresGradient: requiresGradient)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGradient: requiresGradient)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGradient: requiresGradient)
    }

    /// Independent uniform samples from `[low, high)`.
    ///
    /// - Precondition: `low <= high`, both finite (a trap with a message otherwise).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using generator: inout SeededGenerator,
                               requiresGradient: Bool = false) -> Tensor {
        check(low.isFinite && high.isFinite && low <= high, "Tensor.uniform: bounds \(low) and \(high) must be finite with low <= high")
        let count = checked { try Shapes.elementCount(shape) }
        let values = uninitializedScalars(count) { values in
            for i in 0..<count { values[i] = low + (high - low) * generator.nextFloat() }
        }
        return Tensor(shape: shape, scalars: values, requiresGradient: requiresGradient)
    }

    /// Independent normal samples N(mean, standardDeviation^2).
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              using generator: inout SeededGenerator,
                              requiresGradient: Bool = false) -> Tensor {
        check(mean.isFinite && standardDeviation.isFinite && standardDeviation >= 0,
              "Tensor.normal: mean \(mean) and standard deviation \(standardDeviation) must be finite, the deviation >= 0")
        let count = checked { try Shapes.elementCount(shape) }
        let values = uninitializedScalars(count) { values in
            for i in 0..<count { values[i] = mean + standardDeviation * Float(generator.normal()) }
        }
        return Tensor(shape: shape, scalars: values, requiresGradient: requiresGradient)
    }

    /// The number of scalars (the product of the shape).
    @inlinable public var count: Int { scalars.count }
    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The only scalar of a one-element tensor (for example a loss).
    public var scalar: Float {
        check(count == 1, "scalar: tensor of shape \(shape) has \(count) values, expected 1 (reduce it first, e.g. with mean())")
        return scalars[0]
    }

    /// The row-major offset of a multi-index, checking every coordinate.
    func offset(of index: [Int]) -> Int {
        check(index.count == rank, "subscript: index \(index) has \(index.count) coordinates, tensor of shape \(shape) needs \(rank)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            check(i >= 0 && i < shape[axis], "subscript: index \(index) is out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// Reads or writes one scalar by its multi-index, e.g. `q[3, 1]`.
    ///
    /// Writing does not record anything for autodiff; use it to build inputs.
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(of: index)] }
        set {
            let offset = offset(of: index)
            updateScalars { $0[offset] = newValue }
        }
    }

    /// The scalars as a nested Swift array of rows (rank 2 only).
    public var arrayRows: [[Float]] {
        check(rank == 2, "arrayRows: needs a rank-2 tensor, got shape \(shape)")
        let columns = shape[1]
        return (0..<shape[0]).map { Array(scalars[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    /// Replaces every scalar with `source`'s scalars (same count), in place.
    ///
    /// Used for hard target-network updates and checkpoint loading.
    public func assign(_ source: [Float]) {
        check(source.count == count, "assign: got \(source.count) values for shape \(shape), expected \(count)")
        version &+= 1
        scalars = source
    }

    /// Runs `body` on the scalars in place and counts the write in `version`.
    /// Every in-place change of a tensor's values goes through here.
    @inline(__always)
    func updateScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        version &+= 1
        return scalars.withUnsafeMutableBufferPointer { body($0) }
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and up to 8 leading values.
    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", ..." : "")])"
    }
}
