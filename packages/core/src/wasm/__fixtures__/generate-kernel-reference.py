"""Golden values for the level-1/level-2 kernels (both backends): exact results, correctly rounded.

Inputs come from numpy's seeded PCG64 (seed 15, mixed magnitudes); references are computed in
exact rational arithmetic (fractions.Fraction) and rounded once to float64, so they are independent
of any summation order. nrm2 references are sqrt of the exact sum of squares (one extra rounding).
Run from this folder: python3 generate-kernel-reference.py  (writes kernel-reference.json).
"""
import json
import math
from fractions import Fraction

import numpy as np

rng = np.random.default_rng(15)


def vector(n, spread=3):
    return (rng.standard_normal(n) * 10.0 ** rng.integers(-spread, spread + 1, n)).tolist()


def exact_dot(x, y):
    return float(sum((Fraction(a) * Fraction(b) for a, b in zip(x, y)), Fraction(0)))


def exact_nrm2(x):
    s = sum((Fraction(a) ** 2 for a in x), Fraction(0))
    # sqrt of a huge/tiny rational without overflow: scale by an even power of two.
    if s == 0:
        return 0.0
    e = (s.numerator.bit_length() - s.denominator.bit_length()) // 2
    scaled = s / Fraction(2) ** (2 * e)
    return math.ldexp(math.sqrt(float(scaled)), e)


cases = {"dot": [], "nrm2": [], "gemv": []}
for n in [0, 1, 2, 3, 7, 8, 33, 1000]:
    x, y = vector(n), vector(n)
    cases["dot"].append({"x": x, "y": y, "expected": exact_dot(x, y)})
for n, scale in [(0, 1.0), (5, 1.0), (31, 1.0), (1000, 1.0), (9, 1e200), (9, 1e-200)]:
    x = [v * scale for v in vector(n, 1)]
    cases["nrm2"].append({"x": x, "expected": exact_nrm2(x)})
for m, n in [(7, 5), (5, 7), (1, 9), (13, 1), (64, 33)]:
    a = vector(m * n)
    x, xt = vector(n), vector(m)
    rows = [a[i * n:(i + 1) * n] for i in range(m)]
    ax = [exact_dot(r, x) for r in rows]
    atx = [exact_dot([rows[i][j] for i in range(m)], xt) for j in range(n)]
    cases["gemv"].append({"m": m, "n": n, "a": a, "x": x, "xt": xt, "ax": ax, "atx": atx})

with open("kernel-reference.json", "w") as f:
    json.dump(cases, f)
