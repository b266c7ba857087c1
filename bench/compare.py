#!/usr/bin/env python3
"""Same-run comparison of TensorCore's update workloads against its peers.

Maintainers' tool for docs/BENCHMARKS.md. Runs each contender's full benchmark
in turn, round after round (so that a slow minute of the machine hits every
contender alike), and prints the median of each key over the rounds as a
Markdown table, with our ratios to each peer (above 1: ours is faster).

    python3 bench/compare.py --rounds 5 \\
        ours=.build/release/deeprl before=/tmp/deeprl-old jax pytorch

A contender is NAME=PATH (a `deeprl` binary, run as `PATH bench --json
--only ...`), `jax` (bench/jax_peer.py) or `pytorch` (bench/pytorch_peer.py).
The first contender is "ours" for the ratios. Needs the peers' packages
(`pip install jax optax torch`) only for the peers named.

Every contender runs confined to one core (the same one), since XLA's CPU
runtime uses helper threads whatever its flags say (see bench/jax_peer.py);
`--all-cores` lifts that for all of them.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

KEYS = ["dqn_update_us", "ppo_minibatch_us", "sac_update_us", "matmul_256_gflops"]
HERE = os.path.dirname(os.path.abspath(__file__))


def command(contender):
    if contender == "jax":
        return [sys.executable, os.path.join(HERE, "jax_peer.py")]
    if contender == "pytorch":
        return [sys.executable, os.path.join(HERE, "pytorch_peer.py")]
    _, path = contender.split("=", 1)
    return [path, "bench", "--json", "--only", ",".join(KEYS)]


def name(contender):
    return contender.split("=", 1)[0]


def run(contender, all_cores):
    core = min(os.sched_getaffinity(0))
    env = dict(os.environ, PEER_ALL_CORES="1" if all_cores else "0")
    pin = None if all_cores else (lambda: os.sched_setaffinity(0, {core}))
    out = subprocess.run(command(contender), capture_output=True, text=True, check=True, env=env, preexec_fn=pin).stdout
    return json.loads(out[out.index("{"):])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--all-cores", action="store_true", help="do not confine the contenders to one core")
    parser.add_argument("contenders", nargs="+")
    args = parser.parse_args()
    samples = {name(c): {k: [] for k in KEYS} for c in args.contenders}
    for r in range(args.rounds):
        for c in args.contenders:
            result = run(c, args.all_cores)
            for k in KEYS:
                samples[name(c)][k].append(result[k])
            print(f"round {r + 1} {name(c)}: " + ", ".join(f"{k} {result[k]:.1f}" for k in KEYS), file=sys.stderr)
    medians = {n: {k: statistics.median(v) for k, v in keys.items()} for n, keys in samples.items()}
    names = list(medians)
    ours = names[0]
    header = "| key | " + " | ".join(names) + " | " + " | ".join(f"{ours} vs {n}" for n in names[1:]) + " |"
    print(header)
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for k in KEYS:
        cells = [f"{medians[n][k]:,.1f}" for n in names]
        # Times: the peer's time over ours; rates (GFLOP/s): ours over the peer's.
        ratios = [(medians[ours][k] / medians[n][k]) if k.endswith("gflops") else (medians[n][k] / medians[ours][k])
                  for n in names[1:]]
        print(f"| `{k}` | " + " | ".join(cells) + " | " + " | ".join(f"{x:.2f}x" for x in ratios) + " |")
    spread = {n: {k: (min(v), max(v)) for k, v in keys.items()} for n, keys in samples.items()}
    print()
    print(f"Medians of {args.rounds} rounds{'' if args.all_cores else ', each contender on one core'}; ranges: " + "; ".join(
        f"{n} " + ", ".join(f"{k.split('_')[0]} {lo:,.0f}-{hi:,.0f}" for k, (lo, hi) in spread[n].items()) for n in names))


if __name__ == "__main__":
    main()
