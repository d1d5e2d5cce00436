import {
  assertInteger,
  type Batch,
  type DenseMatrix,
  drawWithReplacement,
  InvalidArgumentError,
  invalidArgument,
  type Oracle,
  type Rng,
  type Vec,
} from '@argmin/core';

/**
 * Multinomial (softmax) logistic regression as a finite sum over n examples with k classes:
 * f(W) = (1/n) Σ_i [logsumexp(W x_i) − (W x_i)_{y_i}] + (l2/2)‖W‖², W ∈ R^{k×d} flattened row-major.
 * Exact gradient and Hessian-vector product, also on explicit minibatches B drawn with replacement by
 * `drawBatch` (the batch loss is the mean of ℓ_i over the examples of B, plus (l2/2)‖W‖²); `sampleGrad(W, rng, out)` is
 * `batchGrad(drawBatch(rng), W, out)` and consumes the Rng identically.
 */
export function multinomialLogisticRegression(
  X: DenseMatrix,
  labels: Float64Array,
  classes: number,
  { l2 = 0, batchSize = 32 }: { l2?: number; batchSize?: number } = {},
): MultinomialLogisticRegression {
  const n = X.rows;
  const d = X.cols;
  const k = classes;
  if (labels.length !== n)
    throw new InvalidArgumentError({
      argument: 'labels',
      value: labels.length,
      message: `stochastic/multinomialLogisticRegression: need one label per row (${n}); got ${labels.length}.`,
    });
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= k) {
      throw new InvalidArgumentError({
        argument: 'labels',
        value: labels[i],
        message: `stochastic/multinomialLogisticRegression: labels must be integers in [0, ${k - 1}]; got ${labels[i]} at index ${i}.`,
      });
    }
  }
  assertInteger('stochastic/multinomialLogisticRegression', 'classes', classes, 2);
  assertInteger('stochastic/multinomialLogisticRegression', 'batchSize', batchSize, 1);
  if (!(l2 >= 0 && Number.isFinite(l2)))
    invalidArgument(
      'stochastic/multinomialLogisticRegression',
      'l2',
      l2,
      '`l2` must be a finite number >= 0',
    );
  const where = 'stochastic/multinomialLogisticRegression';
  const checkParams = (W: Vec) => {
    if (W?.length !== k * d)
      invalidArgument(
        where,
        'W',
        W?.length,
        `the parameter vector must have length classes·features = ${k * d}`,
      );
  };
  const logits = new Float64Array(k);
  const probabilities = new Float64Array(k);
  const direction = new Float64Array(k);
  const softmax = (W: Vec, i: number): number => {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += W[c * d + j] * X.data[i * d + j];
      logits[c] = s;
      max = Math.max(max, s);
    }
    let z = 0;
    for (let c = 0; c < k; c++) z += Math.exp(logits[c] - max);
    for (let c = 0; c < k; c++) probabilities[c] = Math.exp(logits[c] - max) / z;
    return max + Math.log(z) - logits[labels[i]];
  };
  const accumulate = (W: Vec, indices: ArrayLike<number> | null, count: number, out: Vec): number => {
    out.fill(0);
    let value = 0;
    for (let b = 0; b < count; b++) {
      const i = indices ? indices[b] : b;
      value += softmax(W, i);
      for (let c = 0; c < k; c++) {
        const r = (probabilities[c] - (c === labels[i] ? 1 : 0)) / count;
        for (let j = 0; j < d; j++) out[c * d + j] += r * X.data[i * d + j];
      }
    }
    let squares = 0;
    for (let p = 0; p < W.length; p++) {
      out[p] += l2 * W[p];
      squares += W[p] * W[p];
    }
    return value / count + 0.5 * l2 * squares;
  };
  /** out = H_B V = (1/|B|) Σ_{i∈B} (diag(p) − ppᵀ)(V x_i) x_iᵀ + l2 V (all rows when indices is null). */
  const hessianVector = (W: Vec, V: Vec, indices: ArrayLike<number> | null, count: number, out: Vec): Vec => {
    out.fill(0);
    for (let b = 0; b < count; b++) {
      const i = indices ? indices[b] : b;
      softmax(W, i);
      let dot = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += V[c * d + j] * X.data[i * d + j];
        direction[c] = s;
        dot += probabilities[c] * s;
      }
      for (let c = 0; c < k; c++) {
        const r = (probabilities[c] * (direction[c] - dot)) / count;
        for (let j = 0; j < d; j++) out[c * d + j] += r * X.data[i * d + j];
      }
    }
    for (let p = 0; p < W.length; p++) out[p] += l2 * V[p];
    return out;
  };
  const checkBatch = (batch: Batch) => {
    const indices = batch?.indices;
    if (!(indices instanceof Int32Array) || indices.length === 0)
      invalidArgument(
        where,
        'batch',
        indices?.length,
        'a batch needs a non-empty Int32Array of indices (use drawBatch)',
      );
    for (let b = 0; b < indices.length; b++)
      if (indices[b] < 0 || indices[b] >= n)
        invalidArgument(where, 'batch.indices', indices[b], `batch indices must be in [0, ${n - 1}]`);
    return indices;
  };
  const scratch = new Float64Array(k * d);
  const single = new Int32Array(1);
  return {
    dimension: k * d,
    components: n,
    batchSize,
    value: (W) => (checkParams(W), accumulate(W, null, n, scratch)),
    grad: (W, out) => (checkParams(W), accumulate(W, null, n, out), out),
    valueAndGrad: (W, out) => (checkParams(W), accumulate(W, null, n, out)),
    hvp: (W, V, out) => (checkParams(W), checkParams(V), hessianVector(W, V, null, n, out)),
    drawBatch: (rng: Rng, size = batchSize) => drawWithReplacement(rng, n, size),
    batchValue(batch, W) {
      checkParams(W);
      const indices = checkBatch(batch);
      return accumulate(W, indices, indices.length, scratch);
    },
    batchGrad(batch, W, out) {
      checkParams(W);
      const indices = checkBatch(batch);
      accumulate(W, indices, indices.length, out);
      return out;
    },
    batchHvp(batch, W, V, out) {
      checkParams(W);
      checkParams(V);
      const indices = checkBatch(batch);
      return hessianVector(W, V, indices, indices.length, out);
    },
    sampleGrad(W: Vec, rng: Rng, out: Vec) {
      checkParams(W);
      const { indices } = drawWithReplacement(rng, n, batchSize);
      accumulate(W, indices, batchSize, out);
      return out;
    },
    componentGrad(index, W, out) {
      checkParams(W);
      assertInteger(where, 'index', index, 0, n - 1);
      single[0] = index;
      accumulate(W, single, 1, out);
      return out;
    },
  };
}

/** The multinomial logistic regression oracle (finite sum with explicit minibatches). */
export type MultinomialLogisticRegression = Oracle<
  | 'value'
  | 'grad'
  | 'hvp'
  | 'sampleGrad'
  | 'componentGrad'
  | 'drawBatch'
  | 'batchValue'
  | 'batchGrad'
  | 'batchHvp'
>;
