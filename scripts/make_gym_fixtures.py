#!/usr/bin/env python3
"""Record Gymnasium reference trajectories and transition tables as JSON.

The Swift tests in Tests/EnvironmentsTests compare the course's environments
against these files (classic control within 1e-5, tables exactly).

    pip install gymnasium
    python3 scripts/make_gym_fixtures.py      # writes Tests/Fixtures/gymnasium/*.json

Classic control: each scenario sets the unwrapped environment's state after a
reset, applies a fixed action sequence through gym.make (so the registered
time limit applies), and records every observation (Gymnasium returns
float32; stored here as the exact float32 value), reward and flag, stopping
at the first terminated or truncated step.

Toy text: the whole transition table env.unwrapped.P, as
P[s][a] = [[probability, next_state, reward, terminated], ...].
"""

import json
import math
import os

import gymnasium as gym
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "gymnasium")


def run(env_id, start, actions, max_episode_steps=None, to_action=lambda a: a):
    """Plays `actions` from `start` and records the trajectory."""
    kwargs = {} if max_episode_steps is None else {"max_episode_steps": max_episode_steps}
    env = gym.make(env_id, **kwargs)
    env.reset(seed=0)
    env.unwrapped.state = np.array(start, dtype=np.float64)
    record = {
        "start": [float(x) for x in start],
        "max_episode_steps": env.spec.max_episode_steps if max_episode_steps is None else max_episode_steps,
        "actions": [], "observations": [], "rewards": [], "terminated": [], "truncated": [],
    }
    for a in actions:
        obs, reward, terminated, truncated, _ = env.step(to_action(a))
        record["actions"].append(a)
        record["observations"].append([float(x) for x in np.asarray(obs, dtype=np.float32)])
        record["rewards"].append(float(reward))
        record["terminated"].append(bool(terminated))
        record["truncated"].append(bool(truncated))
        if terminated or truncated:
            break
    env.close()
    return record


def cartpole_scenarios():
    rng = np.random.default_rng(1)
    balance = []  # a simple controller that balances for a while
    scenarios = [
        ("push right until the pole falls", [0.0, 0.0, 0.0, 0.0], [1] * 60, None),
        ("push left from a tilted start", [0.01, -0.02, 0.03, 0.04], [0] * 60, None),
        ("random actions", [-0.04, 0.03, -0.02, 0.01], [int(a) for a in rng.integers(0, 2, 200)], None),
        ("cart leaves the track", [2.3, 1.5, 0.0, 0.0], [1] * 40, None),
    ]
    out = [dict(run("CartPole-v1", s, a, m), name=n) for n, s, a, m in scenarios]
    # A balancing controller under a 50-step limit ends by truncation.
    env = gym.make("CartPole-v1", max_episode_steps=50)
    env.reset(seed=0)
    start = [0.02, 0.0, 0.01, 0.0]
    env.unwrapped.state = np.array(start, dtype=np.float64)
    state = np.array(start)
    for _ in range(50):
        a = 1 if state[2] + 0.5 * state[3] > 0 else 0
        balance.append(a)
        state, _, term, trunc, _ = env.step(a)
        if term or trunc:
            break
    out.append(dict(run("CartPole-v1", start, balance, 50), name="balanced until the time limit"))
    return out


def pendulum_scenarios():
    rng = np.random.default_rng(2)
    random_torques = [float(np.float32(x)) for x in np.round(rng.uniform(-3, 3, 200) * 64) / 64]
    to_action = lambda a: np.array([a], dtype=np.float32)
    scenarios = [
        ("random torques (some clipped) until the time limit", [2.5, -0.5], random_torques),
        ("hanging down, full torque", [math.pi, 0.0], [2.0] * 60),
        ("unwrapped angle, reverse torque beyond the limit", [7.0, 7.5], [-5.0] * 60),
    ]
    return [dict(run("Pendulum-v1", s, a, to_action=to_action), name=n) for n, s, a in scenarios]


def mountaincar_scenarios():
    energy = []
    state = np.array([-0.5, 0.0])
    # Push with the velocity: reaches the goal well inside 200 steps.
    env = gym.make("MountainCar-v0")
    env.reset(seed=0)
    env.unwrapped.state = state.copy()
    for _ in range(200):
        a = 2 if state[1] >= 0 else 0
        energy.append(a)
        state, _, term, trunc, _ = env.step(a)
        if term or trunc:
            break
    scenarios = [
        ("push with the velocity until the goal", [-0.5, 0.0], energy),
        ("push left into the wall", [-1.0, -0.03], [0] * 40),
        ("no push until the time limit", [-0.45, 0.0], [1] * 200),
    ]
    return [dict(run("MountainCar-v0", s, a), name=n) for n, s, a in scenarios]


def table(env_id, **kwargs):
    env = gym.make(env_id, **kwargs)
    P = env.unwrapped.P
    rows = [[[[float(p), int(s2), float(r), bool(t)] for (p, s2, r, t) in P[s][a]]
             for a in range(env.action_space.n)] for s in range(env.observation_space.n)]
    env.close()
    return {"env": env_id, "kwargs": kwargs, "P": rows}


def main():
    os.makedirs(OUT, exist_ok=True)
    classic = {
        "gymnasium_version": gym.__version__,
        "cartpole": cartpole_scenarios(),
        "pendulum": pendulum_scenarios(),
        "mountaincar": mountaincar_scenarios(),
    }
    with open(os.path.join(OUT, "classic_control.json"), "w") as f:
        json.dump(classic, f, separators=(",", ":"))
    tables = {
        "gymnasium_version": gym.__version__,
        "frozenlake_4x4_slippery": table("FrozenLake-v1", map_name="4x4", is_slippery=True),
        "frozenlake_4x4": table("FrozenLake-v1", map_name="4x4", is_slippery=False),
        "frozenlake_8x8_slippery": table("FrozenLake-v1", map_name="8x8", is_slippery=True),
        "frozenlake_8x8": table("FrozenLake-v1", map_name="8x8", is_slippery=False),
        "cliffwalking": table("CliffWalking-v1"),
    }
    with open(os.path.join(OUT, "toy_text.json"), "w") as f:
        json.dump(tables, f, separators=(",", ":"))
    for name in ("classic_control.json", "toy_text.json"):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
