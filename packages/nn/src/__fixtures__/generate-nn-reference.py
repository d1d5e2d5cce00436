"""numpy reference for @argmin/nn: forward outputs, mean loss and its gradient for several networks.

Regenerate (never hand-edit) from the repository root:
    python3 packages/nn/src/__fixtures__/generate-nn-reference.py
An independent numpy implementation of the same conventions (row-major dense weights [in, out] then
bias; PyTorch's activations, LayerNorm (eps 1e-5, biased variance) and mean-reduced losses) with
hand-written backpropagation. Parameters and data are drawn here and stored in the fixture.
"""
import json
import os

import numpy as np
from scipy.special import erf

SQRT2 = np.sqrt(2.0)
C = np.sqrt(2.0 / np.pi)


def act(name, x):
    if name == "relu":
        return np.maximum(x, 0.0), (x > 0).astype(float)
    if name == "leaky-relu":
        return np.where(x > 0, x, 0.01 * x), np.where(x > 0, 1.0, 0.01)
    if name == "tanh":
        t = np.tanh(x)
        return t, 1 - t * t
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-x))
        return s, s * (1 - s)
    if name == "gelu":
        cdf = 0.5 * (1 + erf(x / SQRT2))
        return x * cdf, cdf + x * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)
    if name == "gelu-tanh":
        u = C * (x + 0.044715 * x**3)
        t = np.tanh(u)
        return 0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x)
    if name == "softplus":
        s = 1 / (1 + np.exp(-x))
        return np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20)))), np.where(x > 20, 1.0, s)
    raise ValueError(name)


def sizes_of(layer):
    if layer["type"] == "dense":
        return layer["inputs"] * layer["outputs"] + (layer["outputs"] if layer.get("bias", True) else 0)
    if layer["type"] == "layer-norm":
        return 2 * layer["size"]
    if layer["type"] == "residual":
        return sum(sizes_of(l) for l in layer["layers"])
    return 0


def forward_stack(layers, p, offset, x):
    """Returns output and a tape for backward."""
    tape = []
    h = x
    for layer in layers:
        size = sizes_of(layer)
        y, cache = forward_layer(layer, p, offset, h)
        tape.append((layer, offset, h, cache))
        offset += size
        h = y
    return h, tape


def forward_layer(layer, p, offset, x):
    t = layer["type"]
    if t == "dense":
        d, k = layer["inputs"], layer["outputs"]
        W = p[offset : offset + d * k].reshape(d, k)
        y = x @ W
        if layer.get("bias", True):
            y = y + p[offset + d * k : offset + d * k + k]
        return y, None
    if t == "activation":
        y, dy = act(layer["activation"], x)
        return y, dy
    if t == "layer-norm":
        d = layer["size"]
        g, b = p[offset : offset + d], p[offset + d : offset + 2 * d]
        mu = x.mean(axis=1, keepdims=True)
        var = ((x - mu) ** 2).mean(axis=1, keepdims=True)
        s = 1 / np.sqrt(var + 1e-5)
        xh = (x - mu) * s
        return g * xh + b, (xh, s)
    if t == "residual":
        y, tape = forward_stack(layer["layers"], p, offset, x)
        return x + y, tape
    raise ValueError(t)


def backward_stack(tape, p, gy, grad):
    g = gy
    for layer, offset, x, cache in reversed(tape):
        g = backward_layer(layer, p, offset, x, cache, g, grad)
    return g


def backward_layer(layer, p, offset, x, cache, gy, grad):
    t = layer["type"]
    if t == "dense":
        d, k = layer["inputs"], layer["outputs"]
        W = p[offset : offset + d * k].reshape(d, k)
        grad[offset : offset + d * k] = (x.T @ gy).ravel()
        if layer.get("bias", True):
            grad[offset + d * k : offset + d * k + k] = gy.sum(axis=0)
        return gy @ W.T
    if t == "activation":
        return gy * cache
    if t == "layer-norm":
        d = layer["size"]
        g = p[offset : offset + d]
        xh, s = cache
        grad[offset : offset + d] = (gy * xh).sum(axis=0)
        grad[offset + d : offset + 2 * d] = gy.sum(axis=0)
        gxh = gy * g
        return s * (gxh - gxh.mean(axis=1, keepdims=True) - xh * (gxh * xh).mean(axis=1, keepdims=True))
    if t == "residual":
        return gy + backward_stack(cache, p, gy, grad)
    raise ValueError(t)


def loss_and_grad(name, y, t):
    n, k = y.shape
    if name == "mse":
        r = y - t.reshape(n, k)
        return float((r * r).mean()), 2 * r / (n * k)
    if name == "binary-cross-entropy":
        tt = t.reshape(n, k)
        value = (np.logaddexp(0, y) - tt * y).mean()
        return float(value), (1 / (1 + np.exp(-y)) - tt) / (n * k)
    if name == "cross-entropy":
        labels = t.astype(int)
        m = y.max(axis=1, keepdims=True)
        logz = m + np.log(np.exp(y - m).sum(axis=1, keepdims=True))
        value = (logz[:, 0] - y[np.arange(n), labels]).mean()
        g = np.exp(y - logz)
        g[np.arange(n), labels] -= 1
        return float(value), g / n
    if name == "hinge":
        tt = t.reshape(n, k)
        margin = 1 - tt * y
        return float(np.maximum(margin, 0).mean()), np.where(margin > 0, -tt, 0.0) / (n * k)
    raise ValueError(name)


rng = np.random.RandomState(2024)
cases = []
configurations = [
    ("relu mlp, mse", [{"type": "dense", "inputs": 4, "outputs": 8}, {"type": "activation", "size": 8, "activation": "relu"}, {"type": "dense", "inputs": 8, "outputs": 3}], "mse"),
    ("tanh + layer norm, cross-entropy", [{"type": "dense", "inputs": 4, "outputs": 6}, {"type": "layer-norm", "size": 6}, {"type": "activation", "size": 6, "activation": "tanh"}, {"type": "dense", "inputs": 6, "outputs": 3}], "cross-entropy"),
    ("exact gelu + residual, binary cross-entropy", [{"type": "dense", "inputs": 4, "outputs": 5}, {"type": "activation", "size": 5, "activation": "gelu"}, {"type": "residual", "layers": [{"type": "dense", "inputs": 5, "outputs": 5}, {"type": "activation", "size": 5, "activation": "sigmoid"}]}, {"type": "dense", "inputs": 5, "outputs": 2}], "binary-cross-entropy"),
    ("gelu-tanh, softplus, leaky relu, no bias, hinge", [{"type": "dense", "inputs": 4, "outputs": 6, "bias": False}, {"type": "activation", "size": 6, "activation": "gelu-tanh"}, {"type": "dense", "inputs": 6, "outputs": 6}, {"type": "activation", "size": 6, "activation": "softplus"}, {"type": "dense", "inputs": 6, "outputs": 4}, {"type": "activation", "size": 4, "activation": "leaky-relu"}, {"type": "dense", "inputs": 4, "outputs": 2}], "hinge"),
]
for name, layers, loss in configurations:
    n = 7
    count = sum(sizes_of(l) for l in layers)
    p = rng.standard_normal(count) * 0.7
    x = rng.standard_normal((n, 4))
    k = layers[-1]["outputs"]
    if loss == "mse":
        t = rng.standard_normal(n * k)
    elif loss == "cross-entropy":
        t = rng.randint(0, k, size=n).astype(float)
    elif loss == "binary-cross-entropy":
        t = rng.uniform(size=n * k)
    else:
        t = np.where(rng.uniform(size=n * k) < 0.5, -1.0, 1.0)
    y, tape = forward_stack(layers, p, 0, x)
    value, gy = loss_and_grad(loss, y, t)
    grad = np.zeros(count)
    backward_stack(tape, p, gy, grad)
    cases.append({"name": name, "layers": layers, "loss": loss, "params": p.tolist(), "inputs": x.ravel().tolist(), "rows": n, "targets": t.tolist(), "outputs": y.ravel().tolist(), "value": value, "gradient": grad.tolist()})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn-reference.json"), "w") as handle:
    json.dump({"generator": "numpy transcription (generate-nn-reference.py)", "numpy": np.__version__, "cases": cases}, handle, indent=1)
print("wrote", len(cases), "cases")
