import Testing
import TensorCore

@Suite("Shape errors name the operation and both shapes")
struct ShapeErrorTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func matmul() throws {
        #expect(message { _ = try Shapes.matmul([128, 4], [5, 120]) }
            == "matmul: shapes [128, 4] and [5, 120] do not match: inner dimensions 4 and 5 differ")
        #expect(message { _ = try Shapes.matmul([3], [3, 2]) }.hasPrefix("matmul: shapes [3] and [3, 2]"))
        #expect(try Shapes.matmul([2, 3], [3, 4]) == [2, 4])
    }

    @Test func broadcasting() throws {
        #expect(message { _ = try Shapes.broadcast([128, 2], [3], operation: "add") }
            == "add: shapes [128, 2] and [3] do not broadcast: dimension 1 is 2 and 3")
        #expect(try Shapes.broadcast([128, 1], [3], operation: "add") == [128, 3])
        #expect(try Shapes.broadcast([], [2, 3], operation: "add") == [2, 3])
    }

    @Test func otherOperations() throws {
        #expect(message { _ = try Shapes.reshape([4, 3], to: [5, -1]) }.hasPrefix("reshape: shapes [4, 3] and [5, -1]"))
        #expect(try Shapes.reshape([4, 3], to: [-1]) == [12])
        #expect(message { _ = try Shapes.concatenate([[2, 3], [2, 4]], axis: 0) }
            == "concatenate: shapes [2, 3] and [2, 4] do not match outside axis 0")
        #expect(message { try Shapes.gather([4, 2], indices: [0, 1]) }
            == "gather: shapes [4, 2] and [2] do not match: 4 rows but 2 indices")
        #expect(message { try Shapes.gather([2, 2], indices: [0, 2]) } == "gather: index 2 is out of range for 2 columns")
        #expect(message { _ = try Shapes.axis(2, rank: 2, operation: "sum") } == "sum: axis 2 is out of range for rank 2")
        #expect(message { try Shapes.same([128], [128, 1], operation: "mseLoss") }
            == "mseLoss: shapes [128] and [128, 1] do not match: they must be equal")
    }

    @Test func elementCountsThatOverflowAreNamed() throws {
        #expect(message { try Shapes.validateScalarCount(shape: [Int.max, 2], count: 0) }
            == "Tensor: shape [9223372036854775807, 2] has too many elements: the product of its dimensions overflows Int")
        #expect(message { _ = try Shapes.elementCount([1 << 32, 1 << 32, 0], operation: "zeros") }
            == "zeros: shape [4294967296, 4294967296, 0] has too many elements: the product of its dimensions overflows Int")
        #expect(try Shapes.elementCount([Int.max, 0]) == 0, "a zero dimension makes an empty tensor when the other dimensions fit")
        #expect(try Shapes.elementCount([2, 3, 4]) == 24 && Shapes.elementCount([]) == 1)
        #expect(message { _ = try Shapes.elementCount([2, -3]) } == "Tensor: shape [2, -3] has a negative dimension")
        #expect(message { _ = try Shapes.reshape([4], to: [-1, Int.max, 2]) }.hasSuffix("the product of [-1, 9223372036854775807, 2] overflows Int"))
        #expect(message { _ = try Shapes.concatenate([[Int.max, 0], [1, 0]], axis: 0) }
            == "concatenate: shapes [9223372036854775807, 0] and [1, 0] join to a dimension of more than 9223372036854775807 along axis 0")
    }

    @Test func nonFiniteValuesAreLocated() {
        let t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, .nan, 5])
        #expect(message { try t.checkFinite(name: "q") } == "NaN in q at [1, 1]")
        var rng = SeededGenerator(seed: 0)
        let net = MLP([4, 8, 8, 2], using: &rng)
        #expect(message { try net.checkFinite() } == "no error")
        let x = Tensor.normal([5, 4], using: &rng)
        (net(x) * Float.infinity).sum().backward()
        #expect(message { try net.checkFinite() }.contains(" in gradient of layer 1 weight at [0, 0]"))
        net.zeroGradients()
        net.layers[1].weight[3, 7] = .nan
        #expect(message { try net.checkFinite() } == "NaN in layer 2 weight at [3, 7]")
    }
}
