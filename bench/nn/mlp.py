"""numpy forward+backward of a 784-256-256-10 ReLU MLP with cross-entropy on a batch of 128.

Prints the median seconds per forward+backward. Run via bench/nn/compare.sh.
"""
import time

import numpy as np

rng = np.random.RandomState(0)
n, sizes = 128, [784, 256, 256, 10]
W = [rng.standard_normal((a, b)) * np.sqrt(2 / a) for a, b in zip(sizes[:-1], sizes[1:])]
b = [np.zeros(s) for s in sizes[1:]]
X = rng.standard_normal((n, 784))
y = rng.randint(0, 10, size=n)


def step():
    hs = [X]
    pre = []
    for i, (w, c) in enumerate(zip(W, b)):
        z = hs[-1] @ w + c
        pre.append(z)
        hs.append(np.maximum(z, 0) if i < len(W) - 1 else z)
    logits = hs[-1]
    m = logits.max(axis=1, keepdims=True)
    p = np.exp(logits - m)
    p /= p.sum(axis=1, keepdims=True)
    g = p
    g[np.arange(n), y] -= 1
    g /= n
    grads = []
    for i in reversed(range(len(W))):
        grads.append((hs[i].T @ g, g.sum(axis=0)))
        if i > 0:
            g = (g @ W[i].T) * (pre[i - 1] > 0)
    return grads


for _ in range(5):
    step()
samples = []
for _ in range(7):
    start = time.perf_counter()
    for _ in range(20):
        step()
    samples.append((time.perf_counter() - start) / 20)
print(sorted(samples)[3])
