import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { sinkhorn } from '../sinkhorn/sinkhorn';
import { sns } from './sns';

const n = 100;
const rng = createRng(0);
const cost = { rows: n, cols: n, data: rng.fillUniform(new Float64Array(n * n)) };
const w = new Float64Array(n).fill(1 / n);

describe('ot/sns (the notes’ CI check: n = 100, η = 200, λ = 5/n)', () => {
  const result = sns(w, w, cost, { regularization: 1 / 200, density: 5 / n, tolerance: 1e-11 });
  it('reaches 1e-11 marginal error within 20 Newton steps', () => {
    expect(result.status).toBe('converged');
    expect(result.marginalError).toBeLessThanOrEqual(1e-11);
    expect(result.newtonIterations).toBeLessThanOrEqual(20);
  });
  it('needs at least 50x fewer iterations than Sinkhorn to the same error', () => {
    const baseline = sinkhorn(w, w, cost, {
      regularization: 1 / 200,
      method: 'standard',
      maxIterations: 200000,
      tolerance: 1e-11,
      marginalNorm: 'l1',
    });
    expect(baseline.converged).toBe(true);
    expect(baseline.iterations / result.iterations).toBeGreaterThanOrEqual(50);
  });
  it('agrees with the Sinkhorn fixed point (same potentials up to the constant shift)', () => {
    const baseline = sinkhorn(w, w, cost, {
      regularization: 1 / 200,
      method: 'standard',
      maxIterations: 200000,
      tolerance: 1e-12,
      marginalNorm: 'l1',
    });
    expect(Math.abs(result.cost - baseline.cost)).toBeLessThan(1e-8);
  });
  it('keeping every entry (density 1) is full Newton: quadratic convergence in a few steps', () => {
    const full = sns(w, w, cost, { regularization: 1 / 200, density: 1, tolerance: 1e-11 });
    expect(full.converged).toBe(true);
    expect(full.newtonIterations).toBeLessThanOrEqual(result.newtonIterations);
    expect(full.densities.every((d) => d === 1)).toBe(true);
  });
  it('the sparsified pattern keeps about λ·n² entries', () => {
    expect(result.densities[0]).toBeGreaterThanOrEqual(5 / n);
    expect(result.densities[0]).toBeLessThan(10 / n);
  });
  it('reports the CG cap instead of ignoring it', () => {
    const capped = sns(w, w, cost, {
      regularization: 1 / 1000,
      sinkhornIterations: 20,
      maxCgIterations: 3,
      maxNewtonIterations: 5,
    });
    expect(capped.warnings.some((warning) => warning.type === 'cg-cap')).toBe(true);
    expect(capped.converged).toBe(false);
  });
  it('validates its input like sinkhorn', () => {
    expect(() =>
      sns(
        w,
        Float64Array.from(w, (x) => 2 * x),
        cost,
        { regularization: 0.01 },
      ),
    ).toThrowError(/marginals must have equal mass/);
    expect(() => sns(w, w, cost, { regularization: -1 })).toThrowError(/regularization/);
  });
});
