import {
  assertAllocation,
  assertFinite,
  assertInteger,
  type DenseMatrix,
  invalidArgument,
  type Rng,
  symmetricEigen,
  type Vec,
} from '@argmin/core';
import type { NoiseLevel } from '../schedules/schedule';
import { assertPredictionType, type DenoiserModel, type PredictionType } from './model';

/** A component covariance: a number (isotropic variance τ²), a vector (diagonal) or a d×d matrix. */
export type CovarianceInput = number | ArrayLike<number> | ArrayLike<ArrayLike<number>> | DenseMatrix;

/** Options of `gaussianMixture`. */
export interface GaussianMixtureOptions {
  /** Mixture weights π_k (positive; normalized here when they sum to 1 within 1e-9, else an error). */
  readonly weights: ArrayLike<number>;
  /** Component means μ_k, each of length d. */
  readonly means: readonly ArrayLike<number>[];
  /** Component covariances Σ_k (positive definite). */
  readonly covariances: readonly CovarianceInput[];
  /** Which prediction `predict` returns. Default 'epsilon'. */
  readonly prediction?: PredictionType;
}

interface Component {
  readonly logWeight: number;
  readonly weight: number;
  readonly mean: Float64Array;
  /** Eigenvalues of Σ_k. */
  readonly eigenvalues: Float64Array;
  /** Eigenvectors as columns, row-major d×d (`basis[i*d + j]` = component i of eigenvector j); null when Σ_k is diagonal. */
  readonly basis: Float64Array | null;
}

/** The exact data-space posterior of x0 given x_t for one sample: a GMM. */
export interface PosteriorMixture {
  readonly weights: Float64Array;
  readonly means: readonly Float64Array[];
  readonly covariances: readonly DenseMatrix[];
}

/**
 * The exact denoiser of Gaussian-mixture data `p0 = Σ π_k N(μ_k, Σ_k)` under `x_t = αx0 + σε`.
 * The marginal is `Σ π_k N(αμ_k, C_k)`, `C_k = α²Σ_k + σ²I`; with responsibilities `r_k(x)`:
 * `ε = σ Σ r_k C_k⁻¹(x - αμ_k)` (= -σ·score), `x0 = Σ r_k[μ_k + αΣ_k C_k⁻¹(x - αμ_k)]` (direct
 * Tweedie form, finite as α → 0), `v = αε - σx0`. Covariances are eigendecomposed once
 * (`Σ_k = U Λ Uᵀ`), so each evaluation costs O(K·d²) per sample (O(K·d) for diagonal components).
 */
export interface GaussianMixtureModel extends DenoiserModel {
  readonly weights: Float64Array;
  readonly means: readonly Float64Array[];
  readonly components: number;
  /** Posterior mean E[x0 | x_t] (Tweedie), row-wise. */
  denoise(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
  /** MMSE noise prediction E[ε | x_t]. */
  epsilon(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
  /** ∇ log p_t(x). */
  score(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
  /** Responsibilities r_k(x) (batch × K). */
  responsibilities(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
  /** log p_t(x) per row. */
  logDensity(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
  /** The exact posterior p(x0 | x_t = x) for one sample x (length d). */
  posterior(x: Vec, level: NoiseLevel): PosteriorMixture;
  /** n data samples (row-major n × d): component by rng.categorical, then μ + UΛ^{1/2}z. */
  sample(n: number, rng: Rng): Float64Array;
  /** n samples of the exact marginal p_t: α·(data sample) + σ·z. */
  sampleMarginal(n: number, level: NoiseLevel, rng: Rng): Float64Array;
  /** Data mean and covariance (row-major d × d). */
  moments(): { mean: Float64Array; covariance: Float64Array };
  /** The same mixture predicting another type. */
  withPrediction(prediction: PredictionType): GaussianMixtureModel;
}

function toComponent(
  where: string,
  k: number,
  d: number,
  weight: number,
  mean: ArrayLike<number>,
  cov: CovarianceInput,
): Component {
  if (mean.length !== d)
    invalidArgument(where, `means[${k}].length`, mean.length, `every mean must have length d = ${d}`);
  const m = Float64Array.from(mean);
  assertFinite(where, `means[${k}]`, m);
  let eigenvalues: Float64Array;
  let basis: Float64Array | null = null;
  if (typeof cov === 'number') {
    eigenvalues = new Float64Array(d).fill(cov);
  } else if ('data' in (cov as DenseMatrix) && 'rows' in (cov as DenseMatrix)) {
    const matrix = cov as DenseMatrix;
    if (matrix.rows !== d || matrix.cols !== d) {
      invalidArgument(where, `covariances[${k}]`, `${matrix.rows}x${matrix.cols}`, `must be ${d}x${d}`);
    }
    const eig = symmetricEigen(matrix);
    eigenvalues = Float64Array.from(eig.values);
    basis = Float64Array.from(eig.vectors.data);
  } else if (typeof (cov as ArrayLike<unknown>)[0] === 'number') {
    eigenvalues = Float64Array.from(cov as ArrayLike<number>);
    if (eigenvalues.length !== d) {
      invalidArgument(
        where,
        `covariances[${k}].length`,
        eigenvalues.length,
        `a diagonal covariance must have length d = ${d}`,
      );
    }
  } else {
    const rows = cov as ArrayLike<ArrayLike<number>>;
    if (rows.length !== d)
      invalidArgument(where, `covariances[${k}]`, `${rows.length} rows`, `must be ${d}x${d}`);
    const data = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      if (rows[i].length !== d)
        invalidArgument(where, `covariances[${k}][${i}].length`, rows[i].length, `must be ${d}`);
      for (let j = 0; j < d; j++) data[i * d + j] = rows[i][j];
    }
    return toComponent(where, k, d, weight, mean, { rows: d, cols: d, data });
  }
  for (let j = 0; j < d; j++) {
    if (!(eigenvalues[j] > 0) || !Number.isFinite(eigenvalues[j])) {
      invalidArgument(
        where,
        `covariances[${k}]`,
        eigenvalues[j],
        'must be positive definite (every variance / eigenvalue > 0 and finite)',
      );
    }
  }
  return { logWeight: Math.log(weight), weight, mean: m, eigenvalues, basis };
}

/**
 * The exact Gaussian-mixture denoiser (notes §0.4). All formulas are closed form; nothing is learned.
 *
 * @example
 * const model = gaussianMixture({ weights: [0.5, 0.5], means: [[-1], [1]], covariances: [0.09, 0.09] });
 * const eps = model.predict(Float64Array.of(0.3), 1, level, new Float64Array(1));
 */
export function gaussianMixture(options: GaussianMixtureOptions): GaussianMixtureModel {
  const where = 'gaussianMixture';
  const { weights, means, covariances } = options;
  const K = weights.length;
  if (K === 0) invalidArgument(where, 'weights', weights, 'need at least one component');
  if (means.length !== K || covariances.length !== K) {
    invalidArgument(
      where,
      'means/covariances',
      `${means.length}/${covariances.length}`,
      `need one mean and one covariance per weight (K = ${K})`,
    );
  }
  let total = 0;
  for (let k = 0; k < K; k++) {
    if (!(weights[k] > 0) || !Number.isFinite(weights[k])) {
      invalidArgument(where, `weights[${k}]`, weights[k], 'mixture weights must be positive and finite');
    }
    total += weights[k];
  }
  if (Math.abs(total - 1) > 1e-9) {
    invalidArgument(where, 'weights', total, 'mixture weights must sum to 1; divide them by their sum');
  }
  const d = means[0].length;
  if (!Number.isInteger(d) || d < 1) {
    invalidArgument(
      where,
      'means[0].length',
      d,
      'a mixture needs at least one dimension: each mean (`means[k]`) is a vector of length d >= 1',
    );
  }
  assertAllocation(
    where,
    `${K} components of dimension ${d} (means, covariances and their factors)`,
    K * (3 * d * d + 4 * d),
  );
  const components = Array.from({ length: K }, (_, k) =>
    toComponent(where, k, d, weights[k] / total, means[k], covariances[k]),
  );
  return build(components, d, options.prediction ?? 'epsilon');
}

/** A single Gaussian N(mean, covariance): the K = 1 mixture (every sampler is affine on it). */
export function gaussianModel(options: {
  mean: ArrayLike<number>;
  covariance: CovarianceInput;
  prediction?: PredictionType;
}): GaussianMixtureModel {
  return gaussianMixture({
    weights: [1],
    means: [options.mean],
    covariances: [options.covariance],
    prediction: options.prediction,
  });
}

function build(
  components: readonly Component[],
  d: number,
  prediction: PredictionType,
): GaussianMixtureModel {
  assertPredictionType('gaussianMixture', prediction);
  const K = components.length;
  // scratch, grown on demand (no allocation per call at a fixed batch size)
  const c = new Float64Array(K * d); // a²λ + s² per component and direction
  const logNorm = new Float64Array(K);
  const w = new Float64Array(K * d); // C⁻¹(x - aμ) in each eigenbasis
  const y = new Float64Array(d);
  const logp = new Float64Array(K);
  const tmp = new Float64Array(d);

  function prepare(level: NoiseLevel): void {
    const a2 = level.alpha * level.alpha;
    const s2 = level.sigma * level.sigma;
    for (let k = 0; k < K; k++) {
      const lam = components[k].eigenvalues;
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const v = a2 * lam[j] + s2;
        c[k * d + j] = v;
        sum += Math.log(2 * Math.PI * v);
      }
      logNorm[k] = components[k].logWeight - 0.5 * sum;
    }
  }

  /** Fills w (per component) and logp for row `row`; returns the log-sum-exp. */
  function evaluateRow(x: Vec, offset: number, a: number): number {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const { mean, basis } = components[k];
      for (let i = 0; i < d; i++) tmp[i] = x[offset + i] - a * mean[i];
      if (basis) {
        y.fill(0);
        for (let i = 0; i < d; i++) {
          const ti = tmp[i];
          const rowBase = i * d;
          for (let j = 0; j < d; j++) y[j] += basis[rowBase + j] * ti;
        }
      } else {
        y.set(tmp);
      }
      let quad = 0;
      const base = k * d;
      for (let j = 0; j < d; j++) {
        const wj = y[j] / c[base + j];
        w[base + j] = wj;
        quad += y[j] * wj;
      }
      const value = logNorm[k] - 0.5 * quad;
      logp[k] = value;
      if (value > max) max = value;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logp[k] - max);
      logp[k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) logp[k] /= sum; // logp now holds responsibilities
    return max + Math.log(sum);
  }

  /** out_row = Σ_k r_k U_k (scaleEig_k ∘ w_k) with optional mean term. mode 0: ε-direction, 1: x0. */
  function accumulate(out: Vec, offset: number, a: number, s: number, mode: 0 | 1): void {
    for (let i = 0; i < d; i++) out[offset + i] = 0;
    for (let k = 0; k < K; k++) {
      const r = logp[k];
      if (r === 0) continue;
      const { mean, basis, eigenvalues } = components[k];
      const base = k * d;
      // coefficient vector in the eigenbasis
      if (mode === 0) for (let j = 0; j < d; j++) tmp[j] = r * w[base + j];
      else for (let j = 0; j < d; j++) tmp[j] = r * a * eigenvalues[j] * w[base + j];
      if (basis) {
        for (let i = 0; i < d; i++) {
          let acc = 0;
          const rowBase = i * d;
          for (let j = 0; j < d; j++) acc += basis[rowBase + j] * tmp[j];
          out[offset + i] += acc;
        }
      } else {
        for (let i = 0; i < d; i++) out[offset + i] += tmp[i];
      }
      if (mode === 1) for (let i = 0; i < d; i++) out[offset + i] += r * mean[i];
    }
    if (mode === 0 && s !== 1) for (let i = 0; i < d; i++) out[offset + i] *= s;
  }

  function check(x: Vec, batch: number, out: Vec): void {
    if (x.length !== batch * d || out.length !== batch * d) {
      invalidArgument(
        'gaussianMixture.predict',
        'x',
        `length ${x.length} (out ${out.length})`,
        `a batch of ${batch} samples of dimension ${d} needs length ${batch * d}`,
      );
    }
  }

  function run(
    kind: 'epsilon' | 'sample' | 'v' | 'score',
    x: Vec,
    batch: number,
    level: NoiseLevel,
    out: Vec,
  ): Vec {
    check(x, batch, out);
    prepare(level);
    const { alpha: a, sigma: s } = level;
    for (let b = 0; b < batch; b++) {
      const offset = b * d;
      evaluateRow(x, offset, a);
      if (kind === 'epsilon') accumulate(out, offset, a, s, 0);
      else if (kind === 'score') {
        accumulate(out, offset, a, 1, 0);
        for (let i = 0; i < d; i++) out[offset + i] = -out[offset + i];
      } else if (kind === 'sample') accumulate(out, offset, a, s, 1);
      else {
        // v = aε - s·x0; compute x0 in place, then ε into y, combine
        accumulate(out, offset, a, s, 1);
        const x0 = y; // reuse as a row buffer after accumulate (y is not used by accumulate)
        for (let i = 0; i < d; i++) x0[i] = out[offset + i];
        accumulate(out, offset, a, s, 0);
        for (let i = 0; i < d; i++) out[offset + i] = a * out[offset + i] - s * x0[i];
      }
    }
    return out;
  }

  const model: GaussianMixtureModel = {
    dimension: d,
    prediction,
    components: K,
    weights: Float64Array.from(components, (comp) => comp.weight),
    means: components.map((comp) => comp.mean),
    predict: (x, batch, level, out) => run(prediction, x, batch, level, out),
    denoise: (x, batch, level, out) => run('sample', x, batch, level, out),
    epsilon: (x, batch, level, out) => run('epsilon', x, batch, level, out),
    score: (x, batch, level, out) => run('score', x, batch, level, out),
    responsibilities(x, batch, level, out) {
      prepare(level);
      for (let b = 0; b < batch; b++) {
        evaluateRow(x, b * d, level.alpha);
        for (let k = 0; k < K; k++) out[b * K + k] = logp[k];
      }
      return out;
    },
    logDensity(x, batch, level, out) {
      prepare(level);
      for (let b = 0; b < batch; b++) out[b] = evaluateRow(x, b * d, level.alpha);
      return out;
    },
    posterior(x, level) {
      prepare(level);
      evaluateRow(x, 0, level.alpha);
      const weightsOut = Float64Array.from(logp);
      const a = level.alpha;
      const s2 = level.sigma * level.sigma;
      const meansOut: Float64Array[] = [];
      const covs: DenseMatrix[] = [];
      for (let k = 0; k < K; k++) {
        const { mean, basis, eigenvalues } = components[k];
        const m = new Float64Array(d);
        const cov = new Float64Array(d * d);
        const base = k * d;
        for (let j = 0; j < d; j++) tmp[j] = a * eigenvalues[j] * w[base + j];
        for (let i = 0; i < d; i++) {
          let acc = 0;
          if (basis) for (let j = 0; j < d; j++) acc += basis[i * d + j] * tmp[j];
          else acc = tmp[i];
          m[i] = mean[i] + acc;
        }
        // V_k = U diag(λ s² / c) Uᵀ
        for (let i = 0; i < d; i++) {
          for (let l = 0; l < d; l++) {
            let acc = 0;
            if (basis) {
              for (let j = 0; j < d; j++)
                acc += basis[i * d + j] * ((eigenvalues[j] * s2) / c[base + j]) * basis[l * d + j];
            } else if (i === l) acc = (eigenvalues[i] * s2) / c[base + i];
            cov[i * d + l] = acc;
          }
        }
        meansOut.push(m);
        covs.push({ rows: d, cols: d, data: cov });
      }
      return { weights: weightsOut, means: meansOut, covariances: covs };
    },
    sample(n, rng) {
      assertInteger('gaussianMixture.sample', 'n', n, 1);
      assertAllocation('gaussianMixture.sample', `${n} samples of dimension ${d}`, n * d);
      const out = new Float64Array(n * d);
      const probabilities = Float64Array.from(components, (comp) => comp.weight);
      const z = new Float64Array(d);
      for (let b = 0; b < n; b++) {
        const k = K === 1 ? 0 : rng.categorical(probabilities);
        const { mean, basis, eigenvalues } = components[k];
        rng.fillNormal(z);
        for (let j = 0; j < d; j++) z[j] *= Math.sqrt(eigenvalues[j]);
        for (let i = 0; i < d; i++) {
          let acc = 0;
          if (basis) for (let j = 0; j < d; j++) acc += basis[i * d + j] * z[j];
          else acc = z[i];
          out[b * d + i] = mean[i] + acc;
        }
      }
      return out;
    },
    sampleMarginal(n, level, rng) {
      assertAllocation(
        'gaussianMixture.sampleMarginal',
        `${n} samples of dimension ${d} and their noise`,
        2 * n * d,
      );
      const x0 = model.sample(n, rng);
      const z = rng.fillNormal(new Float64Array(n * d));
      for (let i = 0; i < x0.length; i++) x0[i] = level.alpha * x0[i] + level.sigma * z[i];
      return x0;
    },
    moments() {
      const mean = new Float64Array(d);
      const covariance = new Float64Array(d * d);
      for (const comp of components) for (let i = 0; i < d; i++) mean[i] += comp.weight * comp.mean[i];
      for (const { weight, mean: mu, basis, eigenvalues } of components) {
        for (let i = 0; i < d; i++) {
          for (let l = 0; l < d; l++) {
            let sigma = 0;
            if (basis)
              for (let j = 0; j < d; j++) sigma += basis[i * d + j] * eigenvalues[j] * basis[l * d + j];
            else if (i === l) sigma = eigenvalues[i];
            covariance[i * d + l] += weight * (sigma + (mu[i] - mean[i]) * (mu[l] - mean[l]));
          }
        }
      }
      return { mean, covariance };
    },
    withPrediction(next) {
      return build(components, d, next);
    },
  };
  return model;
}
