import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gridCost, squaredEuclideanCost } from '../cost';
import { marginalError } from '../result';
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

const normalized = (w: Float64Array) => {
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
};
const density1d = (k: number, mean: number, width: number) =>
  normalized(
    Float64Array.from({ length: k }, (_, i) => Math.exp(-0.5 * ((i / (k - 1) - mean) / width) ** 2) + 1e-3),
  );

describe('ot/sns: issue 26 (null-space projection, breakdown, warm-up, adaptive density, inexact CG)', () => {
  it('the singular case that stalled converges: 1-D densities, n = 150, λ = 40/n, tight CG (the kept entries hold all the mass)', () => {
    const k = 150;
    const result = sns(density1d(k, 0.3, 0.1), density1d(k, 0.65, 0.15), gridCost([k], { power: 2 }), {
      regularization: 2e-4,
      density: 40 / k,
      cgTolerance: 1e-10,
      tolerance: 1e-9,
    });
    // Without the projection (and without keeping CG's best iterate) this run broke down twice in CG
    // and stalled at 8.8e-9 (line search failure); with the projection the right-hand side is
    // consistent and CG never breaks down.
    expect(result.status).toBe('converged');
    expect(result.marginalError).toBeLessThanOrEqual(1e-9);
    expect(result.newtonIterations).toBeLessThanOrEqual(60);
    expect(result.cgBreakdowns).toBe(0);
  });
  it('a CG breakdown (pᵀMp <= 0) is counted and reported as a warning', () => {
    // Small ε against costs up to ~10 after 20 sweeps: M (density 1) is singular and so
    // ill-conditioned that CG's rounding drives pᵀMp below zero.
    const rng = createRng(3);
    const X = { rows: 12, cols: 2, data: rng.fillNormal(new Float64Array(24)) };
    const Y = { rows: 9, cols: 2, data: rng.fillNormal(new Float64Array(18), 0.5) };
    const result = sns([], [], squaredEuclideanCost(X, Y), {
      regularization: 0.05,
      density: 1,
      maxNewtonIterations: 5,
    });
    expect(result.cgBreakdowns).toBeGreaterThan(0);
    const warning = result.warnings.find((w) => w.type === 'cg-breakdown');
    expect(warning?.message).toContain(
      `in ${result.cgBreakdowns} of ${result.newtonIterations} Newton steps`,
    );
    // The failure is a status with finite potentials, never NaN.
    expect(result.converged).toBe(false);
    for (const x of result.potentials.f) expect(Number.isFinite(x)).toBe(true);
  });
  it('the warm-up runs stabilized sweeps with the log-domain iterates: same marginal error after N₁ sweeps', () => {
    const withSns = sns(w, w, cost, {
      regularization: 1 / 200,
      sinkhornIterations: 30,
      maxNewtonIterations: 1,
    });
    const log = sinkhorn(w, w, cost, {
      regularization: 1 / 200,
      method: 'log',
      maxIterations: 30,
      tolerance: 0,
    });
    expect(withSns.sinkhornIterations).toBe(30);
    const warmupError = withSns.trace.metrics.error[0];
    expect(Math.abs(warmupError - log.marginalError)).toBeLessThanOrEqual(1e-12 + 1e-9 * log.marginalError);
  });
  it('switchTolerance ends the warm-up once the marginal error is small, within sinkhornIterations', () => {
    const switched = sns(w, w, cost, {
      regularization: 1 / 200,
      density: 5 / n,
      sinkhornIterations: 5000,
      switchTolerance: 1e-3,
      tolerance: 1e-11,
    });
    expect(switched.sinkhornIterations).toBeLessThan(5000);
    expect(switched.sinkhornIterations % 5).toBe(1); // checked every 5 sweeps from the first
    expect(switched.trace.metrics.error[0]).toBeLessThanOrEqual(1e-3);
    expect(switched.converged).toBe(true);
  });
  it("adaptiveDensity follows RegOT's rule: starts at 0.1 of the cap, stays within it (plus the kept first row and column), converges with a generous cap", () => {
    const cap = 50 / n;
    const star = (2 * n - 1) / (n * n);
    const adaptive = sns(w, w, cost, {
      regularization: 1 / 200,
      density: cap,
      adaptiveDensity: true,
      tolerance: 1e-9,
    });
    expect(adaptive.status).toBe('converged');
    expect(adaptive.densities[0]).toBeLessThanOrEqual(0.1 * cap + star + 1 / (n * n));
    for (const d of adaptive.densities) expect(d).toBeLessThanOrEqual(cap + star + 1e-12);
    for (const d of adaptive.densities) expect(d).toBeGreaterThanOrEqual(star);
    // It stays sparse (mean kept fraction far below dense Newton), unlike the previous rule (0.70-0.97).
    const mean = adaptive.densities.reduce((s, x) => s + x, 0) / adaptive.densities.length;
    expect(mean).toBeLessThan(0.1);
    // A cap of 10/n starts it at 1/n and it shrinks from there: the rule then needs the cap's headroom.
    const tight = sns(w, w, cost, {
      regularization: 1 / 200,
      density: 10 / n,
      adaptiveDensity: true,
      tolerance: 1e-9,
      maxNewtonIterations: 20,
    });
    expect(tight.converged).toBe(false);
  });
  it('the inexact-Newton CG tolerance min(0.1, √‖g‖) needs fewer CG iterations than the tight 1e-10 with Newton counts within ±6', () => {
    const inexact = sns(w, w, cost, { regularization: 1 / 200, density: 5 / n, tolerance: 1e-11 });
    const tight = sns(w, w, cost, {
      regularization: 1 / 200,
      density: 5 / n,
      tolerance: 1e-11,
      cgTolerance: 1e-10,
    });
    expect(inexact.converged && tight.converged).toBe(true);
    expect(inexact.cgIterations).toBeLessThan(tight.cgIterations);
    expect(Math.abs(inexact.newtonIterations - tight.newtonIterations)).toBeLessThanOrEqual(6);
    expect(marginalError(inexact.plan, w, w)).toBeLessThanOrEqual(1e-11);
  });
});
