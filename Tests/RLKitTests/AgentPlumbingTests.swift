import CourseKit
import Environments
import RLKit
import Testing

/// A task whose episodes last `length` steps with reward 1 each, and a
/// declared action space of 3 actions; action 2 ends the episode at once.
struct CountingTask: DiscreteActionEnvironment {
    struct Observation: ObservationVector {
        static let dimension = 1
        var t = 0.0
        init() {}
        subscript(index: Int) -> Double {
            get { t }
            set { t = newValue }
        }
    }
    let length: Int
    var t = 0
    var actionSpace: DiscreteSpace { DiscreteSpace(3) }
    mutating func reset(seed: UInt64?) -> Observation { t = 0; return Observation() }
    mutating func step(_ action: Int) throws -> Step<Observation> {
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(environment: "CountingTask", action: "\(action)", expected: "0..<3")
        }
        t += 1
        var o = Observation()
        o.t = Double(t)
        return Step(observation: o, reward: 1, terminated: action == 2 || t == length, truncated: false)
    }
}

@Suite("the agents' shared plumbing: episodes, transitions, evaluation schedules, runs")
struct AgentPlumbingTests {
    @Test func theEpisodeTrackerAddsUpEachSlot() throws {
        var tracker = try EpisodeTracker(slots: 2)
        let none = [tracker.record(reward: 1, done: false, slot: 0), tracker.record(reward: 5, done: false, slot: 1)]
        let first = tracker.record(reward: 2, done: true, slot: 0)
        #expect(none == [nil, nil] && first == EpisodeTracker.Episode(slot: 0, return: 3, length: 2))
        #expect(tracker.currentReturn(slot: 0) == 0 && tracker.currentReturn(slot: 1) == 5)
        tracker.discardCurrent(slot: 1)
        tracker.record(reward: -1, done: true, slot: 1)
        #expect(tracker.returns == [3, -1] && tracker.lengths == [2, 1] && tracker.meanReturn(last: 1) == -1)
        #expect(errorText { _ = try EpisodeTracker(slots: 0) } == "EpisodeTracker: invalid slots: got 0, expected an integer >= 1")
    }

    @Test func wrappersAndVectorCopiesUseTheSameTracker() throws {
        var single = EpisodeStatistics(CountingTask(length: 3))
        _ = single.reset(seed: 0)
        for _ in 0..<7 { if try single.step(0).done { _ = single.reset(seed: nil) } }
        #expect(single.returns == [3, 3] && single.currentLength == 1)
        var vector = try VectorEnvironment(count: 2) { CountingTask(length: $0 + 2) }
        _ = vector.reset(seed: 0)
        for _ in 0..<6 { _ = try vector.step([0, 0]) }
        #expect(vector.episodeReturns == [2, 3, 2, 2, 3], "in the order they finish, got \(vector.episodeReturns)")
        #expect(vector.episodes.finished.map(\.slot).filter { $0 == 1 }.count == 2)
    }

    @Test func aTransitionGoesIntoReplayStorageWhole() throws {
        var replay = try ReplayBuffer(capacity: 4, observationSize: 2)
        let t = Transition(observation: [1, 2], action: 1, reward: 0.5, nextObservation: [3, 4],
                           terminated: false, truncated: true, discount: 0.9)
        try replay.add(t)
        let batch = try replay.batch(at: [0])
        #expect(batch.observations.scalars == [1, 2] && batch.actionIndices == [1] && batch.rewards.scalars == [0.5])
        #expect(batch.nextObservations.scalars == [3, 4] && batch.terminated.scalars == [0] && batch.truncated.scalars == [1])
        #expect(batch.discounts.scalars == [0.9] && t.actionIndex == 1 && t.done)
        var env = CountingTask(length: 1)
        let start = env.reset(seed: 0)
        let step = try env.step(0)
        let fromStep = Transition(from: start, action: 0, step: step, gamma: 0.99)
        #expect(fromStep == Transition(observation: [0], action: 0, reward: 1, nextObservation: [1],
                                       terminated: true, truncated: false, discount: 0.99))
        #expect(errorText { try replay.add(Transition(observation: [1], action: [0], reward: 0, nextObservation: [1],
                                                      terminated: false, truncated: false, discount: 1)) }
            .hasPrefix("ReplayBuffer.add: invalid observation"))
    }

    @Test func theScheduleEvaluatesOnTimeConfirmsAndLogs() throws {
        // Episodes last 5 steps (return 5) unless the policy ends them; the threshold 5 is met.
        let settings = EvaluationSettings(interval: 10, episodes: 2, confirmationEpisodes: 3, threshold: 5)
        var schedule = EvaluationSchedule(settings, seed: 7, after: 15) { _ in CountingTask(length: 5) }
        var log = try RunLog(metrics: [Metric.evaluationReturn])
        var calls = 0
        func policy(_ observations: Tensor) -> [Int] { calls += 1; return Array(repeating: 0, count: observations.shape[0]) }
        for step in 1...19 { #expect(try !schedule.isSolved(afterStep: step, log: &log, policy: policy)) }
        #expect(calls == 0, "no evaluation at step 10: it is not after step 15")
        #expect(try schedule.isSolved(afterStep: 20, log: &log, policy: policy))
        #expect(schedule.solvedAtStep == 20 && schedule.last?.returns == [5, 5, 5], "the confirming evaluation is the last")
        #expect(log.series(Metric.evaluationReturn).steps == [20] && log.series(Metric.evaluationReturn).values == [5])
        // A policy that ends every episode at once never reaches the threshold.
        var failing = EvaluationSchedule(settings, seed: 7) { _ in CountingTask(length: 5) }
        var otherLog = try RunLog(metrics: [Metric.evaluationReturn])
        #expect(try !failing.isSolved(afterStep: 10, log: &otherLog, policy: { Array(repeating: 2, count: $0.shape[0]) }))
        #expect(failing.solvedAtStep == nil && failing.last?.meanReturn == 1 && failing.evaluations.count == 1)
        #expect(errorText { try EvaluationSettings(interval: -1, episodes: 1, confirmationEpisodes: 1, threshold: nil)
                    .validate(in: "Agent") } == "Agent: invalid evaluation.interval: got -1, expected an integer >= 0")
    }

    @Test func environmentsDeclareTheirActionSpaces() {
        #expect(CartPole().actionSpace == DiscreteSpace(2) && MountainCar().actionSpace == DiscreteSpace(3))
        let pendulum = Pendulum()
        #expect(pendulum.actionSpace == BoxSpace(low: [-2], high: [2]) && pendulum.action([1.5]) == 1.5)
        #expect(EpisodeStatistics(CartPole()).actionSpace.count == 2)
    }

    @Test func aRunReportsItsRate() throws {
        let run = TrainingRun(agent: "agent", log: try RunLog(metrics: [Metric.tdLoss]), steps: 500, updates: 10,
                              solvedAtStep: nil, lastEvaluation: nil, seconds: 2)
        #expect(run.stepsPerSecond == 250 && run.agent == "agent")
        let clock = RunClock()
        #expect(clock.seconds >= 0 && clock.stepsPerSecond(0) == 0)
    }
}
