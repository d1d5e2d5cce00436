"""Reference updates for @argmin/stochastic from numpy transcriptions of optax / PyTorch / the AdaHessian
reference code, on fixed gradient sequences.

Regenerate (never hand-edit) from the repository root:
    python3 packages/stochastic/src/__fixtures__/generate-optimizer-reference.py
AdaHessian's Rademacher probes are drawn as 2*RandomState(seed).randint(0, 2, d) - 1 per step, which is
bit-for-bit the stream of createRng(seed).fillRademacher in @argmin/core.
"""
import json
import os

import numpy as np

rng = np.random.RandomState(11)
d, steps = 6, 5
x0 = rng.standard_normal(d)
grads = rng.standard_normal((steps, d))
H = rng.standard_normal((d, d))
H = H @ H.T + np.eye(d)


def adam(lr, b1, b2, eps, eps_root, weight_decay=None):
    x, mu, nu, out = x0.copy(), np.zeros(d), np.zeros(d), []
    for t, g in enumerate(grads, start=1):
        mu = b1 * mu + (1 - b1) * g
        nu = b2 * nu + (1 - b2) * g * g
        update = (mu / (1 - b1**t)) / (np.sqrt(nu / (1 - b2**t) + eps_root) + eps)
        if weight_decay is not None:
            update = update + weight_decay * x
        x = x - lr * update
        out.append(x.tolist())
    return out


def sgd(lr, momentum, nesterov):
    x, buf, out = x0.copy(), np.zeros(d), []
    for g in grads:
        buf = g + momentum * buf
        update = g + momentum * buf if nesterov else buf
        x = x - lr * update
        out.append(x.tolist())
    return out


def adahessian(lr, b1, b2, eps, k, weight_decay, seed):
    probes = np.random.RandomState(seed)
    x, m, v, out = x0.copy(), np.zeros(d), np.zeros(d), []
    for t, g in enumerate(grads, start=1):
        z = 2.0 * probes.randint(0, 2, size=d) - 1.0
        D = np.abs(z * (H @ z))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * D * D
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        denom = (np.sqrt(v)) ** k / (np.sqrt(bc2)) ** k + eps
        x = x - lr * (m / bc1 / denom + weight_decay * x)
        out.append(x.tolist())
    return out


out = {
    "generator": "numpy transcriptions (generate-optimizer-reference.py)",
    "x0": x0.tolist(),
    "gradients": grads.tolist(),
    "hessian": H.ravel().tolist(),
    "adam": adam(1e-2, 0.9, 0.999, 1e-8, 0.0),
    "adamEpsRoot": adam(1e-2, 0.9, 0.99, 1e-6, 1e-8),
    "adamw": adam(1e-2, 0.9, 0.999, 1e-8, 0.0, weight_decay=1e-2),
    "sgdMomentum": sgd(0.1, 0.9, False),
    "sgdNesterov": sgd(0.1, 0.9, True),
    "adahessian": adahessian(0.15, 0.9, 0.999, 1e-4, 1.0, 0.0, seed=5),
    "adahessianHalfPower": adahessian(1.0, 0.9, 0.999, 1e-4, 0.5, 1e-3, seed=5),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer-reference.json"), "w") as handle:
    json.dump(out, handle, indent=1)
print("wrote optimizer-reference.json")
