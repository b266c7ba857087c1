import CourseKit
import MDPs
import Testing

@Suite("1.1 discountedReturn")
struct DiscountedReturnTests {
    @Test("hand-computed returns")
    func handComputed() throws {
        // 1 + 0.5 * 2 + 0.25 * 4 = 3. The usual slips each give a number of their own.
        let g = try discountedReturn([1, 2, 4], gamma: 0.5)
        #expect(abs(g - 2) > 1e-9, "1.1: drops the last reward: got 2 = 1 + 0.5 * 2, the return of [1, 2]; every reward counts, the last one (4) with gamma^2, expected 3")
        #expect(abs(g - 7) > 1e-9, "1.1: ignores gamma: got 7, the plain sum of [1, 2, 4]; with gamma = 0.5 the return is 1 + 0.5 * 2 + 0.25 * 4 = 3")
        #expect(abs(g - 1.5) > 1e-9, "1.1: the first reward is not discounted (its weight is gamma^0 = 1): got 1.5 = 0.5 * 1 + 0.25 * 2 + 0.125 * 4, expected 1 + 0.5 * 2 + 0.25 * 4 = 3")
        #expect(abs(g - 5.25) > 1e-9, "1.1: the powers of gamma in the wrong order: got 5.25 = 4 + 0.5 * 2 + 0.25 * 1, which gives the LAST reward weight 1; the first reward has weight 1 (walk the rewards from last to first: G = r + gamma G), expected 3")
        #expect(abs(g - 4) > 1e-9, "1.1: the reward k steps ahead is worth gamma^k times its value, not gamma times: got 4 = 1 + 0.5 * (2 + 4), expected 1 + 0.5 * 2 + 0.25 * 4 = 3")
        #expect(abs(g - 3) < 1e-12, "1.1: G = r0 + gamma r1 + gamma^2 r2 = 1 + 1 + 1 = 3, got \(g). Is the first reward discounted by gamma^0 = 1?")
        let late = try discountedReturn([0, 0, 10], gamma: 0.9)
        #expect(abs(late - 8.1) < 1e-12, "1.1: a reward of 10 two steps later is worth 0.9^2 * 10 = 8.1, got \(late). Are the powers of gamma applied in the wrong order?")
    }

    @Test("limits: gamma 0 keeps the first reward, gamma 1 sums, empty is 0")
    func limits() throws {
        let myopic = try discountedReturn([3, 5, 7], gamma: 0)
        #expect(myopic == 3, "1.1: with gamma = 0 only the first reward counts, got \(myopic)")
        let undiscounted = try discountedReturn([-1, -1, -1, -1], gamma: 1)
        #expect(undiscounted == -4, "1.1: with gamma = 1 the return is the plain sum, got \(undiscounted)")
        let empty = try discountedReturn([], gamma: 0.9)
        #expect(empty == 0, "1.1: an empty episode has return 0, got \(empty)")
    }

    @Test("a long episode matches the closed-form geometric sum")
    func geometric() throws {
        // sum_{k<100} 0.99^k = (1 - 0.99^100) / 0.01
        let expected = (1 - pow(0.99, 100.0)) / 0.01
        let g = try discountedReturn(Array(repeating: 1, count: 100), gamma: 0.99)
        #expect(abs(g - expected) < 1e-9, "1.1: 100 rewards of 1 at gamma 0.99 should give \(expected), got \(g)")
    }

    @Test("rejects a discount factor outside [0, 1]")
    func rejectsBadGamma() throws {
        #expect(throws: InvalidArgument.self, "1.1: gamma = 1.5 is not a discount factor") {
            try discountedReturn([1], gamma: 1.5)
        }
        // The rejection is not enough on its own: the function must also compute.
        #expect(try discountedReturn([2], gamma: 0.5) == 2)
    }
}

private func pow(_ x: Double, _ n: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(n) { result *= x }
    return result
}
