#!/usr/bin/env python3
"""PyTorch peer of lesson 04's agent (`deeprl demo dqn`): a single-file DQN on
CartPole-v1 with CleanRL's CartPole defaults, on one CPU thread.

Defaults (CleanRL's dqn.py for CartPole-v1): Adam 2.5e-4, buffer 10,000,
gamma 0.99, hard target update every 500 steps, batch 128, epsilon 1 -> 0.05
over the first half of the run, learning starts at 10,000 steps, one gradient
step every 10 steps, 500,000 steps, Q-network 4-120-84-2 ReLU, MSE loss.

It stops at the course's criterion (mean greedy return >= 475 over 100
evaluation episodes; checked every 10,000 steps, a 10-episode mean at the
threshold is confirmed with 100 episodes) and prints one JSON line: the steps
and seconds to that criterion, or, if it is never met, the last evaluation's
mean return at 500,000 steps.

    pip install torch gymnasium      # CPU build is enough
    python3 bench/dqn_peer.py [seed]
"""
import json
import random
import sys
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 0
TOTAL_STEPS = 500_000
LEARNING_RATE = 2.5e-4
BUFFER_SIZE = 10_000
GAMMA = 0.99
TARGET_INTERVAL = 500
BATCH = 128
EPS_START, EPS_END, EXPLORATION_FRACTION = 1.0, 0.05, 0.5
LEARNING_STARTS = 10_000
TRAIN_FREQUENCY = 10
EVAL_INTERVAL = 10_000


def q_network():
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
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    env = gym.make("CartPole-v1")
    q, target = q_network(), q_network()
    target.load_state_dict(q.state_dict())
    optimizer = torch.optim.Adam(q.parameters(), lr=LEARNING_RATE)
    obs_buf = np.zeros((BUFFER_SIZE, 4), np.float32)
    next_buf = np.zeros((BUFFER_SIZE, 4), np.float32)
    act_buf = np.zeros(BUFFER_SIZE, np.int64)
    rew_buf = np.zeros(BUFFER_SIZE, np.float32)
    term_buf = np.zeros(BUFFER_SIZE, np.float32)
    size = position = 0
    obs, _ = env.reset(seed=SEED)
    start = time.perf_counter()
    eval_seconds = 0.0
    last_eval = None
    for step in range(1, TOTAL_STEPS + 1):
        epsilon = max(EPS_END, EPS_START - (EPS_START - EPS_END) * (step - 1) / (EXPLORATION_FRACTION * TOTAL_STEPS))
        if random.random() < epsilon:
            action = env.action_space.sample()
        else:
            with torch.no_grad():
                action = int(q(torch.as_tensor(obs, dtype=torch.float32)).argmax())
        next_obs, reward, terminated, truncated, _ = env.step(action)
        obs_buf[position], next_buf[position], act_buf[position] = obs, next_obs, action
        rew_buf[position], term_buf[position] = reward, float(terminated)
        position = (position + 1) % BUFFER_SIZE
        size = min(size + 1, BUFFER_SIZE)
        obs = next_obs
        if terminated or truncated:
            obs, _ = env.reset()
        if step > LEARNING_STARTS and step % TRAIN_FREQUENCY == 0:
            index = np.random.randint(0, size, BATCH)
            with torch.no_grad():
                next_max = target(torch.from_numpy(next_buf[index])).max(dim=1).values
                y = torch.from_numpy(rew_buf[index]) + GAMMA * next_max * (1 - torch.from_numpy(term_buf[index]))
            predicted = q(torch.from_numpy(obs_buf[index])).gather(1, torch.from_numpy(act_buf[index]).unsqueeze(1)).squeeze(1)
            loss = F.mse_loss(predicted, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if step % TARGET_INTERVAL == 0:
            target.load_state_dict(q.state_dict())
        if step % EVAL_INTERVAL == 0 and step > LEARNING_STARTS:
            eval_start = time.perf_counter()
            last_eval = evaluate(q, 10, 1_000_000 + step)
            solved = False
            if last_eval >= 475:
                last_eval = evaluate(q, 100, 2_000_000 + step)
                solved = last_eval >= 475
            eval_seconds += time.perf_counter() - eval_start
            if solved:
                seconds = time.perf_counter() - start
                print(json.dumps({"seed": SEED, "solved_at_steps": step, "seconds": round(seconds, 1),
                                  "seconds_without_evaluation": round(seconds - eval_seconds, 1), "eval_return": last_eval}))
                return
    seconds = time.perf_counter() - start
    print(json.dumps({"seed": SEED, "solved_at_steps": None, "seconds": round(seconds, 1),
                      "seconds_without_evaluation": round(seconds - eval_seconds, 1), "eval_return_at_500k": last_eval}))


if __name__ == "__main__":
    main()
