import { invalidArgument, type Vec } from '@argmin/core';
import type { NoiseLevel } from '../schedules/schedule';
import { convertPrediction, type DenoiserModel } from './model';

/** Options of `probabilityFlow`. */
export interface ProbabilityFlowOptions {
  /** Relative tolerance of the Dormand–Prince 5(4) error control. Default 1e-10. */
  readonly relativeTolerance?: number;
  /** Absolute tolerance. Default 1e-10. */
  readonly absoluteTolerance?: number;
  /** Maps λ to the model's time input (default NaN: the exact GMM models ignore time). */
  readonly timeOf?: (lambda: number) => number;
  /** Step budget. Default 100000. */
  readonly maxSteps?: number;
}

/** Result of `probabilityFlow`. */
export interface ProbabilityFlowResult {
  readonly x: Float64Array;
  readonly steps: number;
  readonly evaluations: number;
}

function levelFromSigmaK(sigmaK: number, timeOf: (lambda: number) => number): NoiseLevel {
  const alpha = 1 / Math.sqrt(1 + sigmaK * sigmaK);
  const lambda = -Math.log(sigmaK);
  return { time: timeOf(lambda), alpha, sigma: sigmaK * alpha, lambda };
}

/**
 * Solves the probability-flow ODE exactly enough to serve as the reference (notes §0.5). In the
 * VE coordinates `y = x/α`, `σ_K = σ/α = e^{-λ}`, the PF-ODE is `dy/dσ_K = ε(αy, σ_K)` (DDIM is
 * its Euler method); it is integrated from `from` to `to` (σ_K may reach 0: the data end) with an
 * adaptive Dormand–Prince 5(4) scheme over the whole batch, error measured as scipy's RMS norm.
 */
export function probabilityFlow(
  model: DenoiserModel,
  x: Vec,
  batch: number,
  from: NoiseLevel,
  to: NoiseLevel,
  options: ProbabilityFlowOptions = {},
): ProbabilityFlowResult {
  const n = batch * model.dimension;
  if (x.length !== n) {
    invalidArgument(
      'probabilityFlow',
      'x',
      x.length,
      `a batch of ${batch} samples of dimension ${model.dimension} needs length ${n}`,
    );
  }
  const rtol = options.relativeTolerance ?? 1e-10;
  const atol = options.absoluteTolerance ?? 1e-10;
  const timeOf = options.timeOf ?? (() => Number.NaN);
  const maxSteps = options.maxSteps ?? 100_000;
  const s0 = from.sigma / from.alpha;
  const s1 = to.sigma / to.alpha;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i] / from.alpha;
  let evaluations = 0;
  const xs = new Float64Array(n);
  const f = (sigmaK: number, state: Float64Array, out: Float64Array) => {
    const level = levelFromSigmaK(sigmaK, timeOf);
    for (let i = 0; i < n; i++) xs[i] = level.alpha * state[i];
    model.predict(xs, batch, level, out);
    if (model.prediction !== 'epsilon') convertPrediction(model.prediction, 'epsilon', xs, out, level, out);
    evaluations++;
  };
  if (s0 === s1) return { x: Float64Array.from(x), steps: 0, evaluations };
  const k = Array.from({ length: 7 }, () => new Float64Array(n));
  const stage = new Float64Array(n);
  const yNew = new Float64Array(n);
  const direction = Math.sign(s1 - s0);
  let t = s0;
  let h = (s1 - s0) / 64;
  f(t, y, k[0]);
  let steps = 0;
  const A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ];
  const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
  const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];
  while (direction * (s1 - t) > 0) {
    if (steps++ > maxSteps) break;
    if (direction * (t + h - s1) > 0) h = s1 - t;
    for (let s = 1; s < 7; s++) {
      const row = A[s];
      for (let i = 0; i < n; i++) {
        let acc = y[i];
        for (let j = 0; j < s; j++) acc += h * row[j] * k[j][i];
        stage[i] = acc;
      }
      if (s === 6) yNew.set(stage);
      f(t + C[s] * h, stage, k[s]);
    }
    let err = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += E[j] * k[j][i];
      e *= h;
      const scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      err += (e / scale) ** 2;
    }
    err = Math.sqrt(err / n);
    if (err <= 1 || Math.abs(h) < 1e-14 * Math.max(1, Math.abs(t))) {
      t += h;
      y.set(yNew);
      k[0].set(k[6]);
      const factor = err === 0 ? 10 : Math.min(10, 0.9 * err ** -0.2);
      h *= factor;
    } else {
      h *= Math.max(0.2, 0.9 * err ** -0.2);
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i] * to.alpha;
  return { x: out, steps, evaluations };
}

/**
 * The closed-form flow map of a Gaussian N(μ, diag(τ²)): `F(x) = α'μ + (c'/c)(x - αμ)` per
 * coordinate, `c = √(α²τ² + σ²)` (the standardized coordinate is invariant along the PF-ODE).
 */
export function gaussianFlowMap(
  mean: ArrayLike<number>,
  variance: number | ArrayLike<number>,
  x: Vec,
  batch: number,
  from: NoiseLevel,
  to: NoiseLevel,
): Float64Array {
  const d = mean.length;
  const out = new Float64Array(batch * d);
  for (let i = 0; i < d; i++) {
    const tau2 = typeof variance === 'number' ? variance : variance[i];
    const c = Math.sqrt(from.alpha * from.alpha * tau2 + from.sigma * from.sigma);
    const cNext = Math.sqrt(to.alpha * to.alpha * tau2 + to.sigma * to.sigma);
    for (let b = 0; b < batch; b++) {
      const j = b * d + i;
      out[j] = to.alpha * mean[i] + (cNext / c) * (x[j] - from.alpha * mean[i]);
    }
  }
  return out;
}
