import Foundation
import Testing
import TensorCore

// Every trap of TensorCore prints its message in every build. TensorCore is
// compiled with -O even in debug builds, where `precondition` would drop the
// message, so these exit tests run the optimised code: each runs a bad call
// in a child process and checks that the child stopped and that standard
// error names the operation, the bad shape or value and what was expected.

/// The child's standard error as text.
func standardError(_ result: ExitTest.Result?) -> String {
    result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? "(the exit test did not run)"
}

@Suite("trap messages reach standard error in every build")
struct TrapMessageTests {
    @Test("shape: matmul names both shapes") func shape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([128, 4]).matmul(Tensor.zeros([5, 120]))
        }
        #expect(standardError(result).contains("matmul: shapes [128, 4] and [5, 120] do not match: inner dimensions 4 and 5 differ"),
                "\(standardError(result))")
    }

    @Test("shape: broadcasting names the dimension") func broadcast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([128, 2]) + Tensor.zeros([3])
        }
        #expect(standardError(result).contains("add: shapes [128, 2] and [3] do not broadcast"), "\(standardError(result))")
    }

    @Test("index: a subscript out of range") func index() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3])[1, 3]
        }
        #expect(standardError(result).contains("subscript: index [1, 3] is out of range for shape [2, 3]"), "\(standardError(result))")
    }

    @Test("index: gather with an action outside the columns") func gatherIndex() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 2]).gather([0, 2])
        }
        #expect(standardError(result).contains("gather: index 2 is out of range for 2 columns"), "\(standardError(result))")
    }

    @Test("rank: transposing a vector") func rank() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3]).transposed()
        }
        #expect(standardError(result).contains("transposed: needs a rank-2 tensor, got shape [3]"), "\(standardError(result))")
    }

    @Test("element count: values that do not fill the shape") func elementCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5])
        }
        #expect(standardError(result).contains("Tensor: shape [2, 3] needs 6 values, got 5"), "\(standardError(result))")
    }

    @Test("element count: a shape whose element count overflows Int", arguments: [
        ("zeros", "Tensor: shape [9223372036854775807, 2] has too many elements: the product of its dimensions overflows Int"),
        ("init", "Tensor: shape [3, 4611686018427387904, 0] has too many elements: the product of its dimensions overflows Int"),
        ("uniform", "Tensor: shape [4294967296, 4294967296] has too many elements"),
        ("reshaped", "reshape: shapes [4] and [9223372036854775807, 2] do not match: the product of [9223372036854775807, 2] overflows Int"),
        ("oneHot", "oneHot: shape [2, 9223372036854775807] has too many elements"),
        ("transposeMatches", "transposeMatches: shape [9223372036854775807, 2] has too many elements"),
        ("broadcast", "add: shapes [9223372036854775807, 1, 0] and [1, 9223372036854775807, 0] broadcast to [9223372036854775807, 9223372036854775807, 0], which has too many elements"),
    ])
    func elementCountOverflow(call: String, expected: String) async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [call] in
            var rng = SeededGenerator(seed: 1)
            switch call {
            case "zeros": _ = Tensor.zeros([Int.max, 2])
            case "init": _ = Tensor(shape: [3, 1 << 62, 0], scalars: [])
            case "uniform": _ = Tensor.uniform([1 << 32, 1 << 32], using: &rng)
            case "reshaped": _ = Tensor.zeros([4]).reshaped(to: [Int.max, 2])
            case "oneHot": _ = Tensor.oneHot([0, 1], classes: Int.max)
            case "transposeMatches": _ = KernelDiagnostics.transposeMatches(rows: Int.max, columns: 2, seed: 1)
            default: _ = Tensor.zeros([Int.max, 1, 0]) + Tensor.zeros([1, Int.max, 0])
            }
        }
        #expect(standardError(result).contains(expected), "\(call): \(standardError(result))")
    }

    @Test("axis: a reduction along an axis the tensor lacks") func axis() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([4, 2]).sum(alongAxis: 2)
        }
        #expect(standardError(result).contains("sum: axis 2 is out of range for rank 2"), "\(standardError(result))")
    }

    @Test("bad value: backward of a loss with several values") func nonScalarLoss() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            (Tensor([1, 2], requiresGradient: true) * 2).backward()
        }
        #expect(standardError(result).contains("backward: only a scalar loss can be differentiated, got shape [2]"), "\(standardError(result))")
    }

    @Test("bad value: a loss with the wrong shape of targets") func lossShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = mseLoss(Tensor.zeros([128]), Tensor.zeros([128, 1]))
        }
        #expect(standardError(result).contains("mseLoss: shapes [128] and [128, 1] do not match: they must be equal"), "\(standardError(result))")
    }
}

@Suite("structural misuse traps with a message: bad values inside math, stale graphs, anomalies")
struct GraphTrapTests {
    @Test("bad value: clamped with min above max") func clampBounds() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2]).clamped(min: 2, max: 1)
        }
        #expect(standardError(result).contains("clamped: min 2.0 is greater than max 1.0"), "\(standardError(result))")
    }

    @Test("bad value: a random index below zero items") func emptyDraw() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var g = SeededGenerator(seed: 1)
            _ = g.nextInt(below: 0)
        }
        #expect(standardError(result).contains("nextInt(below:) needs a positive count, got 0"), "\(standardError(result))")
    }

    @Test("stale graph: an optimizer step between the forward pass and backward()") func staleAfterStep() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededGenerator(seed: 1)
            let net = MLP([3, 4, 1], using: &rng)
            let optimizer = try! Adam(parameters: net.parameters)
            let loss = net(Tensor.ones([2, 3])).squared().mean()
            // Steps once with gradients from an earlier pass, then
            // differentiates the old graph: its weights are not the ones used.
            net(Tensor.ones([2, 3])).mean().backward()
            optimizer.step()
            loss.backward()
        }
        let text = standardError(result)
        #expect(text.contains("was changed in place after the forward pass used it"), "\(text)")
        #expect(text.contains("call backward() before optimizer.step()"), "\(text)")
    }

    @Test("stale graph: a target-network update of a tensor the loss used") func staleAfterPolyak() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededGenerator(seed: 2)
            let online = MLP([2, 3, 1], using: &rng), other = MLP([2, 3, 1], using: &rng)
            let loss = online(Tensor.ones([1, 2])).sum()
            try! online.polyakUpdate(toward: other, tau: 0.5)
            loss.backward()
        }
        #expect(standardError(result).contains("an input of 'affine' (inputs of shapes [[1, 3], [3, 1], [1]]) was changed in place"), "\(standardError(result))")
    }

    @Test("anomaly mode: the operation that made a NaN or an infinity is named") func forwardAnomaly() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1, 0, 2], requiresGradient: true)
            withAnomalyDetection {
                let y = (x * 2).log()  // log(0) = -infinity
                y.sum().backward()
            }
        }
        #expect(standardError(result).contains("anomaly: 'log' made -infinity at [1] from finite inputs of shapes [[3]]"), "\(standardError(result))")
    }

    @Test("anomaly mode: a backward pass that makes an infinity is named") func backwardAnomaly() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([4, 0], requiresGradient: true)
            withAnomalyDetection {
                x.sqrt().sum().backward()  // d sqrt(x) / dx = 1 / (2 sqrt(x)) is infinite at 0
            }
        }
        #expect(standardError(result).contains("anomaly: the backward pass of 'sqrt' (inputs of shapes [[2]]) put +infinity into the gradient of input 0 at [1]"),
                "\(standardError(result))")
    }

    @Test("anomaly mode: NaN data from outside the scope is traced to its source") func anomalyInInput() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let data = Tensor([1, .nan])
            let w = Tensor([1, 1], requiresGradient: true)
            withAnomalyDetection { _ = (data * w).sum() }
        }
        #expect(standardError(result).contains("'multiply' (inputs of shapes [[2], [2]]) got a non-finite value in input 0, made by no operation"),
                "\(standardError(result))")
    }
}

@Suite("without anomaly mode and with fresh graphs nothing stops")
struct NoFalseAlarmTests {
    @Test func nonFiniteValuesPassOutsideTheScope() {
        let x = Tensor([1, 0], requiresGradient: true)
        let y = x.log().sum()
        #expect(y.scalar == -.infinity)
        #expect(!Tensor.isDetectingAnomalies)
        withAnomalyDetection { #expect(Tensor.isDetectingAnomalies) }
    }

    @Test func theUsualTrainingOrderIsNotStale() throws {
        var rng = SeededGenerator(seed: 3)
        let online = MLP([2, 4, 2], using: &rng)
        let target = online.copy()
        let optimizer = try Adam(parameters: online.parameters)
        for _ in 0..<3 {
            let next = withoutGradients { target(Tensor.ones([3, 2])) }      // not recorded
            let loss = mseLoss(online(Tensor.ones([3, 2])), next.stopGradient())
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            try target.polyakUpdate(toward: online, tau: 0.1)
        }
        #expect(online.layers[0].weight.version == 3, "one in-place write per optimizer step")
    }
}

@Suite("a binary built for a wide SIMD tier stops with one line on a CPU without it")
struct CPUGuardTests {
    @Test("on a CPU with only SSE2 the first tensor stops the program with what to rebuild with",
          .enabled(if: KernelDiagnostics.tier != "portable", "this build uses no wide instructions"))
    func olderCPU() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            setenv("DEEPRL_PRETEND_CPU_FLAGS", "fpu sse sse2", 1)
            _ = Tensor([1, 2])
        }
        let text = standardError(result)
        #expect(text.hasPrefix("TensorCore was compiled for "), "\(text)")
        #expect(text.contains("but this CPU lacks avx") && text.contains("DEEPRL_PORTABLE=1"), "\(text)")
        #expect(text.split(separator: "\n").count == 1, "one line: \(text)")
    }

    @Test("the real CPU of this machine passes the check") func thisCPU() {
        #expect(CPUSupport.missing(["sse2"]).isEmpty)
        checkCPUSupport()  // returns: this build was made here
    }
}
