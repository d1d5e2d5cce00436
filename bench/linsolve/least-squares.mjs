// argmin timings matching least_squares.py: ms per LSQR and CGLS iteration on the 2-D Poisson
// 300x300 matrix (n = 90000, CSR), and the work of the sketching solvers against LSQR/CGLS/CG in
// products with A (matvec equivalents; LSQR and CGLS count one product with A and one with Aᵀ as two)
// to reach ||b - A x|| <= 1e-6 ||b|| on consistent systems.
// Run via bench/linsolve/compare-least-squares.sh (after `pnpm build`).
import { createRng, csrFromDense, denseMatrix, spmv } from '../../packages/core/dist/index.js';
import {
  cgls,
  lsqr,
  poisson2d,
  randomizedKaczmarz,
  sketchAndProject,
} from '../../packages/linsolve/dist/index.js';

const perIteration = (run, many, few) => {
  let best = Number.POSITIVE_INFINITY;
  for (let repeat = 0; repeat < 3; repeat++) {
    let start = performance.now();
    run(many);
    const tMany = performance.now() - start;
    start = performance.now();
    run(few);
    const tFew = performance.now() - start;
    best = Math.min(best, (tMany - tFew) / (many - few));
  }
  return best / 1000;
};
const timing = {};
{
  const warm = poisson2d(101, 99);
  lsqr(warm.matrix, warm.rhs, { atol: 0, btol: 0, conlim: 0, maxIterations: 30 });
  cgls(warm.matrix, warm.rhs, { rtol: 0, maxIterations: 30 });
}
const { matrix, rhs } = poisson2d(300);
timing['lsqr iteration'] = perIteration(
  (k) => lsqr(matrix, rhs, { atol: 0, btol: 0, conlim: 0, maxIterations: k }),
  60,
  20,
);
timing['cgls iteration'] = perIteration((k) => cgls(matrix, rhs, { rtol: 0, maxIterations: k }), 60, 20);

// work to a relative residual of 1e-6 on consistent tall systems
const work = [];
const problems = [
  ['dense Gaussian 2000 x 100', 2000, 100, 1],
  ['sparse 4000 x 200, 5% nonzeros', 4000, 200, 0.05],
];
for (const [name, m, n, density] of problems) {
  const rng = createRng(7);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    data[i * n + (i % n)] = 1 + rng.uniform(); // no empty rows
    for (let j = 0; j < n; j++) if (rng.uniform() < density) data[i * n + j] += rng.normal();
  }
  const A = csrFromDense(denseMatrix(m, n, data));
  const solution = Float64Array.from({ length: n }, () => rng.normal());
  const b = spmv(A, solution, new Float64Array(m));
  const rows = [];
  const time = (label, run, matvecs) => {
    const start = performance.now();
    const result = run();
    rows.push({
      method: label,
      converged: result.converged,
      matvecs: Number(matvecs(result).toFixed(1)),
      ms: Number((performance.now() - start).toFixed(1)),
    });
  };
  // LSQR's own tests are not a residual test: stop it with btol on ||r|| / ||b|| (atol = 0)
  time(
    'LSQR',
    () => lsqr(A, b, { atol: 0, btol: 1e-6, conlim: 0 }),
    (r) => r.matvecs,
  );
  time(
    'CGLS',
    () => cgls(A, b, { rtol: 0, atol: 1e-6 * Math.hypot(...b) }),
    (r) => r.matvecs,
  );
  time(
    'randomized Kaczmarz (row-norm)',
    () => randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-6 }),
    (r) => r.matvecEquivalents,
  );
  time(
    'randomized Kaczmarz (uniform)',
    () => randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-6, sampling: 'uniform' }),
    (r) => r.matvecEquivalents,
  );
  for (const s of [10, 50])
    time(
      `block Kaczmarz (s = ${s})`,
      () => sketchAndProject(A, b, createRng(1), { rtol: 1e-6, blockSize: s }),
      (r) => r.matvecEquivalents,
    );
  time(
    'sketch-and-project, CountSketch (s = 50)',
    () => sketchAndProject(A, b, createRng(1), { rtol: 1e-6, blockSize: 50, sketch: 'count' }),
    (r) => r.matvecEquivalents,
  );
  work.push({ problem: name, rows });
}
console.log(JSON.stringify({ timing, work }));
