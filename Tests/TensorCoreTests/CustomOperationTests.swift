import Foundation
import Testing
import TensorCore

/// A differentiable operation defined outside the core, through the same
/// door as the core's own: forward values plus a backward closure.
///     y = x^3,  dy/dx = 3 x^2
extension Tensor {
    func cubed() -> Tensor {
        let y = scalars.map { $0 * $0 * $0 }
        return Tensor.record("cubed", shape: shape, scalars: y, inputs: [self]) { [self] g in
            accumulateGradient(zip(g, scalars).map { $0 * 3 * $1 * $1 })
        }
    }

    /// The same operation with the classic mistake: the derivative forgets
    /// the chain rule's upstream gradient.
    func cubedForgettingTheUpstreamGradient() -> Tensor {
        let y = scalars.map { $0 * $0 * $0 }
        return Tensor.record("cubed", shape: shape, scalars: y, inputs: [self]) { [self] _ in
            accumulateGradient(scalars.map { 3 * $0 * $0 })
        }
    }
}

@Suite("custom operations through Tensor.record, checked by the public gradient checker")
struct CustomOperationTests {
    @Test func aCustomOperationDifferentiatesLikeABuiltIn() {
        var rng = SeededGenerator(seed: 9)
        let x = Tensor.uniform([3, 2], low: -1.5, high: 1.5, using: &rng, requiresGradient: true)
        let report = gradientCheck([x]) { $0[0].cubed() }
        #expect(report.passed, "\(report)")
        #expect(report.comparedScalars == 6)
        // Composes with the core's operations, and names itself in the graph.
        let y = (x.cubed() * 2).sum()
        #expect(x.cubed().operation == "cubed")
        y.backward()
        for (g, v) in zip(x.gradient!.scalars, x.scalars) { #expect(Swift.abs(g - 6 * v * v) < 1e-5) }
    }

    @Test func theCheckerCatchesAWrongBackward() {
        var rng = SeededGenerator(seed: 10)
        let x = Tensor.uniform([4], low: 0.5, high: 1.5, using: &rng, requiresGradient: true)
        let report = gradientCheck([x]) { $0[0].cubedForgettingTheUpstreamGradient() }
        #expect(!report.passed && report.mismatches.count == 4, "\(report)")
        #expect(report.description.hasPrefix("gradient check failed at 4 of 4 scalars; first: input 0 at [0]"), "\(report)")
    }

    @Test("the engine's header shows this file's cubed() word for word, so the example compiles")
    func theHeaderExampleIsThisCode() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let header = try String(contentsOf: root.appendingPathComponent("Sources/TensorCore/Autodiff.swift"), encoding: .utf8)
        let example = header.components(separatedBy: "\n").filter { $0.hasPrefix("///     ") }
            .map { String($0.dropFirst(8)) }
        let test = try String(contentsOf: here, encoding: .utf8).components(separatedBy: "\n")
        let cubed = try #require(test.firstIndex { $0.contains("func cubed() -> Tensor {") })
        let ours = ["extension Tensor {"] + test[cubed..<(cubed + 6)].map { $0 } + ["}"]
        #expect(Array(example.prefix(ours.count)) == ours, "Autodiff.swift's example:\n\(example.joined(separator: "\n"))")
    }

    @Test func aLeafHasNoOperation() {
        #expect(Tensor([1]).operation == nil)
        #expect((Tensor([1]) + Tensor([2])).operation == "add")
    }
}
