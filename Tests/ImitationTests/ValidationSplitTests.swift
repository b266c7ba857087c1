import Imitation
import RLKit
import Testing

@Suite("9.4 Demonstrations.splitByEpisode")
struct ValidationSplitTests {
    /// `lengths[k]` rows for episode `ids[k]`; row r's observation is (r, id), its action r mod 2.
    func data(ids: [Int], lengths: [Int]) throws -> Demonstrations {
        var rows: [([Float], [Float], Int)] = []
        for (id, length) in zip(ids, lengths) {
            for _ in 0..<length { rows.append(([Float(rows.count), Float(id)], [Float(rows.count % 2)], id)) }
        }
        return try handData(rows)
    }

    /// The row numbers (first feature) of a set.
    func rowNumbers(_ d: Demonstrations) -> [Int] { (0..<d.count).map { Int(d.observation(at: $0)[0]) } }

    @Test func wholeEpisodesRandomlyHeldOut() throws {
        // Ten episodes with ids that are not 0..<10 and lengths 1...10.
        let ids = [3, 7, 10, 11, 20, 21, 22, 40, 41, 99]
        let all = try data(ids: ids, lengths: Array(1...10))
        var heldOut: [Set<Int>] = []
        for seed in UInt64(0)..<40 {
            var rng = SeededGenerator(seed: seed)
            let (training, validation) = try all.splitByEpisode(validationFraction: 0.25, using: &rng)
            try #require(training.count + validation.count == all.count,
                         "9.4: \(training.count) + \(validation.count) rows, the data has \(all.count): every row goes to exactly one set")
            let trainIDs = Set(training.episodes), validIDs = Set(validation.episodes)
            try #require(trainIDs.isDisjoint(with: validIDs),
                         "9.4: splits an episode between training and validation (episodes \(trainIDs.intersection(validIDs).sorted())): hold out whole episodes, or the validation states have near-copies in training")
            try #require(validIDs.count != 7,
                         "9.4: returns the sets swapped: the first is the training set, the second the round(0.25 * 10) = 3 held-out episodes")
            try #require(validIDs.count == 3,
                         "9.4: holds out \(validIDs.count) episodes of 10 with fraction 0.25, expected round(0.25 * 10) = 3 (rounded to nearest, not down)")
            try #require(trainIDs.union(validIDs) == Set(ids), "9.4: the episodes of the two sets must be all of the data's")
            #expect(rowNumbers(training) == rowNumbers(training).sorted() && rowNumbers(validation) == rowNumbers(validation).sorted(),
                    "9.4: rows must keep their order within each set")
            #expect((0..<validation.count).allSatisfy { i in
                let row = rowNumbers(validation)[i]
                return validation.action(at: i) == all.action(at: row) && validation.episodes[i] == all.episodes[row]
            }, "9.4: a held-out row must keep its action and its episode id")
            heldOut.append(validIDs)
        }
        try #require(Set(heldOut).count > 1,
                     "9.4: holds out the same episodes \(heldOut[0].sorted()) for every seed: choose them at random with the generator")
        let chosen = heldOut.reduce(into: [Int: Int]()) { counts, set in for id in set { counts[id, default: 0] += 1 } }
        #expect(chosen.count == 10, "9.4: over 40 seeds, episodes \(Set(ids).subtracting(chosen.keys).sorted()) were never held out: every episode must be equally likely")
        #expect(chosen.values.allSatisfy { $0 >= 3 && $0 <= 24 },
                "9.4: over 40 seeds each episode should be held out about 12 times, got \(chosen.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })")
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        #expect(try all.splitByEpisode(validationFraction: 0.25, using: &a) == all.splitByEpisode(validationFraction: 0.25, using: &b),
                "9.4: the same generator state must give the same split")
    }

    @Test func atLeastOneEpisodeInEachSet() throws {
        let four = try data(ids: [0, 1, 2, 3], lengths: [2, 2, 2, 2])
        var rng = SeededGenerator(seed: 1)
        let (training, validation) = try four.splitByEpisode(validationFraction: 0.1, using: &rng)
        #expect(Set(validation.episodes).count == 1 && Set(training.episodes).count == 3,
                "9.4: with 4 episodes and fraction 0.1, round(0.4) = 0 but at least one episode is held out; got \(Set(validation.episodes).count)")
        let three = try data(ids: [0, 1, 2], lengths: [1, 2, 3])
        let (training3, validation3) = try three.splitByEpisode(validationFraction: 0.9, using: &rng)
        #expect(Set(training3.episodes).count == 1 && Set(validation3.episodes).count == 2,
                "9.4: with 3 episodes and fraction 0.9, round(2.7) = 3 but at least one episode is kept for training; got \(Set(training3.episodes).count)")
    }

    @Test func badFractionsAndTooFewEpisodesAreNamed() throws {
        let two = try data(ids: [0, 1], lengths: [2, 3])
        var rng = SeededGenerator(seed: 0)
        let (training, validation) = try two.splitByEpisode(validationFraction: 0.5, using: &rng)
        #expect(training.count + validation.count == 5, "9.4: two episodes, fraction 0.5: one in each set")
        for bad in [0.0, 1.0, -0.25, 1.5, .nan] {
            #expect(errorText { _ = try two.splitByEpisode(validationFraction: bad, using: &rng) }
                .hasPrefix("Demonstrations.splitByEpisode: invalid validationFraction"), "9.4: fraction \(bad) must be refused")
        }
        let one = try data(ids: [4], lengths: [6])
        #expect(errorText { _ = try one.splitByEpisode(validationFraction: 0.5, using: &rng) }
            .hasPrefix("Demonstrations.splitByEpisode: invalid demonstrations: hold 1 episode(s)"))
    }
}
