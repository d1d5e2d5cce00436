import { createRng, InvalidArgumentError, InvalidOptionsError } from '@argmin/core';
import { expectAllClose } from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import reference from '../__fixtures__/pot-reference.json';
import { squaredEuclideanCost } from '../cost';
import { marginalError } from '../result';
import { type SinkhornMethod, sinkhorn, sinkhorn2 } from './sinkhorn';

const close = (
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  relative: number,
  label: string,
  absolute = 0,
) => expect(() => expectAllClose(actual, expected, { relative, absolute, label })).not.toThrow();

describe('sinkhorn equals POT (generate-pot-reference.py) for the same reg and iterations', () => {
  for (const c of reference.sinkhorn) {
    it(c.name, () => {
      const cost = { rows: c.rows, cols: c.cols, data: Float64Array.from(c.cost) };
      const result = sinkhorn(Float64Array.from(c.a), Float64Array.from(c.b), cost, {
        regularization: c.regularization,
        method: c.method as SinkhornMethod,
        maxIterations: c.maxIterations ?? undefined,
      });
      // POT reports the 0-based index of the last sweep (niter); argmin counts sweeps.
      if (c.method !== 'epsilon-scaling') expect(result.iterations).toBe(c.potIterationIndex + 1);
      close(result.plan.data, c.plan, 1e-10, 'plan', 1e-300);
      expect(Math.abs(result.cost - c.linearCost)).toBeLessThanOrEqual(1e-10 * c.linearCost);
      if (c.sinkhorn2 !== null)
        expect(Math.abs(result.cost - c.sinkhorn2)).toBeLessThanOrEqual(1e-10 * c.sinkhorn2);
      close(result.potentials.f, c.f, 1e-9, 'f', 1e-12);
      close(result.potentials.g, c.g, 1e-9, 'g', 1e-12);
    });
  }
});

function randomProblem(seed: number, n: number, m: number) {
  const rng = createRng(seed);
  const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
  const Y = { rows: m, cols: 2, data: rng.fillNormal(new Float64Array(2 * m), 0.5) };
  const a = rng.fillUniform(new Float64Array(n), 0.5, 1.5);
  const b = rng.fillUniform(new Float64Array(m), 0.5, 1.5);
  const sa = a.reduce((s, x) => s + x, 0);
  const sb = b.reduce((s, x) => s + x, 0);
  for (let i = 0; i < n; i++) a[i] /= sa;
  for (let j = 0; j < m; j++) b[j] /= sb;
  return { a, b, cost: squaredEuclideanCost(X, Y) };
}

describe('invariants (fast-check, seed 42)', () => {
  for (const method of ['standard', 'log', 'stabilized'] as const) {
    it(`${method}: the plan is nonnegative and its marginals match a, b within the reported marginalError`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1e6 }),
          fc.integer({ min: 2, max: 12 }),
          fc.integer({ min: 2, max: 12 }),
          fc.constantFrom(0.05, 0.2, 1),
          (seed, n, m, regularization) => {
            const { a, b, cost } = randomProblem(seed, n, m);
            const result = sinkhorn(a, b, cost, { regularization, method, maxIterations: 5000 });
            expect(result.status).toBe('converged');
            for (const p of result.plan.data) expect(p).toBeGreaterThanOrEqual(0);
            expect(marginalError(result.plan, a, b)).toBeCloseTo(result.marginalError, 15);
            // the checked error bounds the column marginal; rows are exact after the u-update
            expect(result.marginalError).toBeLessThan(1e-7);
            for (const e of result.trace.metrics.error.slice(-1)) expect(e).toBeLessThan(1e-9);
          },
        ),
        { seed: 42, numRuns: 25 },
      );
    });
  }
  it('the plan is the Gibbs form P_ij = exp((f_i + g_j − C_ij)/ε) of its potentials', () => {
    const { a, b, cost } = randomProblem(1, 6, 5);
    const result = sinkhorn(a, b, cost, { regularization: 0.1, method: 'log' });
    const expected = Array.from(result.plan.data, (_, k) =>
      Math.exp((result.potentials.f[Math.floor(k / 5)] + result.potentials.g[k % 5] - cost.data[k]) / 0.1),
    );
    close(result.plan.data, expected, 1e-12, 'Gibbs form');
  });
  it('a warm start from the converged potentials converges at once', () => {
    const { a, b, cost } = randomProblem(2, 8, 8);
    const cold = sinkhorn(a, b, cost, { regularization: 0.05, method: 'log' });
    const warm = sinkhorn(a, b, cost, { regularization: 0.05, method: 'log', warmStart: cold.potentials });
    expect(warm.iterations).toBe(1);
    expect(warm.iterations).toBeLessThan(cold.iterations);
  });
  it('sinkhorn2 batches over several target histograms', () => {
    const { a, b, cost } = randomProblem(3, 5, 4);
    const b2 = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    const costs = sinkhorn2(
      a,
      { rows: 4, cols: 2, data: Float64Array.from([b[0], b2[0], b[1], b2[1], b[2], b2[2], b[3], b2[3]]) },
      cost,
      { regularization: 0.3 },
    ) as Float64Array;
    expect(costs[0]).toBeCloseTo(sinkhorn(a, b, cost, { regularization: 0.3 }).cost, 14);
    expect(costs[1]).toBeCloseTo(sinkhorn(a, b2, cost, { regularization: 0.3 }).cost, 14);
  });
});

describe('small regularization', () => {
  it("'standard' underflows into a status and a warning advising 'log', never NaN", () => {
    const { a, b, cost } = randomProblem(4, 10, 10);
    for (let i = 0; i < cost.data.length; i++) cost.data[i] *= 100;
    const result = sinkhorn(a, b, cost, { regularization: 1e-3 });
    expect(result.status).toBe('numerical-error');
    expect(result.warnings.some((w) => w.message.includes("method: 'log'"))).toBe(true);
    for (const p of result.plan.data) expect(Number.isNaN(p)).toBe(false);
  });
  it("'log' solves the same problem", () => {
    const { a, b, cost } = randomProblem(4, 10, 10);
    for (let i = 0; i < cost.data.length; i++) cost.data[i] *= 100;
    const result = sinkhorn(a, b, cost, { regularization: 1, method: 'log', maxIterations: 20000 });
    expect(result.marginalError).toBeLessThan(1e-6);
  });
});

describe('bad input', () => {
  const a = Float64Array.of(0.5, 0.5);
  const b = Float64Array.of(0.25, 0.75);
  const cost = { rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0) };
  const grab = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a throw');
  };
  it('negative or NaN weights', () => {
    expect(grab(() => sinkhorn(Float64Array.of(1.5, -0.5), b, cost, { regularization: 1 })).message).toBe(
      'ot/sinkhorn: weights `a` must be finite and non-negative; got -0.5 at index 1. Clip or renormalize the histogram.',
    );
    expect(
      grab(() => sinkhorn(a, Float64Array.of(Number.NaN, 1), cost, { regularization: 1 })).message,
    ).toContain('got NaN at index 0');
  });
  it('unequal masses beyond 1e-9 relative', () => {
    const error = grab(() => sinkhorn(a, Float64Array.of(0.25, 0.73), cost, { regularization: 1 }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'ot/sinkhorn: marginals must have equal mass; got sum(a)=1 and sum(b)=0.98. Normalize them or use unbalanced OT.',
    );
  });
  it('a cost of the wrong shape', () => {
    expect(
      grab(() => sinkhorn(a, b, { rows: 2, cols: 3, data: new Float64Array(6) }, { regularization: 1 }))
        .message,
    ).toBe(
      'ot/sinkhorn: `b` has 2 weights but the cost matrix has 3 columns; the cost must be len(a) x len(b).',
    );
  });
  it('nonpositive regularization and unknown options', () => {
    expect(InvalidOptionsError.isInstance(grab(() => sinkhorn(a, b, cost, { regularization: 0 })))).toBe(
      true,
    );
    expect(grab(() => sinkhorn(a, b, cost, { regularization: 1, reg: 1 } as never)).message).toContain(
      '`reg`: unknown option',
    );
  });
});
