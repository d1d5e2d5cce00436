"""Reference values for packages/core/src/linalg/factorizations.ts from numpy.linalg (LAPACK).

Run from this folder:  python3 generate-factorization-reference.py
Writes factorization-reference.json. Matrices come from numpy.random.RandomState(seed).standard_normal and
are stored in the fixture, so the test needs neither Python nor an Rng.
Only basis-independent quantities are compared (singular values, eigenvalues, the Cholesky factor,
which is unique with a positive diagonal, |R| of QR whose signs are not unique, and solutions).
"""
import json

import numpy as np

cases = []
for seed, (m, n) in [(0, (6, 4)), (1, (5, 5)), (7, (3, 8)), (42, (9, 9))]:
    rng = np.random.RandomState(seed)
    A = rng.standard_normal((m, n))
    b = rng.standard_normal(max(m, n))
    k = max(m, n)
    M = rng.standard_normal((k, k))
    spd = M @ M.T + k * np.eye(k)
    sym = M + M.T
    case = {
        "seed": seed,
        "A": {"rows": m, "cols": n, "data": A.ravel().tolist()},
        "singularValues": np.linalg.svd(A, compute_uv=False).tolist(),
        "spd": {"rows": k, "cols": k, "data": spd.ravel().tolist()},
        "choleskyLower": np.linalg.cholesky(spd).ravel().tolist(),
        "spdSolution": np.linalg.solve(spd, b).tolist(),
        "b": b.tolist(),
        "symmetric": {"rows": k, "cols": k, "data": sym.ravel().tolist()},
        "eigenvalues": np.linalg.eigvalsh(sym).tolist(),
    }
    if m >= n:
        case["absR"] = np.abs(np.linalg.qr(A, mode="reduced")[1]).ravel().tolist()
    cases.append(case)

with open("factorization-reference.json", "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1)
print("wrote", len(cases), "cases")
