"""Golden values for @argmin/linsolve Krylov solvers from scipy.sparse.linalg.

Regenerate (never hand-edit):  python3 generate-krylov-reference.py > krylov-reference.json
Each case stores the CSR matrix, b, the tolerance, scipy's solution and its iteration count
(callbacks per iteration; GMRES: inner iterations via 'pr_norm' and cycles via 'x').
MINRES uses its own stopping rule in scipy, so for it we record the true residual after every
iteration and derive the first iteration with ||b - A x|| <= rtol ||b|| (the shared rule).
"""
import json
import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import bicgstab, cg, gmres, minres


def poisson(nx, shift=0.0):
    main = sp.diags([4.0 + shift] * (nx * nx))
    T = sp.diags([-1.0, -1.0], [-1, 1], shape=(nx, nx))
    I = sp.eye(nx)
    return (sp.kron(I, T) + sp.kron(T, I) + main).tocsr()


def convection_diffusion(nx, peclet):
    # five-point diffusion plus first-order upwind convection in x and y: non-symmetric
    A = poisson(nx).tolil()
    n = nx * nx
    for i in range(nx):
        for j in range(nx):
            p = i * nx + j
            A[p, p] += 2 * peclet
            if j > 0:
                A[p, p - 1] -= peclet
            if i > 0:
                A[p, p - nx] -= peclet
    return A.tocsr()


def csr_dict(A):
    A = A.tocsr()
    A.sort_indices()
    return {
        'rows': A.shape[0],
        'cols': A.shape[1],
        'rowPointers': A.indptr.tolist(),
        'columnIndices': A.indices.tolist(),
        'values': A.data.tolist(),
    }


rng = np.random.RandomState(0)
cases = []


def counted(solver, A, b, **kwargs):
    count = {'n': 0}

    def callback(_):
        count['n'] += 1

    x, info = solver(A, b, callback=callback, **kwargs)
    return x, info, count['n']


P = poisson(12)
b1 = rng.standard_normal(P.shape[0])
for rtol in (1e-5, 1e-10):
    x, info, its = counted(cg, P, b1, rtol=rtol)
    cases.append({'name': f'cg poisson 12x12 rtol={rtol}', 'solver': 'cg', 'matrix': csr_dict(P), 'b': b1.tolist(),
                  'rtol': rtol, 'x': x.tolist(), 'iterations': its, 'info': int(info)})

# PCG with Jacobi on a variable-diagonal SPD matrix
D = sp.diags(1.0 + 9.0 * rng.random_sample(P.shape[0]))
Q = (D @ P @ D).tocsr()
Mj = sp.diags(1.0 / Q.diagonal())
x, info, its = counted(cg, Q, b1, rtol=1e-8, M=Mj)
cases.append({'name': 'pcg jacobi scaled poisson rtol=1e-8', 'solver': 'cg-jacobi', 'matrix': csr_dict(Q), 'b': b1.tolist(),
              'rtol': 1e-8, 'x': x.tolist(), 'iterations': its, 'info': int(info)})

C = convection_diffusion(10, 1.5)
b2 = rng.standard_normal(C.shape[0])
for restart in (10, 20):
    inner = {'n': 0}
    cycles = {'n': 0}

    def cb_inner(_):
        inner['n'] += 1

    def cb_x(_):
        cycles['n'] += 1

    x, info = gmres(C, b2, rtol=1e-8, restart=restart, callback=cb_inner, callback_type='pr_norm')
    gmres(C, b2, rtol=1e-8, restart=restart, callback=cb_x, callback_type='x')
    cases.append({'name': f'gmres({restart}) convection-diffusion rtol=1e-8', 'solver': 'gmres', 'restart': restart,
                  'matrix': csr_dict(C), 'b': b2.tolist(), 'rtol': 1e-8, 'x': x.tolist(),
                  'iterations': inner['n'], 'cycles': cycles['n'], 'info': int(info)})

x, info, its = counted(bicgstab, C, b2, rtol=1e-8)
cases.append({'name': 'bicgstab convection-diffusion rtol=1e-8', 'solver': 'bicgstab', 'matrix': csr_dict(C), 'b': b2.tolist(),
              'rtol': 1e-8, 'x': x.tolist(), 'iterations': its, 'info': int(info)})

for name, A in (('minres poisson (SPD)', P), ('minres shifted poisson (indefinite)', poisson(12, -1.0))):
    residuals = []
    bn = np.linalg.norm(b1)

    def cb(xk):
        residuals.append(float(np.linalg.norm(b1 - A @ xk)))

    x, info = minres(A, b1, rtol=1e-14, maxiter=400, callback=cb)
    rtol = 1e-8
    first = next(i + 1 for i, r in enumerate(residuals) if r <= rtol * bn)
    xs = {}

    def cb2(xk, store=xs):
        store.setdefault('count', 0)
        store['count'] += 1
        if store['count'] == first:
            store['x'] = xk.copy()

    minres(A, b1, rtol=1e-14, maxiter=first, callback=cb2)
    cases.append({'name': name, 'solver': 'minres', 'matrix': csr_dict(A), 'b': b1.tolist(), 'rtol': rtol,
                  'x': xs['x'].tolist(), 'iterations': first, 'info': 0})

print(json.dumps({'generator': 'generate-krylov-reference.py', 'scipy': scipy.__version__, 'numpy': np.__version__,
                  'cases': cases}))
