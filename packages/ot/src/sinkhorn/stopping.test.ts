import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gridCost, squaredEuclideanCost } from '../cost';
import { marginalError, marginalErrorIn } from '../result';
import { sns } from '../sns/sns';
import { sinkhorn, sinkhornMethods } from './sinkhorn';

// One small problem whose L1 and L2 errors differ by a large factor (L1 >= L2, up to 2√m).
const n = 12;
const m = 9;
const rng = createRng(3);
const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
const Y = { rows: m, cols: 2, data: rng.fillNormal(new Float64Array(2 * m), 0.5) };
const a = new Float64Array(n).fill(1 / n);
const b = new Float64Array(m).fill(1 / m);
const cost = squaredEuclideanCost(X, Y);

function errorsOf(plan: { rows: number; cols: number; data: Float64Array }) {
  const rows = new Float64Array(n);
  const columns = new Float64Array(m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      rows[i] += plan.data[i * m + j];
      columns[j] += plan.data[i * m + j];
    }
  let l2 = 0;
  let rowsSquared = 0;
  for (let j = 0; j < m; j++) l2 += (columns[j] - b[j]) ** 2;
  for (let i = 0; i < n; i++) rowsSquared += (rows[i] - a[i]) ** 2;
  return { l1: marginalError(plan, a, b), l2: Math.sqrt(l2), potSquared: l2 + rowsSquared };
}

describe('every method honours marginalNorm, tolerance and checkEvery (issue 26: stabilized ignored the norm)', () => {
  const tolerance = 1e-8;
  for (const method of sinkhornMethods) {
    for (const norm of ['l1', 'l2'] as const) {
      it(`${method} stops on the ${norm} error <= ${tolerance} of the plan it returns`, () => {
        const result = sinkhorn(a, b, cost, {
          regularization: 0.2,
          method,
          marginalNorm: norm,
          tolerance,
          maxIterations: method === 'epsilon-scaling' ? 200 : 100000,
        });
        expect(result.status).toBe('converged');
        const errors = errorsOf(result.plan);
        const last = result.trace.metrics.error.at(-1) as number;
        // The recorded error is the requested norm of the returned plan.
        const expected =
          norm === 'l1' ? errors.l1 : method === 'epsilon-scaling' ? errors.potSquared : errors.l2;
        expect(Math.abs(last - expected)).toBeLessThanOrEqual(1e-12 + 1e-6 * expected);
        expect(expected).toBeLessThanOrEqual(tolerance);
        expect(marginalErrorIn(norm, result.plan, a, b)).toBe(norm === 'l1' ? errors.l1 : errors.l2);
        if (norm === 'l1') expect(result.marginalError).toBeLessThanOrEqual(tolerance);
      });
    }
  }
  it('the l1 stop is the stricter one here: it takes more sweeps than the l2 stop (stabilized)', () => {
    const l1 = sinkhorn(a, b, cost, {
      regularization: 0.2,
      method: 'stabilized',
      marginalNorm: 'l1',
      tolerance,
      maxIterations: 100000,
    });
    const l2 = sinkhorn(a, b, cost, {
      regularization: 0.2,
      method: 'stabilized',
      marginalNorm: 'l2',
      tolerance,
      maxIterations: 100000,
    });
    expect(l1.iterations).toBeGreaterThan(l2.iterations);
  });
  it('checkEvery sets the checkpoints of every method (trace.iteration every k sweeps)', () => {
    for (const method of ['standard', 'log', 'stabilized'] as const) {
      const result = sinkhorn(a, b, cost, {
        regularization: 0.2,
        method,
        checkEvery: 7,
        tolerance: 0,
        maxIterations: 50,
      });
      expect(result.trace.iteration).toEqual([1, 8, 15, 22, 29, 36, 43, 50]);
      expect(result.iterations).toBe(50);
      expect(result.status).toBe('max-iterations');
    }
    // epsilon-scaling counts outer steps: checked at outer steps 0, 3, ..., 39 of 40.
    const scaling = sinkhorn(a, b, cost, {
      regularization: 0.2,
      method: 'epsilon-scaling',
      checkEvery: 3,
      tolerance: 0,
      maxIterations: 40,
      innerIterations: 5,
    });
    expect(scaling.trace.iteration).toHaveLength(14);
    expect(scaling.trace.iteration.at(-1)).toBe(scaling.iterations);
    expect(scaling.iterations).toBeLessThanOrEqual(40 * 5);
  });
  for (const norm of ['l1', 'l2'] as const) {
    it(`sns stops on the ${norm} error`, () => {
      const result = sns(a, b, cost, {
        regularization: 0.5,
        marginalNorm: norm,
        tolerance: 1e-10,
        density: 1,
      });
      expect(result.status).toBe('converged');
      const errors = errorsOf(result.plan);
      expect(errors[norm]).toBeLessThanOrEqual(1e-10);
      expect(Math.abs((result.trace.metrics.error.at(-1) as number) - errors[norm])).toBeLessThanOrEqual(
        1e-14,
      );
    });
  }
  it('sns honours maxNewtonIterations and tolerance 0 (runs to the cap)', () => {
    const result = sns(a, b, cost, {
      regularization: 0.05,
      tolerance: 0,
      maxNewtonIterations: 3,
      sinkhornIterations: 5,
    });
    expect(result.newtonIterations).toBeLessThanOrEqual(3);
    expect(result.sinkhornIterations).toBe(5);
    expect(result.converged).toBe(false);
  });
});

describe('stabilized: the plan and potentials are the iterate’s own, even right after an absorption', () => {
  it('equals log-domain Sinkhorn after k sweeps when the k-th sweep absorbed (POT would return mass 1/(nm))', () => {
    const side = 6;
    const density2d = (mx: number, my: number, width: number) => {
      const w = Float64Array.from({ length: side * side }, (_, k) => {
        const x = Math.floor(k / side) / (side - 1);
        const y = (k % side) / (side - 1);
        return Math.exp(-0.5 * (((x - mx) / width) ** 2 + ((y - my) / width) ** 2)) + 1e-3;
      });
      const total = w.reduce((s, x) => s + x, 0);
      return w.map((x) => x / total);
    };
    const p = density2d(0.3, 0.3, 0.2);
    const q = density2d(0.7, 0.6, 0.25);
    const grid = gridCost([side, side], { power: 2 });
    // At ε = 2e-3 the scalings pass τ = 1e3 at sweep 3 and at every sweep after it.
    for (const k of [3, 5, 10]) {
      const stabilized = sinkhorn(p, q, grid, {
        regularization: 2e-3,
        method: 'stabilized',
        maxIterations: k,
        tolerance: 0,
      });
      const log = sinkhorn(p, q, grid, {
        regularization: 2e-3,
        method: 'log',
        maxIterations: k,
        tolerance: 0,
      });
      expect(Math.abs(stabilized.marginalError - log.marginalError)).toBeLessThanOrEqual(
        1e-9 * log.marginalError,
      );
      for (let i = 0; i < stabilized.plan.data.length; i++)
        expect(Math.abs(stabilized.plan.data[i] - log.plan.data[i])).toBeLessThanOrEqual(
          1e-9 * Math.max(...log.plan.data),
        );
    }
  });
});
