"""Reference inverse-Fisher products for @argmin/stochastic's M-FAC, from numpy transcriptions of the
reference code (IST-DASLab/M-FAC: optim.py `HInvFastUpMulti` dynamic algorithm, prun.py `HInvFastBatch`
static algorithm) and from dense solves of (damp·I + GᵀG/m) x = v with numpy.linalg.solve.

Regenerate (never hand-edit) from the repository root:
    python3 packages/stochastic/src/__fixtures__/generate-mfac-reference.py
"""
import json
import os

import numpy as np


def dynamic_products(stream, m, damp, v):
    """Sliding-window M-FAC: ring buffer G, Gram K, LU without pivoting, coefficient matrix C."""
    d = stream.shape[1]
    lam = 1.0 / damp
    G = np.zeros((m, d))
    K = np.zeros((m, m))
    last = 0
    out = []

    def setup():
        A = lam * K + m * np.eye(m)
        U = A.copy()
        for c in range(m):  # LU without pivoting: keep U
            for r in range(c + 1, m):
                U[r, c:] -= U[r, c] / U[c, c] * U[c, c:]
        R = np.triu(U - m * np.eye(m))
        den = m + np.diag(R)
        C = lam * np.eye(m)
        for i in range(1, m):
            t = -R[:i, i] / den[:i]
            C[i, :i] = t @ C[:i, :i]
        return R, den, C

    def multiply(x, q, R, den, C):
        vv = lam * q.copy()
        for i in range(1, m):
            vv[i:] -= R[i - 1, i:] * vv[i - 1] / den[i - 1]
        return lam * x - ((vv / den) @ C) @ G

    for g in stream:
        G[last] = g
        t = G @ g
        K[last, :] = t
        K[:, last] = t
        R, den, C = setup()
        update_product = multiply(g, t, R, den, C)
        last = (last + 1) % m
        out.append({"updateProduct": update_product.tolist(), "product": multiply(v, G @ v, R, den, C).tolist()})
    return out


def static_products(G, damp, v, block):
    m, d = G.shape
    lam = 1.0 / damp
    result = lam * v.copy()
    diagonal = np.full(d, lam)
    for start in range(0, d, block):
        sl = slice(start, min(d, start + block))
        U = np.zeros((m, sl.stop - sl.start))
        den = np.zeros(m)
        for i in range(m):
            U[i] = lam * G[i, sl]
            for j in range(i):
                U[i] -= (U[j] @ G[i, sl]) / den[j] * U[j]
            den[i] = m + G[i, sl] @ U[i]
        for i in range(m):
            result[sl] -= (U[i] @ v[sl]) / den[i] * U[i]
            diagonal[sl] -= U[i] ** 2 / den[i]
    return result, diagonal


def dense(G, m, damp, v):
    F = damp * np.eye(G.shape[1]) + G.T @ G / m
    return np.linalg.solve(F, v), np.diag(np.linalg.inv(F))


rng = np.random.RandomState(21)
d, m, damp = 30, 6, 1e-2
stream = rng.standard_normal((3 * m + 2, d))
v = rng.standard_normal(d)
dyn = dynamic_products(stream, m, damp, v)
window = stream[-m:]
static_full, static_diagonal = static_products(window, damp, v, d)
static_blocked, static_blocked_diagonal = static_products(window, damp, v, 8)
# Block-diagonal dense reference for the blocked variant.
blocked_dense = np.zeros(d)
for start in range(0, d, 8):
    sl = slice(start, min(d, start + 8))
    blocked_dense[sl] = dense(window[:, sl], m, damp, v[sl])[0]
dense_partial = dense(stream[:3], m, damp, v)[0]  # 3 < m gradients; the divisor stays m
dense_window, dense_diagonal = dense(window, m, damp, v)

out = {
    "generator": "numpy transcriptions of M-FAC optim.py/prun.py and numpy.linalg.solve (generate-mfac-reference.py)",
    "dimension": d,
    "window": m,
    "damping": damp,
    "stream": stream.tolist(),
    "v": v.tolist(),
    "dynamic": dyn,
    "densePartial": dense_partial.tolist(),
    "denseWindow": dense_window.tolist(),
    "denseDiagonal": dense_diagonal.tolist(),
    "staticProduct": static_full.tolist(),
    "staticDiagonal": static_diagonal.tolist(),
    "staticBlocked8": static_blocked.tolist(),
    "staticBlocked8Diagonal": static_blocked_diagonal.tolist(),
    "denseBlocked8": blocked_dense.tolist(),
}
err = max(abs(np.array(dyn[-1]["product"]) - dense_window).max() / abs(dense_window).max(),
          abs(static_full - dense_window).max() / abs(dense_window).max(),
          abs(np.array(dyn[2]["product"]) - dense_partial).max() / abs(dense_partial).max(),
          abs(static_blocked - blocked_dense).max() / abs(blocked_dense).max())
assert err < 1e-10, err
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mfac-reference.json"), "w") as handle:
    json.dump(out, handle)
print("wrote mfac-reference.json; transcriptions vs dense: max relative error", err)
