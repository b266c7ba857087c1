#!/usr/bin/env python3
"""PyTorch peer of lesson 04's agent (`deeprl demo dqn`): a single-file DQN on
CartPole-v1, on one CPU thread, with either of two settings.

--settings cleanrl (default): what a student would run instead, CleanRL's
dqn.py defaults for CartPole-v1: Adam 2.5e-4, buffer 10,000, gamma 0.99, hard
target update every 500 steps, batch 128, epsilon 1 -> 0.05 over the first
half of the run, learning starts at 10,000 steps, one gradient step every 10
steps, 500,000 steps, Q-network 4-120-84-2 ReLU, MSE loss, max over the target
network, one-step transitions.

--settings ours: the same algorithm and settings as our demo's agent
(`DQNConfig()` in Solutions/04-DQN/DQNAgent.swift), so that the comparison
measures the implementation's speed alone: Double DQN targets, the dueling
head (trunk 4-120-84 ReLU, value and advantage heads, Q = V + A - mean A),
3-step returns cut at episode ends, Huber loss (delta 1), Adam 1e-3, buffer
50,000, batch 64, hard target copy every 250 steps, epsilon 1 -> 0.02 over
the first 10,000 steps, learning starts at 1,000, one gradient step every 2
steps, global gradient norm clipped at 10, 50,000 steps. Truncations (the
500-step limit) bootstrap, terminations do not.

Both stop at the course's criterion (mean greedy return >= 475 over 100
evaluation episodes: a 10-episode evaluation at the threshold is confirmed
with 100), checked every 10,000 steps (cleanrl) or every 1,000 (ours, as our
demo does), and print one JSON line: the steps and seconds to that criterion,
with and without the time spent evaluating.

    pip install torch gymnasium      # CPU build is enough
    python3 bench/dqn_peer.py [seed] [--settings cleanrl|ours]
"""
import argparse
import json
import random
import time
from collections import deque

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

SETTINGS = {
    "cleanrl": dict(total_steps=500_000, lr=2.5e-4, buffer=10_000, target_interval=500, batch=128, eps_end=0.05,
                    exploration_steps=250_000, learning_starts=10_000, train_frequency=10, eval_interval=10_000,
                    double=False, dueling=False, n_steps=1, huber=False, max_grad_norm=None),
    "ours": dict(total_steps=50_000, lr=1e-3, buffer=50_000, target_interval=250, batch=64, eps_end=0.02,
                 exploration_steps=10_000, learning_starts=1_000, train_frequency=2, eval_interval=1_000,
                 double=True, dueling=True, n_steps=3, huber=True, max_grad_norm=10.0),
}
GAMMA = 0.99


class Dueling(nn.Module):
    """Q(s, a) = V(s) + A(s, a) - mean_a A(s, a) over a shared ReLU trunk."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU())
        self.value, self.advantage = nn.Linear(84, 1), nn.Linear(84, 2)

    def forward(self, x):
        h = self.trunk(x)
        a = self.advantage(h)
        return self.value(h) + a - a.mean(dim=-1, keepdim=True)


def q_network(dueling):
    if dueling:
        return Dueling()
    return nn.Sequential(nn.Linear(4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 2))


def evaluate(q, episodes, seed):
    """Mean return of the greedy policy over `episodes` seeded episodes."""
    env = gym.make("CartPole-v1")
    total = 0.0
    for e in range(episodes):
        obs, _ = env.reset(seed=seed + e)
        done = False
        while not done:
            with torch.no_grad():
                action = int(q(torch.as_tensor(obs, dtype=torch.float32)).argmax())
            obs, reward, terminated, truncated, _ = env.step(action)
            total += reward
            done = terminated or truncated
    return total / episodes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int, nargs="?", default=0)
    parser.add_argument("--settings", choices=sorted(SETTINGS), default="cleanrl")
    args = parser.parse_args()
    c = SETTINGS[args.settings]
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    env = gym.make("CartPole-v1")
    q, target = q_network(c["dueling"]), q_network(c["dueling"])
    target.load_state_dict(q.state_dict())
    optimizer = torch.optim.Adam(q.parameters(), lr=c["lr"])
    size_max = c["buffer"]
    obs_buf = np.zeros((size_max, 4), np.float32)
    next_buf = np.zeros((size_max, 4), np.float32)
    act_buf = np.zeros(size_max, np.int64)
    rew_buf = np.zeros(size_max, np.float32)
    term_buf = np.zeros(size_max, np.float32)
    disc_buf = np.zeros(size_max, np.float32)
    size = position = 0
    pending = deque()  # (obs, action, reward, next_obs, terminated, truncated) awaiting n-step folding

    def store(first, reward, last_next, terminated, discount):
        nonlocal size, position
        obs_buf[position], next_buf[position], act_buf[position] = first[0], last_next, first[1]
        rew_buf[position], term_buf[position], disc_buf[position] = reward, float(terminated), discount
        position = (position + 1) % size_max
        size = min(size + 1, size_max)

    def fold():
        reward, factor, k = 0.0, 1.0, 0
        for k, (_, _, r, _, term, trunc) in enumerate(list(pending)[:c["n_steps"]]):
            reward += factor * r
            factor *= GAMMA
            if term or trunc:
                break
        last = pending[k]
        store(pending[0], reward, last[3], last[4], 0.0 if last[4] else factor)

    obs, _ = env.reset(seed=args.seed)
    start = time.perf_counter()
    eval_seconds = 0.0
    last_eval = None
    for step in range(1, c["total_steps"] + 1):
        epsilon = max(c["eps_end"], 1.0 - (1.0 - c["eps_end"]) * (step - 1) / c["exploration_steps"])
        if random.random() < epsilon:
            action = env.action_space.sample()
        else:
            with torch.no_grad():
                action = int(q(torch.as_tensor(obs, dtype=torch.float32)).argmax())
        next_obs, reward, terminated, truncated, _ = env.step(action)
        pending.append((obs, action, reward, next_obs, terminated, truncated))
        if terminated or truncated:
            while pending:
                fold()
                pending.popleft()
            obs, _ = env.reset()
        else:
            if len(pending) == c["n_steps"]:
                fold()
                pending.popleft()
            obs = next_obs
        if step > c["learning_starts"] and step % c["train_frequency"] == 0 and size >= c["batch"]:
            index = np.random.randint(0, size, c["batch"])
            next_obs_t = torch.from_numpy(next_buf[index])
            with torch.no_grad():
                if c["double"]:
                    choice = q(next_obs_t).argmax(dim=1, keepdim=True)
                    next_value = target(next_obs_t).gather(1, choice).squeeze(1)
                else:
                    next_value = target(next_obs_t).max(dim=1).values
                y = (torch.from_numpy(rew_buf[index])
                     + torch.from_numpy(disc_buf[index]) * next_value * (1 - torch.from_numpy(term_buf[index])))
            predicted = q(torch.from_numpy(obs_buf[index])).gather(1, torch.from_numpy(act_buf[index]).unsqueeze(1)).squeeze(1)
            loss = F.smooth_l1_loss(predicted, y) if c["huber"] else F.mse_loss(predicted, y)
            optimizer.zero_grad()
            loss.backward()
            if c["max_grad_norm"] is not None:
                nn.utils.clip_grad_norm_(q.parameters(), c["max_grad_norm"])
            optimizer.step()
        if step % c["target_interval"] == 0:
            target.load_state_dict(q.state_dict())
        if step % c["eval_interval"] == 0 and step > c["learning_starts"]:
            eval_start = time.perf_counter()
            last_eval = evaluate(q, 10, 1_000_000 + step)
            solved = False
            if last_eval >= 475:
                last_eval = evaluate(q, 100, 2_000_000 + step)
                solved = last_eval >= 475
            eval_seconds += time.perf_counter() - eval_start
            if solved:
                seconds = time.perf_counter() - start
                print(json.dumps({"settings": args.settings, "seed": args.seed, "solved_at_steps": step,
                                  "seconds": round(seconds, 1),
                                  "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                                  "steps_per_second_without_evaluation": round(step / (seconds - eval_seconds)),
                                  "eval_return": last_eval}))
                return
    seconds = time.perf_counter() - start
    print(json.dumps({"settings": args.settings, "seed": args.seed, "solved_at_steps": None,
                      "seconds": round(seconds, 1), "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                      "steps_per_second_without_evaluation": round(c["total_steps"] / (seconds - eval_seconds)),
                      "last_eval_return": last_eval}))


if __name__ == "__main__":
    main()
