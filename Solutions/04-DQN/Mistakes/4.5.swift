// The mistake catalogue of exercise 4.5 (SumTree.update, SumTree.find). Block 1 is
// update, block 2 find.

// MISTAKE adds-not-sets: adds the new priority to the leaf
// WHY: trees are usually shown being built by additions up the path.
// EXPECT: adds to the priority instead of setting it
        var node = leafCount + index
        nodes[node] += priority
        node /= 2
        while node >= 1 {
            nodes[node] = nodes[2 * node] + nodes[2 * node + 1]
            node /= 2
        }
// END MISTAKE

// MISTAKE one-level-up: fixes only the leaf's parent
// WHY: the loop condition stops one level early (node > 1 against the root at 1), or only the parent is refreshed.
// EXPECT: the root holds the total
// CHARGES: 4.7
        let node = leafCount + index
        nodes[node] = priority
        nodes[node / 2] = nodes[node / 2 * 2] + nodes[node / 2 * 2 + 1]
// END MISTAKE

// MISTAKE left-when-equal (block 2): goes left when u equals the left sum
// WHY: "<=" and "<" look alike; at a boundary u belongs to the right interval.
// EXPECT: go left when u < the left sum
        var node = 1
        var u = prefixSum
        while node < leafCount {
            let left = nodes[2 * node]
            if u <= left || nodes[2 * node + 1] == 0 {
                node = 2 * node
            } else {
                u -= left
                node = 2 * node + 1
            }
        }
        return node - leafCount
// END MISTAKE

// MISTAKE no-subtract (block 2): keeps u unchanged when going right
// WHY: the prefix sum is relative to the subtree, which is easy to forget on the way down.
// EXPECT: subtract the left sum
        var node = 1
        let u = prefixSum
        while node < leafCount {
            if u < nodes[2 * node] || nodes[2 * node + 1] == 0 { node = 2 * node } else { node = 2 * node + 1 }
        }
        return node - leafCount
// END MISTAKE

// MISTAKE empty-right-subtree (block 2): walks into an empty right subtree at u == total
// WHY: rounding, or a prefix sum equal to the total, reaches the padding leaves past the capacity.
// EXPECT: a slot with priority 0 is never found
        var node = 1
        var u = prefixSum
        while node < leafCount {
            let left = nodes[2 * node]
            if u < left {
                node = 2 * node
            } else {
                u -= left
                node = 2 * node + 1
            }
        }
        return node - leafCount
// END MISTAKE
