"""Numpy transcription of LV-HBA's update loop as the reference code runs it
(SUSTech-Optimization/LV-HBA, Toy-example/LLC/LV-HBA.py), written from the notes' description and the
paper, for the coupled-constraint toy with n = 10.

Start (as argmin's lvHba: documented there): x = x0, y = 0, (x, y) projected onto sum(x) + sum(y) = 0,
theta = y, lambda = lambda0, z = z0 (projected). The loop then follows the reference order: theta and
lambda first, then (x, y) with the new theta and lambda, then z. Two multiplier rules: 'clip' (the
code's box [-u, u]) and 'nonnegative' (the paper's lambda >= 0, z in [0, r]).

Run: python3 generate-lv-hba-reference.py > lv-hba-reference.json
"""
import json
import numpy as np

n = 10


def project_pair(x, y):
    w = np.concatenate([x, y])
    w = w - w.sum() / len(w)
    return w[:n].copy(), w[n:].copy()


def F_x(x, y):
    return x - y[n:]


def F_y(x, y):
    return np.concatenate([y[:n] - 1.0, y[n:] - x])


def f_x(x, y):
    return -y[:n]


def f_y(x, y):
    return np.concatenate([y[:n] - x, np.ones(n)])


def G(x, y):
    return x.sum() + y.sum()


def run(multiplier, iterations, alpha=0.008, beta=0.02, eta=0.01, gamma1=10.0, gamma2=10.0, c0=0.025, p=0.3,
        u=1000.0, lambda0=1.0, z0=-1.0):
    x = np.linspace(-1.0, 2.0, n)
    y = np.zeros(2 * n)
    x, y = project_pair(x, y)
    theta = y.copy()
    lam = lambda0
    z = z0
    clip = (lambda v: min(u, max(-u, v))) if multiplier == 'clip' else None
    z = clip(z) if clip else min(u, max(0.0, z))
    xs = []
    for k in range(iterations):
        ck = c0 * (k + 1) ** p
        d_theta = f_y(x, theta) + lam * np.ones(2 * n) + (theta - y) / gamma1
        d_lam = -G(x, theta) + (lam - z) / gamma2
        theta = theta - eta * d_theta
        lam = lam - eta * d_lam
        lam = clip(lam) if clip else max(0.0, lam)
        d1 = F_x(x, y) / ck + f_x(x, y) - f_x(x, theta) - lam * np.ones(n)
        d2 = F_y(x, y) / ck + f_y(x, y) - (y - theta) / gamma1
        x = x - alpha * d1
        y = y - alpha * d2
        x, y = project_pair(x, y)
        z = z + beta * (lam - z) / gamma2
        z = clip(z) if clip else min(u, max(0.0, z))
        xs.append(x.tolist())
    return {'x': xs, 'y': y.tolist(), 'theta': theta.tolist(), 'lambda': lam, 'z': z}


out = {
    'n': n,
    'x0': np.linspace(-1.0, 2.0, n).tolist(),
    'iterations': 200,
    'clip': run('clip', 200),
    'nonnegative': run('nonnegative', 200),
}
print(json.dumps(out))
