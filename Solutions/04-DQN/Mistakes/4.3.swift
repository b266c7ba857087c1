// The mistake catalogue of exercise 4.3 (DuelingQNetwork.callAsFunction).

// MISTAKE no-mean: adds V and A without centring A
// WHY: "Q = V + A" is the idea in one line; the mean subtraction looks like a detail.
// EXPECT: without subtracting the mean advantage
        let features = trunk(observations)
        return valueHead(features) + advantageHead(features)
// END MISTAKE

// MISTAKE batch-mean: takes the mean advantage over the batch
// WHY: mean(alongAxis: 0) or mean() with keepingDimensions looks just as plausible as axis 1.
// EXPECT: the mean advantage is taken over the batch
        let features = trunk(observations)
        let advantage = advantageHead(features)
        return valueHead(features) + advantage - advantage.mean(alongAxis: 0, keepingDimensions: true)
// END MISTAKE

// MISTAKE max-not-mean: subtracts the largest advantage
// WHY: the dueling paper discusses the max variant first.
// EXPECT: subtracts the largest advantage
        let features = trunk(observations)
        let advantage = advantageHead(features)
        return valueHead(features) + advantage - advantage.max(alongAxis: 1, keepingDimensions: true)
// END MISTAKE

// MISTAKE no-value: leaves the value head out
// WHY: once A is centred it looks like a Q-function on its own.
// EXPECT: the value V(s) is missing
        let advantage = advantageHead(trunk(observations))
        return advantage - advantage.mean(alongAxis: 1, keepingDimensions: true)
// END MISTAKE
