import CourseKit
import MDPs
import Testing

@Suite("1.6 greedyPolicy")
struct GreedyPolicyTests {
    @Test("picks the largest action value in every state")
    func argmax() throws {
        let q: [[Double]] = [[1, 3, 2], [-5, -7, -1], [0.5, 0.25, 0]]
        let policy = try greedyPolicy(from: q)
        #expect(policy == [1, 2, 0], "1.6: argmax per row of \(q) is [1, 2, 0], got \(policy)")
    }

    @Test("breaks ties toward the lowest action")
    func ties() throws {
        let policy = try greedyPolicy(from: [[2, 2, 1], [0, 0, 0], [-1, 4, 4]])
        #expect(policy == [0, 0, 1], "1.6: ties go to the lowest index, expected [0, 0, 1], got \(policy)")
    }

    @Test("the greedy policy of the random policy's Q heads for the nearest corner")
    func gridWorld() throws {
        let grid = Fixtures.grid
        let q = try actionValues(from: Fixtures.randomPolicyValues, in: grid, gamma: 1)  // uses exercise 1.5
        let policy = try greedyPolicy(from: q)
        // Actions: 0 up, 1 right, 2 down, 3 left. Figure 4.1, k = infinity (ties to the lowest index).
        #expect(policy[1] == 3 && policy[4] == 0 && policy[11] == 2 && policy[14] == 1,
                "1.6: next to a terminal corner the greedy action steps into it, got \(policy)")
    }

    @Test("rejects a ragged or empty table")
    func rejects() throws {
        #expect(throws: InvalidArgument.self) { try greedyPolicy(from: [[1, 2], [3]]) }
        #expect(throws: InvalidArgument.self) { try greedyPolicy(from: []) }
        _ = try greedyPolicy(from: [[1]])
    }
}
