#!/usr/bin/env python3
"""PyTorch peer of lesson 09's demo (`deeprl demo imitation`): behaviour cloning
and DAgger on Pendulum-v1, single file, one CPU thread, with our settings (CleanRL
has no imitation-learning script, so there is no "CleanRL defaults" variant).

The expert is the course's PendulumExpert, ported: energy pumping far from
upright (u = clip(0.5 (E* - E) theta', -2, 2), E = (1/2)(m l^2/3) theta'^2 +
m g (l/2) cos theta, E* = m g l / 2), u = clip(-10 theta - 2 theta', -2, 2) when
cos theta > 0.8. The learner is an MLP 3-64-64-1 (tanh), fitted by regression
(the squared error of the torque), Adam 1e-3, batch 64, 150 epochs, a quarter of
the episodes held out, the epoch of lowest validation loss kept, no observation
standardisation (`BehaviourCloningConfig.pendulum`). Behaviour cloning learns
from 1,600 expert labels (8 episodes); DAgger from 400 expert labels and 6
rounds of 200 labels on the learner's own states (beta 0), retrained from
scratch on all labels after each round (`DAggerConfig()`). Both are scored by
the mean greedy return of 10 episodes.

Prints one JSON line per seed: the two returns and the seconds of each method
(training and evaluation).

    pip install torch gymnasium      # CPU build is enough
    python3 bench/imitation_peer.py [seed ...]
"""
import json
import math
import sys
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)


def expert(obs):
    c, s, v = float(obs[0]), float(obs[1]), float(obs[2])
    if c > 0.8:
        return float(np.clip(-10 * math.atan2(s, c) - 2 * v, -2, 2))
    m, g, l = 1.0, 10.0, 1.0
    energy = 0.5 * (m * l * l / 3) * v * v + m * g * (l / 2) * c
    return float(np.clip(0.5 * (m * g * l / 2 - energy) * v, -2, 2))


def record(env, steps, seed, act):
    """steps rows (observation, expert label, episode) of a rollout of act."""
    obs, _ = env.reset(seed=seed)
    rows, episode = [], 0
    for _ in range(steps):
        rows.append((obs.copy(), expert(obs), episode))
        obs, _, terminated, truncated, _ = env.step(np.array([act(obs)], dtype=np.float32))
        if terminated or truncated:
            obs, _ = env.reset()
            episode += 1
    return rows


def clone(rows, seed, epochs=150, batch=64, fraction=0.25):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    ids = sorted({e for _, _, e in rows})
    held = min(max(round(fraction * len(ids)), 1), len(ids) - 1)
    valid_ids = set(rng.permutation(ids)[:held].tolist())
    x = torch.tensor(np.array([o for o, _, _ in rows]), dtype=torch.float32)
    y = torch.tensor([[a] for _, a, _ in rows], dtype=torch.float32)
    mask = torch.tensor([e in valid_ids for _, _, e in rows])
    xt, yt, xv, yv = x[~mask], y[~mask], x[mask], y[mask]
    net = nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    best, best_state = float("inf"), None
    for _ in range(epochs):
        order = torch.tensor(rng.permutation(len(xt)))
        for start in range(0, len(xt), batch):
            idx = order[start:start + batch]
            loss = ((net(xt[idx]) - yt[idx]) ** 2).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            v = ((net(xv) - yv) ** 2).sum(dim=1).mean().item()
        if v < best:
            best, best_state = v, {k: t.clone() for k, t in net.state_dict().items()}
    net.load_state_dict(best_state)
    return net


def greedy(net):
    def act(obs):
        with torch.no_grad():
            return float(np.clip(net(torch.tensor(obs, dtype=torch.float32)[None])[0, 0].item(), -2, 2))
    return act


def evaluate(net, seed, episodes=10):
    env = gym.make("Pendulum-v1")
    act, total = greedy(net), 0.0
    for i in range(episodes):
        obs, _ = env.reset(seed=seed + i)
        done = False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(np.array([act(obs)], dtype=np.float32))
            total += reward
            done = terminated or truncated
    return total / episodes


def main():
    seeds = [int(s) for s in sys.argv[1:]] or [0]
    for seed in seeds:
        env = gym.make("Pendulum-v1")
        start = time.time()
        bc = clone(record(env, 1600, seed, expert), seed)
        bc_return = evaluate(bc, seed + 1_000_000)
        bc_seconds = time.time() - start

        start = time.time()
        rows = record(env, 400, seed, expert)
        net = clone(rows, seed)
        for r in range(1, 7):
            new = record(env, 200, seed + r * 7919, greedy(net))
            offset = max(e for _, _, e in rows) + 1
            rows += [(o, a, e + offset) for o, a, e in new]
            net = clone(rows, seed + r * 1_000_003)
        dagger_return = evaluate(net, seed + 1_000_000)
        dagger_seconds = time.time() - start
        print(json.dumps({"seed": seed, "labels": len(rows), "bc_return": round(bc_return, 1),
                          "dagger_return": round(dagger_return, 1), "bc_seconds": round(bc_seconds, 1),
                          "dagger_seconds": round(dagger_seconds, 1)}), flush=True)


if __name__ == "__main__":
    main()
