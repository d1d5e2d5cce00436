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

// Issue 26: SNS's warm-up runs stabilized sweeps (the log-domain iterates at kernel cost), and its
// Newton systems are solved to an inexact tolerance by default.
describe('SNS warm-up: 20 Sinkhorn sweeps, stabilized vs log domain', () => {
  for (const n of [200, 500]) {
    const { w, cost } = problem(n);
    for (const method of ['stabilized', 'log'] as const)
      bench(
        `${method} n=${n}`,
        () =>
          check(sinkhorn(w, w, cost, { regularization: 1e-3, method, maxIterations: 20, tolerance: 0 }).cost),
        { time: 500 },
      );
  }
});

describe("SNS on the paper's setting (random assignment, η = 1200, λ = 5/n): inexact vs tight CG", () => {
  const n = 300;
  const assignment = { rows: n, cols: n, data: createRng(5).fillUniform(new Float64Array(n * n)) };
  for (const cgTolerance of ['inexact', 1e-10] as const)
    bench(
      `cgTolerance ${cgTolerance} n=${n}`,
      () => check(sns([], [], assignment, { regularization: 1 / 1200, density: 5 / n, cgTolerance }).cost),
      { time: 1000 },
    );
});
