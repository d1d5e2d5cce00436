import {
  type DenseMatrix,
  type MatrixLike,
  toDenseMatrix,
  toVec,
  type VecLike,
} from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { drawWithReplacement } from '../oracles/batch';
import { assertAllocation } from '../resources/budget';
import type { Rng } from '../rng/rng';
import type { Batch, Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import {
  assertFinite,
  assertInteger,
  assertLength,
  assertPositive,
  invalidArgument,
} from '../validate/validate';
import { pointGuard } from './guard';

/** Binary logistic regression as a finite sum, labels in {0, 1}. */
export interface LogisticRegressionProblem
  extends Oracle<
    | 'value'
    | 'grad'
    | 'hvp'
    | 'componentGrad'
    | 'sampleGrad'
    | 'drawBatch'
    | 'batchValue'
    | 'batchGrad'
    | 'batchHvp'
  > {
  readonly features: DenseMatrix;
  readonly labels: Vec;
  readonly l2: number;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** σ(z) = 1 / (1 + e^{−z}) without overflow. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * f(w) = (1/m) Σ_i [log(1 + exp(x_iᵀw)) − y_i x_iᵀw] + (l2/2) ‖w‖², y_i ∈ {0, 1}
 * (the negative log-likelihood of sklearn's LogisticRegression without intercept, divided by m).
 * grad = (1/m) Xᵀ(σ(Xw) − y) + l2·w; hvp = (1/m) Xᵀ diag(σ(1−σ)) X v + l2·v.
 * `features` may be a DenseMatrix (shared), number[][] or { rows, cols, data } (copied once);
 * `labels` a Float64Array (shared) or number[] (copied once). Every oracle method checks the length
 * of its vectors (and the indices of a batch) and throws InvalidArgumentError on a mismatch.
 */
export function logisticRegression(
  features: MatrixLike,
  labels: VecLike,
  { l2 = 0, batchSize = 1 }: { l2?: number; batchSize?: number } = {},
): LogisticRegressionProblem {
  const X = toDenseMatrix(features, 'logisticRegression', 'X');
  const y = toVec(labels, 'logisticRegression', 'y');
  assertLength('logisticRegression', 'y', y, X.rows, 'one label per row of X');
  assertFinite('logisticRegression', 'X', X.data);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      invalidArgument(
        'logisticRegression',
        'y',
        y[i],
        `labels must be 0 or 1 (index ${i}); map ±1 labels with (y + 1) / 2`,
      );
  }
  assertPositive('logisticRegression', 'l2', l2, true);
  assertInteger('logisticRegression', 'batchSize', batchSize, 1, X.rows);
  const m = X.rows;
  const n = X.cols;
  const guard = pointGuard('logisticRegression', n, m);
  const z = new Float64Array(m);
  const weights = new Float64Array(m);
  const product = new Float64Array(m);
  const regularizer = (w: Vec): number => {
    let s = 0;
    for (let j = 0; j < n; j++) s += w[j] * w[j];
    return 0.5 * l2 * s;
  };
  const value = (w: Vec): number => {
    gemv(X, w, z);
    let s = 0;
    for (let i = 0; i < m; i++) s += softplus(z[i]) - y[i] * z[i];
    return s / m + regularizer(w);
  };
  const gradFromZ = (w: Vec, out: Vec): Vec => {
    for (let i = 0; i < m; i++) weights[i] = sigmoid(z[i]) - y[i];
    gemvTransposed(X, weights, out, 1 / m);
    if (l2 !== 0) for (let j = 0; j < n; j++) out[j] += l2 * w[j];
    return out;
  };
  const rowDot = (i: number, w: Vec): number => {
    let s = 0;
    for (let j = 0; j < n; j++) s += X.data[i * n + j] * w[j];
    return s;
  };
  const batchGradient = (indices: Int32Array, w: Vec, out: Vec): Vec => {
    const size = indices.length;
    for (let j = 0; j < n; j++) out[j] = l2 * w[j];
    for (let k = 0; k < size; k++) {
      const i = indices[k];
      const r = (sigmoid(rowDot(i, w)) - y[i]) / size;
      for (let j = 0; j < n; j++) out[j] += r * X.data[i * n + j];
    }
    return out;
  };
  return {
    dimension: n,
    components: m,
    batchSize,
    features: X,
    labels: y,
    l2,
    value(w) {
      guard.point('value', 'w', w);
      return value(w);
    },
    grad(w, out) {
      guard.point('grad', 'w', w);
      guard.out('grad', out);
      gemv(X, w, z);
      return gradFromZ(w, out);
    },
    valueAndGrad(w, out) {
      guard.point('valueAndGrad', 'w', w);
      guard.out('valueAndGrad', out);
      const f = value(w);
      gradFromZ(w, out);
      return f;
    },
    hvp(w, v, out) {
      guard.point('hvp', 'w', w);
      guard.point('hvp', 'v', v);
      guard.out('hvp', out);
      gemv(X, w, z);
      gemv(X, v, product);
      for (let i = 0; i < m; i++) {
        const s = sigmoid(z[i]);
        product[i] *= s * (1 - s);
      }
      gemvTransposed(X, product, out, 1 / m);
      if (l2 !== 0) for (let j = 0; j < n; j++) out[j] += l2 * v[j];
      return out;
    },
    componentValue(i, w) {
      guard.component('componentValue', i);
      guard.point('componentValue', 'w', w);
      const zi = rowDot(i, w);
      return softplus(zi) - y[i] * zi + regularizer(w);
    },
    componentGrad(i, w, out) {
      guard.component('componentGrad', i);
      guard.point('componentGrad', 'w', w);
      guard.out('componentGrad', out);
      const r = sigmoid(rowDot(i, w)) - y[i];
      for (let j = 0; j < n; j++) out[j] = r * X.data[i * n + j] + l2 * w[j];
      return out;
    },
    drawBatch: (rng: Rng, size = batchSize) => drawWithReplacement(rng, m, size),
    batchValue(batch: Batch, w: Vec) {
      guard.batch('batchValue', batch);
      guard.point('batchValue', 'w', w);
      const { indices } = batch;
      let s = 0;
      for (let k = 0; k < indices.length; k++) {
        const zi = rowDot(indices[k], w);
        s += softplus(zi) - y[indices[k]] * zi;
      }
      return s / indices.length + regularizer(w);
    },
    batchGrad(batch: Batch, w: Vec, out: Vec) {
      guard.batch('batchGrad', batch);
      guard.point('batchGrad', 'w', w);
      guard.out('batchGrad', out);
      return batchGradient(batch.indices, w, out);
    },
    batchHvp(batch: Batch, w: Vec, v: Vec, out: Vec) {
      guard.batch('batchHvp', batch);
      guard.point('batchHvp', 'w', w);
      guard.point('batchHvp', 'v', v);
      guard.out('batchHvp', out);
      const { indices } = batch;
      const size = indices.length;
      for (let j = 0; j < n; j++) out[j] = l2 * v[j];
      for (let k = 0; k < size; k++) {
        const i = indices[k];
        const s = sigmoid(rowDot(i, w));
        const r = (s * (1 - s) * rowDot(i, v)) / size;
        for (let j = 0; j < n; j++) out[j] += r * X.data[i * n + j];
      }
      return out;
    },
    sampleGrad(w: Vec, rng: Rng, out: Vec) {
      guard.point('sampleGrad', 'w', w);
      guard.out('sampleGrad', out);
      return batchGradient(drawWithReplacement(rng, m, batchSize).indices, w, out);
    },
  };
}

/**
 * A random binary classification instance: features standard normal, labels from a planted weight
 * vector: y = 1[x·w* > 0] when `separable`, else y ~ Bernoulli(σ(x·w*)).
 */
export function randomLogisticRegression(
  samples: number,
  features: number,
  { l2 = 0, separable = false, rng }: { l2?: number; separable?: boolean; rng: Rng },
): LogisticRegressionProblem {
  assertInteger('randomLogisticRegression', 'samples', samples, 1);
  assertInteger('randomLogisticRegression', 'features', features, 1);
  assertAllocation('randomLogisticRegression', `a ${samples} x ${features} matrix`, samples * features);
  const X = { rows: samples, cols: features, data: rng.fillNormal(new Float64Array(samples * features)) };
  const planted = rng.fillNormal(new Float64Array(features));
  const y = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) s += X.data[i * features + j] * planted[j];
    y[i] = separable ? (s > 0 ? 1 : 0) : rng.uniform() < sigmoid(s) ? 1 : 0;
  }
  return logisticRegression(X, y, { l2 });
}
