#!/usr/bin/env python3
"""Gymnasium step timings, the peer numbers for `deeprl bench`'s environment keys.

    pip install gymnasium
    python3 scripts/gym_peer_bench.py

Same workloads as Sources/Benchmarks/EnvironmentBenchmarks.swift:
- cartpole_step_us: one CartPole-v1 step (gym.make, so with the registered
  500-step time limit and Gymnasium's default wrappers) with a uniformly random
  action, the reset when an episode ends included;
- pendulum_step_us: the same for Pendulum-v1 with a random torque in [-2, 2].
Prints the median microseconds per step over 7 rounds, after one warm-up round.
"""

import json
import sys
import time

import gymnasium as gym
import numpy as np


def median_us(body, iterations, rounds=7):
    body(iterations)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        body(iterations)
        samples.append((time.perf_counter_ns() - start) / 1000 / iterations)
    samples.sort()
    return samples[len(samples) // 2]


def cartpole(iterations):
    env = gym.make("CartPole-v1")
    env.reset(seed=1)
    rng = np.random.default_rng(2)
    actions = rng.integers(0, 2, iterations).tolist()

    def run(n):
        for i in range(n):
            _, _, terminated, truncated, _ = env.step(actions[i])
            if terminated or truncated:
                env.reset()

    return median_us(run, iterations)


def pendulum(iterations):
    env = gym.make("Pendulum-v1")
    env.reset(seed=1)
    rng = np.random.default_rng(3)
    torques = rng.uniform(-2, 2, (iterations, 1)).astype(np.float32)

    def run(n):
        for i in range(n):
            _, _, terminated, truncated, _ = env.step(torques[i])
            if terminated or truncated:
                env.reset()

    return median_us(run, iterations)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    results = {
        "gymnasium_version": gym.__version__,
        "cartpole_step_us": round(cartpole(iterations), 3),
        "pendulum_step_us": round(pendulum(iterations), 3),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
