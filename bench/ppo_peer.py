#!/usr/bin/env python3
"""PyTorch peer of lesson 07's agent (`deeprl demo ppo`): a single-file PPO on
one CPU thread, on CartPole-v1 (categorical policy) or Pendulum-v1 (diagonal
Gaussian policy with a state-independent log-std), with either of two settings.

--settings cleanrl (default): what a student would run instead, the defaults of
CleanRL's ppo.py (CartPole) and ppo_continuous_action.py (Pendulum).
  CartPole: 4 environments x 128 steps, 4 minibatches, 4 epochs, Adam 2.5e-4
  (eps 1e-5) annealed to 0, gamma 0.99, lambda 0.95, clip 0.2, value loss
  clipped too, entropy 0.01, value coefficient 0.5, gradient norm 0.5,
  advantages standardised per minibatch, actor and critic 64-64 tanh with
  orthogonal initialisation (gain sqrt 2, actor output 0.01, critic output 1),
  500,000 steps, and a time limit treated as a terminal state (no bootstrap).
  Pendulum: 1 environment x 2,048 steps, 32 minibatches, 10 epochs, Adam 3e-4
  annealed, gamma 0.99, lambda 0.95, clip 0.2 (values too), no entropy bonus,
  observations and rewards normalised by running statistics and clipped to
  +-10, 1,000,000 steps, the time limit treated as terminal.

--settings ours: the same algorithm and settings as our agent (`PPOConfig()`
and `PPOConfig.pendulum` in Solutions/07-PPO/PPOAgent.swift), so that the
comparison measures the implementation's speed alone.
  CartPole: 8 environments x 32 steps, one minibatch of 256, 20 epochs, Adam
  1e-3 (eps 1e-5) and clip 0.2 both annealed to 0, gamma 0.98, lambda 0.8, no
  value clipping, no entropy bonus, value coefficient 0.5, gradient norm 0.5,
  advantages standardised, 64-64 tanh with PyTorch's default initialisation
  and the actor's output layer scaled by 0.01, 100,000 steps; GAE bootstraps
  from V(final observation) at a time limit.
  Pendulum: 4 environments x 1,024 steps, minibatches of 64, 10 epochs, Adam
  1e-3, gamma 0.9, lambda 0.95, clip 0.2, the rest as CartPole, 300,000 steps.

Environments step together with same-step autoreset (a finished copy is reset
at once; its final observation is kept for the bootstrap). Both settings stop
at the course's criterion: the deterministic policy's mean return over 10
evaluation episodes at the threshold (475 on CartPole, -300 on Pendulum),
confirmed with 100 (CartPole) or 50 (Pendulum) more, checked after the
iteration that crosses every evaluation interval (1,024 steps for ours and
CartPole-cleanrl's 10,240, 16,384 on Pendulum). One JSON line: the steps and
seconds to the criterion, with and without the time spent evaluating.

    pip install torch gymnasium      # CPU build is enough
    python3 bench/ppo_peer.py [seed] [--settings cleanrl|ours] [--env cartpole|pendulum]
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

torch.set_num_threads(1)

SETTINGS = {
    ("cleanrl", "cartpole"): dict(envs=4, steps=128, minibatches=4, epochs=4, lr=2.5e-4, anneal_lr=True, anneal_clip=False,
                                  gamma=0.99, lam=0.95, clip=0.2, value_clip=0.2, ent=0.01, total=500_000,
                                  bootstrap_truncation=False, ortho=True, normalize=False, eval_interval=10_240),
    ("ours", "cartpole"): dict(envs=8, steps=32, minibatches=1, epochs=20, lr=1e-3, anneal_lr=True, anneal_clip=True,
                               gamma=0.98, lam=0.8, clip=0.2, value_clip=None, ent=0.0, total=100_000,
                               bootstrap_truncation=True, ortho=False, normalize=False, eval_interval=1_024),
    ("cleanrl", "pendulum"): dict(envs=1, steps=2048, minibatches=32, epochs=10, lr=3e-4, anneal_lr=True, anneal_clip=False,
                                  gamma=0.99, lam=0.95, clip=0.2, value_clip=0.2, ent=0.0, total=1_000_000,
                                  bootstrap_truncation=False, ortho=True, normalize=True, eval_interval=16_384),
    ("ours", "pendulum"): dict(envs=4, steps=1024, minibatches=64, epochs=10, lr=1e-3, anneal_lr=False, anneal_clip=False,
                               gamma=0.9, lam=0.95, clip=0.2, value_clip=None, ent=0.0, total=300_000,
                               bootstrap_truncation=True, ortho=False, normalize=False, eval_interval=4_096),
}
ENVIRONMENTS = {"cartpole": ("CartPole-v1", 475.0, 100), "pendulum": ("Pendulum-v1", -300.0, 50)}


class RunningMeanStd:
    """Running mean and variance (Chan et al.'s parallel formula), as Gymnasium's normalisation wrappers keep them."""

    def __init__(self, shape=()):
        self.mean, self.var, self.count = np.zeros(shape), np.ones(shape), 1e-4

    def update(self, x):
        x = np.asarray(x, dtype=np.float64).reshape(-1, *self.mean.shape)
        batch_mean, batch_var, n = x.mean(axis=0), x.var(axis=0), x.shape[0]
        delta, total = batch_mean - self.mean, self.count + n
        self.mean = self.mean + delta * n / total
        self.var = (self.var * self.count + batch_var * n + delta ** 2 * self.count * n / total) / total
        self.count = total


def layer(inputs, outputs, ortho, gain, scale=1.0):
    linear = nn.Linear(inputs, outputs)
    if ortho:
        nn.init.orthogonal_(linear.weight, gain)
        nn.init.constant_(linear.bias, 0.0)
    else:
        with torch.no_grad():
            linear.weight.mul_(scale)
            linear.bias.mul_(scale)
    return linear


class Agent(nn.Module):
    def __init__(self, observation_size, action_size, discrete, ortho):
        super().__init__()
        root2 = math.sqrt(2)
        self.critic = nn.Sequential(layer(observation_size, 64, ortho, root2), nn.Tanh(), layer(64, 64, ortho, root2), nn.Tanh(),
                                    layer(64, 1, ortho, 1.0))
        self.actor = nn.Sequential(layer(observation_size, 64, ortho, root2), nn.Tanh(), layer(64, 64, ortho, root2), nn.Tanh(),
                                   layer(64, action_size, ortho, 0.01, scale=0.01))
        self.discrete = discrete
        if not discrete:
            self.log_std = nn.Parameter(torch.zeros(action_size))

    def value(self, x):
        return self.critic(x).squeeze(-1)

    def distribution(self, x):
        out = self.actor(x)
        if self.discrete:
            return torch.distributions.Categorical(logits=out)
        return torch.distributions.Normal(out, self.log_std.exp().expand_as(out))

    def log_prob_entropy(self, x, actions):
        pi = self.distribution(x)
        if self.discrete:
            return pi.log_prob(actions.long()), pi.entropy()
        return pi.log_prob(actions).sum(-1), pi.entropy().sum(-1)

    def deterministic(self, x):
        out = self.actor(x)
        return out.argmax(-1) if self.discrete else out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int, nargs="?", default=0)
    parser.add_argument("--settings", choices=["cleanrl", "ours"], default="cleanrl")
    parser.add_argument("--env", choices=sorted(ENVIRONMENTS), default="cartpole")
    args = parser.parse_args()
    c = SETTINGS[(args.settings, args.env)]
    env_id, threshold, confirmation = ENVIRONMENTS[args.env]
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    n, steps = c["envs"], c["steps"]
    batch = n * steps
    minibatch = batch // c["minibatches"]
    iterations = c["total"] // batch
    envs = [gym.make(env_id) for _ in range(n)]
    discrete = isinstance(envs[0].action_space, gym.spaces.Discrete)
    observation_size = envs[0].observation_space.shape[0]
    action_size = envs[0].action_space.n if discrete else envs[0].action_space.shape[0]
    low = None if discrete else envs[0].action_space.low
    high = None if discrete else envs[0].action_space.high
    agent = Agent(observation_size, action_size, discrete, c["ortho"])
    optimizer = torch.optim.Adam(agent.parameters(), lr=c["lr"], eps=1e-5)
    obs_rms, ret_rms = RunningMeanStd((observation_size,)), RunningMeanStd()
    discounted = np.zeros(n)

    def normalize(o, update):
        if not c["normalize"]:
            return np.asarray(o, dtype=np.float32)
        if update:
            obs_rms.update(o)
        return np.clip((o - obs_rms.mean) / np.sqrt(obs_rms.var + 1e-8), -10, 10).astype(np.float32)

    def to_env(action):
        return int(action) if discrete else np.clip(action, low, high)

    def evaluate(episodes, seed):
        env = gym.make(env_id)
        total = 0.0
        for e in range(episodes):
            o, _ = env.reset(seed=seed + e)
            done = False
            while not done:
                with torch.no_grad():
                    a = agent.deterministic(torch.as_tensor(normalize(o[None], False)))[0].numpy()
                o, r, terminated, truncated, _ = env.step(to_env(a))
                total += r
                done = terminated or truncated
        return total / episodes

    raw = np.stack([env.reset(seed=args.seed + i)[0] for i, env in enumerate(envs)])
    observations = normalize(raw, True)
    shape = (steps, n)
    b_obs = torch.zeros(shape + (observation_size,))
    b_actions = torch.zeros(shape) if discrete else torch.zeros(shape + (action_size,))
    b_logp, b_values, b_rewards = torch.zeros(shape), torch.zeros(shape), torch.zeros(shape)
    b_terminated, b_truncated, b_truncation_values = torch.zeros(shape), torch.zeros(shape), torch.zeros(shape)
    start = time.perf_counter()
    eval_seconds, step, last_eval = 0.0, 0, None
    for iteration in range(iterations):
        remaining = 1.0 - iteration / iterations
        if c["anneal_lr"]:
            optimizer.param_groups[0]["lr"] = c["lr"] * remaining
        clip = c["clip"] * remaining if c["anneal_clip"] else c["clip"]
        for t in range(steps):
            x = torch.as_tensor(observations)
            with torch.no_grad():
                pi = agent.distribution(x)
                action = pi.sample()
                logp = pi.log_prob(action) if discrete else pi.log_prob(action).sum(-1)
                value = agent.value(x)
            b_obs[t], b_actions[t], b_logp[t], b_values[t] = x, action, logp, value
            next_raw, finals = [], {}
            for i, env in enumerate(envs):
                o, r, terminated, truncated, _ = env.step(to_env(action[i].numpy()))
                if c["normalize"]:
                    discounted[i] = discounted[i] * c["gamma"] + r
                    ret_rms.update(np.array([discounted[i]]))
                    r = np.clip(r / np.sqrt(ret_rms.var + 1e-8), -10, 10)
                if terminated or truncated:
                    discounted[i] = 0.0
                    if truncated and not terminated and c["bootstrap_truncation"]:
                        finals[i] = o
                    o, _ = env.reset()
                b_rewards[t, i] = float(r)
                b_terminated[t, i] = float(terminated or (truncated and not c["bootstrap_truncation"]))
                b_truncated[t, i] = float(truncated and c["bootstrap_truncation"])
                b_truncation_values[t, i] = 0.0
                next_raw.append(o)
            step += n
            if finals:
                keys = sorted(finals)
                with torch.no_grad():
                    v = agent.value(torch.as_tensor(normalize(np.stack([finals[k] for k in keys]), False)))
                for k, i in enumerate(keys):
                    b_truncation_values[t, i] = v[k]
            observations = normalize(np.stack(next_raw), True)
        # GAE, bootstrapping at a truncation and at the rollout's end, not at a termination.
        with torch.no_grad():
            last_values = agent.value(torch.as_tensor(observations))
        advantages = torch.zeros(shape)
        following = torch.zeros(n)
        for t in reversed(range(steps)):
            next_value = last_values if t == steps - 1 else b_values[t + 1]
            next_value = torch.where(b_truncated[t] == 1, b_truncation_values[t], next_value)
            delta = b_rewards[t] + c["gamma"] * (1 - b_terminated[t]) * next_value - b_values[t]
            continues = (1 - b_terminated[t]) * (1 - b_truncated[t])
            following = delta + c["gamma"] * c["lam"] * continues * following
            advantages[t] = following
        returns = advantages + b_values
        f_obs, f_actions = b_obs.reshape(batch, -1), b_actions.reshape(batch, *b_actions.shape[2:])
        f_logp, f_values, f_adv, f_ret = b_logp.reshape(-1), b_values.reshape(-1), advantages.reshape(-1), returns.reshape(-1)
        for _ in range(c["epochs"]):
            order = np.random.permutation(batch)
            for k in range(c["minibatches"]):
                idx = order[k * minibatch:(k + 1) * minibatch]
                new_logp, entropy = agent.log_prob_entropy(f_obs[idx], f_actions[idx])
                ratio = (new_logp - f_logp[idx]).exp()
                adv = f_adv[idx]
                adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                policy_loss = torch.max(-adv * ratio, -adv * ratio.clamp(1 - clip, 1 + clip)).mean()
                new_value = agent.value(f_obs[idx])
                unclipped = (new_value - f_ret[idx]) ** 2
                if c["value_clip"] is not None:
                    clipped = f_values[idx] + (new_value - f_values[idx]).clamp(-c["value_clip"], c["value_clip"])
                    value_loss = 0.5 * torch.max(unclipped, (clipped - f_ret[idx]) ** 2).mean()
                else:
                    value_loss = 0.5 * unclipped.mean()
                loss = policy_loss - c["ent"] * entropy.mean() + 0.5 * value_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), 0.5)
                optimizer.step()
        if step // c["eval_interval"] > (step - batch) // c["eval_interval"]:
            eval_start = time.perf_counter()
            last_eval = evaluate(10, 1_000_000 + step)
            solved = False
            if last_eval >= threshold:
                last_eval = evaluate(confirmation, 2_000_000 + step)
                solved = last_eval >= threshold
            eval_seconds += time.perf_counter() - eval_start
            if solved:
                seconds = time.perf_counter() - start
                print(json.dumps({"env": args.env, "settings": args.settings, "seed": args.seed, "solved_at_steps": step,
                                  "seconds": round(seconds, 1), "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                                  "steps_per_second_without_evaluation": round(step / (seconds - eval_seconds)),
                                  "eval_return": round(last_eval, 1)}))
                return
    seconds = time.perf_counter() - start
    print(json.dumps({"env": args.env, "settings": args.settings, "seed": args.seed, "solved_at_steps": None,
                      "steps": step, "seconds": round(seconds, 1), "seconds_without_evaluation": round(seconds - eval_seconds, 1),
                      "steps_per_second_without_evaluation": round(step / (seconds - eval_seconds)),
                      "last_eval_return": None if last_eval is None else round(last_eval, 1)}))


if __name__ == "__main__":
    main()
