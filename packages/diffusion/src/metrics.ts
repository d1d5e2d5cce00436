import { type DenseMatrix, invalidArgument, type Vec } from '@argmin/core';
import { gaussianW2, sinkhornDivergence } from '@argmin/ot';
import { type ProbabilityFlowOptions, probabilityFlow } from './models/flow-map';
import type { DenoiserModel } from './models/model';
import type { NoiseLevel } from './schedules/schedule';

function checkBatch(where: string, name: string, x: Vec, d: number): number {
  if (!Number.isInteger(d) || d < 1 || x.length === 0 || x.length % d !== 0) {
    invalidArgument(
      where,
      name,
      `length ${x.length}`,
      `must be a row-major [n, ${d}] array (length a positive multiple of d = ${d})`,
    );
  }
  return x.length / d;
}

/**
 * Strong error: the root-mean-square over samples of the Euclidean distance between each sample and its
 * reference, `√((1/n) Σ_i ‖x_i - r_i‖²)` (the notes' "RMSE to the reference PF-ODE endpoint from the same
 * x_T"; compare solvers with common random numbers). It grows with the dimension: it is √d times the
 * per-entry RMS `√((1/(n·d)) Σ_i Σ_j (x_ij - r_ij)²)`, so divide by √d to compare across dimensions.
 */
export function strongError(x: Vec, reference: Vec, dimension: number): number {
  const n = checkBatch('strongError', 'x', x, dimension);
  if (reference.length !== x.length) {
    invalidArgument(
      'strongError',
      'reference',
      `length ${reference.length}`,
      `must have the length of x (${x.length})`,
    );
  }
  let total = 0;
  for (let i = 0; i < x.length; i++) total += (x[i] - reference[i]) ** 2;
  return Math.sqrt(total / n);
}

/**
 * The reference solution of the probability-flow ODE from `from` to `to` for the same x_T (adaptive
 * Dormand–Prince in the VE coordinates, rtol = atol = 1e-10 by default; see `probabilityFlow`).
 */
export function referenceSolution(
  model: DenoiserModel,
  xT: Vec,
  from: NoiseLevel,
  to: NoiseLevel,
  options: ProbabilityFlowOptions = {},
): Float64Array {
  const batch = checkBatch('referenceSolution', 'xT', xT, model.dimension);
  return probabilityFlow(model, xT, batch, from, to, options).x;
}

/** Sample mean and (biased, 1/n) covariance of a row-major [n, d] batch; covariance is row-major d × d. */
export function sampleMoments(x: Vec, dimension: number): { mean: Float64Array; covariance: Float64Array } {
  const n = checkBatch('sampleMoments', 'x', x, dimension);
  const d = dimension;
  const mean = new Float64Array(d);
  for (let b = 0; b < n; b++) for (let i = 0; i < d; i++) mean[i] += x[b * d + i];
  for (let i = 0; i < d; i++) mean[i] /= n;
  const covariance = new Float64Array(d * d);
  const centered = new Float64Array(d);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < d; i++) centered[i] = x[b * d + i] - mean[i];
    for (let i = 0; i < d; i++) {
      const ci = centered[i];
      for (let j = i; j < d; j++) covariance[i * d + j] += ci * centered[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      covariance[i * d + j] /= n;
      covariance[j * d + i] = covariance[i * d + j];
    }
  }
  return { mean, covariance };
}

/**
 * Fréchet distance between the Gaussian fit of the samples and reference moments (the "analytic FID" of the
 * notes, §0.5): `‖m₁ - m₂‖² + tr(Σ₁ + Σ₂ - 2(Σ₁^{1/2}Σ₂Σ₁^{1/2})^{1/2})`, i.e. the squared Gaussian W2 of
 * `@argmin/ot`'s `gaussianW2`. Pass the mixture's exact `moments()` as the reference.
 */
export function frechetDistance(
  x: Vec,
  dimension: number,
  reference: { mean: Vec; covariance: Vec },
): number {
  const d = dimension;
  const fit = sampleMoments(x, d);
  if (reference.mean.length !== d || reference.covariance.length !== d * d) {
    invalidArgument(
      'frechetDistance',
      'reference',
      `mean ${reference.mean.length}, covariance ${reference.covariance.length}`,
      `needs a mean of length ${d} and a ${d}x${d} covariance`,
    );
  }
  const c1: DenseMatrix = { rows: d, cols: d, data: fit.covariance };
  const c2: DenseMatrix = { rows: d, cols: d, data: Float64Array.from(reference.covariance) };
  return gaussianW2(fit.mean, c1, Float64Array.from(reference.mean), c2).squared;
}

/**
 * Debiased Sinkhorn divergence (squared Euclidean cost) between two sample clouds, via `@argmin/ot`
 * (`regularization` ε defaults to 0.05 × the mean squared norm of y; POT's standard Sinkhorn, tolerance 1e-6;
 * pass `method: 'log'` for small ε).
 */
export function sampleSinkhornDivergence(
  x: Vec,
  y: Vec,
  dimension: number,
  options: { regularization?: number; maxIterations?: number; method?: 'standard' | 'log' } = {},
): number {
  const n = checkBatch('sampleSinkhornDivergence', 'x', x, dimension);
  const m = checkBatch('sampleSinkhornDivergence', 'y', y, dimension);
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale += y[i] * y[i];
  scale /= m;
  const regularization = options.regularization ?? 0.05 * Math.max(scale, 1e-12);
  return sinkhornDivergence(
    { rows: n, cols: dimension, data: Float64Array.from(x) },
    { rows: m, cols: dimension, data: Float64Array.from(y) },
    {
      regularization,
      method: options.method ?? 'standard',
      maxIterations: options.maxIterations ?? 1000,
      tolerance: 1e-6,
    },
  );
}

/**
 * Mode occupancy: the fraction of samples whose nearest mixture mean is each component k (compare with the
 * weights π_k), and the root-mean-square distance to that nearest mean (compare with the component scale).
 */
export function modeOccupancy(
  x: Vec,
  means: readonly ArrayLike<number>[],
): { fractions: Float64Array; rmsDistance: number } {
  const d = means[0]?.length ?? 0;
  const n = checkBatch('modeOccupancy', 'x', x, d);
  const fractions = new Float64Array(means.length);
  let total = 0;
  for (let b = 0; b < n; b++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < means.length; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[b * d + i] - means[k][i]) ** 2;
      if (s < bestDistance) {
        bestDistance = s;
        best = k;
      }
    }
    fractions[best] += 1 / n;
    total += bestDistance;
  }
  return { fractions, rmsDistance: Math.sqrt(total / n) };
}
