import {
  assertAllocation,
  assertInteger,
  assertPositive,
  type Batch,
  type DenseMatrix,
  defineProblem,
  invalidArgument,
  type LeastSquaresProblem,
  type LogisticRegressionProblem,
  leastSquares,
  logisticRegression,
  type Oracle,
  type Rng,
  type Vec,
} from '@argmin/core';
import { z } from 'zod';
import { multinomialLogisticRegression } from './multinomial';
import { type Prox, proxL1 } from './prox-sgd';

/**
 * The stochastic problem suite: finite sums and noisy oracles with seeded minibatches (`sampleGrad`
 * draws from the run's Rng), exact gradients and Hessian-vector products. Data generators take an Rng,
 * so the same seed gives the same instance bit for bit.
 */

const logSpaced = (count: number, low: number, high: number) =>
  Float64Array.from({ length: count }, (_, j) =>
    count === 1 ? high : low * (high / low) ** (j / (count - 1)),
  );

/**
 * Binary logistic regression (core's `logisticRegression`, labels {0, 1}) on generated data with
 * feature j scaled by s_j, log-spaced in [scaleLow, scaleHigh] (condition ≈ (high/low)²):
 * a ~ N(0, diag(s²)), planted w*_j ~ N(0, 1)/s_j; y = 1[aᵀw* > 0] when `separable`, else
 * y ~ Bernoulli(σ(aᵀw*)) (non-separable).
 */
export function scaledLogisticRegression({
  samples,
  dimension,
  scaleLow = 1,
  scaleHigh = 1,
  separable = false,
  l2 = 0,
  batchSize = 1,
  rng,
}: {
  samples: number;
  dimension: number;
  scaleLow?: number;
  scaleHigh?: number;
  separable?: boolean;
  l2?: number;
  batchSize?: number;
  rng: Rng;
}): LogisticRegressionProblem & { readonly planted: Vec } {
  assertInteger('stochastic/scaledLogisticRegression', 'samples', samples, 1);
  assertInteger('stochastic/scaledLogisticRegression', 'dimension', dimension, 1);
  assertPositive('stochastic/scaledLogisticRegression', 'scaleLow', scaleLow);
  assertPositive('stochastic/scaledLogisticRegression', 'scaleHigh', scaleHigh);
  assertAllocation(
    'stochastic/scaledLogisticRegression',
    `a ${samples} x ${dimension} data matrix`,
    samples * dimension,
  );
  const scales = logSpaced(dimension, scaleLow, scaleHigh);
  const X = { rows: samples, cols: dimension, data: rng.fillNormal(new Float64Array(samples * dimension)) };
  for (let i = 0; i < samples; i++)
    for (let j = 0; j < dimension; j++) X.data[i * dimension + j] *= scales[j];
  const planted = rng.fillNormal(new Float64Array(dimension));
  for (let j = 0; j < dimension; j++) planted[j] /= scales[j];
  const y = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < dimension; j++) s += X.data[i * dimension + j] * planted[j];
    y[i] = separable ? (s > 0 ? 1 : 0) : rng.uniform() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return Object.assign(logisticRegression(X, y, { l2, batchSize }), { planted });
}

/**
 * Gaussian class clusters for multinomial logistic regression: class c has mean `separation`·μ_c with
 * μ_c ~ N(0, I), points a = mean + N(0, I); labels uniform over the classes.
 */
export function clusteredData({
  samples,
  dimension,
  classes,
  separation = 1,
  rng,
}: {
  samples: number;
  dimension: number;
  classes: number;
  separation?: number;
  rng: Rng;
}): { readonly features: DenseMatrix; readonly labels: Float64Array } {
  assertInteger('stochastic/clusteredData', 'samples', samples, 1);
  assertInteger('stochastic/clusteredData', 'dimension', dimension, 1);
  assertInteger('stochastic/clusteredData', 'classes', classes, 2);
  assertAllocation(
    'stochastic/clusteredData',
    `a ${samples} x ${dimension} data matrix`,
    samples * dimension + classes * dimension,
  );
  const means = rng.fillNormal(new Float64Array(classes * dimension));
  const data = rng.fillNormal(new Float64Array(samples * dimension));
  const labels = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const c = rng.integer(classes);
    labels[i] = c;
    for (let j = 0; j < dimension; j++) data[i * dimension + j] += separation * means[c * dimension + j];
  }
  return { features: { rows: samples, cols: dimension, data }, labels };
}

/** An ill-conditioned quadratic with a noisy gradient oracle. */
export interface NoisyQuadratic
  extends Oracle<
    'value' | 'grad' | 'hvp' | 'sampleGrad' | 'drawBatch' | 'batchValue' | 'batchGrad' | 'batchHvp'
  > {
  /** Eigenvalues h (log-spaced in [1/conditionNumber, 1]·scale). */
  readonly eigenvalues: Float64Array;
  /** Orthogonal eigenbasis Q (d x d row-major), or null for the diagonal problem. */
  readonly basis: Float64Array | null;
  readonly minimizer: Float64Array;
}

/**
 * f(x) = ½(x − x*)ᵀ H (x − x*) with H = diag(h) (or Q diag(h) Qᵀ when `rotated`; Q from three random
 * Householder reflections), h log-spaced in [largest/conditionNumber, largest]; f* = 0.
 * `sampleGrad` = ∇f(x) + noise·ξ with ξ ~ N(0, I) from the run's Rng; `hvp` exact.
 *
 * Minibatches: this is not a finite sum, so a "batch" is one noise draw. `drawBatch(rng)` draws ξ
 * (d normals, the stream `sampleGrad` consumes; `drawBatch(rng, s)` averages s draws, noise/√s) into
 * `payload` (its `indices` just number the draws 0..s−1: there are no components), and the
 * batch function is the linearly perturbed quadratic f_ξ(x) = f(x) + noise·ξᵀx, so that
 * `batchGrad` = ∇f(x) + noise·ξ (= `sampleGrad` for the same Rng) and `batchHvp` = H v exactly.
 */
export function noisyQuadratic({
  dimension,
  conditionNumber,
  largest = 1,
  noise = 0,
  rotated = false,
  rng,
}: {
  dimension: number;
  conditionNumber: number;
  largest?: number;
  noise?: number;
  rotated?: boolean;
  rng: Rng;
}): NoisyQuadratic {
  assertInteger('stochastic/noisyQuadratic', 'dimension', dimension, 1);
  if (!(conditionNumber >= 1))
    invalidArgument(
      'stochastic/noisyQuadratic',
      'conditionNumber',
      conditionNumber,
      '`conditionNumber` must be >= 1',
    );
  assertPositive('stochastic/noisyQuadratic', 'largest', largest);
  assertPositive('stochastic/noisyQuadratic', 'noise', noise, true);
  assertAllocation(
    'stochastic/noisyQuadratic',
    rotated ? `a ${dimension} x ${dimension} eigenbasis` : `${dimension} eigenvalues`,
    rotated ? dimension * dimension : 6 * dimension,
  );
  const d = dimension;
  const h = logSpaced(d, largest / conditionNumber, largest);
  const minimizer = rng.fillNormal(new Float64Array(d));
  let basis: Float64Array | null = null;
  if (rotated) {
    basis = new Float64Array(d * d);
    for (let i = 0; i < d; i++) basis[i * d + i] = 1;
    const v = new Float64Array(d);
    const w = new Float64Array(d);
    for (let r = 0; r < 3; r++) {
      rng.fillNormal(v);
      const norm = Math.hypot(...v) || 1;
      for (let i = 0; i < d; i++) v[i] /= norm;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += basis[i * d + j] * v[j];
        w[i] = s;
      }
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) basis[i * d + j] -= 2 * w[i] * v[j];
    }
  }
  const coordinates = new Float64Array(d);
  const difference = new Float64Array(d);
  /** out = H v. */
  const apply = (v: Vec, out: Vec): Vec => {
    if (!basis) {
      for (let i = 0; i < d; i++) out[i] = h[i] * v[i];
      return out;
    }
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += basis[i * d + k] * v[i];
      coordinates[k] = h[k] * s;
    }
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += basis[i * d + k] * coordinates[k];
      out[i] = s;
    }
    return out;
  };
  const scratch = new Float64Array(d);
  const where = 'stochastic/noisyQuadratic';
  const check = (name: string, x: Vec) => {
    if (x?.length !== d) invalidArgument(where, name, x?.length, `\`${name}\` must have length ${d}`);
  };
  const noiseOf = (batch: Batch): Float64Array => {
    const xi = batch?.payload;
    if (!(xi instanceof Float64Array) || xi.length !== d)
      invalidArgument(
        where,
        'batch',
        typeof xi,
        'a batch of this problem carries its noise draw; use drawBatch(rng)',
      );
    return xi;
  };
  const grad = (x: Vec, out: Vec): Vec => {
    check('x', x);
    for (let i = 0; i < d; i++) difference[i] = x[i] - minimizer[i];
    return apply(difference, out);
  };
  return {
    dimension: d,
    eigenvalues: h,
    basis,
    minimizer,
    value(x) {
      grad(x, scratch);
      let s = 0;
      for (let i = 0; i < d; i++) s += difference[i] * scratch[i];
      return 0.5 * s;
    },
    grad,
    hvp: (x, v, out) => (check('x', x), check('v', v), apply(v, out)),
    sampleGrad(x, r, out) {
      grad(x, out);
      if (noise > 0) for (let i = 0; i < d; i++) out[i] += noise * r.normal();
      return out;
    },
    drawBatch(r: Rng, size = 1) {
      assertInteger(where, 'size', size, 1);
      const xi = new Float64Array(d);
      if (noise > 0) {
        for (let k = 0; k < size; k++) for (let i = 0; i < d; i++) xi[i] += r.normal();
        if (size > 1) for (let i = 0; i < d; i++) xi[i] /= size;
      }
      return { indices: Int32Array.from({ length: size }, (_, k) => k), payload: xi };
    },
    batchValue(batch, x) {
      const xi = noiseOf(batch);
      grad(x, scratch);
      let s = 0;
      let linear = 0;
      for (let i = 0; i < d; i++) {
        s += difference[i] * scratch[i];
        linear += xi[i] * x[i];
      }
      return 0.5 * s + noise * linear;
    },
    batchGrad(batch, x, out) {
      const xi = noiseOf(batch);
      grad(x, out);
      for (let i = 0; i < d; i++) out[i] += noise * xi[i];
      return out;
    },
    batchHvp(batch, x, v, out) {
      noiseOf(batch);
      check('x', x);
      check('v', v);
      return apply(v, out);
    },
  };
}

/** An l1-regularized least-squares problem F = f + λ‖x‖₁ for prox-SGD. */
export interface LassoProblem extends LeastSquaresProblem {
  readonly regularization: number;
  /** The prox of h = λ‖x‖₁ (soft-thresholding). */
  readonly prox: Prox;
  /** F(x) = f(x) + λ‖x‖₁ (the oracle's `value` is the smooth part f). */
  compositeValue(x: Vec): number;
  readonly planted: Vec;
}

/**
 * Sparse regression: A ~ N(0, 1) (samples x dimension), a planted x* with `sparsity` nonzero entries
 * N(0, 1), b = Ax* + noise·N(0, 1); the smooth part f = (1/2n)‖Ax − b‖² is core's `leastSquares`
 * (minibatches of `batchSize`), h = λ‖x‖₁.
 */
export function lasso({
  samples,
  dimension,
  sparsity,
  noise = 0.1,
  regularization,
  batchSize = 1,
  rng,
}: {
  samples: number;
  dimension: number;
  sparsity: number;
  noise?: number;
  regularization: number;
  batchSize?: number;
  rng: Rng;
}): LassoProblem {
  assertInteger('stochastic/lasso', 'samples', samples, 1);
  assertInteger('stochastic/lasso', 'dimension', dimension, 1);
  assertInteger('stochastic/lasso', 'sparsity', sparsity, 0, dimension);
  assertPositive('stochastic/lasso', 'regularization', regularization, true);
  assertAllocation('stochastic/lasso', `a ${samples} x ${dimension} design matrix`, samples * dimension);
  const A = { rows: samples, cols: dimension, data: rng.fillNormal(new Float64Array(samples * dimension)) };
  const planted = new Float64Array(dimension);
  const support = rng.permutation(dimension).slice(0, sparsity);
  for (const j of support) planted[j] = rng.normal();
  const b = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < dimension; j++) s += A.data[i * dimension + j] * planted[j];
    b[i] = s + noise * rng.normal();
  }
  const smooth = leastSquares(A, b, { batchSize });
  return Object.assign(smooth, {
    regularization,
    prox: proxL1(regularization),
    planted,
    compositeValue(x: Vec) {
      let l1 = 0;
      for (let j = 0; j < x.length; j++) l1 += Math.abs(x[j]);
      return smooth.value(x) + regularization * l1;
    },
  });
}

// Problem plugins (for pipelines and the CLI).

const minibatch = ['drawBatch', 'batchValue', 'batchGrad', 'batchHvp'] as const;
const finiteSum = ['value', 'grad', 'hvp', 'componentGrad', 'sampleGrad', ...minibatch] as const;

export const scaledLogisticRegressionProblem = defineProblem({
  meta: {
    id: 'stochastic/logistic-regression',
    title: 'Binary logistic regression on badly scaled, separable or non-separable data',
    provides: [...finiteSum],
  },
  options: z.strictObject({
    samples: z.number().int().min(1).default(1000).describe('Number of examples n.'),
    dimension: z.number().int().min(1).default(20).describe('Number of features d.'),
    scaleLow: z.number().positive().default(0.1).describe('Smallest feature scale.'),
    scaleHigh: z.number().positive().default(10).describe('Largest feature scale.'),
    separable: z.boolean().default(false).describe('Labels from the sign of a planted score (separable).'),
    l2: z.number().nonnegative().default(1e-3).describe('l2 regularization strength.'),
    batchSize: z.number().int().min(1).default(32).describe('Minibatch size of sampleGrad.'),
  }),
  create: (options, rng) => ({
    problem: scaledLogisticRegression({ ...options, rng }),
    x0: new Float64Array(options.dimension),
  }),
});

export const multinomialLogisticRegressionProblem = defineProblem({
  meta: {
    id: 'stochastic/multinomial-logistic-regression',
    title: 'Softmax regression on Gaussian class clusters',
    provides: [...finiteSum],
  },
  options: z.strictObject({
    samples: z.number().int().min(1).default(600).describe('Number of examples n.'),
    dimension: z.number().int().min(1).default(10).describe('Number of features d.'),
    classes: z.number().int().min(2).default(4).describe('Number of classes k.'),
    separation: z.number().nonnegative().default(1).describe('Scale of the class means.'),
    l2: z.number().nonnegative().default(1e-3).describe('l2 regularization strength.'),
    batchSize: z.number().int().min(1).default(32).describe('Minibatch size of sampleGrad.'),
  }),
  create: ({ samples, dimension, classes, separation, l2, batchSize }, rng) => {
    const data = clusteredData({ samples, dimension, classes, separation, rng });
    return {
      problem: multinomialLogisticRegression(data.features, data.labels, classes, { l2, batchSize }),
      x0: new Float64Array(classes * dimension),
    };
  },
});

export const noisyQuadraticProblem = defineProblem({
  meta: {
    id: 'stochastic/noisy-quadratic',
    title: 'Ill-conditioned quadratic with Gaussian gradient noise',
    provides: ['value', 'grad', 'hvp', 'sampleGrad', ...minibatch],
  },
  options: z.strictObject({
    dimension: z.number().int().min(1).default(100).describe('Dimension d.'),
    conditionNumber: z
      .number()
      .min(1)
      .default(1e4)
      .describe('Ratio of the largest to the smallest eigenvalue.'),
    largest: z.number().positive().default(10).describe('Largest eigenvalue.'),
    noise: z.number().nonnegative().default(0).describe('Standard deviation of the gradient noise.'),
    rotated: z.boolean().default(false).describe('Random eigenbasis instead of a diagonal Hessian.'),
  }),
  create: (options, rng) => {
    const problem = noisyQuadratic({ ...options, rng });
    return {
      problem,
      x0: new Float64Array(options.dimension),
      solution: problem.minimizer,
      optimalValue: 0,
    };
  },
});

export const lassoProblem = defineProblem({
  meta: {
    id: 'stochastic/lasso',
    title: 'Sparse least squares with an l1 penalty (smooth part as the oracle)',
    provides: [...finiteSum],
  },
  options: z.strictObject({
    samples: z.number().int().min(1).default(500).describe('Number of equations n.'),
    dimension: z.number().int().min(1).default(50).describe('Number of unknowns d.'),
    sparsity: z.number().int().min(0).default(5).describe('Nonzeros of the planted solution.'),
    noise: z.number().nonnegative().default(0.1).describe('Standard deviation of the noise in b.'),
    regularization: z.number().nonnegative().default(0.05).describe('λ of h = λ‖x‖₁.'),
    batchSize: z.number().int().min(1).default(16).describe('Minibatch size of sampleGrad.'),
  }),
  create: (options, rng) => ({
    problem: lasso({ ...options, rng }),
    x0: new Float64Array(options.dimension),
  }),
});

export const stochasticProblems = [
  scaledLogisticRegressionProblem,
  multinomialLogisticRegressionProblem,
  noisyQuadraticProblem,
  lassoProblem,
] as const;
