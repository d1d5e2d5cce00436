"""Golden values for @argmin/ot from POT (Python Optimal Transport).

Regenerate (never hand-edit) from the repository root, with Debian's POT:
    apt-get install -y python3-pot && /usr/bin/python3 packages/ot/src/__fixtures__/generate-pot-reference.py
Sinkhorn: plan, cost, potentials (f = reg * log u) and iteration counts for every method;
emd: ot.emd2 costs. Random inputs are drawn here and stored in the fixture.
"""
import json
import os

import numpy as np
import ot

rng = np.random.RandomState(3)


def problem(n, m, d=2):
    X = rng.standard_normal((n, d))
    Y = rng.standard_normal((m, d)) + 0.5
    a = rng.uniform(0.5, 1.5, size=n)
    a /= a.sum()
    b = rng.uniform(0.5, 1.5, size=m)
    b /= b.sum()
    M = ot.dist(X, Y)  # squared Euclidean
    return X, Y, a, b, M


sinkhorn_cases = []
for (n, m, reg, method, extra) in [
    (8, 6, 0.5, "sinkhorn", {}),
    (8, 6, 0.1, "sinkhorn", {}),
    (12, 9, 0.2, "sinkhorn", {"numItermax": 25}),
    (8, 6, 0.1, "sinkhorn_log", {}),
    (10, 10, 0.05, "sinkhorn_log", {}),
    (8, 6, 0.1, "sinkhorn_stabilized", {}),
    (10, 7, 0.01, "sinkhorn_stabilized", {}),
    (8, 6, 0.1, "sinkhorn_epsilon_scaling", {}),
]:
    X, Y, a, b, M = problem(n, m)
    plan, log = ot.sinkhorn(a, b, M, reg, method=method, log=True, **extra)
    if method == "sinkhorn":
        f, g, niter = reg * np.log(log["u"]), reg * np.log(log["v"]), log["niter"]
    elif method == "sinkhorn_log":
        f, g, niter = reg * log["log_u"], reg * log["log_v"], log["niter"]
    elif method == "sinkhorn_stabilized":
        f, g, niter = log["alpha"], log["beta"], log["n_iter"]
    else:
        f, g, niter = log["alpha"], log["beta"], log["niter"]
    sinkhorn_cases.append(
        {
            "name": f"{method} n={n} m={m} reg={reg} {extra}",
            "method": {"sinkhorn": "standard", "sinkhorn_log": "log", "sinkhorn_stabilized": "stabilized", "sinkhorn_epsilon_scaling": "epsilon-scaling"}[method],
            "regularization": reg,
            "maxIterations": extra.get("numItermax"),
            "a": a.tolist(),
            "b": b.tolist(),
            "rows": n,
            "cols": m,
            "X": X.ravel().tolist(),
            "Y": Y.ravel().tolist(),
            "cost": M.ravel().tolist(),
            "plan": plan.ravel().tolist(),
            "linearCost": float(np.sum(plan * M)),
            "sinkhorn2": float(ot.sinkhorn2(a, b, M, reg, method=method, **extra)) if method != "sinkhorn_epsilon_scaling" else None,
            "f": np.asarray(f).tolist(),
            "g": np.asarray(g).tolist(),
            "potIterationIndex": int(niter),
        }
    )

emd_cases = []
for n, m in [(5, 5), (7, 4), (20, 30), (60, 60), (100, 80)]:
    X, Y, a, b, M = problem(n, m, d=3)
    plan, log = ot.emd(a, b, M, log=True)
    emd_cases.append({"name": f"emd n={n} m={m}", "a": a.tolist(), "b": b.tolist(), "rows": n, "cols": m, "cost": M.ravel().tolist(), "emd2": float(ot.emd2(a, b, M)), "plan": plan.ravel().tolist()})

# 1-D Wasserstein (ot.wasserstein_1d) and Gaussian W2 (ot.gaussian.bures_wasserstein_distance if present)
u = rng.standard_normal(30)
v = rng.standard_normal(40) * 1.5 + 0.3
wu = rng.uniform(0.5, 1.5, 30)
wu /= wu.sum()
wv = rng.uniform(0.5, 1.5, 40)
wv /= wv.sum()
w1d = {"u": u.tolist(), "v": v.tolist(), "uWeights": wu.tolist(), "vWeights": wv.tolist(), "p1": float(ot.wasserstein_1d(u, v, wu, wv, p=1)), "p2": float(ot.wasserstein_1d(u, v, wu, wv, p=2))}

# Cost builders (ot.dist) and grid costs on [0, 1]^d
Xc = rng.standard_normal((7, 3))
Yc = rng.standard_normal((5, 3)) + 0.25
sq = ot.dist(Xc, Yc)
eu = ot.dist(Xc, Yc, metric="euclidean")
grid1 = np.linspace(0, 1, 6)[:, None]
g2r, g2c = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 4), indexing="ij")
grid2 = np.stack([g2r.ravel(), g2c.ravel()], axis=1)  # row-major cells of a 3 x 4 grid
costs = {
    "X": Xc.ravel().tolist(), "Y": Yc.ravel().tolist(), "rows": 7, "cols": 5, "dim": 3,
    "sqeuclidean": sq.ravel().tolist(), "sqeuclideanNormalized": (sq / sq.max()).ravel().tolist(),
    "euclidean": eu.ravel().tolist(), "euclideanNormalized": (eu / eu.max()).ravel().tolist(),
    "grid1dPower1": ot.dist(grid1, grid1, metric="cityblock").ravel().tolist(),
    "grid1dPower2": ot.dist(grid1, grid1).ravel().tolist(),
    "grid2dPower1": ot.dist(grid2, grid2, metric="cityblock").ravel().tolist(),
    "grid2dPower2": ot.dist(grid2, grid2).ravel().tolist(),
    "grid2dPower2Normalized": (ot.dist(grid2, grid2) / ot.dist(grid2, grid2).max()).ravel().tolist(),
}

# Sliced Wasserstein (ot.sliced_wasserstein_distance, seeded projections) and the debiased
# Sinkhorn divergence (ot.bregman.empirical_sinkhorn_divergence, method 'sinkhorn', stopThr 1e-9)
Xs = rng.standard_normal((25, 3))
Xt = rng.standard_normal((30, 3)) * 0.8 + 0.4
sliced = {
    "X": Xs.ravel().tolist(), "Y": Xt.ravel().tolist(), "rows": 25, "cols": 30, "dim": 3,
    "p2seed7": float(ot.sliced_wasserstein_distance(Xs, Xt, n_projections=50, seed=7)),
    "p1seed3projections20": float(ot.sliced_wasserstein_distance(Xs, Xt, n_projections=20, p=1, seed=3)),
}
divergence = {
    "X": Xs.ravel().tolist(), "Y": Xt.ravel().tolist(), "rows": 25, "cols": 30, "dim": 3,
    "reg1": float(ot.bregman.empirical_sinkhorn_divergence(Xs, Xt, 1.0)),
    "reg05": float(ot.bregman.empirical_sinkhorn_divergence(Xs, Xt, 0.5)),
}

# Gaussian W2 (Bures-Wasserstein, the Frechet distance of FID) from scipy's sqrtm
import scipy.linalg


def spd(d):
    A = rng.standard_normal((d, d))
    return A @ A.T + 0.1 * np.eye(d)


m1, m2 = rng.standard_normal(4), rng.standard_normal(4)
S1, S2 = spd(4), spd(4)
r1 = scipy.linalg.sqrtm(S1)
cross = scipy.linalg.sqrtm(r1 @ S2 @ r1)
gaussian = {
    "mean1": m1.tolist(), "mean2": m2.tolist(), "cov1": S1.ravel().tolist(), "cov2": S2.ravel().tolist(),
    "squared": float(np.sum((m1 - m2) ** 2) + np.trace(S1 + S2 - 2 * np.real(cross))),
}

out = {"generator": "POT (generate-pot-reference.py)", "pot": ot.__version__, "numpy": np.__version__, "sinkhorn": sinkhorn_cases, "emd": emd_cases, "wasserstein1d": w1d, "costs": costs, "sliced": sliced, "divergence": divergence, "gaussian": gaussian}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pot-reference.json"), "w") as handle:
    json.dump(out, handle)
print("wrote", len(sinkhorn_cases), "sinkhorn and", len(emd_cases), "emd cases")
for c in sinkhorn_cases:
    print(c["name"], c["potIterationIndex"])
