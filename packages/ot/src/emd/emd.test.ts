import { createRng } from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import reference from '../__fixtures__/pot-reference.json';
import { squaredEuclideanCost } from '../cost';
import { sinkhorn } from '../sinkhorn/sinkhorn';
import { emd, emd2 } from './emd';

describe('emd equals POT ot.emd2 to 1e-12 (generate-pot-reference.py)', () => {
  for (const c of reference.emd) {
    it(c.name, () => {
      const cost = { rows: c.rows, cols: c.cols, data: Float64Array.from(c.cost) };
      const result = emd(Float64Array.from(c.a), Float64Array.from(c.b), cost);
      expect(result.status).toBe('converged');
      expect(Math.abs(result.cost - c.emd2)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.emd2));
    });
  }
});

function random(seed: number, n: number, m: number) {
  const rng = createRng(seed);
  const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
  const Y = { rows: m, cols: 2, data: rng.fillNormal(new Float64Array(2 * m)) };
  const a = rng.fillUniform(new Float64Array(n), 0.1, 1);
  const b = rng.fillUniform(new Float64Array(m), 0.1, 1);
  const sa = a.reduce((s, x) => s + x, 0);
  const sb = b.reduce((s, x) => s + x, 0);
  return { a: a.map((x) => x / sa), b: b.map((x) => x / sb), cost: squaredEuclideanCost(X, Y) };
}

describe('emd optimality (fast-check, seed 42)', () => {
  it('the plan is feasible, has at most n + m − 1 nonzeros, and the duals certify optimality', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 25 }),
        (seed, n, m) => {
          const { a, b, cost } = random(seed, n, m);
          const result = emd(a, b, cost);
          expect(result.status).toBe('converged');
          expect(result.marginalError).toBeLessThan(1e-12);
          let nonzeros = 0;
          for (const p of result.plan.data) {
            expect(p).toBeGreaterThanOrEqual(0);
            if (p > 1e-15) nonzeros++;
          }
          expect(nonzeros).toBeLessThanOrEqual(n + m - 1);
          const { f, g } = result.potentials;
          let dual = 0;
          for (let i = 0; i < n; i++) dual += a[i] * f[i];
          for (let j = 0; j < m; j++) dual += b[j] * g[j];
          // strong duality and dual feasibility f_i + g_j <= C_ij
          expect(Math.abs(dual - result.cost)).toBeLessThan(1e-10);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < m; j++) expect(f[i] + g[j]).toBeLessThanOrEqual(cost.data[i * m + j] + 1e-10);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
  it('the log-Sinkhorn cost decreases toward the emd cost as the regularization shrinks', () => {
    const { a, b, cost } = random(7, 12, 10);
    const exact = emd2(a, b, cost);
    const costs = [2, 0.5, 0.1, 0.02].map(
      (regularization) => sinkhorn(a, b, cost, { regularization, method: 'log', maxIterations: 100000 }).cost,
    );
    for (let k = 1; k < costs.length; k++) expect(costs[k]).toBeLessThan(costs[k - 1]);
    expect(costs[3] - exact).toBeGreaterThanOrEqual(-1e-9);
    expect(costs[3] - exact).toBeLessThan(0.02 * Math.max(exact, 1));
  });
  it('a permutation problem returns the identity assignment', () => {
    const n = 6;
    const cost = {
      rows: n,
      cols: n,
      data: Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 0 : 1)),
    };
    const w = new Float64Array(n).fill(1 / n);
    const result = emd(w, w, cost);
    expect(result.cost).toBe(0);
    for (let i = 0; i < n; i++) expect(result.plan.data[i * n + i]).toBeCloseTo(1 / n, 15);
  });
  it('reports max-iterations with a warning when the pivot budget is too small', () => {
    const { a, b, cost } = random(3, 20, 20);
    const result = emd(a, b, cost, { maxIterations: 3 });
    expect(result.status).toBe('max-iterations');
    expect(result.warnings[0].message).toContain('Raise maxIterations');
  });
});
