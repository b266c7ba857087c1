// The mistake catalogue of exercise 4.2 (doubleDQNTargets).

// MISTAKE plain-max: keeps plain DQN's max of the target network
// WHY: the two networks are already there for the target; the change of Double DQN is easy to miss.
// EXPECT: this is plain DQN's target
    let nextTarget = try withoutGradients { try target(batch.nextObservations) }
    return (batch.rewards + batch.discounts * (1 - batch.terminated) * nextTarget.max(alongAxis: 1)).stopGradient()
// END MISTAKE

// MISTAKE online-evaluates: the online network picks and evaluates
// WHY: "use the online network for the argmax" read as "use the online network".
// EXPECT: the online network evaluates its own choice
// CHARGES: 4.7
    let nextOnline = try withoutGradients { try online(batch.nextObservations) }
    let value = nextOnline.gather(nextOnline.argmax(alongAxis: 1))
    return (batch.rewards + batch.discounts * (1 - batch.terminated) * value).stopGradient()
// END MISTAKE

// MISTAKE swapped-roles: the target network picks, the online network evaluates
// WHY: the two roles are symmetric on paper; which network does which is the whole point.
// EXPECT: the roles are swapped
// CHARGES: 4.7
    let (nextOnline, nextTarget) = try withoutGradients { (try online(batch.nextObservations), try target(batch.nextObservations)) }
    let value = nextOnline.gather(nextTarget.argmax(alongAxis: 1))
    return (batch.rewards + batch.discounts * (1 - batch.terminated) * value).stopGradient()
// END MISTAKE

// MISTAKE no-terminal-mask: bootstraps from terminal states
// WHY: the new argmax draws the attention; the terminal mask of 4.1 is left behind.
// EXPECT: bootstraps from a terminal state
    let (nextOnline, nextTarget) = try withoutGradients { (try online(batch.nextObservations), try target(batch.nextObservations)) }
    let value = nextTarget.gather(nextOnline.argmax(alongAxis: 1))
    return (batch.rewards + batch.discounts * value).stopGradient()
// END MISTAKE
