#!/usr/bin/env python3
"""Groups a `perf report` of `deeprl bench --only KEY` by where the time goes.

Maintainers' tool for docs/BENCHMARKS.md ("Where the time goes"):

    perf record -g -o dqn.data .build/release/deeprl bench --only dqn_update_us
    python3 bench/profile_breakdown.py dqn.data

Prints the share of samples (self time) in matrix products, elementwise
operations, memory (allocation, zero-filling, copies, reference counting),
the optimizer, graph building and the backward walk, and everything else.
"""
import re
import subprocess
import sys

GROUPS = [
    ("matrix products", r"gemm|block512|block4x8|blockWide|matmul|Transposed|dot|rowBlocks|PaddedTail"),
    ("optimizer and clipping", r"adam|Adam|SGD|clipGradientNorm|polyak"),
    ("elementwise and reductions", r"relu|tanh|unary|binary|pointwise|exp|log|sum|mean|broadcast|Broadcast|softmax|gather|minimum|maximum|square|huber|Huber|clamp|select"),
    ("memory: allocation, zeroing, copies, reference counting",
     r"malloc|free|memset|memmove|memcpy|swift_allocObject|swift_release|swift_retain|swift_bridgeObject|Array|ContiguousArrayBuffer|_int_|cfree|dealloc|swift_deallocClassInstance|swift_beginAccess|swift_isUniquelyReferenced"),
    ("graph: recording and the backward walk", r"record|backward|topologicalOrder|Set|Hash|hash|ObjectIdentifier|Tensor"),
]


def main():
    data = sys.argv[1]
    out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio", "--percent-limit", "0",
                          "-g", "none", "--sort", "symbol"], capture_output=True, text=True).stdout
    totals = {name: 0.0 for name, _ in GROUPS}
    totals["other"] = 0.0
    for line in out.splitlines():
        m = re.match(r"\s*([0-9.]+)%\s+\[\.\]\s+(\S+)", line)
        if not m:
            continue
        share, symbol = float(m.group(1)), m.group(2)
        for name, pattern in GROUPS:
            if re.search(pattern, symbol):
                totals[name] += share
                break
        else:
            totals["other"] += share
    for name, share in totals.items():
        print(f"{share:6.1f}%  {name}")


if __name__ == "__main__":
    main()
