#!/usr/bin/env python3
"""JAX peer of the TensorCore benchmarks (`deeprl bench --json`): the same
four workloads as Sources/Benchmarks/TensorBenchmarks.swift and
bench/pytorch_peer.py, each training update written with jax + optax and
compiled whole with `jax.jit` (XLA fuses the update into one program), on
one CPU thread (PEER_ALL_CORES=1: JAX's default threads). Prints one JSON object with the same keys.

    pip install jax optax
    python3 bench/jax_peer.py
"""
import os

# One thread, before JAX starts: XLA's CPU backend and Eigen's pool.
# The flags are not enough: with jax 0.10 the timed loops still used 1.2 to 1.8
# CPUs (process time over wall time), the 256 x 256 product 1.7. So the whole
# process is confined to one core, as `deeprl bench`'s one-thread keys are.
# PEER_ALL_CORES=1 leaves JAX as installed (its default threads, every core):
# the second column of bench/compare.py.
if os.environ.get("PEER_ALL_CORES") != "1":
    os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import json
import time

import jax
import jax.numpy as jnp
import optax


def median_microseconds(body, rounds=7, iterations=100):
    """Median over `rounds` rounds of the mean time per call, after a warm-up round (compiles)."""
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


def init_mlp(key, sizes):
    """PyTorch's default initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases."""
    params = []
    for i in range(len(sizes) - 1):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1 / jnp.sqrt(sizes[i])
        params.append((jax.random.uniform(kw, (sizes[i], sizes[i + 1]), minval=-bound, maxval=bound),
                       jax.random.uniform(kb, (sizes[i + 1],), minval=-bound, maxval=bound)))
    return params


def mlp(params, x, activation, output_activation=None):
    for i, (w, b) in enumerate(params):
        x = x @ w + b
        if i < len(params) - 1:
            x = activation(x)
        elif output_activation is not None:
            x = output_activation(x)
    return x


def block(out):
    jax.tree_util.tree_map(lambda a: a.block_until_ready(), out)


def dqn_workload():
    key = jax.random.PRNGKey(1)
    q = init_mlp(key, [4, 120, 84, 2])
    target = q
    optimizer = optax.adam(2.5e-4)
    state = optimizer.init(q)
    k1, k2 = jax.random.split(key)
    obs, next_obs = jax.random.normal(k1, (128, 4)), jax.random.normal(k2, (128, 4))
    rewards = jnp.ones(128)
    dones = jnp.array([1.0 if i % 20 == 0 else 0.0 for i in range(128)])
    actions = jnp.array([i % 2 for i in range(128)])

    @jax.jit
    def update(q, state):
        next_q = mlp(target, next_obs, jax.nn.relu)
        y = jax.lax.stop_gradient(rewards + 0.99 * (1 - dones) * next_q.max(axis=1))

        def loss_fn(q):
            value = jnp.take_along_axis(mlp(q, obs, jax.nn.relu), actions[:, None], axis=1)[:, 0]
            return ((value - y) ** 2).mean()

        grads = jax.grad(loss_fn)(q)
        updates, state = optimizer.update(grads, state, q)
        return optax.apply_updates(q, updates), state

    holder = {"q": q, "state": state}

    def step():
        holder["q"], holder["state"] = update(holder["q"], holder["state"])
        block(holder["q"])

    return median_microseconds(step, iterations=200)


def ppo_workload():
    key = jax.random.PRNGKey(2)
    ka, kc, ko, kadv, kr = jax.random.split(key, 5)
    params = {"actor": init_mlp(ka, [4, 64, 64, 2]), "critic": init_mlp(kc, [4, 64, 64, 1])}
    optimizer = optax.chain(optax.clip_by_global_norm(0.5), optax.adam(2.5e-4, eps=1e-5))
    state = optimizer.init(params)
    obs = jax.random.normal(ko, (128, 4))
    old_logprob = jnp.full((128,), -0.69)
    advantages, returns = jax.random.normal(kadv, (128,)), jax.random.normal(kr, (128,))
    actions = jnp.array([i % 2 for i in range(128)])

    @jax.jit
    def update(params, state):
        def loss_fn(params):
            logits = mlp(params["actor"], obs, jnp.tanh)
            log_probs = jax.nn.log_softmax(logits)
            new_logprob = jnp.take_along_axis(log_probs, actions[:, None], axis=1)[:, 0]
            entropy = -(jnp.exp(log_probs) * log_probs).sum(axis=1)
            value = mlp(params["critic"], obs, jnp.tanh)[:, 0]
            ratio = jnp.exp(new_logprob - old_logprob)
            adv = (advantages - advantages.mean()) / (advantages.std(ddof=1) + 1e-8)
            pg_loss = jnp.maximum(-adv * ratio, -adv * jnp.clip(ratio, 0.8, 1.2)).mean()
            v_loss = 0.5 * ((value - returns) ** 2).mean()
            return pg_loss - 0.01 * entropy.mean() + 0.5 * v_loss

        grads = jax.grad(loss_fn)(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    holder = {"p": params, "s": state}

    def step():
        holder["p"], holder["s"] = update(holder["p"], holder["s"])
        block(holder["p"])

    return median_microseconds(step, iterations=100)


def sac_workload():
    key = jax.random.PRNGKey(3)
    keys = jax.random.split(key, 10)
    critics = {"q1": init_mlp(keys[0], [4, 256, 256, 1]), "q2": init_mlp(keys[1], [4, 256, 256, 1])}
    targets = critics
    actor = {"trunk": init_mlp(keys[2], [3, 256, 256]), "mean": init_mlp(keys[3], [256, 1]), "logstd": init_mlp(keys[4], [256, 1])}
    log_alpha = jnp.zeros(())
    q_opt, a_opt, alpha_opt = optax.adam(1e-3), optax.adam(3e-4), optax.adam(1e-3)
    obs, next_obs = jax.random.normal(keys[5], (256, 3)), jax.random.normal(keys[6], (256, 3))
    actions, rewards, dones = jax.random.normal(keys[7], (256, 1)), jax.random.normal(keys[8], (256,)), jnp.zeros(256)
    gamma, tau, target_entropy = 0.99, 0.005, -1.0

    def policy(actor, x, noise_key):
        h = mlp(actor["trunk"], x, jax.nn.relu, jax.nn.relu)
        mean = mlp(actor["mean"], h, jax.nn.relu)
        log_std = -5 + 0.5 * 7 * (jnp.tanh(mlp(actor["logstd"], h, jax.nn.relu)) + 1)
        std = jnp.exp(log_std)
        u = mean + std * jax.random.normal(noise_key, mean.shape)
        y = jnp.tanh(u)
        log_prob = (-0.5 * ((u - mean) / std) ** 2 - log_std - 0.5 * jnp.log(2 * jnp.pi)).sum(1)
        log_prob -= jnp.log(2 * (1 - y ** 2) + 1e-6).sum(1)
        return 2 * y, log_prob

    def q_value(params, s, a):
        return mlp(params, jnp.concatenate([s, a], 1), jax.nn.relu)[:, 0]

    @jax.jit
    def update(critics, targets, actor, log_alpha, states, noise_key):
        k1, k2, noise_key = jax.random.split(noise_key, 3)
        alpha = jnp.exp(log_alpha)
        next_a, next_logp = policy(actor, next_obs, k1)
        min_next = jnp.minimum(q_value(targets["q1"], next_obs, next_a), q_value(targets["q2"], next_obs, next_a))
        y = jax.lax.stop_gradient(rewards + gamma * (1 - dones) * (min_next - alpha * next_logp))

        def critic_loss(critics):
            return ((q_value(critics["q1"], obs, actions) - y) ** 2).mean() + ((q_value(critics["q2"], obs, actions) - y) ** 2).mean()

        q_grads = jax.grad(critic_loss)(critics)
        q_updates, q_state = q_opt.update(q_grads, states[0], critics)
        critics = optax.apply_updates(critics, q_updates)

        def actor_loss(actor):
            a, logp = policy(actor, obs, k2)
            min_q = jnp.minimum(q_value(critics["q1"], obs, a), q_value(critics["q2"], obs, a))
            return (alpha * logp - min_q).mean(), logp

        (_, logp), a_grads = jax.value_and_grad(actor_loss, has_aux=True)(actor)
        a_updates, a_state = a_opt.update(a_grads, states[1], actor)
        actor = optax.apply_updates(actor, a_updates)

        def temperature_loss(log_alpha):
            return (-jnp.exp(log_alpha) * (jax.lax.stop_gradient(logp) + target_entropy)).mean()

        t_grad = jax.grad(temperature_loss)(log_alpha)
        t_updates, t_state = alpha_opt.update(t_grad, states[2], log_alpha)
        log_alpha = optax.apply_updates(log_alpha, t_updates)
        targets = jax.tree_util.tree_map(lambda t, p: (1 - tau) * t + tau * p, targets, critics)
        return critics, targets, actor, log_alpha, (q_state, a_state, t_state), noise_key

    holder = {"v": (critics, targets, actor, log_alpha, (q_opt.init(critics), a_opt.init(actor), alpha_opt.init(log_alpha)), keys[9])}

    def step():
        holder["v"] = update(*holder["v"])
        block(holder["v"])

    return median_microseconds(step, iterations=10)


def matmul_gflops(n=256):
    key = jax.random.PRNGKey(4)
    a, b = jax.random.normal(key, (n, n)), jax.random.normal(jax.random.split(key)[0], (n, n))
    product = jax.jit(lambda a, b: a @ b)
    us = median_microseconds(lambda: product(a, b).block_until_ready(), iterations=50)
    return 2 * n ** 3 / (us * 1e3)


if __name__ == "__main__":
    results = {
        "dqn_update_us": dqn_workload(),
        "ppo_minibatch_us": ppo_workload(),
        "sac_update_us": sac_workload(),
        "matmul_256_gflops": matmul_gflops(),
    }
    print(json.dumps({k: round(v, 1) for k, v in results.items()}, indent=2))
