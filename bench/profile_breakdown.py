#!/usr/bin/env python3
"""Groups a `perf report` of `deeprl bench --only KEY` by where the time goes.

Maintainers' tool for docs/BENCHMARKS.md ("Small-network speed: where the time goes"):

    perf record -o dqn.data .build/release/deeprl bench --only dqn_update_us
    python3 bench/profile_breakdown.py dqn.data            # the groups
    python3 bench/profile_breakdown.py dqn.data --symbols  # and each symbol's group

Symbols are demangled with `swift demangle` (from the toolchain) and put in
the first group whose pattern matches: matrix products, elementwise and
reductions, the optimizer (and clipping, Polyak), memory (allocation, zero
filling, copies, reference counting, page faults), the graph (recording
operations and the backward walk); the rest is "other". Shares are of all
samples (self time), the benchmark's set-up included.
"""
import re
import subprocess
import sys

# Checked first: symbols that the broad patterns below would put in the wrong group.
OVERRIDES = [
    # The fused layer step's backward closure that applies the activation's derivative.
    ("elementwise and reductions", r"closure #1 in closure #2 in static Tensor\.affine\(_:_:_:activation:\)"),
]

GROUPS = [
    ("matrix products", r"Kernels\.(gemm|block|wideBlock|narrowBlock|rowBlocks|matmul|dot|withTransposed|transpose)|PaddedTail|Tensor\.matmul|Tensor\.affine|addMatmulGradients|addAffineGradients"),
    ("optimizer and clipping", r"adam|Adam|SGD|clipGradientNorm|polyak"),
    ("elementwise and reductions", r"relu|tanh|sigmoid|unary|binary|pointwise|expf|exp\b|logf|log1p|__log|__exp|__cos|__sin|sum|mean|broadcast|Broadcast|softmax|logSumExp|gather|minimum|maximum|squared|huber|Huber|clamp|select|where|Loss|Categorical|Gaussian|variance"),
    ("memory: allocation, zeroing, copies, reference counting, page faults",
     r"malloc|free|memset|memmove|memcpy|swift_alloc|swift_release|swift_retain|swift_bridgeObject|Array|ContiguousArrayBuffer|_int_|unlink_chunk|dealloc|swift_beginAccess|swift_endAccess|AccessSet|isUniquelyReferenced|RefCount|clear_page|page_fault|get_page|_raw_spin|copy_mc|uninitializedScalars"),
    ("graph: recording and the backward walk", r"Tensor\.record|Tensor\.constant|backward|topologicalOrder|Set<|Set\._Variant|Hash|hash|ObjectIdentifier|addOrWriteGradient|accumulateGradient|Tensor\.init|Tensor\.deinit|Tensor\.__deallocating"),
]


def main():
    data = sys.argv[1]
    out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio", "--percent-limit", "0",
                          "-g", "none", "--sort", "symbol"], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([0-9.]+)%\s+\[[.k]\]\s+(\S+)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2)))
    names = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(s for _, s in rows),
                           capture_output=True, text=True).stdout.splitlines()
    totals = {name: 0.0 for name, _ in GROUPS}
    totals["other"] = 0.0
    for (share, _), symbol in zip(rows, names):
        group = next((name for name, pattern in OVERRIDES + GROUPS if re.search(pattern, symbol)), "other")
        totals[group] += share
        if "--symbols" in sys.argv and share >= 0.3:
            print(f"{share:6.2f}%  {group[:12]:12}  {symbol[:110]}")
    for name, share in totals.items():
        print(f"{share:6.1f}%  {name}")


if __name__ == "__main__":
    main()
