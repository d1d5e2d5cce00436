"""Golden values for @argmin/linsolve `gcrot` from scipy.sparse.linalg.gcrotmk.

Regenerate (never hand-edit):  python3 generate-gcrot-reference.py > gcrot-reference.json
Systems as generate-krylov-reference.py (non-symmetric convection-diffusion, shifted Laplacian), small n.
Per case: scipy's solution, outer iterations (callbacks; scipy calls back once more in the iteration
that detects convergence, recorded as callbacks - 1), products with A (counted by a LinearOperator)
and info. Sequence cases pass the same CU list through 3 systems with discard_C=True.
"""
import json
import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, gcrotmk


def poisson(nx, shift=0.0):
    main = sp.diags([4.0 + shift] * (nx * nx))
    T = sp.diags([-1.0, -1.0], [-1, 1], shape=(nx, nx))
    I = sp.eye(nx)
    return (sp.kron(I, T) + sp.kron(T, I) + main).tocsr()


def convection_diffusion(nx, peclet):
    A = poisson(nx).tolil()
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
    return {'rows': A.shape[0], 'cols': A.shape[1], 'rowPointers': A.indptr.tolist(),
            'columnIndices': A.indices.tolist(), 'values': A.data.tolist()}


def run(A, b, CU=None, **kwargs):
    count = {'matvecs': 0, 'callbacks': 0}

    def mv(v):
        count['matvecs'] += 1
        return A @ v

    op = LinearOperator(A.shape, matvec=mv, dtype=float)

    def cb(_):
        count['callbacks'] += 1

    x, info = gcrotmk(op, b, callback=cb, CU=CU, **kwargs)
    outer = count['callbacks'] - 1 if info == 0 else count['callbacks']
    return {'x': x.tolist(), 'info': int(info), 'outer': outer, 'matvecs': count['matvecs']}


rng = np.random.RandomState(1)
cases = []
systems = [
    ('convection-diffusion 10x10 Pe=1.5', convection_diffusion(10, 1.5)),
    ('convection-diffusion 12x12 Pe=4', convection_diffusion(12, 4.0)),
    ('shifted Laplacian 12x12 c=-0.3', poisson(12, -0.3)),
]
for name, A in systems:
    b = rng.standard_normal(A.shape[0])
    for (m, k) in ((10, 4), (6, 6)):
        for truncate in ('oldest', 'smallest'):
            rtol = 1e-10
            out = run(A, b, rtol=rtol, m=m, k=k, truncate=truncate)
            cases.append({'name': f'gcrotmk(m={m}, k={k}, {truncate}) {name} rtol={rtol}', 'matrix': csr_dict(A),
                          'b': b.tolist(), 'rtol': rtol, 'm': m, 'k': k, 'truncate': truncate, **out})

# right preconditioning (scipy's M is applied as z = M v, flexible)
A = convection_diffusion(12, 4.0)
b = rng.standard_normal(A.shape[0])
Mj = sp.diags(1.0 / A.diagonal()).tocsr()
out = run(A, b, rtol=1e-10, m=8, k=4, M=Mj)
cases.append({'name': 'gcrotmk(m=8, k=4) jacobi M convection-diffusion 12x12 Pe=4', 'matrix': csr_dict(A),
              'b': b.tolist(), 'rtol': 1e-10, 'm': 8, 'k': 4, 'truncate': 'oldest', 'jacobi': True, **out})

sequences = []
for truncate in ('oldest', 'smallest'):
    CU = []
    steps = []
    for peclet in (1.0, 1.3, 1.6):
        A = convection_diffusion(10, peclet)
        b = np.sin(np.arange(A.shape[0]) * (1 + peclet))
        out = run(A, b, CU=CU, rtol=1e-10, m=8, k=6, discard_C=True, truncate=truncate)
        steps.append({'matrix': csr_dict(A), 'b': b.tolist(), **out})
    sequences.append({'name': f'gcrotmk(m=8, k=6, {truncate}) CU reuse, discard_C=True, 3 convection-diffusion systems',
                      'rtol': 1e-10, 'm': 8, 'k': 6, 'truncate': truncate, 'steps': steps})

print(json.dumps({'generator': 'generate-gcrot-reference.py', 'scipy': scipy.__version__, 'numpy': np.__version__,
                  'cases': cases, 'sequences': sequences}))
