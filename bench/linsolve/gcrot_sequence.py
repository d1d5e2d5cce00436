"""scipy side of gcrot-sequence.mjs: gcrotmk(m=40, k=20) on the same Darcy systems (fresh, CU reuse
with discard_C=True in the given and the greedy-sorted order) and gmres(restart=40). Matvecs counted
with a LinearOperator. Usage: python3 gcrot_sequence.py systems.json (prints JSON)."""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, gcrotmk, gmres

data = json.load(open(sys.argv[1]))
rtol, m, k = data['rtol'], data['m'], data['k']
systems = [(sp.csr_matrix((np.array(s['A']['data']), np.array(s['A']['indices']), np.array(s['A']['indptr'])),
                          shape=(s['A']['n'], s['A']['n'])), np.array(s['b'])) for s in data['systems']]


def run(order, solve):
    matvecs = 0
    converged = 0
    CU = []
    t = time.perf_counter()
    for i in order:
        A, b = systems[i]
        count = [0]

        def mv(v, A=A, count=count):
            count[0] += 1
            return A @ v

        op = LinearOperator(A.shape, matvec=mv, dtype=float)
        x, info = solve(op, b, CU)
        matvecs += count[0]
        converged += info == 0
    return {'matvecsPerSystem': matvecs / len(order), 'converged': int(converged), 'seconds': time.perf_counter() - t}


given = list(range(len(systems)))
out = {
    'gmres(40)': run(given, lambda A, b, CU: gmres(A, b, rtol=rtol, restart=m)),
    'gcrot fresh': run(given, lambda A, b, CU: gcrotmk(A, b, rtol=rtol, m=m, k=k)),
    'gcrot recycled': run(given, lambda A, b, CU: gcrotmk(A, b, rtol=rtol, m=m, k=k, CU=CU, discard_C=True)),
    'gcrot recycled sorted': run(data['sorted'],
                                 lambda A, b, CU: gcrotmk(A, b, rtol=rtol, m=m, k=k, CU=CU, discard_C=True)),
}
print(json.dumps(out))
