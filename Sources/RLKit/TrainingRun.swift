@_exported import CourseKit
import Foundation

/// What every training function of the course returns, so that demos,
/// tests and `deeprl bench` read every lesson's run the same way: the
/// trained agent (its networks), the run's log under the `Metric` names,
/// and the numbers that matter.
public struct TrainingRun<Agent> {
    /// The trained agent: its networks, as the lesson defines them.
    public var agent: Agent
    /// Everything logged during the run, by environment step.
    public var log: RunLog
    /// Environment steps taken (fewer than the budget when solved early).
    public var steps: Int
    /// Gradient updates made.
    public var updates: Int
    /// The step at which the evaluation criterion was met, if it was.
    public var solvedAtStep: Int?
    /// The last evaluation of the policy, if any.
    public var lastEvaluation: EvaluationResult?
    /// Wall-clock seconds the run took, evaluations included.
    public var seconds: Double

    /// Creates a run's result.
    public init(agent: Agent, log: RunLog, steps: Int, updates: Int, solvedAtStep: Int?,
                lastEvaluation: EvaluationResult?, seconds: Double) {
        self.agent = agent
        self.log = log
        self.steps = steps
        self.updates = updates
        self.solvedAtStep = solvedAtStep
        self.lastEvaluation = lastEvaluation
        self.seconds = seconds
    }

    /// Environment steps per second over the whole run.
    public var stepsPerSecond: Double { seconds > 0 ? Double(steps) / seconds : 0 }
}

/// The wall clock of a run, started when created: seconds so far and steps
/// per second (`Metric.stepsPerSecond`).
public struct RunClock: Sendable {
    let start = DispatchTime.now().uptimeNanoseconds

    /// Starts the clock.
    public init() {}

    /// Seconds since the clock started.
    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// `steps` divided by the seconds so far.
    public func stepsPerSecond(_ steps: Int) -> Double {
        let elapsed = seconds
        return elapsed > 0 ? Double(steps) / elapsed : 0
    }
}
