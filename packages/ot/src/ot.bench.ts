import { createRng } from '@argmin/core';
import { bench, describe } from 'vitest';
import { squaredEuclideanCost } from './cost';
import { emd } from './emd/emd';
import { sinkhorn } from './sinkhorn/sinkhorn';
import { sns } from './sns/sns';

// Size sweeps of 50 Sinkhorn iterations (kernel method and log domain), one emd and one SNS solve;
// each checks its result inside the timed body.
const rng = createRng(0);
const problem = (n: number) => {
  const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
  const Y = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n), 1) };
  return { w: new Float64Array(n).fill(1 / n), cost: squaredEuclideanCost(X, Y, { normalize: true }) };
};
const check = (value: number) => {
  if (!Number.isFinite(value)) throw new Error('non-finite cost');
};
sinkhorn(
  ...(() => {
    const p = problem(37);
    return [p.w, p.w, p.cost] as const;
  })(),
  { regularization: 0.1, maxIterations: 5 },
); // warm-up, odd size

describe('sinkhorn, 50 iterations', () => {
  for (const n of [100, 500, 1000]) {
    const { w, cost } = problem(n);
    bench(
      `standard n=${n}`,
      () => check(sinkhorn(w, w, cost, { regularization: 0.05, maxIterations: 50, tolerance: 0 }).cost),
      { time: 500 },
    );
    bench(
      `log n=${n}`,
      () =>
        check(
          sinkhorn(w, w, cost, { regularization: 0.05, method: 'log', maxIterations: 50, tolerance: 0 }).cost,
        ),
      { time: 500 },
    );
  }
});

describe('exact and Newton solvers', () => {
  for (const n of [100, 300]) {
    const { w, cost } = problem(n);
    bench(`emd n=${n}`, () => check(emd(w, w, cost).cost), { time: 500 });
    bench(
      `sns n=${n}, ε=0.002`,
      () => check(sns(w, w, cost, { regularization: 0.002, adaptiveDensity: true }).cost),
      { time: 500 },
    );
  }
});
