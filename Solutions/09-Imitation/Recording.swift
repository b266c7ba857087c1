import CourseKit
import Environments
import RLKit

/// What `recordDemonstrations` returns: the labelled states, and the return
/// and length of every episode that ended during the recording (the last
/// one, cut short by the step budget, is not among them).
public struct LabelledRollout: Sendable {
    /// One row per visited state: the observation, the label, the episode.
    public var demonstrations: Demonstrations
    /// The episodes that ended (terminated or truncated), in order.
    public var finishedEpisodes: [EpisodeTracker.Episode]

    /// Creates a rollout's result.
    public init(demonstrations: Demonstrations, finishedEpisodes: [EpisodeTracker.Episode]) {
        self.demonstrations = demonstrations
        self.finishedEpisodes = finishedEpisodes
    }
}

/// Plays `steps` steps in `env` with the policy `act` and labels every state
/// it visits with the action `label` takes there (notes, sections 1 and 5):
///
///     s_0 = reset(seed);  for t = 0 ..< steps:  store (s_t, label(s_t), episode);  step with act(s_t)
///
/// starting a new episode (reset without a seed, episode id + 1) after a step
/// that terminated or was truncated. A row holds the state the action is
/// taken in, never the state it leads to. With `act` = `label` = the expert
/// this records demonstrations (behaviour cloning); with `act` = the learner
/// it collects DAgger's labels on the learner's own states.
///
/// - Parameters:
///   - steps: the number of rows (labelled states) to record.
///   - seed: the seed of the first reset (nil continues the environment's stream).
/// - Throws: `InvalidArgument` for fewer than 1 step; the environment's
///   errors (an invalid action).
public func recordDemonstrations<E: ImitationEnvironment>(
    in env: inout E, steps: Int, seed: UInt64?, act: (E.Observation) throws -> E.Action,
    label: (E.Observation) throws -> E.Action
) throws -> LabelledRollout {
    try Validate.count(steps, "steps", in: "recordDemonstrations")
    // BEGIN SOLUTION 9.1: roll out act for steps steps; store each state with label's action and its episode (s. 1)
    var data = try Demonstrations(observationSize: E.Observation.dimension, actionSize: env.actionKind.rowWidth)
    var tracker = EpisodeTracker()
    var observation = env.reset(seed: seed)
    var episode = 0
    for _ in 0..<steps {
        try data.append(observation: observation.floats, action: env.row(of: label(observation)), episode: episode)
        let result = try env.step(act(observation))
        if tracker.record(reward: result.reward, done: result.done) != nil {
            observation = env.reset(seed: nil)
            episode += 1
        } else {
            observation = result.observation
        }
    }
    return LabelledRollout(demonstrations: data, finishedEpisodes: tracker.finished)
    // END SOLUTION
}
