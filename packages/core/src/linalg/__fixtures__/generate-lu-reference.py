"""Reference values for lu / solve / solveTranspose in packages/core/src/linalg/factorizations.ts.

Run from this folder:  python3 generate-lu-reference.py
Writes lu-reference.json from scipy.linalg.lu_factor (LAPACK dgetrf, partial pivoting, 0-based
pivots as a swap sequence: row k was swapped with row piv[k]) and scipy.linalg.lu_solve with
trans=0 (A x = b) and trans=1 (Aᵀ x = b), plus cho_factor/cho_solve for the Cholesky solves.
Matrices come from numpy.random.RandomState(seed) and are stored in the fixture, so the test needs
neither Python nor an Rng.
"""
import json

import numpy as np
import scipy
from scipy.linalg import cho_factor, cho_solve, lu_factor, lu_solve

cases = []
for seed, n in [(0, 1), (1, 3), (2, 5), (3, 8), (4, 12)]:
    rng = np.random.RandomState(seed)
    A = rng.standard_normal((n, n))
    if n > 1:
        A[0, 0] = 0.0  # forces a row swap at the first step
    b = rng.standard_normal(n)
    lu, piv = lu_factor(A)
    M = rng.standard_normal((n, n))
    spd = M @ M.T + n * np.eye(n)
    cases.append(
        {
            "seed": seed,
            "A": {"rows": n, "cols": n, "data": A.ravel().tolist()},
            "b": b.tolist(),
            "lu": lu.ravel().tolist(),
            "pivots": piv.tolist(),
            "solution": lu_solve((lu, piv), b, trans=0).tolist(),
            "transposeSolution": lu_solve((lu, piv), b, trans=1).tolist(),
            "spd": {"rows": n, "cols": n, "data": spd.ravel().tolist()},
            "spdSolution": cho_solve(cho_factor(spd, lower=True), b).tolist(),
        }
    )

with open("lu-reference.json", "w") as f:
    json.dump({"numpy": np.__version__, "scipy": scipy.__version__, "cases": cases}, f, indent=1)
print("wrote", len(cases), "cases")
