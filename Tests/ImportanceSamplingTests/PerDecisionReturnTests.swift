import CourseKit
import Foundation
import ImportanceSampling
import Testing
import TensorCore

/// A small episodic MDP, enumerated exactly: three steps from state 0,
/// states {0, 1}, actions {0, 1}; P(next state = 1 | s, a) and the
/// rewards r(s, a) below; target pi and behaviour b differ in both states.
struct ThreeStepMDP {
    static let piOfAction1 = [0.8, 0.3], bOfAction1 = [0.4, 0.6]
    static let nextIsOne = [[0.3, 0.8], [0.5, 0.1]]
    static let reward = [[1.0, -0.5], [2.0, 0.0]]
    static let gamma = 0.9

    /// Every trajectory with its probability under b and under pi, its
    /// per-step probabilities of the actions taken and its rewards.
    struct Trajectory {
        var bProbability = 1.0, piProbability = 1.0
        var pi: [Double] = [], b: [Double] = [], rewards: [Double] = []
    }

    static func trajectories() -> [Trajectory] {
        var out: [Trajectory] = []
        func walk(_ s: Int, _ depth: Int, _ t: Trajectory) {
            if depth == 3 { out.append(t); return }
            for a in 0..<2 {
                let pa = a == 1 ? piOfAction1[s] : 1 - piOfAction1[s]
                let ba = a == 1 ? bOfAction1[s] : 1 - bOfAction1[s]
                for next in 0..<2 {
                    let pNext = next == 1 ? nextIsOne[s][a] : 1 - nextIsOne[s][a]
                    var u = t
                    u.bProbability *= ba * pNext
                    u.piProbability *= pa * pNext
                    u.pi.append(pa)
                    u.b.append(ba)
                    u.rewards.append(reward[s][a])
                    walk(next, depth + 1, u)
                }
            }
        }
        walk(0, 0, Trajectory())
        return out
    }
}

@Suite("6.3 perDecisionReturn")
struct PerDecisionReturnTests {
    // Ratios 0.9 / 0.3 = 3, 0.25 / 0.5 = 0.5, 0.8 / 0.4 = 2; rewards 1, 2, 5; gamma 0.5:
    // G~ = 3 * 1 + 0.5 * (3 * 0.5) * 2 + 0.25 * (3 * 0.5 * 2) * 5 = 3 + 1.5 + 3.75 = 8.25.
    let pi = [0.9, 0.25, 0.8], b = [0.3, 0.5, 0.4], rewards = [1.0, 2, 5]

    @Test("three steps by hand: ratios 3, 0.5, 2, rewards 1, 2, 5, gamma 0.5 give 8.25") func threeStepsByHand() throws {
        let got = try perDecisionReturn(rewards: rewards, targetProbabilities: pi, behaviourProbabilities: b, gamma: 0.5)
        #expect(!close(got, 9.75), "6.3: every reward was weighted by the whole episode's ratio (W G = 3 x 3.25 = 9.75): per-decision weights R_(k+1) only by the ratios of steps 0...k, expected 8.25")
        #expect(!close(got, 5.875), "6.3: the ratio of step k belongs to the reward R_(k+1) of that same step: weight it by rho_0 ... rho_k (the action that earned it included), not rho_0 ... rho_(k-1); expected 8.25, got \(f4(got))")
        #expect(!close(got, 6), "6.3: the weights are cumulative: R_(k+1) is weighted by the product rho_0 rho_1 ... rho_k, not by rho_k alone; expected 8.25, got \(f4(got))")
        let inverted: Double = 1.0 / 3 + 2.0 / 3 + 5.0 / 12
        #expect(!close(got, inverted), "6.3: the ratio is inverted: pi / b (target over behaviour), not b / pi; expected 8.25, got \(f4(got))")
        #expect(!close(got, 21), "6.3: discount the later rewards: R_(k+1) carries gamma^k; expected 8.25, got \(f4(got)) (21 is the undiscounted sum)")
        #expect(!close(got, 4.125), "6.3: the first reward is not discounted: R_(k+1) carries gamma^k, so R_1 gets gamma^0 = 1; expected 8.25, got \(f4(got))")
        #expect(close(got, 8.25, 1e-12), "6.3: ratios 3, 0.5, 2, rewards 1, 2, 5 and gamma 0.5 give 3 x 1 + 0.5 x 1.5 x 2 + 0.25 x 3 x 5 = 8.25, got \(f4(got))")
    }

    @Test("a reward only at the end, gamma 0, no steps") func specialCases() throws {
        // Only the last reward is non-zero (as in Blackjack): per-decision and ordinary agree, 0.25 x 3 x 5 = 3.75.
        let endOnly = try perDecisionReturn(rewards: [0, 0, 5], targetProbabilities: pi, behaviourProbabilities: b, gamma: 0.5)
        #expect(close(endOnly, 3.75, 1e-12), "6.3: with a reward only at the last step, per-decision IS equals ordinary IS: gamma^2 rho_0 rho_1 rho_2 R_3 = 0.25 x 3 x 5 = 3.75, got \(f4(endOnly))")
        let myopic = try perDecisionReturn(rewards: rewards, targetProbabilities: pi, behaviourProbabilities: b, gamma: 0)
        #expect(close(myopic, 3, 1e-12), "6.3: with gamma 0 only the first reward counts: rho_0 R_1 = 3 x 1 = 3, got \(f4(myopic))")
        let empty = try perDecisionReturn(rewards: [], targetProbabilities: [], behaviourProbabilities: [], gamma: 0.9)
        #expect(empty == 0, "6.3: an episode without steps has return 0, got \(empty)")
    }

    @Test("exact over every episode of a small MDP: unbiased, less variable than ordinary") func unbiasedAndLessVariableThanOrdinaryByEnumeration() throws {
        // Exact expectations over all 32 trajectories of a three-step MDP (no sampling).
        var mean = 0.0, square = 0.0, ordinarySquare = 0.0, truth = 0.0
        for t in ThreeStepMDP.trajectories() {
            let g = try perDecisionReturn(rewards: t.rewards, targetProbabilities: t.pi, behaviourProbabilities: t.b,
                                          gamma: ThreeStepMDP.gamma)
            let discounted = t.rewards.enumerated().map { pow(ThreeStepMDP.gamma, Double($0.offset)) * $0.element }.reduce(0, +)
            let rho = zip(t.pi, t.b).map { $0 / $1 }.reduce(1, *)
            mean += t.bProbability * g
            square += t.bProbability * g * g
            ordinarySquare += t.bProbability * rho * discounted * rho * discounted
            truth += t.piProbability * discounted
        }
        #expect(close(mean, truth, 1e-9),
                "6.3: averaged over every trajectory b can produce, weighted by its probability, the per-decision return must equal v_pi exactly (it is unbiased): expected \(f4(truth)), got \(f4(mean))")
        let variance = square - truth * truth, ordinaryVariance = ordinarySquare - truth * truth
        #expect(variance < ordinaryVariance,
                "6.3: per-decision IS should vary less than ordinary IS here (variance \(f4(variance)) against \(f4(ordinaryVariance)))")
    }

    @Test("bad input throws InvalidArgument (different lengths, b = 0, gamma > 1)") func rejectsBadInput() throws {
        #expect(throwsInvalidArgument { _ = try perDecisionReturn(rewards: [1, 2], targetProbabilities: [0.5], behaviourProbabilities: [0.5, 0.5], gamma: 1) },
                "6.3: rewards and probabilities of different lengths must throw InvalidArgument")
        #expect(throwsInvalidArgument { _ = try perDecisionReturn(rewards: [1], targetProbabilities: [0.5], behaviourProbabilities: [0], gamma: 1) },
                "6.3: a behaviour probability of 0 must throw InvalidArgument (the ratio is undefined)")
        #expect(throwsInvalidArgument { _ = try perDecisionReturn(rewards: [1], targetProbabilities: [0.5], behaviourProbabilities: [0.5], gamma: 1.5) },
                "6.3: gamma 1.5 must throw InvalidArgument (gamma is in [0, 1])")
        let one = try perDecisionReturn(rewards: [4], targetProbabilities: [1], behaviourProbabilities: [0.5], gamma: 1)
        #expect(close(one, 8, 1e-12), "6.3: one step with ratio 1 / 0.5 = 2 and reward 4 gives 8, got \(f4(one))")
    }
}
