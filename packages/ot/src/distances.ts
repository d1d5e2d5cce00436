import {
  assertAllocation,
  createRng,
  type DenseMatrix,
  InvalidArgumentError,
  invalidArgument,
  parseOptions,
  symmetricEigen,
  type Vec,
} from '@argmin/core';
import * as z from 'zod/mini';
import { squaredEuclideanCost } from './cost';
import { type SinkhornOptions, sinkhorn, sinkhornOptions } from './sinkhorn/sinkhorn';
import { toCost } from './validate';

const numbers = z.custom<ArrayLike<number>>(
  (v) => ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((x) => typeof x === 'number')),
  'expected a Float64Array or number[]',
);
const wasserstein1dOptions = z.strictObject({
  uWeights: z.optional(numbers).check(z.describe('Weights of u (default uniform).')),
  vWeights: z.optional(numbers).check(z.describe('Weights of v (default uniform).')),
  p: z._default(z.number().check(z.minimum(1), z.maximum(64)), 1).check(z.describe('Order p of W_p^p.')),
});
const slicedOptions = z.strictObject({
  projections: z
    ._default(z.int().check(z.minimum(1), z.maximum(1e6)), 50)
    .check(z.describe('Number of random directions.')),
  seed: z
    ._default(z.int().check(z.minimum(0)), 0)
    .check(z.describe('Seed of the directions (POT-compatible).')),
  p: z._default(z.number().check(z.minimum(1), z.maximum(64)), 2).check(z.describe('Order p.')),
  xWeights: z.optional(numbers).check(z.describe('Weights of X (default uniform).')),
  yWeights: z.optional(numbers).check(z.describe('Weights of Y (default uniform).')),
});
const divergenceOptions = z.extend(sinkhornOptions, {
  xWeights: z.optional(numbers).check(z.describe('Weights of X (default uniform).')),
  yWeights: z.optional(numbers).check(z.describe('Weights of Y (default uniform).')),
});

/** Copies an ArrayLike of numbers into a Float64Array once (Float64Arrays are used as they are). */
function toVector(where: string, name: string, values: unknown): Float64Array {
  if (values instanceof Float64Array) return values;
  if (
    values === null ||
    typeof values !== 'object' ||
    typeof (values as ArrayLike<number>).length !== 'number'
  )
    invalidArgument(where, name, values, `\`${name}\` must be a Float64Array or number[]`);
  return Float64Array.from(values as ArrayLike<number>, Number);
}

function checkWeights(
  where: string,
  name: string,
  values: Vec,
  weightsInput: ArrayLike<number> | undefined,
): Vec {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]))
      invalidArgument(where, name, values[i], `\`${name}\` must be finite (index ${i})`);
  if (!weightsInput) return new Float64Array(values.length).fill(1 / values.length);
  const weights = toVector(where, `${name}Weights`, weightsInput);
  if (weights.length !== values.length)
    invalidArgument(
      where,
      `${name}Weights`,
      weights.length,
      `\`${name}Weights\` must have one weight per value (${values.length})`,
    );
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] >= 0) || !Number.isFinite(weights[i]))
      invalidArgument(
        where,
        `${name}Weights`,
        weights[i],
        `weights must be finite and non-negative (index ${i})`,
      );
    total += weights[i];
  }
  if (!(total > 0)) invalidArgument(where, `${name}Weights`, total, 'weights must have a positive sum');
  return weights.map((w) => w / total);
}

/**
 * ∫₀¹ |F⁻¹(q) − G⁻¹(q)|^p dq between two weighted 1-D samples: W_p^p (POT's ot.wasserstein_1d, which
 * also returns the p-th power), computed exactly from the sorted quantile functions in O((n + m) log(n + m)).
 */
export function wasserstein1d(
  uInput: Vec | ArrayLike<number>,
  vInput: Vec | ArrayLike<number>,
  options: { uWeights?: Vec | ArrayLike<number>; vWeights?: Vec | ArrayLike<number>; p?: number } = {},
): number {
  const { uWeights, vWeights, p } = parseOptions('ot/wasserstein1d', wasserstein1dOptions, options);
  const u = toVector('ot/wasserstein1d', 'u', uInput);
  const v = toVector('ot/wasserstein1d', 'v', vInput);
  if (u.length === 0 || v.length === 0)
    invalidArgument('ot/wasserstein1d', 'u/v', [u.length, v.length], 'both samples must be non-empty');
  const wu = checkWeights('ot/wasserstein1d', 'u', u, uWeights);
  const wv = checkWeights('ot/wasserstein1d', 'v', v, vWeights);
  const order = (values: Vec) => Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
  const ou = order(u);
  const ov = order(v);
  const cu = new Float64Array(u.length);
  const cv = new Float64Array(v.length);
  let s = 0;
  ou.forEach((i, k) => {
    s += wu[i];
    cu[k] = s;
  });
  s = 0;
  ov.forEach((i, k) => {
    s += wv[i];
    cv[k] = s;
  });
  const levels = Float64Array.from([...cu, ...cv]).sort();
  // quantile(q) = sorted values at the first cumulative weight >= q (searchsorted, side 'left').
  let iu = 0;
  let iv = 0;
  let previous = 0;
  let total = 0;
  for (const q of levels) {
    while (iu < cu.length - 1 && cu[iu] < q) iu++;
    while (iv < cv.length - 1 && cv[iv] < q) iv++;
    const diff = Math.abs(u[ou[iu]] - v[ov[iv]]);
    total += (q - previous) * (p === 1 ? diff : diff ** p);
    previous = q;
  }
  return total;
}

/**
 * Sliced Wasserstein distance (Rabin et al., 2011; POT's ot.sliced_wasserstein_distance):
 * (mean over random directions θ of W_p^p(θᵀX, θᵀY))^{1/p}, directions uniform on the sphere from the
 * seeded Rng. The directions for a given `seed` are POT's for the same seed (numpy-compatible Rng),
 * so results match `ot.sliced_wasserstein_distance(X, Y, n_projections=projections, p=p, seed=seed)`.
 */
export function slicedWasserstein(
  XInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  YInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  options: {
    projections?: number;
    seed?: number;
    p?: number;
    xWeights?: Vec | ArrayLike<number>;
    yWeights?: Vec | ArrayLike<number>;
  } = {},
): number {
  const { projections, seed, p, xWeights, yWeights } = parseOptions(
    'ot/slicedWasserstein',
    slicedOptions,
    options,
  );
  const X = toCost('ot/slicedWasserstein', XInput, 'X');
  const Y = toCost('ot/slicedWasserstein', YInput, 'Y');
  if (X.cols !== Y.cols) {
    throw new InvalidArgumentError({
      argument: 'Y',
      value: Y.cols,
      message: `ot/slicedWasserstein: X and Y must have the same dimension; got ${X.cols} and ${Y.cols}.`,
    });
  }
  if (!Number.isInteger(projections) || projections < 1)
    invalidArgument(
      'ot/slicedWasserstein',
      'projections',
      projections,
      '`projections` must be a positive integer',
    );
  const rng = createRng(seed);
  const d = X.cols;
  assertAllocation('ot/slicedWasserstein', `${projections} directions in dimension ${d}`, d * projections);
  // POT draws all directions at once as randn(d, projections) and normalizes the columns; drawing
  // the same stream here and reading it column-wise replays POT's directions for the same seed.
  const draws = rng.fillNormal(new Float64Array(d * projections));
  const theta = new Float64Array(d);
  const px = new Float64Array(X.rows);
  const py = new Float64Array(Y.rows);
  let total = 0;
  for (let k = 0; k < projections; k++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      theta[j] = draws[j * projections + k];
      norm += theta[j] * theta[j];
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) theta[j] /= norm;
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X.data[i * d + j] * theta[j];
      px[i] = s;
    }
    for (let i = 0; i < Y.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Y.data[i * d + j] * theta[j];
      py[i] = s;
    }
    total += wasserstein1d(px, py, { uWeights: xWeights, vWeights: yWeights, p });
  }
  return (total / projections) ** (1 / p);
}

/**
 * Debiased Sinkhorn divergence between point clouds (Genevay et al., 2018; Feydy et al., 2019), as
 * POT's empirical_sinkhorn_divergence: S_ε = OT_ε(a, b) − ½ OT_ε(a, a) − ½ OT_ε(b, b), with OT_ε the
 * linear cost ⟨P_ε, C⟩ of the entropic plan and C the squared Euclidean cost, clamped at 0 like POT.
 * Defaults follow POT (method 'standard', tolerance 1e-9, maxIterations 10000); pass `method: 'log'` for small ε.
 */
export function sinkhornDivergence(
  XInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  YInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  options: SinkhornOptions & { xWeights?: Vec | ArrayLike<number>; yWeights?: Vec | ArrayLike<number> },
): number {
  parseOptions('ot/sinkhornDivergence', divergenceOptions, options);
  const { xWeights, yWeights, ...rest } = options;
  const X = toCost('ot/sinkhornDivergence', XInput, 'X');
  const Y = toCost('ot/sinkhornDivergence', YInput, 'Y');
  const a = xWeights ?? new Float64Array(X.rows).fill(1 / X.rows);
  const b = yWeights ?? new Float64Array(Y.rows).fill(1 / Y.rows);
  const settings: SinkhornOptions = { method: 'standard', tolerance: 1e-9, maxIterations: 10000, ...rest };
  const ab = sinkhorn(a, b, squaredEuclideanCost(X, Y), settings).cost;
  const aa = sinkhorn(a, a, squaredEuclideanCost(X, X), settings).cost;
  const bb = sinkhorn(b, b, squaredEuclideanCost(Y, Y), settings).cost;
  return Math.max(0, ab - 0.5 * (aa + bb));
}

/** Symmetric PSD square root through the eigen-decomposition (small d, outside hot loops). */
function sqrtm(A: DenseMatrix): DenseMatrix {
  const { values, vectors } = symmetricEigen(A);
  const d = A.rows;
  const data = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) data[i * d + j] += vectors.data[i * d + k] * s * vectors.data[j * d + k];
  }
  return { rows: d, cols: d, data };
}

/**
 * 2-Wasserstein distance between Gaussians N(m₁, Σ₁) and N(m₂, Σ₂) in closed form:
 * W₂² = ‖m₁ − m₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}) — the Fréchet distance behind FID
 * (which reports W₂²). Returns both.
 */
export function gaussianW2(
  mean1Input: Vec | ArrayLike<number>,
  covariance1Input: DenseMatrix | ArrayLike<ArrayLike<number>>,
  mean2Input: Vec | ArrayLike<number>,
  covariance2Input: DenseMatrix | ArrayLike<ArrayLike<number>>,
): { readonly distance: number; readonly squared: number } {
  const where = 'ot/gaussianW2';
  const mean1 = toVector(where, 'mean1', mean1Input);
  const mean2 = toVector(where, 'mean2', mean2Input);
  const covariance1 = toCost(where, covariance1Input, 'covariance1');
  const covariance2 = toCost(where, covariance2Input, 'covariance2');
  for (const [name, values] of [
    ['mean1', mean1],
    ['mean2', mean2],
    ['covariance1', covariance1.data],
    ['covariance2', covariance2.data],
  ] as const)
    for (let i = 0; i < values.length; i++)
      if (!Number.isFinite(values[i]))
        invalidArgument(where, name, values[i], `\`${name}\` must be finite (entry ${i})`);
  const d = mean1.length;
  if (
    mean2.length !== d ||
    covariance1.rows !== d ||
    covariance1.cols !== d ||
    covariance2.rows !== d ||
    covariance2.cols !== d
  ) {
    throw new InvalidArgumentError({
      argument: 'mean/covariance',
      value: [mean1.length, mean2.length, covariance1.rows, covariance2.rows],
      message: `ot/gaussianW2: means must have length d and covariances be d x d; got means of lengths ${mean1.length}, ${mean2.length} and covariances ${covariance1.rows} x ${covariance1.cols}, ${covariance2.rows} x ${covariance2.cols}.`,
    });
  }
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mean1[i] - mean2[i]) ** 2;
  const root1 = sqrtm(covariance1);
  // M = Σ₁^{1/2} Σ₂ Σ₁^{1/2}
  const temp = new Float64Array(d * d);
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      for (let k = 0; k < d; k++) temp[i * d + j] += root1.data[i * d + k] * covariance2.data[k * d + j];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      for (let k = 0; k < d; k++) M[i * d + j] += temp[i * d + k] * root1.data[k * d + j];
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) M[i * d + j] = M[j * d + i] = 0.5 * (M[i * d + j] + M[j * d + i]);
  const cross = sqrtm({ rows: d, cols: d, data: M });
  let trace = 0;
  for (let i = 0; i < d; i++)
    trace += covariance1.data[i * d + i] + covariance2.data[i * d + i] - 2 * cross.data[i * d + i];
  const squared = Math.max(0, meanTerm + trace);
  return { distance: Math.sqrt(squared), squared };
}
