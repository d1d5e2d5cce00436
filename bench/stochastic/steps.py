"""numpy counterparts of bench/stochastic/steps.mjs: optax/PyTorch-style in-place optimizer steps at
d = 1e6 (oracle excluded) and the M-FAC dynamic inverse-Fisher product and update (Gram row, O(m^3)
refactor; the reference HInvFastUpMulti's costs), medians in seconds as JSON."""
import json
import time

import numpy as np

d = 1_000_000
rng = np.random.RandomState(0)
params = rng.standard_normal(d)
grad = rng.standard_normal(d)


def median(run, repeats=5):
    for _ in range(3):
        run()
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(repeats):
            run()
        samples.append((time.perf_counter() - start) / repeats)
    return sorted(samples)[3]


trace = np.zeros(d)
mu = np.zeros(d)
nu = np.zeros(d)
count = [0]
upd = np.empty(d)
tmp = np.empty(d)


def sgd_momentum():
    np.multiply(trace, 0.9, out=trace)
    np.add(trace, grad, out=trace)
    np.multiply(trace, -0.1, out=upd)


def adam(weight_decay=0.0):
    count[0] += 1
    b1, b2, eps = 0.9, 0.999, 1e-8
    np.multiply(mu, b1, out=mu)
    np.multiply(grad, 1 - b1, out=tmp)
    np.add(mu, tmp, out=mu)
    np.multiply(nu, b2, out=nu)
    np.multiply(grad, grad, out=tmp)
    np.multiply(tmp, 1 - b2, out=tmp)
    np.add(nu, tmp, out=nu)
    np.divide(nu, 1 - b2 ** count[0], out=tmp)
    np.sqrt(tmp, out=tmp)
    np.add(tmp, eps, out=tmp)
    np.divide(mu, 1 - b1 ** count[0], out=upd)
    np.divide(upd, tmp, out=upd)
    if weight_decay:
        np.multiply(params, weight_decay, out=tmp)
        np.add(upd, tmp, out=upd)
    np.multiply(upd, -1e-3, out=upd)


result = {"sgdMomentum": median(sgd_momentum), "adam": median(adam), "adamw": median(lambda: adam(1e-4)), "mfac": {}}

for dimension, m in [(10_000, 32), (100_000, 32)]:
    lam = 1e4
    G = rng.standard_normal((m, dimension))
    K = G @ G.T
    L = np.linalg.cholesky(lam * K + m * np.eye(m))
    x = rng.standard_normal(dimension)
    g = rng.standard_normal(dimension)
    last = [0]

    def apply(v, q=None):
        q = G @ v if q is None else q
        y = np.linalg.solve(L.T, np.linalg.solve(L, q))
        return lam * v - lam * lam * (y @ G)

    def update_and_apply():
        G[last[0]] = g
        t = G @ g
        K[last[0], :] = t
        K[:, last[0]] = t
        L[:] = np.linalg.cholesky(lam * K + m * np.eye(m))
        last[0] = (last[0] + 1) % m
        return apply(g, t)

    result["mfac"][f"{dimension},{m}"] = {"apply": median(lambda: apply(x)), "updateAndApply": median(update_and_apply)}
print(json.dumps(result))
