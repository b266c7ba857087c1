#!/usr/bin/env python3
"""PyTorch peer of the TensorCore benchmarks (`deeprl bench --json`).

Runs the same four workloads as Sources/Benchmarks/TensorBenchmarks.swift on
one CPU thread (PEER_ALL_CORES=1: PyTorch's default threads) and prints one JSON object with the same keys: microseconds per
update for the three training updates (written as in CleanRL's single-file
implementations), GFLOP/s for a 256 x 256 matrix product.

    pip install torch       # CPU build is enough
    python3 bench/pytorch_peer.py
"""
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical, Normal

# One thread, like `deeprl bench`'s one-thread keys; PEER_ALL_CORES=1 leaves
# PyTorch's default (every core): the second column of bench/compare.py.
if os.environ.get("PEER_ALL_CORES") != "1":
    torch.set_num_threads(1)
torch.manual_seed(0)


def median_microseconds(body, rounds=7, iterations=100):
    """Median over `rounds` rounds of the mean time per call, after a warm-up round."""
    for _ in range(iterations):
        body()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            body()
        samples.append((time.perf_counter_ns() - start) / 1000 / iterations)
    samples.sort()
    return samples[len(samples) // 2]


def mlp(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


def dqn_workload():
    q = mlp([4, 120, 84, 2], nn.ReLU)
    target = mlp([4, 120, 84, 2], nn.ReLU)
    target.load_state_dict(q.state_dict())
    optimizer = torch.optim.Adam(q.parameters(), lr=2.5e-4)
    obs, next_obs = torch.randn(128, 4), torch.randn(128, 4)
    rewards = torch.ones(128)
    dones = torch.tensor([1.0 if i % 20 == 0 else 0.0 for i in range(128)])
    actions = torch.tensor([i % 2 for i in range(128)]).unsqueeze(1)
    gamma = 0.99

    def update():
        with torch.no_grad():
            target_max, _ = target(next_obs).max(dim=1)
            td_target = rewards + gamma * target_max * (1 - dones)
        old_val = q(obs).gather(1, actions).squeeze()
        loss = F.mse_loss(td_target, old_val)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return median_microseconds(update, iterations=200)


def ppo_workload():
    actor = mlp([4, 64, 64, 2], nn.Tanh)
    critic = mlp([4, 64, 64, 1], nn.Tanh)
    params = list(actor.parameters()) + list(critic.parameters())
    optimizer = torch.optim.Adam(params, lr=2.5e-4, eps=1e-5)
    obs = torch.randn(128, 4)
    old_logprob = torch.full((128,), -0.69)
    advantages, returns = torch.randn(128), torch.randn(128)
    actions = torch.tensor([i % 2 for i in range(128)])

    def update():
        probs = Categorical(logits=actor(obs))
        newlogprob = probs.log_prob(actions)
        entropy = probs.entropy()
        newvalue = critic(obs)
        ratio = (newlogprob - old_logprob).exp()
        mb_adv = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
        pg_loss = torch.max(-mb_adv * ratio, -mb_adv * torch.clamp(ratio, 0.8, 1.2)).mean()
        v_loss = 0.5 * ((newvalue.view(-1) - returns) ** 2).mean()
        loss = pg_loss - 0.01 * entropy.mean() + v_loss * 0.5
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 0.5)
        optimizer.step()

    return median_microseconds(update, iterations=100)


class SoftQ(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = mlp([4, 256, 256, 1], nn.ReLU)

    def forward(self, s, a):
        return self.net(torch.cat([s, a], 1))


class Actor(nn.Module):
    LOG_STD_MIN, LOG_STD_MAX = -5, 2

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(3, 256), nn.Linear(256, 256)
        self.fc_mean, self.fc_logstd = nn.Linear(256, 1), nn.Linear(256, 1)
        self.action_scale = 2.0

    def get_action(self, x):
        x = F.relu(self.fc2(F.relu(self.fc1(x))))
        mean = self.fc_mean(x)
        log_std = torch.tanh(self.fc_logstd(x))
        log_std = self.LOG_STD_MIN + 0.5 * (self.LOG_STD_MAX - self.LOG_STD_MIN) * (log_std + 1)
        normal = Normal(mean, log_std.exp())
        x_t = normal.rsample()
        y_t = torch.tanh(x_t)
        action = y_t * self.action_scale
        log_prob = normal.log_prob(x_t)
        log_prob -= torch.log(self.action_scale * (1 - y_t.pow(2)) + 1e-6)
        return action, log_prob.sum(1)


def sac_workload():
    q1, q2 = SoftQ(), SoftQ()
    q1_target, q2_target = SoftQ(), SoftQ()
    q1_target.load_state_dict(q1.state_dict())
    q2_target.load_state_dict(q2.state_dict())
    actor = Actor()
    log_alpha = torch.zeros(1, requires_grad=True)
    q_params = list(q1.parameters()) + list(q2.parameters())
    q_optimizer = torch.optim.Adam(q_params, lr=1e-3)
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=3e-4)
    a_optimizer = torch.optim.Adam([log_alpha], lr=1e-3)
    obs, next_obs = torch.randn(256, 3), torch.randn(256, 3)
    actions, rewards, dones = torch.randn(256, 1), torch.randn(256), torch.zeros(256)
    gamma, tau, target_entropy = 0.99, 0.005, -1.0

    def update():
        alpha = log_alpha.exp().item()
        with torch.no_grad():
            next_actions, next_log_pi = actor.get_action(next_obs)
            min_next = torch.min(q1_target(next_obs, next_actions), q2_target(next_obs, next_actions)).view(-1)
            next_q = rewards + (1 - dones) * gamma * (min_next - alpha * next_log_pi)
        qf_loss = F.mse_loss(q1(obs, actions).view(-1), next_q) + F.mse_loss(q2(obs, actions).view(-1), next_q)
        q_optimizer.zero_grad()
        qf_loss.backward()
        q_optimizer.step()

        # Critics frozen during the actor step (as in Spinning Up and in ours).
        for p in q_params:
            p.requires_grad_(False)
        pi, log_pi = actor.get_action(obs)
        min_q_pi = torch.min(q1(obs, pi), q2(obs, pi)).view(-1)
        actor_loss = (alpha * log_pi - min_q_pi).mean()
        actor_optimizer.zero_grad()
        actor_loss.backward()
        actor_optimizer.step()
        for p in q_params:
            p.requires_grad_(True)

        alpha_loss = (-log_alpha.exp() * (log_pi.detach() + target_entropy)).mean()
        a_optimizer.zero_grad()
        alpha_loss.backward()
        a_optimizer.step()

        with torch.no_grad():
            for net, target in ((q1, q1_target), (q2, q2_target)):
                for p, tp in zip(net.parameters(), target.parameters()):
                    tp.data.mul_(1 - tau).add_(p.data, alpha=tau)

    return median_microseconds(update, iterations=10)


def matmul_gflops(n=256):
    a, b = torch.randn(n, n), torch.randn(n, n)
    us = median_microseconds(lambda: a @ b, iterations=50)
    return 2 * n ** 3 / (us * 1e3)


if __name__ == "__main__":
    results = {
        "dqn_update_us": dqn_workload(),
        "ppo_minibatch_us": ppo_workload(),
        "sac_update_us": sac_workload(),
        "matmul_256_gflops": matmul_gflops(),
    }
    print(json.dumps({k: round(v, 1) for k, v in results.items()}, indent=2))
