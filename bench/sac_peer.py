#!/usr/bin/env python3
"""PyTorch peer of lesson 08's agent (`deeprl demo sac`): a single-file SAC on
Pendulum-v1, on one CPU thread, with either of two settings.

--settings cleanrl (default): what a student would run instead, CleanRL's
sac_continuous_action.py defaults: actor and twin critics 256-256 ReLU, batch
256, buffer 1,000,000, gamma 0.99, tau 0.005, 5,000 random steps, Adam 3e-4
(actor) and 1e-3 (critics and log alpha), the actor and the temperature
updated twice every second step, autotuned alpha from 1 (log alpha = 0) with
target entropy -1, log-std squashed into [-5, 2], critics reading the
environment's action (in [-2, 2]), log pi with CleanRL's log(2 (1 - tanh(u)^2)
+ 1e-6), the temperature's log pi from a fresh sample, the critics' weight
gradients computed during the actor's step (and thrown away), as CleanRL does.

--settings ours: the same algorithm and settings as our demo's agent
(`SACConfig()` in Solutions/08-SAC/SACAgent.swift), so that the comparison
measures the implementation's speed alone: 64-64 networks, batch 128, buffer
100,000, 256 random steps, Adam 1e-3 for all three, one actor and temperature
step per critic step, critics frozen during the actor's step, the
temperature's loss on the actor step's log pi, actions in (-1, 1) stored and
read by the critics (the environment gets 2a), log pi of the (-1, 1) action in
the stable form 2 (log 2 - u - softplus(-2u)).

Both evaluate the deterministic policy tanh(mu(s)) on 10 seeded episodes (every
500 steps for ours, as our demo does, every 1,000 for cleanrl), confirm a mean
of -200 or better with 50 more, stop there, and print one JSON line: the steps
and seconds to that criterion, with and without the time spent evaluating, and
the process's CPU seconds (on a shared machine, the part of the wall time that
was its own).
--max-steps caps a run (the last evaluation is reported when it is not solved).
Truncations (Pendulum's 200-step limit, its only episode end) bootstrap.

    pip install torch gymnasium      # CPU build is enough
    python3 bench/sac_peer.py [seed] [--settings cleanrl|ours] [--max-steps N]
"""
import argparse
import json
import math
import random
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

SETTINGS = {
    "cleanrl": dict(total_steps=1_000_000, hidden=256, batch=256, buffer=1_000_000, learning_starts=5_000,
                    policy_lr=3e-4, q_lr=1e-3, alpha_lr=1e-3, policy_frequency=2, eval_interval=1_000,
                    cleanrl_style=True),
    "ours": dict(total_steps=20_000, hidden=64, batch=128, buffer=100_000, learning_starts=256,
                 policy_lr=1e-3, q_lr=1e-3, alpha_lr=1e-3, policy_frequency=1, eval_interval=500,
                 cleanrl_style=False),
}
GAMMA, TAU, THRESHOLD = 0.99, 0.005, -200.0
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0
SCALE = 2.0  # Pendulum's torque bound


def mlp(inputs, hidden, outputs):
    return nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, outputs))


class Actor(nn.Module):
    def __init__(self, hidden, cleanrl_style):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.mean, self.log_std = nn.Linear(hidden, 1), nn.Linear(hidden, 1)
        self.cleanrl_style = cleanrl_style

    def forward(self, obs):
        h = self.trunk(obs)
        log_std = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (torch.tanh(self.log_std(h)) + 1)
        return self.mean(h), log_std

    def sample(self, obs):
        """A reparameterised action in (-1, 1) and its log pi (CleanRL's form, or ours)."""
        mean, log_std = self(obs)
        u = mean + log_std.exp() * torch.randn_like(mean)
        a = torch.tanh(u)
        gaussian = -0.5 * ((u - mean) / log_std.exp()) ** 2 - log_std - 0.5 * math.log(2 * math.pi)
        if self.cleanrl_style:
            correction = torch.log(SCALE * (1 - a.pow(2)) + 1e-6)
        else:
            correction = 2 * (math.log(2) - u - F.softplus(-2 * u))
        return a, (gaussian - correction).sum(1)

    def deterministic(self, obs):
        return torch.tanh(self(obs)[0])


def evaluate(actor, episodes, seed):
    """Mean return of tanh(mu(s)) over `episodes` seeded episodes."""
    env = gym.make("Pendulum-v1")
    total = 0.0
    for e in range(episodes):
        obs, _ = env.reset(seed=seed + e)
        done = False
        while not done:
            with torch.no_grad():
                a = actor.deterministic(torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0))[0].numpy()
            obs, reward, terminated, truncated, _ = env.step(SCALE * a)
            total += reward
            done = terminated or truncated
    return total / episodes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int, nargs="?", default=0)
    parser.add_argument("--settings", choices=sorted(SETTINGS), default="cleanrl")
    parser.add_argument("--max-steps", type=int, default=None)
    args = parser.parse_args()
    c = SETTINGS[args.settings]
    total_steps = args.max_steps or c["total_steps"]
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    env = gym.make("Pendulum-v1")
    env.action_space.seed(args.seed)
    actor = Actor(c["hidden"], c["cleanrl_style"])
    q1, q2 = mlp(4, c["hidden"], 1), mlp(4, c["hidden"], 1)
    q1_target, q2_target = mlp(4, c["hidden"], 1), mlp(4, c["hidden"], 1)
    q1_target.load_state_dict(q1.state_dict())
    q2_target.load_state_dict(q2.state_dict())
    q_optimizer = torch.optim.Adam(list(q1.parameters()) + list(q2.parameters()), lr=c["q_lr"])
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=c["policy_lr"])
    log_alpha = torch.zeros(1, requires_grad=True)
    alpha_optimizer = torch.optim.Adam([log_alpha], lr=c["alpha_lr"])
    target_entropy = -1.0
    alpha = log_alpha.exp().item()
    # The critics read the environment's action (CleanRL) or the policy's (ours); both are stored as such.
    action_scale = SCALE if c["cleanrl_style"] else 1.0
    size_max = min(c["buffer"], total_steps)
    obs_buf = np.zeros((size_max, 3), np.float32)
    next_buf = np.zeros((size_max, 3), np.float32)
    act_buf = np.zeros((size_max, 1), np.float32)
    rew_buf = np.zeros(size_max, np.float32)
    term_buf = np.zeros(size_max, np.float32)
    size = position = 0

    def q(network, obs, action):
        return network(torch.cat([obs, action], 1)).squeeze(1)

    obs, _ = env.reset(seed=args.seed)
    start, cpu_start = time.perf_counter(), time.process_time()
    eval_seconds = 0.0
    last_eval = None
    for step in range(1, total_steps + 1):
        if step <= c["learning_starts"]:
            a = np.random.uniform(-1, 1, 1).astype(np.float32)
        else:
            with torch.no_grad():
                a = actor.sample(torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0))[0][0].numpy()
        next_obs, reward, terminated, truncated, _ = env.step(SCALE * a)
        obs_buf[position], next_buf[position], act_buf[position] = obs, next_obs, a * action_scale
        rew_buf[position], term_buf[position] = reward, float(terminated)
        position = (position + 1) % size_max
        size = min(size + 1, size_max)
        obs = env.reset()[0] if terminated or truncated else next_obs

        if step > c["learning_starts"] and size >= c["batch"]:
            index = np.random.randint(0, size, c["batch"])
            s, s2 = torch.from_numpy(obs_buf[index]), torch.from_numpy(next_buf[index])
            actions, rewards = torch.from_numpy(act_buf[index]), torch.from_numpy(rew_buf[index])
            not_terminal = 1 - torch.from_numpy(term_buf[index])
            with torch.no_grad():
                a2, log_pi2 = actor.sample(s2)
                a2 = a2 * action_scale
                soft = torch.min(q(q1_target, s2, a2), q(q2_target, s2, a2)) - alpha * log_pi2
                y = rewards + GAMMA * not_terminal * soft
            q_loss = F.mse_loss(q(q1, s, actions), y) + F.mse_loss(q(q2, s, actions), y)
            q_optimizer.zero_grad()
            q_loss.backward()
            q_optimizer.step()

            if step % c["policy_frequency"] == 0:
                for _ in range(c["policy_frequency"]):
                    if not c["cleanrl_style"]:
                        for p in list(q1.parameters()) + list(q2.parameters()):
                            p.requires_grad_(False)
                    pi, log_pi = actor.sample(s)
                    actor_loss = (alpha * log_pi - torch.min(q(q1, s, pi * action_scale), q(q2, s, pi * action_scale))).mean()
                    actor_optimizer.zero_grad()
                    actor_loss.backward()
                    actor_optimizer.step()
                    if not c["cleanrl_style"]:
                        for p in list(q1.parameters()) + list(q2.parameters()):
                            p.requires_grad_(True)
                    if c["cleanrl_style"]:
                        with torch.no_grad():
                            _, log_pi = actor.sample(s)
                    alpha_loss = (-log_alpha.exp() * (log_pi.detach() + target_entropy)).mean()
                    alpha_optimizer.zero_grad()
                    alpha_loss.backward()
                    alpha_optimizer.step()
                    alpha = log_alpha.exp().item()

            with torch.no_grad():
                for net, target in ((q1, q1_target), (q2, q2_target)):
                    for p, tp in zip(net.parameters(), target.parameters()):
                        tp.mul_(1 - TAU).add_(TAU * p)

        if step % c["eval_interval"] == 0 and step > c["learning_starts"]:
            eval_start = time.perf_counter()
            last_eval = evaluate(actor, 10, 1_000_000 + step)
            solved = False
            if last_eval >= THRESHOLD:
                last_eval = evaluate(actor, 50, 2_000_000 + step)
                solved = last_eval >= THRESHOLD
            eval_seconds += time.perf_counter() - eval_start
            if solved:
                seconds = time.perf_counter() - start
                print(json.dumps({"settings": args.settings, "seed": args.seed, "solved_at_steps": step,
                                  "seconds": round(seconds, 1), "cpu_seconds": round(time.process_time() - cpu_start, 1),
                                  "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                                  "steps_per_second_without_evaluation": round(step / (seconds - eval_seconds)),
                                  "eval_return": round(last_eval, 1)}), flush=True)
                return
    seconds = time.perf_counter() - start
    print(json.dumps({"settings": args.settings, "seed": args.seed, "solved_at_steps": None, "steps": total_steps,
                      "seconds": round(seconds, 1), "cpu_seconds": round(time.process_time() - cpu_start, 1), "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                      "steps_per_second_without_evaluation": round(total_steps / (seconds - eval_seconds)),
                      "last_eval_return": None if last_eval is None else round(last_eval, 1)}), flush=True)


if __name__ == "__main__":
    main()
