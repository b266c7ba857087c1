import Foundation
import Imitation
import RLKit
import Testing

@Suite("9.6 stateDrift")
struct StateDriftTests {
    /// Expert states (0, 0), (2, 0), (0, 4), (2, 4): standard deviations 1
    /// and 2. Learner states (1, 0) and (2, 10): nearest expert states at
    /// standardised distances 1 and (10 - 4) / 2 = 3; drift (1 + 3) / 2 = 2.
    let expert: [[Float]] = [[0, 0], [2, 0], [0, 4], [2, 4]]
    let learner: [[Float]] = [[1, 0], [2, 10]]

    @Test func exactDrift() throws {
        let got = try stateDrift(from: Tensor(learner), to: Tensor(expert))
        #expect(!close(got, 3.5, 1e-5), "9.6: measures in raw units: divide each feature's difference by the expert states' standard deviation of that feature")
        let sampleScale0: Double = (4.0 / 3).squareRoot(), sampleScale1: Double = (16.0 / 3).squareRoot()
        #expect(!close(got, (1 / sampleScale0 + 6 / sampleScale1) / 2, 1e-5),
                "9.6: uses the sample standard deviation (n - 1): the drift uses the population one (divide by n)")
        #expect(!close(got, 5, 1e-5), "9.6: averages squared distances: take the square root of each nearest squared distance before averaging")
        #expect(!close(got, 4, 1e-5), "9.6: sums over the learner's states: average over them")
        let root5: Double = 5.0.squareRoot(), root13: Double = 13.0.squareRoot(), root29: Double = 29.0.squareRoot()
        let nearFirst: Double = (2 + 2 * root5) / 4, nearSecond: Double = (root29 + 5 + root13 + 3) / 4
        let toAll: Double = (nearFirst + nearSecond) / 2
        #expect(!close(got, toAll, 1e-5), "9.6: averages the distances to every expert state: use the distance to the NEAREST expert state")
        #expect(!close(got, nearFirst, 1e-5),
                "9.6: measures from the expert's states to the learner's: the drift averages over the LEARNER's states their distance to the nearest expert state")
        #expect(!close(got, 1.6, 1e-5), "9.6: standardises with the learner's states: the scale is the expert states' standard deviation")
        #expect(close(got, 2, 1e-5), "9.6: expected (1 + 3) / 2 = 2, got \(got)")
        let same = try stateDrift(from: Tensor(expert), to: Tensor(expert))
        #expect(Swift.abs(same) < 1e-9, "9.6: the expert's own states have drift 0, got \(same)")
    }

    @Test func constantFeatureAndLargeOffsets() throws {
        // Feature 1 never varies in the expert's states: its scale is 1.
        let flat = try stateDrift(from: Tensor([[1, 7]]), to: Tensor([[0, 5], [2, 5]]))
        #expect(flat.isFinite, "9.6: divides by a zero standard deviation: a feature the expert never varies has scale 1")
        #expect(close(flat, 5.0.squareRoot(), 1e-5), "9.6: (1, 7) against (0, 5) and (2, 5) with scales 1 and 1: sqrt(5), got \(flat)")
        // The same sets moved by 100,000 along feature 1: the same drift.
        let moved = try stateDrift(from: Tensor(learner.map { [$0[0], $0[1] + 100_000] }),
                                   to: Tensor(expert.map { [$0[0], $0[1] + 100_000] }))
        #expect(close(moved, 2, 1e-4),
                "9.6: got \(moved) for states 100,000 away from the origin, expected 2: E[x^2] - E[x]^2 in Float loses every digit there; subtract the mean first (and add in Double)")
    }

    @Test func badSetsAreNamed() throws {
        _ = try stateDrift(from: Tensor([[1, 2]]), to: Tensor([[0, 0]]))
        let function = "stateDrift(from:to:)"
        #expect(errorText { _ = try stateDrift(from: Tensor([[1, 2]]), to: Tensor([[0, 0, 0]])) }.hasPrefix("\(function): invalid expertStates"))
        #expect(errorText { _ = try stateDrift(from: Tensor(shape: [0, 2], scalars: []), to: Tensor([[0, 0]])) }.hasPrefix("\(function): invalid states"))
        #expect(errorText { _ = try stateDrift(from: Tensor([[1, .nan]]), to: Tensor([[0, 0]])) }.hasPrefix("\(function): invalid states"))
    }
}
