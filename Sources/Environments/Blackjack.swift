import TensorCore

/// What the Blackjack player sees: its sum, the dealer's face-up card and
/// whether it holds a usable ace (an ace counted as 11 without busting).
public struct BlackjackState: Hashable, Sendable, CustomStringConvertible {
    /// The player's current sum (2...31; above 21 is bust).
    public var playerSum: Int
    /// The dealer's face-up card, 1 (ace) ... 10.
    public var dealerCard: Int
    /// True when the player holds an ace counted as 11.
    public var usableAce: Bool

    /// The number of distinct indices: 32 sums x 11 cards x 2 (Gymnasium's
    /// observation space Tuple(Discrete(32), Discrete(11), Discrete(2))).
    public static let indexCount = 32 * 11 * 2

    /// Creates a state.
    public init(playerSum: Int, dealerCard: Int, usableAce: Bool) {
        self.playerSum = playerSum
        self.dealerCard = dealerCard
        self.usableAce = usableAce
    }

    /// The state as one integer for value tables:
    /// (playerSum * 11 + dealerCard) * 2 + (usableAce ? 1 : 0), in 0..<704.
    public var index: Int { (playerSum * 11 + dealerCard) * 2 + (usableAce ? 1 : 0) }

    /// The state with a given index (the inverse of `index`).
    public init(index: Int) {
        usableAce = index % 2 == 1
        dealerCard = (index / 2) % 11
        playerSum = index / 22
    }

    /// For example "(13, 2, ace)" or "(20, 10, no ace)".
    public var description: String { "(\(playerSum), \(dealerCard), \(usableAce ? "ace" : "no ace"))" }
}

/// Blackjack as in Sutton & Barto (Example 5.1) and Gymnasium's default
/// (`natural=False`, `sab=False`).
///
/// Cards are drawn from an infinite deck: 1 (ace) to 9 with probability 1/13
/// each and 10 with probability 4/13. The player and the dealer get two cards;
/// one dealer card is shown. Actions: 0 stick, 1 hit. Hitting past 21 loses
/// (reward -1, terminated). Sticking ends the episode: the dealer hits until
/// its sum is 17 or more (an ace counts 11 when that does not bust, so a soft
/// 17 sticks), then the reward is +1, 0 or -1 by comparing scores (a bust
/// scores 0). A natural (ace and ten) wins only +1, like any other win.
public struct Blackjack: Environment, Sendable {
    /// Action 0: stick.
    public static let stick = 0
    /// Action 1: hit.
    public static let hit = 1
    /// The number of actions.
    public let actionCount = 2

    /// The player's cards summed with aces as 1.
    public private(set) var playerRawSum = 0
    /// True when the player holds at least one ace.
    public private(set) var playerHasAce = false
    /// The dealer's face-up card.
    public private(set) var dealerCard = 1
    /// The dealer's hidden card.
    public private(set) var dealerHiddenCard = 1
    /// Where the current episode stands.
    public private(set) var status: EpisodeStatus = .notStarted
    /// The random stream (cards).
    public var generator: SeededGenerator

    /// Creates a table.
    public init(seed: UInt64 = 0) {
        generator = SeededGenerator(seed: seed)
    }

    /// Draws one card: 1...10 with 10 four times as likely.
    public mutating func drawCard() -> Int { min(generator.nextInt(below: 13) + 1, 10) }

    /// A hand's value: the raw sum, plus 10 when an ace can count as 11.
    static func value(rawSum: Int, hasAce: Bool) -> (sum: Int, usable: Bool) {
        hasAce && rawSum + 10 <= 21 ? (rawSum + 10, true) : (rawSum, false)
    }

    /// What the player sees now.
    public var observation: BlackjackState {
        let player = Blackjack.value(rawSum: playerRawSum, hasAce: playerHasAce)
        return BlackjackState(playerSum: player.sum, dealerCard: dealerCard, usableAce: player.usable)
    }

    /// Deals a new hand.
    public mutating func reset(seed: UInt64? = nil) -> BlackjackState {
        if let seed { generator = SeededGenerator(seed: seed) }
        dealerCard = drawCard()
        dealerHiddenCard = drawCard()
        let first = drawCard(), second = drawCard()
        playerRawSum = first + second
        playerHasAce = first == 1 || second == 1
        status = .running
        return observation
    }

    /// Starts from a chosen state (exploring starts; Example 5.4 uses player
    /// sum 13 with a usable ace against a dealer 2). The dealer's hidden card
    /// is drawn at random.
    ///
    /// - Throws: `EnvironmentError.invalidConfiguration` unless the player sum
    ///   is in 4...21 (12...21 with a usable ace) and the dealer card in 1...10.
    public mutating func reset(to state: BlackjackState) throws -> BlackjackState {
        let lowest = state.usableAce ? 12 : 4
        guard (lowest...21).contains(state.playerSum), (1...10).contains(state.dealerCard) else {
            throw EnvironmentError.invalidConfiguration(
                environment: "Blackjack",
                problem: "cannot start from \(state); expected a player sum in \(lowest)...21 and a dealer card in 1...10")
        }
        playerRawSum = state.usableAce ? state.playerSum - 10 : state.playerSum
        playerHasAce = state.usableAce
        dealerCard = state.dealerCard
        dealerHiddenCard = drawCard()
        status = .running
        return observation
    }

    /// Hits or sticks.
    ///
    /// - Throws: `EnvironmentError.invalidAction` for an action other than 0
    ///   or 1; `.notReset` / `.episodeFinished` outside an episode.
    public mutating func step(_ action: Int) throws -> Step<BlackjackState> {
        try status.checkCanStep("Blackjack")
        guard action == Blackjack.stick || action == Blackjack.hit else {
            throw EnvironmentError.invalidAction(environment: "Blackjack", action: "\(action)",
                                                 expected: "0 (stick) or 1 (hit)")
        }
        if action == Blackjack.hit {
            let card = drawCard()
            playerRawSum += card
            playerHasAce = playerHasAce || card == 1
            if playerRawSum > 21 {
                status = .ended
                return Step(observation: observation, reward: -1, terminated: true, truncated: false)
            }
            return Step(observation: observation, reward: 0, terminated: false, truncated: false)
        }
        var dealerRaw = dealerCard + dealerHiddenCard
        var dealerAce = dealerCard == 1 || dealerHiddenCard == 1
        while Blackjack.value(rawSum: dealerRaw, hasAce: dealerAce).sum < 17 {
            let card = drawCard()
            dealerRaw += card
            dealerAce = dealerAce || card == 1
        }
        let dealer = Blackjack.value(rawSum: dealerRaw, hasAce: dealerAce).sum
        let player = observation.playerSum
        let dealerScore = dealer > 21 ? 0 : dealer
        let playerScore = player > 21 ? 0 : player
        let reward: Double = playerScore > dealerScore ? 1 : (playerScore < dealerScore ? -1 : 0)
        status = .ended
        return Step(observation: observation, reward: reward, terminated: true, truncated: false)
    }
}
