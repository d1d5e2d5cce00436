// argmin timings matching krylov.py on the 2-D Poisson 1000x1000 grid (n = 10^6): ms per CG iteration
// (CSR matrix and matrix-free stencil) and ms per GMRES(20) restart cycle. Prints JSON (seconds).
// Run via bench/linsolve/compare.sh.
import { cg, gmres, poisson2d } from '../../packages/linsolve/dist/index.js';

const out = {};
const perIteration = (run, many, few) => {
  let best = Number.POSITIVE_INFINITY;
  for (let repeat = 0; repeat < 3; repeat++) {
    let start = performance.now();
    const a = run(many);
    const tMany = performance.now() - start;
    start = performance.now();
    const b = run(few);
    const tFew = performance.now() - start;
    if (!Number.isFinite(a.x[12345]) || !Number.isFinite(b.x[12345])) throw new Error('non-finite result');
    best = Math.min(best, (tMany - tFew) / (many - few));
  }
  return best / 1000;
};
// warm-up on an odd size so the JIT does not specialise on the measured one
{
  const warm = poisson2d(301, 299);
  cg(warm.matrix, warm.rhs, { rtol: 0, maxIterations: 30 });
  cg(warm.operator, warm.rhs, { rtol: 0, maxIterations: 30 });
  gmres(warm.matrix, warm.rhs, { rtol: 0, restart: 20, maxIterations: 2 });
}
const { matrix, operator, rhs } = poisson2d(1000);
out['cg csr'] = perIteration((k) => cg(matrix, rhs, { rtol: 0, maxIterations: k }), 40, 10);
out['cg stencil'] = perIteration((k) => cg(operator, rhs, { rtol: 0, maxIterations: k }), 40, 10);
out['gmres(20) cycle'] = perIteration(
  (k) => gmres(matrix, rhs, { rtol: 0, restart: 20, maxIterations: k }),
  4,
  1,
);
console.log(JSON.stringify(out));
