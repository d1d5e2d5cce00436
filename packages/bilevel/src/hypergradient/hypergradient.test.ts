import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { hyperparameterProblem, randomSplitData } from '../problems/hyperparameter';
import { unboundedSmoothnessToy } from '../problems/unbounded-smoothness-toy';
import { estimatorWorkspace, type HypergradientEstimator, hypergradient } from './estimators';
import { exactHypergradient, exactHyperValue, exactLowerSolution, lowerHessian } from './exact';
import { type IhvpOptions, ihvpWorkspace, solveIhvp } from './ihvp';

const ridge = hyperparameterProblem(
  randomSplitData({ trainSamples: 60, validationSamples: 40, features: 6, rng: createRng(21) }),
);
const logistic = hyperparameterProblem(
  randomSplitData({
    trainSamples: 60,
    validationSamples: 40,
    features: 5,
    loss: 'logistic',
    rng: createRng(22),
  }),
  { loss: 'logistic' },
);
const x = Float64Array.from({ length: 6 }, (_, i) => -1 + 0.3 * i);
const xl = Float64Array.from({ length: 5 }, (_, i) => -2 + 0.4 * i);

/** Five-point finite difference of the exactly solved value Φ(x) = f(x, y*(x)). */
function fdHypergradient(problem: typeof ridge, at: Float64Array): Float64Array {
  const g = new Float64Array(at.length);
  const h = 1e-4;
  for (let i = 0; i < at.length; i++) {
    const shifted = (t: number) => {
      const z = Float64Array.from(at);
      z[i] += t;
      return exactHyperValue(problem, z);
    };
    g[i] = (-shifted(2 * h) + 8 * shifted(h) - 8 * shifted(-h) + shifted(-2 * h)) / (12 * h);
  }
  return g;
}

function maxRelative(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    error = Math.max(error, Math.abs(a[i] - b[i]));
  }
  return error / Math.max(scale, 1e-12);
}

const cg: IhvpOptions = { solver: 'cg', iterations: 200, alpha: 0, tolerance: 1e-13, warmStart: false };

function estimate(
  problem: typeof ridge,
  at: Float64Array,
  estimator: HypergradientEstimator,
  y?: Float64Array,
) {
  const yy = y ? Float64Array.from(y) : exactLowerSolution(problem, at);
  const ws = estimatorWorkspace(estimator, problem.dimX, problem.dimY);
  const out = new Float64Array(problem.dimX);
  const report = hypergradient(problem, at, yy, out, estimator, ws);
  return { out, report, y: yy };
}

describe('hypergradient estimators against a finite difference of the exactly solved bilevel value', () => {
  it('the exact reference matches the finite difference to 1e-6 (ridge and logistic)', () => {
    expect(maxRelative(exactHypergradient(ridge, x), fdHypergradient(ridge, x))).toBeLessThan(1e-6);
    expect(maxRelative(exactHypergradient(logistic, xl), fdHypergradient(logistic, xl))).toBeLessThan(1e-6);
  });
  it('implicit differentiation with CG at y*(x) matches to 1e-6', () => {
    for (const [p, at] of [
      [ridge, x],
      [logistic, xl],
    ] as const) {
      const { out, report } = estimate(p, at, { kind: 'implicit', ihvp: cg });
      expect(maxRelative(out, fdHypergradient(p, at))).toBeLessThan(1e-6);
      expect(report.converged).toBe(true);
      expect(report.crossProducts).toBe(1);
    }
  });
  it('implicit results agree across linear solvers within their tolerance', () => {
    const reference = estimate(ridge, x, { kind: 'implicit', ihvp: cg }).out;
    const H = lowerHessian(ridge, x, exactLowerSolution(ridge, x));
    let lmax = 0; // Gershgorin bound on the largest eigenvalue
    for (let i = 0; i < H.rows; i++) {
      let s = 0;
      for (let j = 0; j < H.cols; j++) s += Math.abs(H.data[i * H.cols + j]);
      lmax = Math.max(lmax, s);
    }
    const alpha = 1 / lmax;
    const neumann = estimate(ridge, x, {
      kind: 'implicit',
      ihvp: { solver: 'neumann', iterations: 3000, alpha, tolerance: 0, warmStart: false },
    });
    const sgd = estimate(ridge, x, {
      kind: 'implicit',
      ihvp: { solver: 'sgd-quadratic', iterations: 3000, alpha, tolerance: 0, warmStart: false },
    });
    expect(maxRelative(neumann.out, reference)).toBeLessThan(1e-6);
    expect(maxRelative(sgd.out, reference)).toBeLessThan(1e-6);
    expect(neumann.report.hvps).toBe(3000);
    // A short Neumann series is measurably truncated: the test can tell solvers apart.
    const short = estimate(ridge, x, {
      kind: 'implicit',
      ihvp: { solver: 'neumann', iterations: 2, alpha, tolerance: 0, warmStart: false },
    });
    expect(maxRelative(short.out, reference)).toBeGreaterThan(1e-3);
  });
  it('unrolled differentiation converges to the implicit hypergradient as the unrolled steps grow', () => {
    const reference = estimate(ridge, x, { kind: 'implicit', ihvp: cg }).out;
    const y0 = new Float64Array(ridge.dimY);
    const errors = [5, 50, 2000].map((steps) =>
      maxRelative(estimate(ridge, x, { kind: 'unrolled', steps, stepSize: 0.1 }, y0).out, reference),
    );
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(1e-6);
  });
  it('the unrolled estimator is the exact derivative of the unrolled objective f(x, y_T(x))', () => {
    const steps = 7;
    const stepSize = 0.2;
    const y0 = Float64Array.from({ length: ridge.dimY }, (_, i) => 0.1 * i);
    const unrolledValue = (at: Float64Array) => {
      const y = Float64Array.from(y0);
      const g = new Float64Array(ridge.dimY);
      for (let t = 0; t < steps; t++) {
        ridge.lowerGradY(at, y, g);
        for (let i = 0; i < y.length; i++) y[i] -= stepSize * g[i];
      }
      return ridge.upperValue(at, y);
    };
    const { out } = estimate(ridge, x, { kind: 'unrolled', steps, stepSize }, y0);
    const h = 1e-4;
    for (let i = 0; i < x.length; i++) {
      const at = (t: number) => {
        const z = Float64Array.from(x);
        z[i] += t;
        return unrolledValue(z);
      };
      const fd = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
      expect(Math.abs(out[i] - fd)).toBeLessThan(1e-8 * Math.max(1, Math.abs(fd)));
    }
  });
  it('the unbounded-smoothness toy: implicit estimate at y* equals its closed-form ∇Φ', () => {
    const toy = unboundedSmoothnessToy({ dimension: 8, rng: createRng(5) });
    const at = Float64Array.from({ length: 8 }, (_, i) => Math.sin(i));
    const { out } = estimate(toy as never, at, { kind: 'implicit', ihvp: cg });
    expect(
      maxRelative(out, (toy.hyperGradient as NonNullable<typeof toy.hyperGradient>)(at, new Float64Array(8))),
    ).toBeLessThan(1e-10);
  });
});

describe('IHVP solvers', () => {
  const n = 4;
  // H = diag(1, 2, 3, 4) + 0.1·11ᵀ (SPD)
  const matvec = (v: Float64Array, out: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i];
    for (let i = 0; i < n; i++) out[i] = (i + 1) * v[i] + 0.1 * s;
    return out;
  };
  const b = Float64Array.of(1, -1, 2, 0.5);
  const report = { matvecs: 0, relativeResidual: 0, converged: false };
  it('CG solves to its tolerance and warm-starts from the previous solution', () => {
    const ws = ihvpWorkspace(n);
    const v = solveIhvp(matvec, b, ws, { ...cg, warmStart: true }, report);
    const r = matvec(v, new Float64Array(n)).map((t, i) => t - b[i]);
    expect(Math.hypot(...r)).toBeLessThan(1e-12);
    const first = report.matvecs;
    solveIhvp(matvec, b, ws, { ...cg, warmStart: true }, report);
    expect(report.matvecs).toBeLessThan(first);
  });
  it("Neumann is betty's α Σ_{k=0}^{K} (I − αH)^k b exactly for K = 1", () => {
    const ws = ihvpWorkspace(n);
    const alpha = 0.1;
    const v = solveIhvp(
      matvec,
      b,
      ws,
      { solver: 'neumann', iterations: 1, alpha, tolerance: 0, warmStart: false },
      report,
    );
    const hb = matvec(b, new Float64Array(n));
    for (let i = 0; i < n; i++) expect(v[i]).toBeCloseTo(alpha * (2 * b[i] - alpha * hb[i]), 14);
  });
  it('a zero right-hand side gives zero without products', () => {
    const v = solveIhvp(matvec, new Float64Array(n), ihvpWorkspace(n), cg, report);
    expect(Array.from(v)).toEqual([0, 0, 0, 0]);
    expect(report.matvecs).toBe(0);
  });
});
