"""Reference schedules for @argmin/stochastic: optax schedule formulas (transcribed), and the refinement
of Defazio et al. 2023 with the reference recipe (facebookresearch/adaptive_scheduling find_schedule.py
`find_closed_form_schedule`; median filter as in visual.py: width w = 2*floor(tau*T/2)+1, 2w samples
appended at the end in np.pad 'reflect' mode, scipy.ndimage.median_filter mode 'nearest', padding dropped),
on the synthetic gradient-norm shapes of synthetic_sched_grid.py (Gaussian-smoothed piecewise-linear
norms, T = 1000 instead of 2000 to keep the fixture small) and on a noisy sequence; plus the bound B(lambda) minimized over the scale.

Regenerate (never hand-edit) from the repository root:
    python3 packages/stochastic/src/__fixtures__/generate-schedule-reference.py
"""
import json
import math
import os

import numpy as np
from scipy.ndimage import gaussian_filter1d, median_filter


def refine(norms, tau=0.1, kind="sgd"):
    T = len(norms)
    w = 2 * int(tau * T / 2) + 1
    padded = np.pad(norms, (0, 2 * w), mode="reflect")
    smoothed = median_filter(padded, size=w, mode="nearest")[:T]
    weights = smoothed ** (-2.0 if kind == "sgd" else -1.0)
    tail = np.cumsum(weights[::-1])[::-1]
    s = np.zeros(T)
    s[:-1] = weights[:-1] * tail[1:]
    return (s / s.max()).tolist(), smoothed.tolist()


def bound(norms, lam, D=1.0):
    G2 = np.asarray(norms) ** 2
    lam = np.asarray(lam)
    S = np.cumsum(lam[::-1])[::-1]
    tailG = np.cumsum((G2 * lam**2)[::-1])[::-1]
    a = D**2 / (2 * S[0])
    b = (G2 * lam**2).sum() / (2 * S[0])
    T = len(lam)
    for k in range(T - 1):
        b += 0.5 * lam[k] / (S[k] * S[k + 1]) * tailG[k]
    return a + b, 2 * math.sqrt(a * b), math.sqrt(a / b)


def synthetic(T, c):
    knots = np.array([0, 0.003, 0.02, 0.03, 0.1, 1.0]) * (T - 1)
    values = np.array([15, 6, 4, 2, 1, c], dtype=float)
    raw = np.interp(np.arange(T), knots, values)
    return gaussian_filter1d(raw, 40, mode="nearest")


cases = []
for name, norms in [
    ("constant, T = 10", np.ones(10)),
    ("synthetic c = 1, T = 1000", synthetic(1000, 1.0)),
    ("synthetic c = 2, T = 1000", synthetic(1000, 2.0)),
    ("synthetic c = 0.7, T = 1000", synthetic(1000, 0.7)),
    ("noisy, T = 300", 1 + 0.5 * np.abs(np.random.RandomState(3).standard_normal(300))),
]:
    for kind in ("sgd", "adam"):
        values, smoothed = refine(norms, kind=kind)
        T = len(norms)
        linear = 1 - np.arange(T) / (T - 1)
        linear[-1] = 1e-12  # the bound needs S_k > 0
        refined = np.maximum(np.array(values), 1e-12)
        cases.append({
            "name": f"{name} ({kind})",
            "kind": kind,
            "norms": np.asarray(norms).tolist(),
            "smoothed": smoothed if len(norms) <= 300 else None,
            "values": values,
            "boundRefined": bound(norms, refined)[0],
            "boundRefinedOptimal": bound(norms, refined)[1],
            "boundLinearOptimal": bound(norms, linear)[1],
        })

steps = list(range(0, 130, 7))


def cosine(init, decay_steps, alpha):
    return [init * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * min(t, decay_steps) / decay_steps)) + alpha) for t in steps]


def linear(init, end, transition):
    return [(init - end) * (1 - min(t, transition) / transition) + end for t in steps]


def warmup_cosine(init, peak, warmup, decay_steps, end):
    out = []
    for t in steps:
        if t < warmup:
            out.append(init + (peak - init) * t / warmup)
        else:
            tt = min(t - warmup, decay_steps - warmup)
            out.append(peak * ((1 - end / peak) * 0.5 * (1 + math.cos(math.pi * tt / (decay_steps - warmup))) + end / peak))
    return out


def piecewise(init, boundaries):
    out = []
    for t in steps:
        v = init
        for b, s in boundaries:
            v = v * s if t >= b else v
        out.append(v)
    return out


out = {
    "generator": "optax schedule formulas and the refinement reference recipe (generate-schedule-reference.py)",
    "refinement": cases,
    "steps": steps,
    "optax": {
        "cosine": cosine(0.5, 100, 0.1),
        "linear": linear(1.0, 0.05, 90),
        "warmupCosine": warmup_cosine(0.0, 1.0, 10, 110, 0.01),
        "piecewise": piecewise(1.0, [(30, 0.5), (80, 0.1)]),
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "schedule-reference.json"), "w") as handle:
    json.dump(out, handle)
print("wrote schedule-reference.json", [(c["name"], round(c["boundRefinedOptimal"] / c["boundLinearOptimal"], 4)) for c in cases])
