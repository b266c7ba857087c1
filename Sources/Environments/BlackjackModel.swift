extension Blackjack {
    /// The terminal state of `Blackjack.model`, after the 704 observation indices.
    public static let terminalState = BlackjackState.indexCount

    /// Blackjack's full model for dynamic programming and exact evaluation.
    ///
    /// States 0..<704 are `BlackjackState.index` values and state 704 is the
    /// end of the game (terminal, self-loop). Actions: 0 stick, 1 hit.
    /// - hit: each card c in 1...10 has probability 1/13 (10: 4/13); the new
    ///   sum counts an ace as 11 when that does not bust; above 21 the game
    ///   ends with reward -1.
    /// - stick: the game ends with reward +1, 0 or -1 with the probabilities
    ///   of the dealer's final score given its face-up card (hidden card and
    ///   later cards drawn from the infinite deck; the dealer sticks on 17+).
    /// Indices that no hand can produce (sums outside 4...21, a usable ace
    /// below 12, dealer card 0) move to the end with reward 0 under both
    /// actions. The initial distribution is that of a fresh deal.
    public static let model: TabularMDP = makeModel()

    /// `Blackjack.model`, for symmetry with the tabular worlds.
    public var model: TabularMDP { Blackjack.model }

    /// P(card = c) for c in 1...10.
    static func cardProbability(_ card: Int) -> Double { card == 10 ? 4.0 / 13.0 : 1.0 / 13.0 }

    /// The distribution of the dealer's final value (17...21, or 22 for any
    /// bust) starting from a partial hand, by recursion over the next card.
    static func dealerOutcomes(rawSum: Int, hasAce: Bool, memo: inout [Int: [Int: Double]]) -> [Int: Double] {
        let key = rawSum * 2 + (hasAce ? 1 : 0)
        if let known = memo[key] { return known }
        let value = Blackjack.value(rawSum: rawSum, hasAce: hasAce).sum
        var result: [Int: Double] = [:]
        if value >= 17 {
            result[min(value, 22)] = 1
        } else {
            for card in 1...10 {
                let next = dealerOutcomes(rawSum: rawSum + card, hasAce: hasAce || card == 1, memo: &memo)
                for (final, p) in next { result[final, default: 0] += cardProbability(card) * p }
            }
        }
        memo[key] = result
        return result
    }

    private static func makeModel() -> TabularMDP {
        let end = terminalState
        let stop = [Transition(probability: 1, nextState: end, reward: 0, terminated: true)]
        var memo: [Int: [Int: Double]] = [:]
        // Dealer's final-value distribution for each face-up card, the hidden card still to come.
        let dealer: [[Int: Double]] = (0...10).map { card in
            card == 0 ? [:] : dealerOutcomes(rawSum: card, hasAce: card == 1, memo: &memo)
        }
        var transitions: [[[Transition]]] = []
        var initial = Array(repeating: 0.0, count: end + 1)
        for index in 0..<BlackjackState.indexCount {
            let s = BlackjackState(index: index)
            guard (4...21).contains(s.playerSum), (1...10).contains(s.dealerCard), !s.usableAce || s.playerSum >= 12 else {
                transitions.append([stop, stop])
                continue
            }
            var win = 0.0, draw = 0.0, loss = 0.0
            for (final, p) in dealer[s.dealerCard] {
                let score = final > 21 ? 0 : final
                if s.playerSum > score { win += p } else if s.playerSum == score { draw += p } else { loss += p }
            }
            let stick = [(win, 1.0), (draw, 0.0), (loss, -1.0)].filter { $0.0 > 0 }.map {
                Transition(probability: $0.0, nextState: end, reward: $0.1, terminated: true)
            }
            let raw = s.usableAce ? s.playerSum - 10 : s.playerSum
            var hitOutcomes: [Int: Double] = [:]
            for card in 1...10 {
                let next = Blackjack.value(rawSum: raw + card, hasAce: s.usableAce || card == 1)
                let target = raw + card > 21 ? end
                    : BlackjackState(playerSum: next.sum, dealerCard: s.dealerCard, usableAce: next.usable).index
                hitOutcomes[target, default: 0] += cardProbability(card)
            }
            let hit = hitOutcomes.keys.sorted().map { target in
                Transition(probability: hitOutcomes[target]!, nextState: target,
                           reward: target == end ? -1 : 0, terminated: target == end)
            }
            transitions.append([stick, hit])
        }
        transitions.append([stop, stop])
        // A fresh deal: two player cards and the dealer's face-up card.
        for dealerCard in 1...10 {
            for first in 1...10 {
                for second in 1...10 {
                    let hand = Blackjack.value(rawSum: first + second, hasAce: first == 1 || second == 1)
                    let state = BlackjackState(playerSum: hand.sum, dealerCard: dealerCard, usableAce: hand.usable)
                    initial[state.index] += cardProbability(dealerCard) * cardProbability(first) * cardProbability(second)
                }
            }
        }
        var isTerminal = Array(repeating: false, count: end + 1)
        isTerminal[end] = true
        // Valid by construction.
        return try! TabularMDP(name: "Blackjack", stateCount: end + 1, actionCount: 2, transitions: transitions,
                               isTerminal: isTerminal, initialDistribution: initial, actionNames: ["stick", "hit"])
    }
}
