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


# AdaHessian on a finite sum with minibatches (the paper's setting): each step draws ONE batch of
# example indices, with replacement, by B calls of randint(0, n) (= createRng(seed).integer(n), the
# stream of drawBatch), then ONE Rademacher probe z (d calls of randint(0, 2)); the gradient and Hz are
# both taken on that batch of binary logistic regression with l2 (core's logisticRegression):
#   f_B(w) = (1/|B|) sum_{i in B} [log(1 + exp(x_i.w)) - y_i x_i.w] + (l2/2)|w|^2
#   grad_B = (1/|B|) sum_i (s_i - y_i) x_i + l2 w,   H_B v = (1/|B|) sum_i s_i (1 - s_i)(x_i.v) x_i + l2 v
# With hessian="full" the probe's Hz is taken on all n examples instead (same batches for the gradient).
data = np.random.RandomState(23)
n_lr, d_lr, l2_lr, batch_lr = 16, 4, 1e-2, 4
X_lr = data.standard_normal((n_lr, d_lr)) * np.array([0.3, 1.0, 2.0, 4.0])
y_lr = (data.uniform(size=n_lr) < 0.5).astype(float)
w0_lr = data.standard_normal(d_lr) * 0.2


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z)) if z >= 0 else np.exp(z) / (1.0 + np.exp(z))


def batch_grad(batch, w):
    out = l2_lr * w
    for i in batch:
        out = out + ((sigmoid(X_lr[i] @ w) - y_lr[i]) / len(batch)) * X_lr[i]
    return out


def batch_hvp(batch, w, v):
    out = l2_lr * v
    for i in batch:
        s = sigmoid(X_lr[i] @ w)
        out = out + (s * (1 - s) * (X_lr[i] @ v) / len(batch)) * X_lr[i]
    return out


def adahessian_minibatch(lr, b1, b2, eps, k, seed, steps, hessian):
    stream = np.random.RandomState(seed)
    w, m, v, out, batches = w0_lr.copy(), np.zeros(d_lr), np.zeros(d_lr), [], []
    for t in range(1, steps + 1):
        batch = [stream.randint(0, n_lr) for _ in range(batch_lr)]
        g = batch_grad(batch, w)
        z = np.array([2.0 * stream.randint(0, 2) - 1.0 for _ in range(d_lr)])
        Hz = batch_hvp(batch, w, z) if hessian == "batch" else batch_hvp(range(n_lr), w, z)
        D = np.abs(z * Hz)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * D * D
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        denom = (np.sqrt(v)) ** k / (np.sqrt(bc2)) ** k + eps
        w = w - lr * (m / bc1 / denom)
        out.append(w.tolist())
        batches.append(batch)
    return {"iterates": out, "batches": batches}


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
    "minibatchLogistic": {
        "features": X_lr.ravel().tolist(),
        "rows": n_lr,
        "cols": d_lr,
        "labels": y_lr.tolist(),
        "l2": l2_lr,
        "batchSize": batch_lr,
        "w0": w0_lr.tolist(),
        "seed": 7,
        "adahessianBatch": adahessian_minibatch(0.15, 0.9, 0.999, 1e-4, 1.0, 7, 8, "batch"),
        "adahessianFull": adahessian_minibatch(0.15, 0.9, 0.999, 1e-4, 1.0, 7, 8, "full"),
        "adahessianBatchHalfPower": adahessian_minibatch(1.0, 0.9, 0.999, 1e-4, 0.5, 7, 8, "batch"),
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer-reference.json"), "w") as handle:
    json.dump(out, handle, indent=1)
print("wrote optimizer-reference.json")
