import Testing
import TensorCore

@Suite("Optimisers, clipping, schedules and losses")
struct OptimizerTests {
    @Test func adamStepMatchesHandComputation() throws {
        // loss = 0.5 w0 - w1, so g = [0.5, -1]. With bias correction,
        // m_hat = g and v_hat = g^2 after step 1, so the step is
        // lr * g / (|g| + eps): eps is added to sqrt(v_hat) (PyTorch), not inside it.
        let w = Tensor([1, -2], requiresGradient: true)
        let adam = try Adam(parameters: [w], learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0.1)
        (w * Tensor([0.5, -1])).sum().backward()
        adam.step()
        #expect(Swift.abs(w.scalars[0] - (1 - 0.1 * 0.5 / 0.6)) < 1e-6)
        #expect(Swift.abs(w.scalars[1] - (-2 + 0.1 * 1 / 1.1)) < 1e-6)
        // Step 2 with gradient [1, 1]: m = [0.145, 0.01], v = [0.00124975, 0.001999],
        // m_hat = m / 0.19, v_hat = v / 0.001999.
        adam.zeroGradients()
        w.sum().backward()
        let before = w.scalars
        adam.step()
        let mHat: [Double] = [0.145 / 0.19, 0.01 / 0.19]
        let vHat: [Double] = [0.00124975 / 0.001999, 0.001999 / 0.001999]
        for i in 0..<2 {
            let expected = Double(before[i]) - 0.1 * mHat[i] / (vHat[i].squareRoot() + 0.1)
            #expect(Swift.abs(Double(w.scalars[i]) - expected) < 1e-5)
        }
        #expect(adam.stepCount == 2)
    }

    @Test func sgdWithMomentum() throws {
        let w = Tensor([1], requiresGradient: true)
        let sgd = try SGD(parameters: [w], learningRate: 0.1, momentum: 0.9)
        for _ in 0..<2 {
            sgd.zeroGradients()
            (w * 2).sum().backward()
            sgd.step()
        }
        // v1 = 2, w = 0.8; v2 = 0.9 * 2 + 2 = 3.8, w = 0.8 - 0.38 = 0.42
        #expect(Swift.abs(w.scalars[0] - 0.42) < 1e-6)
    }

    @Test func clippingByGlobalNorm() throws {
        let a = Tensor([0, 0], requiresGradient: true), b = Tensor([0], requiresGradient: true)
        (a * Tensor([3, 0]) + 0).sum().backward()
        (b * 4).sum().backward()
        let norm = try clipGradientNorm([a, b], maxNorm: 1)
        #expect(Swift.abs(norm - 5) < 1e-6)
        #expect(Swift.abs(a.gradient!.scalars[0] - 0.6) < 1e-5 && Swift.abs(b.gradient!.scalars[0] - 0.8) < 1e-5)
        #expect(Swift.abs(try clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-4)  // below the limit: unchanged
        #expect(Swift.abs(a.gradient!.scalars[0] - 0.6) < 1e-5)
    }

    /// Two copies of a small network with the same gradients: one clipped,
    /// then stepped; the other stepped with the clipping inside the update.
    func clippedPair(maxNorm: Float) throws -> (twoSteps: [[Float]], fused: [[Float]], norms: (Float, Float),
                                                fusedGradients: [[Float]], rawGradients: [[Float]]) {
        var rng = SeededGenerator(seed: 5)
        let net = MLP([3, 16, 9, 2], activation: .tanh, using: &rng)
        let twin = net.copy()
        let x = Tensor.normal([8, 3], using: &rng)
        var results: [[[Float]]] = [], norms: [Float] = [], gradients: [[[Float]]] = []
        for (index, model) in [net, twin].enumerated() {
            let adam = try Adam(parameters: model.parameters, learningRate: 0.01)
            for _ in 0..<3 {
                adam.zeroGradients()
                (model(x).squared().sum() * 10).backward()
                gradients.append(model.parameters.map { $0.gradient!.scalars })
                if index == 0 {
                    norms.append(try clipGradientNorm(model.parameters, maxNorm: maxNorm))
                    adam.step()
                } else {
                    norms.append(try adam.step(clippingGradientNorm: maxNorm))
                }
            }
            results.append(model.parameters.map(\.scalars))
        }
        return (results[0], results[1], (norms[2], norms[5]), twin.parameters.map { $0.gradient!.scalars }, gradients[5])
    }

    @Test("Adam's step(clippingGradientNorm:) equals clipGradientNorm then step, value for value")
    func fusedClipping() throws {
        for maxNorm: Float in [0.5, 1e9] {  // clipping on every step, and never
            let pair = try clippedPair(maxNorm: maxNorm)
            #expect(pair.fused == pair.twoSteps, "maxNorm \(maxNorm): the fused update moved the weights differently")
            #expect(pair.norms.0 == pair.norms.1, "maxNorm \(maxNorm): norms \(pair.norms)")
            #expect(pair.fusedGradients == pair.rawGradients, "the fused update changed the stored gradients")
        }
        #expect(try clippedPair(maxNorm: 0.5).norms.0 > 0.5, "the test must clip: raise its loss scale")
        let w = Tensor([1], requiresGradient: true)
        let adam = try Adam(parameters: [w])
        #expect(throws: InvalidArgument.self) { try adam.step(clippingGradientNorm: 0) }
        let sgd = try SGD(parameters: [w], learningRate: 0.1)
        (w * 3).sum().backward()
        #expect(try sgd.step(clippingGradientNorm: 1) == 3)  // the protocol's default: clip, then step
        #expect(Swift.abs(w.scalars[0] - 0.9) < 1e-5)
    }

    @Test func linearSchedule() throws {
        let s = try LinearSchedule(from: 1, to: 0.05, over: 100)
        #expect(s.value(at: 0) == 1 && Swift.abs(s.value(at: 50) - 0.525) < 1e-6)
        #expect(s.value(at: 100) == 0.05 && s.value(at: 1000) == 0.05)
    }

    @Test func lossValuesAndGradients() throws {
        let p = Tensor([1, 2, 5], requiresGradient: true), t = Tensor([0, 2, 1])
        #expect(Swift.abs(mseLoss(p, t).scalar - 17.0 / 3) < 1e-6)
        #expect(Swift.abs(mseLoss(p, t, weights: Tensor([1, 0, 0.5])).scalar - 9.0 / 3) < 1e-6)
        // Huber (delta 1): 0.5, 0, 3.5
        #expect(Swift.abs(huberLoss(p, t).scalar - 4.0 / 3) < 1e-6)
        #expect(Swift.abs(huberLoss(p, t, delta: 2).scalar - (0.5 + 0 + 6) / 3) < 1e-6)
        var rng = SeededGenerator(seed: 3)
        let q = parameter([6], &rng, low: -3, high: 3), y = Tensor([0.1, -2, 2.5, 0.3, -0.4, 1]), w = Tensor([1, 2, 0.5, 1, 0.1, 3])
        checkGradients([q]) { huberLoss($0[0], y, weights: w) }
        checkGradients([q]) { mseLoss($0[0], y, weights: w) }
    }
}
