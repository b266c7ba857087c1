import CourseKit
import Foundation
import ImportanceSampling
import Testing
import TensorCore

/// KL(p || q) of two distributions given as probabilities, in Double.
func kl(_ p: [Double], _ q: [Double]) -> Double {
    zip(p, q).map { $0 > 0 ? $0 * (log($0) - log($1)) : 0 }.reduce(0, +)
}

@Suite("6.6 meanKLDivergence")
struct PolicyKLTests {
    // Two states, three actions: p = (1/3, 1/3, 1/3) and (0.6, 0.3, 0.1); q = (0.5, 0.25, 0.25) and (0.2, 0.5, 0.3).
    let p: [[Double]] = [[1.0 / 3, 1.0 / 3, 1.0 / 3], [0.6, 0.3, 0.1]]
    let q: [[Double]] = [[0.5, 0.25, 0.25], [0.2, 0.5, 0.3]]
    func logits(_ rows: [[Double]]) -> Tensor { Tensor(rows.map { $0.map { Float(log($0)) } }) }

    @Test("by hand: two states, three actions; and against random logits") func byHand() throws {
        let got = Double(try meanKLDivergence(pLogits: logits(p), qLogits: logits(q)).scalars.first ?? .nan)
        let rows = [kl(p[0], q[0]), kl(p[1], q[1])]            // 0.0566, 0.3961
        let expected = (rows[0] + rows[1]) / 2
        let reversed = (kl(q[0], p[0]) + kl(q[1], p[1])) / 2
        var unweighted = 0.0
        for i in 0..<2 { for a in 0..<3 { unweighted += (log(p[i][a]) - log(q[i][a])) / 2 } }
        #expect(!close(got, reversed, 1e-5), "6.6: KL(p || q) is not symmetric: the first policy, p, weights the actions: sum_a p(a) (log p(a) - log q(a)); expected \(f4(expected)), got \(f4(got)) (that is KL(q || p))")
        #expect(!close(got, rows[0] + rows[1], 1e-5), "6.6: take the mean over the states of the batch, not the sum: expected \(f4(expected)), got \(f4(got))")
        #expect(!close(got, unweighted, 1e-5), "6.6: weight each action's log-ratio by p(a): KL = sum_a p(a) (log p(a) - log q(a)), not the plain sum of log p - log q; expected \(f4(expected)), got \(f4(got))")
        #expect(close(got, expected, 1e-5), "6.6: the mean of KL(p || q) over the two states (\(f4(rows[0])) and \(f4(rows[1]))) is \(f4(expected)), got \(f4(got)); normalise each row over its actions (axis 1)")
        // The same against the tensor core's own KL, on random logits.
        var generator = SeededGenerator(seed: 66)
        let a = Tensor.normal([5, 4], standardDeviation: 2, using: &generator), b = Tensor.normal([5, 4], standardDeviation: 2, using: &generator)
        let reference = Double(klDivergence(try Categorical(logits: a), try Categorical(logits: b)).mean().scalars[0])
        let random = Double(try meanKLDivergence(pLogits: a, qLogits: b).scalars[0])
        #expect(close(random, reference, 1e-5), "6.6: five states with random logits: expected mean KL \(f4(reference)), got \(f4(random))")
    }

    @Test("logits 210 apart stay finite (log-softmax, not log of softmax)") func largeLogitGapsStayFinite() throws {
        // In Float, exp(-210) is 0: log(softmax) gives log 0 = -infinity and 0 * -infinity = NaN.
        let pRow: [Double] = [0, -200, 10], qRow: [Double] = [0, -150, 5]
        let logP = logSoftmaxRow(pRow), logQ = logSoftmaxRow(qRow)
        let expected = zip(logP, logQ).map { exp($0) * ($0 - $1) }.reduce(0, +)
        let got = Double(try meanKLDivergence(pLogits: Tensor([pRow.map(Float.init)]), qLogits: Tensor([qRow.map(Float.init)])).scalars.first ?? .nan)
        #expect(got.isFinite, "6.6: logits [0, -200, 10] give an action a probability of about e^-210, which is 0 in Float: log(softmax) makes it log 0 = -infinity and then 0 x -infinity = NaN; compute log-probabilities with logSoftmax (got \(got))")
        #expect(close(got, expected, 1e-4), "6.6: KL of logits [0, -200, 10] against [0, -150, 5]: expected \(f4(expected)), got \(f4(got))")
    }

    @Test("gradients with respect to both policies' logits") func gradients() throws {
        // d KL / d q-logits = (q - p) / B; d KL / d p-logits = p (log p - log q - KL_row) / B.
        let pLogits = Tensor([[0.5, -1, 2], [0, 0.3, -0.2]], requiresGradient: true)
        let qLogits = Tensor([[1, 0, -1], [0.4, -0.5, 0.1]], requiresGradient: true)
        try meanKLDivergence(pLogits: pLogits, qLogits: qLogits).backward()
        let logP = pLogits.arrayRows.map { logSoftmaxRow($0.map(Double.init)) }
        let logQ = qLogits.arrayRows.map { logSoftmaxRow($0.map(Double.init)) }
        var expectedP: [Double] = [], expectedQ: [Double] = []
        for i in 0..<2 {
            let rowKL = kl(logP[i].map { exp($0) }, logQ[i].map { exp($0) })
            for a in 0..<3 {
                expectedQ.append((exp(logQ[i][a]) - exp(logP[i][a])) / 2)
                expectedP.append(exp(logP[i][a]) * (logP[i][a] - logQ[i][a] - rowKL) / 2)
            }
        }
        let gotQ = qLogits.gradient?.scalars.map(Double.init) ?? [], gotP = pLogits.gradient?.scalars.map(Double.init) ?? []
        #expect(close(gotQ, expectedQ, 1e-5), "6.6: the gradient with respect to q's logits should be (softmax(q) - softmax(p)) / B = \(f4(expectedQ)), got \(f4(gotQ)); the result must stay a differentiable tensor")
        #expect(close(gotP, expectedP, 1e-5), "6.6: the gradient with respect to p's logits should be p (log p - log q - KL) / B = \(f4(expectedP)), got \(f4(gotP))")
    }

    @Test("zero for equal policies, unchanged by shifting a row's logits") func zeroForEqualPoliciesAndUnchangedByShifts() throws {
        var generator = SeededGenerator(seed: 67)
        let a = Tensor.normal([6, 3], using: &generator), b = Tensor.normal([6, 3], using: &generator)
        let same = Double(try meanKLDivergence(pLogits: a, qLogits: a).scalars[0])
        #expect(Swift.abs(same) < 1e-6, "6.6: a policy is at KL 0 from itself, got \(same)")
        let base = Double(try meanKLDivergence(pLogits: a, qLogits: b).scalars[0])
        let shifted = Double(try meanKLDivergence(pLogits: a + 5, qLogits: b - 3).scalars[0])
        #expect(base > 0 && close(base, shifted, 1e-4), "6.6: adding a constant to a row's logits does not change its policy, so the KL (\(f4(base)) > 0) must not change, got \(f4(shifted))")
    }

    @Test("bad input throws InvalidArgument (shapes, empty batch, NaN)") func rejectsBadInput() throws {
        let two = Tensor([[0, 1], [2, 3]])
        #expect(throwsInvalidArgument { _ = try meanKLDivergence(pLogits: two, qLogits: Tensor([[0, 1, 2], [3, 4, 5]])) },
                "6.6: logits of different shapes must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try meanKLDivergence(pLogits: Tensor([0, 1]), qLogits: Tensor([0, 1])) },
                "6.6: logits that are not [batch, actions] must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try meanKLDivergence(pLogits: Tensor(shape: [0, 2], scalars: []), qLogits: Tensor(shape: [0, 2], scalars: [])) },
                "6.6: an empty batch must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try meanKLDivergence(pLogits: Tensor([[0, .nan]]), qLogits: Tensor([[0, 1]])) },
                "6.6: a NaN logit must throw InvalidArgument")
        let got = Double(try meanKLDivergence(pLogits: Tensor([[0, 0]]), qLogits: Tensor([[0, Float(log(3.0))]])).scalars[0])
        let expected = 0.5 * log(4.0 / 3)
        #expect(close(got, expected, 1e-5), "6.6: p = (1/2, 1/2), q = (1/4, 3/4): KL = 0.5 log(4/3) = \(f4(expected)), got \(f4(got))")
    }
}
