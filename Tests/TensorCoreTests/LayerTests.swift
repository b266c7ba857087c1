import Foundation
import Testing
import TensorCore

@Suite("Layers, parameter collections and checkpoints")
struct LayerTests {
    @Test func linearInitialisation() {
        var rng = SeededGenerator(seed: 1)
        let layer = Linear(inputs: 16, outputs: 300, using: &rng)
        let bound: Float = 0.25
        #expect(layer.weight.shape == [16, 300] && layer.bias.shape == [300])
        #expect(layer.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(layer.weight.scalars.max()! > 0.9 * bound && layer.weight.scalars.min()! < -0.9 * bound)
        #expect(layer.bias.scalars.allSatisfy { Swift.abs($0) <= bound })
    }

    @Test func mlpShapesCountAndGradients() {
        var rng = SeededGenerator(seed: 2)
        let q = MLP([4, 120, 84, 2], activation: .relu, using: &rng)
        #expect(q.parameterCount == 4 * 120 + 120 + 120 * 84 + 84 + 84 * 2 + 2)
        #expect(q.namedParameters.map(\.name).prefix(3) == ["layer 1 weight", "layer 1 bias", "layer 2 weight"])
        #expect(q(Tensor.normal([7, 4], using: &rng)).shape == [7, 2])
        let small = MLP([3, 5, 2], activation: .tanh, outputActivation: .sigmoid, using: &rng)
        let x = Tensor.normal([4, 3], using: &rng)
        checkGradients(small.parameters) { _ in small(x) }
    }

    /// An MLP means `activation(layer(h))` layer by layer (`composed`): its
    /// fused forward pass gives the same values and the same parameter gradients.
    @Test(arguments: Activation.allCases)
    func mlpEqualsItsComposition(activation: Activation) {
        var rng = SeededGenerator(seed: 12)
        let net = MLP([5, 9, 7, 3], activation: activation, outputActivation: .tanh, using: &rng)
        let x = Tensor.normal([6, 5], using: &rng)
        func run(_ fused: Bool) -> (values: [Float], gradients: [[Float]]) {
            net.zeroGradients()
            let y = fused ? net(x) : net.composed(x)
            (y * y).sum().backward()
            return (y.scalars, net.parameters.map { $0.gradient?.scalars ?? [] })
        }
        let (fused, composed) = (run(true), run(false))
        #expect(fused.values == composed.values, "\(activation): MLP's values differ from activation(layer(h))")
        #expect(fused.gradients == composed.gradients, "\(activation): MLP's gradients differ from activation(layer(h))'s")
    }

    /// The fused layer step `affine(x, W, b, activation:)` that MLP uses must
    /// equal the two-step `activation(affine(x, W, b))` exactly: same values,
    /// same gradients for x, W and b (odd sizes, so that every kernel
    /// remainder runs), and a gradient check of its own away from relu's kink.
    @Test(arguments: Activation.allCases)
    func fusedLayerStepEqualsTwoSteps(activation: Activation) {
        var rng = SeededGenerator(seed: 11)
        let x = parameter([7, 5], &rng), w = parameter([5, 19], &rng), b = parameter([19], &rng)
        let upstream = Tensor.normal([7, 19], using: &rng)
        func run(_ fused: Bool) -> (values: [Float], gradients: [[Float]]) {
            for t in [x, w, b] { t.zeroGradient() }
            let y = fused ? Tensor.affine(x, w, b, activation: activation) : activation(Tensor.affine(x, w, b))
            (y * upstream).sum().backward()
            return (y.scalars, [x, w, b].map { $0.gradient?.scalars ?? [] })
        }
        let (fused, twoSteps) = (run(true), run(false))
        #expect(fused.values == twoSteps.values, "\(activation): fused values differ from activation(affine(...))")
        #expect(fused.gradients == twoSteps.gradients, "\(activation): fused gradients differ from the two-step ones")
        #expect(fused.gradients.allSatisfy { !$0.isEmpty })
        if activation != .relu {  // finite differences across relu's kink would be meaningless
            checkGradients([x, w, b]) { _ in Tensor.affine(x, w, b, activation: activation) }
        }
        // Without a gradient anywhere nothing is recorded, and the values still agree.
        let constant = withoutGradients { Tensor.affine(x, w, b, activation: activation) }
        #expect(!constant.requiresGradient && constant.scalars == fused.values)
        #expect(Tensor.affine(Tensor.zeros([0, 5]), w, b, activation: activation).shape == [0, 19], "an empty batch gives an empty result")
    }

    /// The same on widths that are multiples of 32, where the AVX-512 tier adds
    /// the bias and applies relu inside the product's register blocks
    /// (`gemm512Affine`): the values must be the bits of bias, then product,
    /// then activation, with short and long sums over k, panels copied or
    /// read in place, and row counts that leave blocks of 4, 2 and 1 rows.
    @Test(arguments: [(37, 4, 64), (16, 70, 96), (23, 256, 256), (8, 3, 32)])
    func fusedLayerStepOnPanelWidths(m: Int, k: Int, n: Int) {
        var rng = SeededGenerator(seed: 12)
        let x = Tensor.normal([m, k], using: &rng), w = Tensor.normal([k, n], using: &rng)
        let b = Tensor.normal([n], using: &rng)
        for activation in Activation.allCases {
            let fused = withoutGradients { Tensor.affine(x, w, b, activation: activation) }
            let twoSteps = withoutGradients { activation(x.matmul(w) + b) }
            let differing = zip(fused.scalars, twoSteps.scalars).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(m) x \(k) x \(n), \(activation): \(differing) of \(m * n) fused values differ from activation(x W + b)")
        }
    }

    @Test func copyPolyakAndInference() throws {
        var rng = SeededGenerator(seed: 3)
        let online = MLP([2, 3, 1], using: &rng)
        let target = online.copy()
        #expect(target.parameters.map(\.scalars) == online.parameters.map(\.scalars))
        online.layers[0].weight[0, 0] += 1  // independent storage
        #expect(target.layers[0].weight[0, 0] == online.layers[0].weight[0, 0] - 1)
        let before = target.layers[0].weight[0, 0]
        try target.polyakUpdate(toward: online, tau: 0.25)
        #expect(Swift.abs(target.layers[0].weight[0, 0] - (before + 0.25)) < 1e-6)
        target.copyParameters(from: online)
        #expect(target.parameters.map(\.scalars) == online.parameters.map(\.scalars))
        let y = withoutGradients { online(Tensor.ones([1, 2])) }
        #expect(!y.requiresGradient)
    }

    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tensorcore-\(name)-\(UInt32.random(in: 0...UInt32.max)).ckpt")
    }

    @Test func checkpointRoundTrip() throws {
        var rng = SeededGenerator(seed: 4)
        let a = MLP([4, 8, 2], using: &rng), b = MLP([4, 8, 2], using: &rng)
        let url = temporaryFile("roundtrip")
        defer { try? FileManager.default.removeItem(at: url) }
        try a.save(to: url)
        try b.load(from: url)
        #expect(b.parameters.map(\.scalars) == a.parameters.map(\.scalars))
        try a.save(to: url)  // overwriting an existing checkpoint works
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.contains(url.lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }

    func expectLoadFails(_ bytes: [UInt8], into module: MLP, _ check: (CheckpointError) -> Bool) {
        let url = temporaryFile("bad")
        defer { try? FileManager.default.removeItem(at: url) }
        try? Data(bytes).write(to: url)
        let before = module.parameters.map(\.scalars)
        do {
            try module.load(from: url)
            Issue.record("load succeeded on a bad file")
        } catch let error as CheckpointError {
            #expect(check(error), "unexpected error: \(error)")
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
        #expect(module.parameters.map(\.scalars) == before, "a failed load must not change the module")
    }

    @Test func checkpointCorruptionIsReported() throws {
        var rng = SeededGenerator(seed: 5)
        let a = MLP([4, 8, 2], using: &rng), b = MLP([4, 8, 2], using: &rng)
        let url = temporaryFile("source")
        defer { try? FileManager.default.removeItem(at: url) }
        try a.save(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        expectLoadFails(Array(bytes.prefix(bytes.count - 10)), into: b) {
            if case .truncated(let expected, let found) = $0 { return expected == bytes.count && found == bytes.count - 10 }
            return false
        }
        expectLoadFails(Array(bytes.prefix(5)), into: b) { $0 == .notACheckpoint(path: $0.pathForTest) }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        expectLoadFails(flipped, into: b) { if case .checksumMismatch = $0 { return true } else { return false } }
        var version = bytes
        version[8] = 9
        expectLoadFails(version, into: b) { $0 == .unsupportedVersion(found: 9, expected: 2) }
        expectLoadFails(Array("hello world, not a checkpoint".utf8), into: b) {
            if case .notACheckpoint = $0 { return true } else { return false }
        }
        let wider = MLP([4, 9, 2], using: &rng)
        expectLoadFails(bytes, into: wider) {
            $0 == .parameterMismatch(index: 0, expectedName: "layer 1 weight", expectedShape: [4, 9],
                                     foundName: "layer 1 weight", foundShape: [4, 8])
        }
        let deeper = MLP([4, 8, 8, 2], using: &rng)
        expectLoadFails(bytes, into: deeper) { $0 == .parameterCountMismatch(expected: 6, found: 4) }
        #expect("\(CheckpointError.parameterCountMismatch(expected: 6, found: 4))"
            == "checkpoint: parameter count mismatch: module has 6, file has 4")
    }
}

extension CheckpointError {
    /// The path inside a `.notACheckpoint` error (for comparisons in tests).
    var pathForTest: String {
        if case .notACheckpoint(let path) = self { return path }
        return ""
    }
}
