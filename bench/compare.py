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

Two columns, both in every round:
- one thread: every contender confined to one core (the same one), since
  XLA's CPU runtime uses helper threads whatever its flags say (see
  bench/jax_peer.py); ours runs its one-thread keys;
- default threads: no confinement; JAX and PyTorch as installed
  (PEER_ALL_CORES=1), ours its `*_threads` keys (every core, at most 8, or
  DEEPRL_THREADS). `--one-thread-only` leaves this column out.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

KEYS = ["dqn_update_us", "ppo_minibatch_us", "sac_update_us", "matmul_256_gflops"]
HERE = os.path.dirname(os.path.abspath(__file__))


def command(contender, all_cores):
    if contender == "jax":
        return [sys.executable, os.path.join(HERE, "jax_peer.py")]
    if contender == "pytorch":
        return [sys.executable, os.path.join(HERE, "pytorch_peer.py")]
    _, path = contender.split("=", 1)
    keys = [k + "_threads" for k in KEYS] if all_cores else KEYS
    return [path, "bench", "--json", "--only", ",".join(keys)]


def name(contender):
    return contender.split("=", 1)[0]


def run(contender, all_cores):
    core = min(os.sched_getaffinity(0))
    env = dict(os.environ, PEER_ALL_CORES="1" if all_cores else "0")
    pin = None if all_cores else (lambda: os.sched_setaffinity(0, {core}))
    out = subprocess.run(command(contender, all_cores), capture_output=True, text=True, check=True, env=env,
                         preexec_fn=pin).stdout
    result = json.loads(out[out.index("{"):])
    return {k.removesuffix("_threads"): v for k, v in result.items()}


def table(title, medians, spread, rounds):
    names = list(medians)
    ours = names[0]
    print(f"{title}:")
    print()
    print("| key | " + " | ".join(names) + " | " + " | ".join(f"{ours} vs {n}" for n in names[1:]) + " |")
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for k in KEYS:
        cells = [f"{medians[n][k]:,.1f}" for n in names]
        # Times: the peer's time over ours; rates (GFLOP/s): ours over the peer's.
        ratios = [(medians[ours][k] / medians[n][k]) if k.endswith("gflops") else (medians[n][k] / medians[ours][k])
                  for n in names[1:]]
        print(f"| `{k}` | " + " | ".join(cells) + " | " + " | ".join(f"{x:.2f}x" for x in ratios) + " |")
    print()
    print(f"Medians of {rounds} rounds; ranges: " + "; ".join(
        f"{n} " + ", ".join(f"{k.split('_')[0]} {lo:,.0f}-{hi:,.0f}" for k, (lo, hi) in spread[n].items()) for n in names))
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one-thread-only", action="store_true", help="leave out the default-threads column")
    parser.add_argument("contenders", nargs="+")
    args = parser.parse_args()
    modes = [False] if args.one_thread_only else [False, True]
    samples = {m: {name(c): {k: [] for k in KEYS} for c in args.contenders} for m in modes}
    for r in range(args.rounds):
        for m in modes:
            for c in args.contenders:
                result = run(c, m)
                for k in KEYS:
                    samples[m][name(c)][k].append(result[k])
                label = "default threads" if m else "one thread"
                print(f"round {r + 1} {label} {name(c)}: " + ", ".join(f"{k} {result[k]:.1f}" for k in KEYS), file=sys.stderr)
    for m in modes:
        medians = {n: {k: statistics.median(v) for k, v in keys.items()} for n, keys in samples[m].items()}
        spread = {n: {k: (min(v), max(v)) for k, v in keys.items()} for n, keys in samples[m].items()}
        title = "Default threads (ours: every core, at most 8; JAX and PyTorch as installed)" if m \
            else "One thread each (every contender confined to the same core)"
        table(title, medians, spread, args.rounds)


if __name__ == "__main__":
    main()
