"""Golden values for linsolve's LSQR from scipy.sparse.linalg.lsqr.

Run: python3 generate-lsqr-reference.py  (writes lsqr-reference.json next to this file).
Each case stores a dense row-major A, b, the options, and scipy's outputs
(x, istop, itn, r1norm, r2norm, anorm, acond, arnorm, xnorm).
"""
import json
import os

import numpy as np
import scipy
from scipy.sparse.linalg import lsqr

rng = np.random.RandomState(21)


def case(name, A, b, **options):
    x0 = options.pop("x0", None)
    out = lsqr(A, b, x0=x0, **options)
    x, istop, itn, r1norm, r2norm, anorm, acond, arnorm, xnorm, _ = out
    return {
        "name": name,
        "rows": int(A.shape[0]),
        "cols": int(A.shape[1]),
        "data": A.ravel().tolist(),
        "b": b.tolist(),
        "x0": None if x0 is None else np.asarray(x0).tolist(),
        "options": options,
        "x": np.asarray(x).tolist(),
        "istop": int(istop),
        "itn": int(itn),
        "r1norm": float(r1norm),
        "r2norm": float(r2norm),
        "anorm": float(anorm),
        "acond": float(acond),
        "arnorm": float(arnorm),
        "xnorm": float(xnorm),
    }


cases = []
# 1. inconsistent overdetermined system, default tolerances (istop 2)
A = rng.standard_normal((30, 10))
b = rng.standard_normal(30)
cases.append(case("overdetermined 30x10 inconsistent, defaults", A, b))
# 2. consistent sparse-ish tall system (istop 1)
A = rng.standard_normal((60, 20)) * (rng.uniform(size=(60, 20)) < 0.25)
A[np.arange(20), np.arange(20)] += 3.0
xt = rng.standard_normal(20)
cases.append(case("consistent sparse 60x20, atol=btol=1e-10", A, A @ xt, atol=1e-10, btol=1e-10))
# 3. underdetermined: the minimum-norm solution
A = rng.standard_normal((10, 25))
b = rng.standard_normal(10)
cases.append(case("underdetermined 10x25 (minimum norm)", A, b, atol=1e-12, btol=1e-12))
# 4. damped least squares (Tikhonov)
A = rng.standard_normal((30, 10))
b = rng.standard_normal(30)
cases.append(case("damp=0.5 on 30x10", A, b, damp=0.5, atol=1e-10, btol=1e-10))
# 5. x0 given
A = rng.standard_normal((40, 15))
b = rng.standard_normal(40)
cases.append(case("x0 given, 40x15", A, b, x0=rng.standard_normal(15), atol=1e-9, btol=1e-9))
# 6. iteration limit (istop 7)
A = rng.standard_normal((50, 30)) @ np.diag(np.logspace(0, 3, 30))
b = rng.standard_normal(50)
cases.append(case("iter_lim=5 on a graded 50x30", A, b, iter_lim=5))
# 7. condition limit (istop 3): graded columns, conlim 1e2
cases.append(case("conlim=1e2 on a graded 50x30", A, b, conlim=1e2, atol=1e-14, btol=1e-14))
# 8. tall 2-D Poisson-like: the 5-point Laplacian on 8x8 stacked over the identity (n = 64, m = 128)
n = 8
T = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
L = np.kron(np.eye(n), T) + np.kron(T, np.eye(n))
A = np.vstack([L, np.eye(n * n)])
b = np.concatenate([np.ones(n * n), np.zeros(n * n)])
cases.append(case("Laplacian 64 stacked over I (128x64), atol=btol=1e-8", A, b, atol=1e-8, btol=1e-8))

out = {"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsqr-reference.json"), "w") as f:
    json.dump(out, f)
print("\n".join(f"{c['name']}: istop={c['istop']} itn={c['itn']}" for c in cases))
