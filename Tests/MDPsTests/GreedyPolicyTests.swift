import CourseKit
import MDPs
import Testing

@Suite("1.6 greedyPolicy")
struct GreedyPolicyTests {
    @Test("picks the index of the largest action value in every state")
    func argmax() throws {
        let q: [[Double]] = [[1, 3, 2], [-2, -1, -3], [0.5, 0.25, 0]]
        let policy = try greedyPolicy(from: q)
        #expect(policy != [0, 2, 2], "1.6: picks the smallest value (argmin): the greedy action has the LARGEST Q(s, a); expected [1, 1, 0], got [0, 2, 2]")
        #expect(policy != [3, -1, 0], "1.6: returns the largest value, not its index: a policy holds actions (argmax), expected [1, 1, 0], got the row maxima [3, -1, 0]")
        #expect(policy != [1, 0, 0], "1.6: with every value of a row negative (row 1 is [-2, -1, -3]) the largest is still -1, at index 1: start the running maximum at the row's first entry, not at 0; got [1, 0, 0]")
        #expect(policy == [1, 1, 0], "1.6: argmax per row of \(q) is [1, 1, 0], got \(policy)")
    }

    @Test("breaks ties toward the lowest action")
    func ties() throws {
        let flat = try greedyPolicy(from: Array(repeating: [0.5, 0.5, 0.5, 0.5], count: 50))
        #expect(Set(flat).count <= 1,
                "1.6: breaks ties at random: the same tie must give the same action every time, not at random; 50 rows of four equal values gave the actions \(Set(flat).sorted()), expected 0 in every row")
        let policy = try greedyPolicy(from: [[2, 2, 1], [0, 0, 0], [-1, 4, 4]])
        #expect(policy == [0, 0, 1], "1.6: ties go to the lowest index, expected [0, 0, 1], got \(policy)")
        #expect(flat.count == 50 && flat.allSatisfy { $0 == 0 }, "1.6: ties go to the lowest index: 50 rows of four equal values must all give action 0, got \(Set(flat).sorted())")
    }

    @Test("the greedy policy of the random policy's Q heads for the nearest corner")
    func gridWorld() throws {
        // Q of the equiprobable policy in the lecture grid world (Sutton & Barto, Figure 4.1), written out:
        // Q(s, a) = -1 + v_pi(s') for the cell s' that action a leads to (0 up, 1 right, 2 down, 3 left),
        // and -1 for a move into a terminal corner; the corners' rows are 0.
        let q: [[Double]] = [
            [0, 0, 0, 0], [-15, -21, -19, -1], [-21, -23, -21, -15], [-23, -23, -21, -21],
            [-1, -19, -21, -15], [-15, -21, -21, -15], [-21, -21, -19, -19], [-23, -21, -15, -21],
            [-15, -21, -23, -21], [-19, -19, -21, -21], [-21, -15, -15, -21], [-21, -15, -1, -19],
            [-21, -21, -23, -23], [-21, -15, -21, -23], [-19, -1, -15, -21], [0, 0, 0, 0],
        ]
        let policy = try greedyPolicy(from: q)
        try #require(policy.count == 16, "1.6: one action per state expected, got \(policy.count)")
        #expect(policy[1] == 3 && policy[4] == 0 && policy[11] == 2 && policy[14] == 1,
                "1.6: next to a terminal corner the greedy action steps into it, got \(policy)")
        let expected = [0, 3, 3, 2, 0, 0, 2, 2, 0, 0, 1, 2, 0, 1, 1, 0]
        #expect(policy == expected, "1.6: expected the greedy policy \(expected) (0 up, 1 right, 2 down, 3 left; ties to the lowest index), got \(policy)")
    }

    @Test("rejects a ragged or empty table")
    func rejects() throws {
        #expect(throws: InvalidArgument.self) { try greedyPolicy(from: [[1, 2], [3]]) }
        #expect(throws: InvalidArgument.self) { try greedyPolicy(from: []) }
        _ = try greedyPolicy(from: [[1]])
    }
}
