import Environments
import Imitation
import RLKit
import Testing

@Suite("9.1 recordDemonstrations")
struct RecordingTests {
    /// Line from seed 22: episode 0 starts at 0.5 and, pushed right, ends
    /// terminated after 3 steps (0.6, 0.7, 0.8); episode 1 starts at -0.5 and
    /// is truncated after 5 steps; episode 2 starts at -0.25 and is cut by
    /// the budget of 12 rows after 4.
    let act: (LinePosition) -> Int = { _ in 1 }
    let label: (LinePosition) -> Int = { $0.x < 0 ? 1 : 0 }

    @Test func rowsOfARolloutWithAnotherLabeller() throws {
        let expected = try referenceRollout(Line(), steps: 12, seed: 22, act: act, label: label)
        var env = Line()
        let rollout: LabelledRollout
        do {
            rollout = try recordDemonstrations(in: &env, steps: 12, seed: 22, act: act, label: label)
        } catch LineError.stepAfterEnd(let how) {
            Issue.record(how == "truncated"
                ? "9.1: treats a truncated episode as still running: a step that is truncated (time limit) ends the episode too; reset then (step.done)"
                : "9.1: no reset after the episode ended: when a step is done, reset the environment (seed nil) and start the next episode from its observation")
            return
        }
        let data = rollout.demonstrations
        try #require(data.count == 12, "9.1: records \(data.count) rows for steps 12: one row per step")
        try #require(data.observationSize == 1 && data.actionSize == 1,
                     "9.1: the data set must have the environment's sizes (1 and 1), got \(data.observationSize) and \(data.actionSize)")
        #expect(data.observation(at: 0) == expected.observations[0],
                "9.1: row 0 holds the observation \(data.observation(at: 0)), the reset's is \(expected.observations[0]): a row holds the state the action is taken in, not the state it leads to")
        let observations = (0..<12).map { data.observation(at: $0) }
        if let i = (0..<12).first(where: { observations[$0] != expected.observations[$0] }), i > 0 {
            let startsAgain = observations[i] == expected.observations[0] && expected.episodes[i] != expected.episodes[i - 1]
            let terminal: [Float] = [0.8]
            if startsAgain {
                Issue.record("9.1: resets with the same seed for every episode (row \(i) starts episode 1 where episode 0 started): reset(seed: nil) after the first reset so the episodes differ")
            } else if expected.episodes[i] != expected.episodes[i - 1] && Swift.abs(observations[i][0] - terminal[0]) < 1e-5 {
                Issue.record("9.1: row \(i) holds the last state of the finished episode: the first state of a new episode is the observation reset returns")
            } else {
                Issue.record("9.1: row \(i) holds the observation \(observations[i]), expected \(expected.observations[i]) (rows: \(expected.observations.map { $0[0] }))")
            }
        }
        let labels = (0..<12).map { data.action(at: $0) }
        let acted = expected.observations.map { [Float(act(LinePosition(x: Double($0[0]))))] }
        if labels == acted && labels != expected.labels {
            Issue.record("9.1: labels with the acting policy: the action stored is label(s), the expert's, while act(s) is the one executed")
        }
        #expect(labels == expected.labels, "9.1: labels \(labels.map { $0[0] }), expected label(s) in each state: \(expected.labels.map { $0[0] })")
        #expect(data.episodes == expected.episodes,
                "9.1: episode ids \(data.episodes), expected \(expected.episodes): rows of one episode share an id, and the id grows by one after an episode ends")
        #expect(rollout.finishedEpisodes.map(\.length) == expected.lengths,
                "9.1: finished episodes of lengths \(rollout.finishedEpisodes.map(\.length)), expected \(expected.lengths) (the last episode, cut by the budget, is not finished)")
        let returns = rollout.finishedEpisodes.map(\.return)
        #expect(returns.count == expected.returns.count && zip(returns, expected.returns).allSatisfy { close($0, $1, 1e-9) },
                "9.1: finished episodes' returns \(returns), expected \(expected.returns)")
    }

    @Test func cartPoleExpertDemonstrations() throws {
        // act = label = the expert: behaviour cloning's demonstrations, the same rows as a plain loop.
        let expert = CartPoleExpert()
        let expected = try referenceRollout(CartPole(seed: 0), steps: 700, seed: 5, act: expert.callAsFunction,
                                            label: expert.callAsFunction)
        var env = CartPole(seed: 0)
        let rollout = try recordDemonstrations(in: &env, steps: 700, seed: 5, act: expert.callAsFunction,
                                               label: expert.callAsFunction)
        let data = rollout.demonstrations
        try #require(data.count == 700, "9.1: records \(data.count) rows for steps 700")
        #expect((0..<700).allSatisfy { data.observation(at: $0) == expected.observations[$0] },
                "9.1: CartPole's rows differ from the expert's states from reset(seed: 5)")
        #expect((0..<700).allSatisfy { data.action(at: $0) == expected.labels[$0] }, "9.1: CartPole's labels differ from the expert's actions")
        #expect(data.episodes == expected.episodes, "9.1: CartPole's episode ids differ: \(Set(data.episodes).sorted()), expected \(Set(expected.episodes).sorted())")
        #expect(rollout.finishedEpisodes.map(\.length) == [500], "9.1: the expert balances for 500 steps, then the episode is truncated; got finished lengths \(rollout.finishedEpisodes.map(\.length))")
    }

    @Test func badStepCountIsNamed() throws {
        var env = Line()
        let one = try recordDemonstrations(in: &env, steps: 1, seed: 3, act: act, label: label)
        #expect(one.demonstrations.count == 1, "9.1: steps 1 records one row, got \(one.demonstrations.count)")
        #expect(errorText { _ = try recordDemonstrations(in: &env, steps: 0, seed: 3, act: act, label: label) }
            .hasPrefix("recordDemonstrations: invalid steps"), "9.1: steps 0 must throw InvalidArgument naming steps")
    }
}
