import Foundation
import Testing
import TensorCore

/// A small training run with everything a real one keeps between steps: two
/// networks (one a Polyak target), a bare trainable tensor, an Adam
/// optimiser per part and a generator that draws the minibatch noise.
final class TinyRun {
    var rng = SeededGenerator(seed: 21)
    let net: MLP, target: MLP
    let logScale = Tensor(scalar: 0, requiresGradient: true)
    let optimizer: Adam, scaleOptimizer: Adam
    var step = 0

    init() throws {
        net = MLP([3, 8, 2], activation: .tanh, using: &rng)
        target = net.copy()
        optimizer = try Adam(parameters: net.parameters, learningRate: 1e-2)
        scaleOptimizer = try Adam(parameters: [logScale], learningRate: 5e-2)
    }

    func train(steps: Int) throws {
        for _ in 0..<steps {
            let x = Tensor.normal([16, 3], using: &rng)
            let y = withoutGradients { target(x) }
            let loss = mseLoss(net(x) * logScale.exp(), (y + 1).stopGradient())
            optimizer.zeroGradients()
            scaleOptimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            scaleOptimizer.step()
            try target.polyakUpdate(toward: net, tau: 0.1)
            step += 1
        }
    }

    func save(to url: URL) throws {
        var checkpoint = Checkpoint()
        checkpoint.store(net, as: "net")
        checkpoint.store(target, as: "target")
        checkpoint.store(logScale, as: "logScale")
        checkpoint.store(optimizer, as: "adam")
        checkpoint.store(scaleOptimizer, as: "scaleAdam")
        checkpoint.store(rng, as: "rng")
        checkpoint.store(integers: [step], as: "step")
        try checkpoint.write(to: url)
    }

    func restore(from url: URL) throws {
        let saved = try Checkpoint(contentsOf: url)
        try saved.restore(net, from: "net")
        try saved.restore(target, from: "target")
        try saved.restore(logScale, from: "logScale")
        try saved.restore(optimizer, from: "adam")
        try saved.restore(scaleOptimizer, from: "scaleAdam")
        rng = try saved.generator("rng")
        step = try saved.integers("step")[0]
    }

    var everything: [[Float]] { net.parameters.map(\.scalars) + target.parameters.map(\.scalars) + [logScale.scalars] }
}

@Suite("a run saved halfway and resumed continues bit-identically")
struct ResumeTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).ckpt")
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let straight = try TinyRun()
        try straight.train(steps: 40)

        let first = try TinyRun()
        try first.train(steps: 20)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try first.save(to: url)

        let resumed = try TinyRun()  // fresh weights, moments and generator
        try resumed.restore(from: url)
        #expect(resumed.step == 20 && resumed.optimizer.stepCount == 20)
        try resumed.train(steps: 20)
        #expect(resumed.everything == straight.everything, "every weight must be bit-identical to the uninterrupted run")
        #expect(resumed.rng.state == straight.rng.state)

        // Without the optimiser state the run would differ: the test can fail.
        let partial = try TinyRun()
        let saved = try Checkpoint(contentsOf: url)
        try saved.restore(partial.net, from: "net")
        try saved.restore(partial.target, from: "target")
        try saved.restore(partial.logScale, from: "logScale")
        partial.rng = try saved.generator("rng")
        try partial.train(steps: 20)
        #expect(partial.everything != straight.everything)
    }

    @Test func adamStepCountsBeyondFloatPrecisionSurvive() throws {
        let w = Tensor([1], requiresGradient: true)
        let adam = try Adam(parameters: [w])
        var state = adam.exportState()
        let big = 50_000_003
        state[0].values = [Float(big >> 24), Float(big & 0xFF_FFFF)]
        try adam.importState(state)
        #expect(adam.stepCount == big)
        #expect(errorText { try adam.importState(Array(state.dropLast())) }.hasPrefix("checkpoint: malformed file: Adam state has 2 entries, expected 3"))
    }

    @Test func missingAndMismatchedEntriesAreNamed() throws {
        var checkpoint = Checkpoint()
        var rng = SeededGenerator(seed: 1)
        let net = MLP([2, 3, 1], using: &rng)
        checkpoint.store(net, as: "online")
        checkpoint.store(Tensor([1, 2]), as: "pair")
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try checkpoint.write(to: url)
        let saved = try Checkpoint(contentsOf: url)
        #expect(errorText { try saved.restore(net, from: "target") } == "checkpoint: no module named 'target' in the file")
        #expect(errorText { _ = try saved.generator("rng") } == "checkpoint: no generator named 'rng' in the file")
        let before = net.parameters.map(\.scalars)
        let wider = MLP([2, 4, 1], using: &rng)
        #expect(errorText { try saved.restore(wider, from: "online") }.hasPrefix("checkpoint: parameter 0 mismatch"))
        #expect(errorText { try saved.restore(Tensor([0, 0, 0]), from: "pair") }.hasPrefix("checkpoint: parameter 0 mismatch: module expects 'pair' [3]"))
        #expect(net.parameters.map(\.scalars) == before)
        #expect(saved.names.contains("online/layer 1 weight") && saved.names.contains("pair"))
    }

    @Test func aLengthFieldOf2To63BytesThrows() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint().write(to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        for claim: UInt64 in [1 << 63, UInt64.max, UInt64(Int.max)] {
            withUnsafeBytes(of: claim.littleEndian) { for i in 0..<8 { bytes[12 + i] = $0[i] } }
            try Data(bytes).write(to: url)
            #expect(errorText { _ = try Checkpoint(contentsOf: url) } == "checkpoint: truncated file: header says \(claim) bytes, found \(bytes.count)")
        }
    }
}
