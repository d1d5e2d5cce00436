import { type DenseMatrix, InvalidArgumentError, type Oracle, type Rng, type Vec } from '@argmin/core';

/**
 * Multinomial (softmax) logistic regression as a finite sum over n examples with k classes:
 * f(W) = (1/n) Σ_i [logsumexp(W x_i) − (W x_i)_{y_i}] + (l2/2)‖W‖², W ∈ R^{k×d} flattened row-major.
 * Exact gradient and Hessian-vector product; `sampleGrad` draws minibatches with the seeded Rng.
 */
export function multinomialLogisticRegression(
  X: DenseMatrix,
  labels: Float64Array,
  classes: number,
  { l2 = 0, batchSize = 32 }: { l2?: number; batchSize?: number } = {},
): Oracle<'value' | 'grad' | 'hvp' | 'sampleGrad' | 'componentGrad'> {
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
  const scratch = new Float64Array(k * d);
  const batch = new Int32Array(batchSize);
  const single = new Int32Array(1);
  return {
    dimension: k * d,
    components: n,
    batchSize,
    value: (W) => accumulate(W, null, n, scratch),
    grad: (W, out) => (accumulate(W, null, n, out), out),
    valueAndGrad: (W, out) => accumulate(W, null, n, out),
    hvp(W, V, out) {
      // H V = (1/n) Σ_i (diag(p) − ppᵀ)(V x_i) x_iᵀ + l2 V
      out.fill(0);
      for (let i = 0; i < n; i++) {
        softmax(W, i);
        let dot = 0;
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += V[c * d + j] * X.data[i * d + j];
          direction[c] = s;
          dot += probabilities[c] * s;
        }
        for (let c = 0; c < k; c++) {
          const r = (probabilities[c] * (direction[c] - dot)) / n;
          for (let j = 0; j < d; j++) out[c * d + j] += r * X.data[i * d + j];
        }
      }
      for (let p = 0; p < W.length; p++) out[p] += l2 * V[p];
      return out;
    },
    sampleGrad(W: Vec, rng: Rng, out: Vec) {
      for (let b = 0; b < batchSize; b++) batch[b] = rng.integer(n);
      accumulate(W, batch, batchSize, out);
      return out;
    },
    componentGrad(index, W, out) {
      single[0] = index;
      accumulate(W, single, 1, out);
      return out;
    },
  };
}
