"""POT timings: ms per Sinkhorn iteration (sinkhorn_knopp, 200 iterations, no early stop) at n = 1000
and 2000 point clouds, and ot.emd at n = 500, 1000. Prints JSON. Run via bench/ot/compare.sh."""
import json
import time

import numpy as np
import ot

out = {}
rng = np.random.RandomState(0)
for n in [1000, 2000]:
    X, Y = rng.standard_normal((n, 2)), rng.standard_normal((n, 2)) + 1
    M = ot.dist(X, Y)
    M /= M.max()
    a = np.full(n, 1 / n)
    ot.sinkhorn(a, a, M, 0.05, numItermax=5, stopThr=0)
    start = time.perf_counter()
    ot.sinkhorn(a, a, M, 0.05, numItermax=200, stopThr=0, warn=False)
    out[f"sinkhorn n={n}"] = (time.perf_counter() - start) / 200
for n in [500, 1000]:
    X, Y = rng.standard_normal((n, 2)), rng.standard_normal((n, 2)) + 1
    M = ot.dist(X, Y)
    a = np.full(n, 1 / n)
    start = time.perf_counter()
    ot.emd(a, a, M)
    out[f"emd n={n}"] = time.perf_counter() - start
print(json.dumps(out))
