import CourseKit
import MDPs
import Testing

@Suite("1.7 advantages")
struct AdvantageTests {
    @Test("A = Q - V with the V that is passed in")
    func givenValues() throws {
        // V is given (it need not be the row's max or mean): A = [[0 - 5, 6 - 5], [3 - 1, -1 - 1]].
        let a = try advantages(q: [[0, 6], [3, -1]], v: [5, 1])
        #expect(a != [[5, -1], [-2, 2]], "1.7: the sign is flipped: A(s, a) = Q(s, a) - V(s), not V(s) - Q(s, a); expected [[-5, 1], [2, -2]], got \(a)")
        #expect(a != [[-6, 0], [0, -4]], "1.7: subtracts the max of the row: A = Q - V with the V passed in (the policy's value), not Q - max_a Q; expected [[-5, 1], [2, -2]], got \(a)")
        #expect(a != [[-3, 3], [2, -2]], "1.7: subtracts the row's plain average, not the V(s) passed in (V is the average under the policy, which need not be uniform); expected [[-5, 1], [2, -2]], got \(a)")
        #expect(a != [[-5, 5], [-2, -2]], "1.7: subtracts V of the wrong state: every entry of row s gets V(s) of the row's own state, but Q(s, a) - V(a) was computed; expected [[-5, 1], [2, -2]], got \(a)")
        #expect(a == [[-5, 1], [2, -2]], "1.7: A(s, a) = Q(s, a) - V(s), expected [[-5, 1], [2, -2]], got \(a)")
    }

    @Test("A = Q - V by hand")
    func byHand() throws {
        let a = try advantages(q: [[1, 3], [-2, 0]], v: [2, -1])
        #expect(a == [[-1, 1], [-1, 1]], "1.7: A(s, a) = Q(s, a) - V(s), expected [[-1, 1], [-1, 1]], got \(a). Did you subtract V of the wrong state?")
    }

    @Test("advantages average to zero under the policy that defines V")
    func zeroMean() throws {
        let q: [[Double]] = [[4, 1, -2], [10, 20, 30]]
        let pi: [[Double]] = [[0.5, 0.25, 0.25], [0.2, 0.3, 0.5]]
        let v = zip(q, pi).map { row, p in zip(row, p).reduce(0) { $0 + $1.0 * $1.1 } }
        let a = try advantages(q: q, v: v)
        for s in 0..<2 {
            let mean = zip(a[s], pi[s]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(mean) < 1e-12, "1.7: E_pi[A(s, .)] must be 0 when V = E_pi[Q], got \(mean) in state \(s)")
        }
    }

    @Test("rejects a V of the wrong length")
    func rejects() throws {
        #expect(throws: InvalidArgument.self) { try advantages(q: [[1, 2]], v: [1, 2]) }
        _ = try advantages(q: [[1, 2]], v: [1])
    }
}
