// argmin timings matching sinkhorn.py: ms per Sinkhorn iteration ('standard', 200 iterations, no early
// stop) at n = 1000 and 2000, and emd at n = 500, 1000. Prints JSON. Run via bench/ot/compare.sh.
import { createRng } from '../../packages/core/dist/index.js';
import { emd, sinkhorn, squaredEuclideanCost } from '../../packages/ot/dist/index.js';

const rng = createRng(0);
const out = {};
const clouds = (n) => {
  const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
  const Y = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n), 1) };
  return { X, Y };
};
for (const n of [1000, 2000]) {
  const { X, Y } = clouds(n);
  const cost = squaredEuclideanCost(X, Y, { normalize: true });
  const a = new Float64Array(n).fill(1 / n);
  sinkhorn(a, a, cost, { regularization: 0.05, maxIterations: 5, tolerance: 0 }); // warm-up
  // Time the iterations only: subtract a run of 1 iteration (kernel exp and plan assembly).
  let start = performance.now();
  sinkhorn(a, a, cost, { regularization: 0.05, maxIterations: 201, tolerance: 0, checkEvery: 10 });
  const many = performance.now() - start;
  start = performance.now();
  sinkhorn(a, a, cost, { regularization: 0.05, maxIterations: 1, tolerance: 0, checkEvery: 10 });
  const one = performance.now() - start;
  out[`sinkhorn n=${n}`] = (many - one) / 200 / 1000;
}
for (const n of [500, 1000]) {
  const { X, Y } = clouds(n);
  const cost = squaredEuclideanCost(X, Y);
  const a = new Float64Array(n).fill(1 / n);
  const start = performance.now();
  const result = emd(a, a, cost);
  if (!result.converged) throw new Error('emd did not converge');
  out[`emd n=${n}`] = (performance.now() - start) / 1000;
}
console.log(JSON.stringify(out));
