"""numpy counterparts of wasm-kernels.mjs: dot, axpy (out = a x + y), nrm2, gemv, gemvT at the
same sizes. Prints JSON lines {kernel, n, seconds} (median of 7 samples). Run via wasm-compare.sh,
which pins OpenBLAS to one thread.
"""
import json
import statistics
import time

import numpy as np


def timeit(run, minimum=0.35):
    for _ in range(3):
        run()
    samples = []
    for _ in range(7):
        reps = 0
        start = time.perf_counter()
        while time.perf_counter() - start < minimum / 7:
            run()
            reps += 1
        samples.append((time.perf_counter() - start) / reps)
    return statistics.median(samples)


def filled(n, f):
    return f(np.arange(n, dtype=np.float64))


def axpy(alpha, x, y, out):
    np.multiply(x, alpha, out=out)
    np.add(out, y, out=out)


results = []
for n in [1_000, 10_000, 100_000, 1_000_000]:
    x, y = filled(n, np.sin), filled(n, np.cos)
    out = np.empty(n)
    results.append({"kernel": "dot", "n": n, "seconds": timeit(lambda: x @ y)})
    results.append({"kernel": "axpy", "n": n, "seconds": timeit(lambda: axpy(0.5, x, y, out))})
    results.append({"kernel": "nrm2", "n": n, "seconds": timeit(lambda: np.linalg.norm(x))})
for n in [256, 500, 1024, 2048]:
    A = filled(n * n, np.sin).reshape(n, n)
    x = filled(n, np.cos)
    out = np.empty(n)
    results.append({"kernel": "gemv", "n": n, "seconds": timeit(lambda: np.matmul(A, x, out=out))})
    results.append({"kernel": "gemvT", "n": n, "seconds": timeit(lambda: np.matmul(A.T, x, out=out))})
for r in results:
    print(json.dumps(r))
