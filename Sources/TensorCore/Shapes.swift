/// A shape mismatch, naming the operation and both shapes.
///
/// Tensor operations are not throwing, so that the math reads like math; when
/// shapes do not fit they stop the program with this message (through
/// `fail`, which prints it in every build). The same checks are available as
/// throwing functions in `Shapes`, so a caller (or a test) can validate first:
///
///     try Shapes.matmul([128, 4], [5, 120])
///     // matmul: shapes [128, 4] and [5, 120] do not match: inner dimensions 4 and 5 differ
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// The full message, starting with the operation's name.
    public let description: String

    /// Creates an error with the given message.
    public init(_ description: String) { self.description = description }
}

/// The shape rules of every operation, as throwing functions.
///
/// Each operation calls the matching function through `checked { }`, which
/// turns a thrown `ShapeError` into a stop with the same message.
public enum Shapes {
    /// The number of elements of `shape`, the product of its dimensions.
    ///
    /// A shape is refused when a dimension is negative, or when the product
    /// of its non-zero dimensions overflows `Int` (checked with
    /// `multipliedReportingOverflow`, so it stops with a message instead of
    /// an overflow trap). A zero dimension makes an empty tensor, and then
    /// every partial product of the shape (the outer and inner counts of an
    /// axis) fits in an `Int` too.
    ///
    /// - Parameter operation: the name used in the message ("Tensor", "oneHot").
    public static func elementCount(_ shape: [Int], operation: String = "Tensor") throws -> Int {
        if shape.contains(where: { $0 < 0 }) {
            throw ShapeError("\(operation): shape \(shape) has a negative dimension")
        }
        var product = 1
        for dimension in shape where dimension != 0 {
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow {
                throw ShapeError("\(operation): shape \(shape) has too many elements: the product of its dimensions overflows Int")
            }
            product = next
        }
        return shape.contains(0) ? 0 : product
    }

    /// Checks that `count` values fill `shape` exactly.
    public static func validateScalarCount(shape: [Int], count: Int) throws {
        let expected = try elementCount(shape)
        if expected != count {
            throw ShapeError("Tensor: shape \(shape) needs \(expected) values, got \(count)")
        }
    }

    /// The broadcast shape of two operands (NumPy rules: align trailing
    /// dimensions; each pair must be equal or contain a 1).
    ///
    /// - Parameter operation: the name used in the message, e.g. "add".
    public static func broadcast(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if x == y || y == 1 {
                result[i] = x
            } else if x == 1 {
                result[i] = y
            } else {
                throw ShapeError("\(operation): shapes \(a) and \(b) do not broadcast: dimension \(i) is \(x) and \(y)")
            }
        }
        if (try? elementCount(result)) == nil {
            throw ShapeError("\(operation): shapes \(a) and \(b) broadcast to \(result), which has too many elements: the product of its dimensions overflows Int")
        }
        return result
    }

    /// The result shape of `a.matmul(b)` for rank-2 operands.
    public static func matmul(_ a: [Int], _ b: [Int]) throws -> [Int] {
        guard a.count == 2, b.count == 2 else {
            throw ShapeError("matmul: shapes \(a) and \(b) do not match: both must have rank 2")
        }
        guard a[1] == b[0] else {
            throw ShapeError("matmul: shapes \(a) and \(b) do not match: inner dimensions \(a[1]) and \(b[0]) differ")
        }
        return [a[0], b[1]]
    }

    /// The normalised axis (negative counts from the end) of a rank-`rank` shape.
    public static func axis(_ axis: Int, rank: Int, operation: String) throws -> Int {
        let normalised = axis < 0 ? axis + rank : axis
        guard normalised >= 0 && normalised < rank else {
            throw ShapeError("\(operation): axis \(axis) is out of range for rank \(rank)")
        }
        return normalised
    }

    /// The result of reshaping `shape` to `newShape` (one entry may be -1).
    public static func reshape(_ shape: [Int], to newShape: [Int]) throws -> [Int] {
        let count = try elementCount(shape)
        let inferred = newShape.filter { $0 == -1 }.count
        guard inferred <= 1, !newShape.contains(where: { $0 < -1 }) else {
            throw ShapeError("reshape: shapes \(shape) and \(newShape) do not match: at most one -1 and no other negative size")
        }
        guard let known = try? elementCount(newShape.filter { $0 != -1 }) else {
            throw ShapeError("reshape: shapes \(shape) and \(newShape) do not match: the product of \(newShape) overflows Int")
        }
        var result = newShape
        if let position = newShape.firstIndex(of: -1) {
            guard known > 0, count % known == 0 else {
                throw ShapeError("reshape: shapes \(shape) and \(newShape) do not match: \(count) values do not divide into \(known)")
            }
            result[position] = count / known
        }
        let resultCount = try elementCount(result, operation: "reshape")
        guard resultCount == count else {
            throw ShapeError("reshape: shapes \(shape) and \(newShape) do not match: \(count) values versus \(resultCount)")
        }
        return result
    }

    /// The result shape of concatenating `shapes` along `axis`.
    public static func concatenate(_ shapes: [[Int]], axis: Int) throws -> [Int] {
        guard let first = shapes.first else { throw ShapeError("concatenate: needs at least one tensor") }
        let axis = try Shapes.axis(axis, rank: first.count, operation: "concatenate")
        var result = first
        for shape in shapes.dropFirst() {
            var a = first, b = shape
            guard a.count == b.count else {
                throw ShapeError("concatenate: shapes \(first) and \(shape) do not match: ranks differ")
            }
            a[axis] = 0
            b[axis] = 0
            guard a == b else {
                throw ShapeError("concatenate: shapes \(first) and \(shape) do not match outside axis \(axis)")
            }
            let (joined, overflow) = result[axis].addingReportingOverflow(shape[axis])
            guard !overflow else {
                throw ShapeError("concatenate: shapes \(first) and \(shape) join to a dimension of more than \(Int.max) along axis \(axis)")
            }
            result[axis] = joined
        }
        _ = try elementCount(result, operation: "concatenate")
        return result
    }

    /// Checks `gather`: a rank-2 `[rows, columns]` tensor and one index per row.
    public static func gather(_ shape: [Int], indices: [Int]) throws {
        guard shape.count == 2 else {
            throw ShapeError("gather: shapes \(shape) and [\(indices.count)] do not match: values must have rank 2")
        }
        guard shape[0] == indices.count else {
            throw ShapeError("gather: shapes \(shape) and [\(indices.count)] do not match: \(shape[0]) rows but \(indices.count) indices")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= shape[1] }) {
            throw ShapeError("gather: index \(bad) is out of range for \(shape[1]) columns")
        }
    }

    /// Checks row indices into a tensor whose first dimension is `rows`.
    public static func rows(_ shape: [Int], indices: [Int]) throws {
        guard let rows = shape.first else { throw ShapeError("rows: a rank-0 tensor has no rows") }
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw ShapeError("rows: index \(bad) is out of range for shape \(shape)")
        }
    }

    /// Checks that two shapes are equal (for operations without broadcasting).
    public static func same(_ a: [Int], _ b: [Int], operation: String) throws {
        guard a == b else { throw ShapeError("\(operation): shapes \(a) and \(b) do not match: they must be equal") }
    }
}
