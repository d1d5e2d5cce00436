"""scipy's lsqr per iteration on the 2-D Poisson 300x300 matrix (n = 90000, CSR), matching
least-squares.mjs. Prints JSON (seconds). Run via compare-least-squares.sh."""
import json
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import lsqr

n = 300
T = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(n, n))
A = (sp.kron(sp.identity(n), T) + sp.kron(T, sp.identity(n))).tocsr()
h = 1.0 / (n + 1)
b = np.full(n * n, h * h)


def per_iteration(many, few):
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        lsqr(A, b, atol=0, btol=0, conlim=0, iter_lim=many)
        t_many = time.perf_counter() - t0
        t0 = time.perf_counter()
        lsqr(A, b, atol=0, btol=0, conlim=0, iter_lim=few)
        t_few = time.perf_counter() - t0
        best = min(best, (t_many - t_few) / (many - few))
    return best


lsqr(A, b, atol=0, btol=0, conlim=0, iter_lim=5)
print(json.dumps({"lsqr iteration": per_iteration(60, 20)}))
