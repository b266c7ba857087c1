#!/usr/bin/env python3
"""PyTorch peer of lesson 05's agent (`deeprl demo reinforce`): a single-file
REINFORCE on CartPole-v1, on one CPU thread, with either of two settings.

--settings cleanrl (default): what a student would run instead. CleanRL has
no REINFORCE, so this is the most common single-file one, PyTorch's own
example (github.com/pytorch/examples, reinforcement_learning/reinforce.py)
with its defaults: policy 4-128-2 with ReLU and dropout 0.6, Adam 1e-2,
gamma 0.99, one update per episode, the episode's discounted rewards-to-go
standardised (mean 0, standard deviation 1), loss = sum_t -log pi(a_t|s_t) G_t.
The example stops when its running reward passes 475; here it stops at the
course's criterion like ours (below), within 500,000 steps.

--settings ours: the same algorithm and settings as our demo's agent
(`ReinforceConfig()` in Solutions/05-PolicyGradient/ReinforceAgent.swift), so
that the comparison measures the implementation's speed alone: policy 4-64-2
tanh, value baseline 4-64-1 tanh, Adam 1e-2 for the policy and 3e-2 for the critic, an update once the
finished episodes hold at least 250 steps (whole episodes), rewards-to-go
with gamma 0.99 minus V(s) (from the critic as it was before the batch),
standardised over the batch (population standard deviation + 1e-8), loss =
-(1/N) sum_i sum_t log pi(a|s) weight, then 10 Adam steps of the critic on
the mean squared error to the rewards-to-go; 200,000 steps at most.

Both stop at the course's criterion (mean greedy return >= 475 over 100
evaluation episodes: a 10-episode evaluation at the threshold is confirmed
with 100), checked every 1,000 steps with the greedy policy (the most likely
action; dropout off), and print one JSON line: the steps and seconds to that
criterion, with and without the time spent evaluating.

    pip install torch gymnasium      # CPU build is enough
    python3 bench/reinforce_peer.py [seed] [--settings cleanrl|ours]
"""
import argparse
import json
import random
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

GAMMA = 0.99
EVAL_INTERVAL = 1_000


class ExamplePolicy(nn.Module):
    """PyTorch's example: 4-128-2, ReLU, dropout 0.6, softmax."""

    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(4, 128)
        self.dropout = nn.Dropout(p=0.6)
        self.affine2 = nn.Linear(128, 2)

    def forward(self, x):
        return self.affine2(F.relu(self.dropout(self.affine1(x))))  # logits


def tanh_mlp(outputs):
    return nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, outputs))


def evaluate(policy, episodes, seed):
    """Mean return of the greedy policy over `episodes` seeded episodes."""
    policy.eval()
    env = gym.make("CartPole-v1")
    total = 0.0
    for e in range(episodes):
        obs, _ = env.reset(seed=seed + e)
        done = False
        while not done:
            with torch.no_grad():
                action = int(policy(torch.as_tensor(obs, dtype=torch.float32)).argmax())
            obs, reward, terminated, truncated, _ = env.step(action)
            total += reward
            done = terminated or truncated
    policy.train()
    return total / episodes


def rewards_to_go(rewards):
    returns, future = [], 0.0
    for r in reversed(rewards):
        future = r + GAMMA * future
        returns.append(future)
    return returns[::-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int, nargs="?", default=0)
    parser.add_argument("--settings", choices=["cleanrl", "ours"], default="cleanrl")
    args = parser.parse_args()
    ours = args.settings == "ours"
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    env = gym.make("CartPole-v1")
    if ours:
        policy, critic = tanh_mlp(2), tanh_mlp(1)
        value_optimizer = torch.optim.Adam(critic.parameters(), lr=3e-2)
        total_steps, steps_per_batch = 200_000, 250
    else:
        policy = ExamplePolicy()
        total_steps, steps_per_batch = 500_000, 1
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)

    obs, _ = env.reset(seed=args.seed)
    start = time.perf_counter()
    eval_seconds = 0.0
    last_eval = None
    episode_obs, episode_actions, episode_rewards = [], [], []
    batch = []  # finished episodes: (observations, actions, rewards)
    batch_steps = 0
    saved_log_probs = []
    for step in range(1, total_steps + 1):
        obs_t = torch.as_tensor(obs, dtype=torch.float32)
        if ours:
            with torch.no_grad():
                action = int(torch.distributions.Categorical(logits=policy(obs_t)).sample())
        else:  # as the example: log pi(a|s) kept with its graph (and its dropout mask) from acting time
            distribution = torch.distributions.Categorical(logits=policy(obs_t))
            action_t = distribution.sample()
            saved_log_probs.append(distribution.log_prob(action_t))
            action = int(action_t)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        episode_obs.append(obs)
        episode_actions.append(action)
        episode_rewards.append(reward)
        if terminated or truncated:
            batch.append((episode_obs, episode_actions, episode_rewards))
            batch_steps += len(episode_rewards)
            episode_obs, episode_actions, episode_rewards = [], [], []
            obs, _ = env.reset()
            if batch_steps >= steps_per_batch:
                observations = torch.as_tensor(np.array([o for e in batch for o in e[0]]), dtype=torch.float32)
                actions = torch.as_tensor([a for e in batch for a in e[1]])
                returns = torch.as_tensor([g for e in batch for g in rewards_to_go(e[2])], dtype=torch.float32)
                if ours:
                    log_probs = torch.distributions.Categorical(logits=policy(observations)).log_prob(actions)
                    with torch.no_grad():
                        weights = returns - critic(observations).squeeze(1)
                        weights = (weights - weights.mean()) / (weights.std(unbiased=False) + 1e-8)
                    loss = -(log_probs * weights).sum() / len(batch)
                else:
                    weights = (returns - returns.mean()) / (returns.std() + np.finfo(np.float32).eps.item())
                    loss = (-torch.stack(saved_log_probs) * weights).sum()
                    saved_log_probs = []
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if ours:
                    for _ in range(10):
                        value_loss = F.mse_loss(critic(observations).squeeze(1), returns)
                        value_optimizer.zero_grad()
                        value_loss.backward()
                        value_optimizer.step()
                batch, batch_steps = [], 0
        else:
            obs = next_obs
        if step % EVAL_INTERVAL == 0:
            eval_start = time.perf_counter()
            last_eval = evaluate(policy, 10, 1_000_000 + step)
            solved = False
            if last_eval >= 475:
                last_eval = evaluate(policy, 100, 2_000_000 + step)
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
                      "steps_per_second_without_evaluation": round(total_steps / (seconds - eval_seconds)),
                      "last_eval_return": last_eval}))


if __name__ == "__main__":
    main()
