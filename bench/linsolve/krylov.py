"""scipy timings matching krylov.mjs: 2-D Poisson 1000x1000 (n = 10^6), ms per CG iteration (CSR) and
per GMRES(20) restart cycle, measured as (t(many) - t(few)) / (many - few), best of 3. Prints JSON (seconds)."""
import json
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import cg, gmres

nx = 1000
T = sp.diags([-1.0, -1.0], [-1, 1], shape=(nx, nx))
I = sp.eye(nx)
A = (sp.kron(I, T) + sp.kron(T, I) + sp.diags([4.0] * (nx * nx))).tocsr()
b = np.full(nx * nx, 1.0 / (nx + 1) ** 2)


def per_iteration(run, many, few):
    best = float('inf')
    for _ in range(3):
        t = time.perf_counter(); x1 = run(many); t_many = time.perf_counter() - t
        t = time.perf_counter(); x2 = run(few); t_few = time.perf_counter() - t
        assert np.isfinite(x1[12345]) and np.isfinite(x2[12345])
        best = min(best, (t_many - t_few) / (many - few))
    return best


out = {
    'cg csr': per_iteration(lambda k: cg(A, b, rtol=1e-300, maxiter=k)[0], 40, 10),
    'gmres(20) cycle': per_iteration(lambda k: gmres(A, b, rtol=1e-300, restart=20, maxiter=k)[0], 4, 1),
}
out['cg stencil'] = out['cg csr']  # scipy has no stencil operator; the stencil is compared with scipy's CSR CG
print(json.dumps(out))
