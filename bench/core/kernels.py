"""Times numpy's dot, gemv (A @ x), gemvT (A.T @ x) and gemm (A @ B) at the sizes of kernels.mjs.

Prints JSON lines {kernel, n, seconds} (best of 5 timed samples: the machine is shared, and the
minimum is the least load-sensitive statistic). Run via compare.sh.
"""
import json
import math
import time

import numpy as np


def timeit(run, minimum=0.2):
    for _ in range(3):
        run()
    samples = []
    for _ in range(5):
        reps = 0
        start = time.perf_counter()
        while time.perf_counter() - start < minimum / 5:
            run()
            reps += 1
        samples.append((time.perf_counter() - start) / reps)
    return min(samples)


def filled(n, f):
    return f(np.arange(n, dtype=np.float64))


results = []
for n in [1_000, 100_000, 1_000_000]:
    x, y = filled(n, np.sin), filled(n, np.cos)
    results.append({"kernel": "dot", "n": n, "seconds": timeit(lambda: x @ y)})
for n in [256, 1024, 2048]:
    A = filled(n * n, np.sin).reshape(n, n)
    x = filled(n, np.cos)
    out = np.empty(n)
    results.append({"kernel": "gemv", "n": n, "seconds": timeit(lambda: np.matmul(A, x, out=out))})
    results.append({"kernel": "gemvT", "n": n, "seconds": timeit(lambda: np.matmul(A.T, x, out=out))})
for n in [128, 256, 512]:
    A = filled(n * n, np.sin).reshape(n, n)
    B = filled(n * n, np.cos).reshape(n, n)
    C = np.empty((n, n))
    results.append({"kernel": "gemm", "n": n, "seconds": timeit(lambda: np.matmul(A, B, out=C), 1.0)})
for r in results:
    print(json.dumps(r))
