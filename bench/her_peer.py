#!/usr/bin/env python3
"""PyTorch peer of lesson 10's agent (`deeprl demo hindsight`): a single-file
DQN + hindsight experience replay on the HER paper's bit-flipping task, on one
CPU thread.

CleanRL has no HER script, so there is no "what a student would run instead"
setting; this peer runs the same algorithm and settings as our demo's agent
(`HERConfig()` in Solutions/10-Hindsight/HERAgent.swift), so that the
comparison measures the implementation's speed: Q-network 2n-256-n ReLU on the
input (state, goal), Adam 1e-3, gamma 0.98, epsilon-greedy with epsilon 0.2,
epochs of 10 cycles, a cycle 16 episodes and then 40 gradient steps on uniform
minibatches of 128 from a buffer of 100,000, the "future" strategy with k = 4
(each step stored with its own goal and 4 goals achieved at that step or
later, reward and termination recomputed), targets clipped to
[-1 / (1 - gamma), 0], MSE loss, Polyak target update with tau 0.05 after
every cycle. After every epoch the greedy policy plays 100 episodes; the run
stops once their success rate reaches 0.9 (or after --epochs epochs) and
prints one JSON line: the epochs, environment steps and seconds to that
criterion, with and without the time spent evaluating.

Bit flipping: n bits, a random start and goal (n fair bits each), action k
flips bit k, reward -1 per step until the state equals the goal (0 then,
terminated), n steps per episode (truncated).

    pip install torch numpy          # CPU build is enough
    python3 bench/her_peer.py [seed] [--bits 15] [--strategy future|none]
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

GAMMA, LR, EPSILON, TAU = 0.98, 1e-3, 0.2, 0.05
CYCLES, EPISODES, UPDATES, BATCH, BUFFER, K = 10, 16, 40, 128, 100_000, 4
EVAL_EPISODES, THRESHOLD = 100, 0.9


class BitFlipping:
    def __init__(self, n, rng):
        self.n, self.rng = n, rng

    def reset(self):
        self.state = self.rng.integers(0, 2, self.n).astype(np.float32)
        self.goal = self.rng.integers(0, 2, self.n).astype(np.float32)
        self.t = 0
        return self.state.copy(), self.goal.copy()

    def step(self, action):
        self.state[action] = 1 - self.state[action]
        self.t += 1
        reached = bool(np.array_equal(self.state, self.goal))
        return self.state.copy(), (0.0 if reached else -1.0), reached, self.t >= self.n


class Replay:
    def __init__(self, capacity, width):
        self.obs = np.zeros((capacity, width), np.float32)
        self.next = np.zeros((capacity, width), np.float32)
        self.actions = np.zeros(capacity, np.int64)
        self.rewards = np.zeros(capacity, np.float32)
        self.terminated = np.zeros(capacity, np.float32)
        self.capacity, self.size, self.position = capacity, 0, 0

    def add(self, obs, action, reward, next_obs, terminated):
        i = self.position
        self.obs[i], self.next[i], self.actions[i] = obs, next_obs, action
        self.rewards[i], self.terminated[i] = reward, terminated
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, rng, batch):
        i = rng.integers(0, self.size, batch)
        return (torch.from_numpy(self.obs[i]), torch.from_numpy(self.actions[i]), torch.from_numpy(self.rewards[i]),
                torch.from_numpy(self.next[i]), torch.from_numpy(self.terminated[i]))


def relabel(episode, goal, strategy, rng):
    """(state, action, reward, next state, goal, terminated) for the episode's goal and the strategy's goals."""
    out = []
    steps = len(episode)
    for t, (s, a, r, s2, term) in enumerate(episode):
        out.append((s, a, r, s2, goal, term))
        if strategy == "future":
            for _ in range(K):
                g = episode[t + rng.integers(0, steps - t)][3]
                reached = bool(np.array_equal(s2, g))
                out.append((s, a, 0.0 if reached else -1.0, s2, g, reached))
    return out


def evaluate(net, n, seed):
    envs = [BitFlipping(n, np.random.default_rng(seed + i)) for i in range(EVAL_EPISODES)]
    obs = [env.reset() for env in envs]
    running, successes = list(range(EVAL_EPISODES)), 0
    while running:
        x = torch.from_numpy(np.stack([np.concatenate(obs[i]) for i in running]))
        with torch.no_grad():
            actions = net(x).argmax(1).tolist()
        still = []
        for i, a in zip(running, actions):
            s2, _, term, trunc = envs[i].step(a)
            obs[i] = (s2, obs[i][1])
            if term:
                successes += 1
            elif not trunc:
                still.append(i)
        running = still
    return successes / EVAL_EPISODES


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int, nargs="?", default=0)
    parser.add_argument("--bits", type=int, default=15)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--strategy", choices=["future", "none"], default="future")
    args = parser.parse_args()
    n = args.bits
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    env = BitFlipping(n, rng)
    net = nn.Sequential(nn.Linear(2 * n, 256), nn.ReLU(), nn.Linear(256, n))
    target = nn.Sequential(nn.Linear(2 * n, 256), nn.ReLU(), nn.Linear(256, n))
    target.load_state_dict(net.state_dict())
    optimizer = torch.optim.Adam(net.parameters(), lr=LR)
    replay = Replay(BUFFER, 2 * n)
    steps, eval_seconds, rate, epoch = 0, 0.0, 0.0, 0
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        for _ in range(CYCLES):
            for _ in range(EPISODES):
                s, g = env.reset()
                episode, done = [], False
                while not done:
                    if rng.random() < EPSILON:
                        a = int(rng.integers(0, n))
                    else:
                        with torch.no_grad():
                            a = int(net(torch.from_numpy(np.concatenate([s, g]))[None]).argmax())
                    s2, r, term, trunc = env.step(a)
                    steps += 1
                    episode.append((s, a, r, s2, term))
                    s, done = s2, term or trunc
                for s0, a0, r0, s1, g0, t0 in relabel(episode, g, args.strategy, rng):
                    replay.add(np.concatenate([s0, g0]), a0, r0, np.concatenate([s1, g0]), t0)
            for _ in range(UPDATES):
                if replay.size < BATCH:
                    break
                obs, actions, rewards, nxt, terminated = replay.sample(rng, BATCH)
                with torch.no_grad():
                    y = rewards + GAMMA * (1 - terminated) * target(nxt).max(1).values
                    y = y.clamp(-1 / (1 - GAMMA), 0)
                q = net(obs).gather(1, actions[:, None]).squeeze(1)
                loss = F.mse_loss(q, y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            with torch.no_grad():
                for p, tp in zip(net.parameters(), target.parameters()):
                    tp.mul_(1 - TAU).add_(TAU * p)
        t0 = time.perf_counter()
        rate = evaluate(net, n, 1_000_000 + 10_000 * epoch + args.seed)
        eval_seconds += time.perf_counter() - t0
        if rate >= THRESHOLD:
            break
    seconds = time.perf_counter() - start
    print(json.dumps({"peer": "pytorch", "bits": n, "strategy": args.strategy, "seed": args.seed,
                      "solved": rate >= THRESHOLD, "epochs": epoch, "success_rate": rate, "steps": steps,
                      "seconds": round(seconds, 2), "seconds_without_eval": round(seconds - eval_seconds, 2),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
