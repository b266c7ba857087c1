import RLKit
import Testing

@Suite("storage sizes whose product overflows Int are refused by name")
struct StorageSizeOverflowTests {
    @Test func replayCapacityTimesObservationSize() {
        #expect(errorText { _ = try ReplayBuffer(capacity: Int.max, observationSize: 2) }
            == "ReplayBuffer: invalid capacity * observationSize: 9223372036854775807 * 2 overflows Int; expected a product of at most 9223372036854775807")
        #expect(errorText { _ = try ReplayBuffer(capacity: 1 << 40, observationSize: 1, actionSize: 1 << 30) }
            .hasPrefix("ReplayBuffer: invalid capacity * actionSize: 1099511627776 * 1073741824 overflows Int"))
    }

    @Test func rolloutStepsTimesEnvironmentsTimesSizes() {
        #expect(errorText { _ = try RolloutBuffer(steps: Int.max, environments: 2, observationSize: 1) }
            .hasPrefix("RolloutBuffer: invalid steps * environments * observationSize: 9223372036854775807 * 2 * 1 overflows Int"))
        #expect(errorText { _ = try RolloutBuffer(steps: 1 << 20, environments: 1 << 20, observationSize: 1 << 30) }
            .hasPrefix("RolloutBuffer: invalid steps * environments * observationSize: 1048576 * 1048576 * 1073741824 overflows Int"))
        #expect(errorText { _ = try RolloutBuffer(steps: 1 << 20, environments: 1 << 20, observationSize: 1, actionSize: 1 << 30) }
            .hasPrefix("RolloutBuffer: invalid steps * environments * actionSize: 1048576 * 1048576 * 1073741824 overflows Int"))
    }
}
