"""Golden values for core/lbfgs and core/gradient-descent from scipy.optimize.minimize(method='L-BFGS-B').

Regenerate (never hand-edit) from the repository root:
    python3 packages/core/src/methods/__fixtures__/generate-lbfgs-reference.py
Writes lbfgs-reference.json next to this script: for each problem, the data (for logistic
regression), the starting point, scipy's minimizer, minimum value, iteration and evaluation counts.
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import minimize, rosen, rosen_der


def logistic(X, y, l2):
    m = X.shape[0]

    def f(w):
        z = X @ w
        return float(np.sum(np.logaddexp(0.0, z) - y * z) / m + 0.5 * l2 * w @ w)

    def g(w):
        z = X @ w
        s = 0.5 * (1.0 + np.tanh(0.5 * z))
        return X.T @ (s - y) / m + l2 * w

    return f, g


def run(name, f, g, x0, extra=None):
    result = minimize(f, x0, jac=g, method="L-BFGS-B", options={"maxcor": 10, "gtol": 1e-10, "ftol": 0.0, "maxiter": 15000})
    default = minimize(f, x0, jac=g, method="L-BFGS-B")
    case = {
        "name": name,
        "x0": list(map(float, x0)),
        "minimizer": list(map(float, result.x)),
        "minimum": float(result.fun),
        "defaultRun": {"x": list(map(float, default.x)), "fun": float(default.fun), "iterations": int(default.nit), "evaluations": int(default.nfev), "message": str(default.message)},
    }
    if extra:
        case.update(extra)
    return case


rng = np.random.RandomState(7)
X = rng.standard_normal((200, 8))
w_true = rng.standard_normal(8)
y = (rng.uniform(size=200) < 1.0 / (1.0 + np.exp(-(X @ w_true)))).astype(float)
l2 = 1e-2
lf, lg = logistic(X, y, l2)

cases = [
    run("rosenbrock 2-D", rosen, rosen_der, np.array([-1.2, 1.0])),
    run("rosenbrock 10-D", rosen, rosen_der, np.array([-1.2 if i % 2 == 0 else 1.0 for i in range(10)])),
    run("logistic regression 200 x 8", lf, lg, np.zeros(8), {"features": X.ravel().tolist(), "rows": 200, "cols": 8, "labels": y.tolist(), "l2": l2}),
]
out = {"generator": "scipy.optimize.minimize(method='L-BFGS-B')", "scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lbfgs-reference.json"), "w") as handle:
    json.dump(out, handle, indent=1)
print("wrote", len(cases), "cases")
for c in cases:
    print(c["name"], c["defaultRun"]["iterations"], c["defaultRun"]["evaluations"], c["minimum"])
