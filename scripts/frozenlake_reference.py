#!/usr/bin/env python3
"""Reference optimal values of FrozenLake for the lesson 02 tests.

Builds P(s'|s,a) and R from Gymnasium's own model (env.unwrapped.P) and runs
value iteration with numpy to 1e-14, then prints the optimal state values and
the greedy actions as Swift array literals. Run:

    pip install gymnasium numpy
    python3 scripts/frozenlake_reference.py

The numbers printed are pasted into Tests/ValueIterationTests/FrozenLakeReference.swift.
"""
import gymnasium as gym
import numpy as np


def optimal_values(map_name: str, gamma: float):
    env = gym.make("FrozenLake-v1", map_name=map_name, is_slippery=True)
    P = env.unwrapped.P
    nS, nA = env.observation_space.n, env.action_space.n
    v = np.zeros(nS)
    sweeps = 0
    while True:
        q = np.zeros((nS, nA))
        for s in range(nS):
            for a in range(nA):
                for p, s2, r, done in P[s][a]:
                    q[s, a] += p * (r + gamma * (0.0 if done else v[s2]))
        new_v = q.max(axis=1)
        delta = np.abs(new_v - v).max()
        v = new_v
        sweeps += 1
        if delta < 1e-14:
            break
    return v, q.argmax(axis=1), sweeps


def swift_literal(values):
    return "[" + ", ".join(f"{x:.12f}" for x in values) + "]"


for name, gamma in (("4x4", 0.9), ("8x8", 0.99)):
    v, pi, sweeps = optimal_values(name, gamma)
    print(f"// FrozenLake {name}, gamma {gamma}: V(start) = {v[0]:.12f} ({sweeps} sweeps to 1e-14)")
    print(f"values = {swift_literal(v)}")
    print(f"greedy = {list(int(a) for a in pi)}")
