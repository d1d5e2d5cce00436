import { type Batch, drawWithReplacement, InvalidArgumentError, type Rng, type Vec } from '@argmin/core';
import type { MultiBlockBilevelOracle } from '../problem/bilevel-oracle';
import { sigmoid } from './glm';

/** The data and labels of `multiTaskCleaning`, for metrics (which training labels were flipped). */
export interface MultiTaskCleaning extends MultiBlockBilevelOracle {
  /** 1 where the training label was flipped. */
  readonly corrupted: Uint8Array;
  /** Temperatures σ_i of the tasks. */
  readonly temperatures: Float64Array;
  /** Mean validation loss (1/m) Σ_i f_i(w_i) with exact sums. */
  validationLoss(ws: readonly Vec[]): number;
}

/**
 * BSVRB's many-task hyperparameter optimization (notes §14, reference code
 * Hyperparameter_Optimization/HO/main.py), on generated data: m tasks share the training samples;
 * task i fits a linear classifier w_i ∈ R^{d+1} (with bias) with the logistic loss at temperature σ_i,
 *   ℓ_i(w; x̃, y) = log(1 + exp(−y wᵀx̃/σ_i)), x̃ = [1, x], y ∈ {−1, +1},
 * the upper variable p ∈ R^{n_train} weights the training samples by sigmoid(p_j):
 *   g_i(p, w) = (1/n) Σ_j sigmoid(p_j) ℓ_i(w; x̃_j, y_j) + (λ/2)‖w‖²,   f_i(p, w) = (1/n_v) Σ_j ℓ_i(w; x̃_j, y_j) (validation),
 * and F(p) = (1/m) Σ_i f_i(p, w_i*(p)). A fraction `corruption` of the training labels is flipped.
 * (The reference code's Hessian of ℓ has the wrong sign, −e/(1+e)²; this uses the correct +e/(1+e)².)
 */
export function multiTaskCleaning({
  tasks = 20,
  trainSamples = 200,
  validationSamples = 200,
  features = 5,
  corruption = 0.2,
  temperatures,
  l2 = 1e-5,
  rng,
}: {
  tasks?: number;
  trainSamples?: number;
  validationSamples?: number;
  features?: number;
  corruption?: number;
  /** σ_i per task (default log-spaced in [0.5, 2]). */
  temperatures?: ArrayLike<number>;
  l2?: number;
  rng: Rng;
}): MultiTaskCleaning {
  for (const [name, value, max] of [
    ['tasks', tasks, 100_000],
    ['trainSamples', trainSamples, 10_000_000],
    ['validationSamples', validationSamples, 10_000_000],
    ['features', features, 100_000],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new InvalidArgumentError({
        argument: name,
        value,
        message: `multiTaskCleaning: \`${name}\` must be an integer in [1, ${max}]; got ${value}.`,
      });
    }
  }
  if (!(corruption >= 0 && corruption <= 1)) {
    throw new InvalidArgumentError({
      argument: 'corruption',
      value: corruption,
      message: `multiTaskCleaning: \`corruption\` is the fraction of flipped labels, in [0, 1]; got ${corruption}.`,
    });
  }
  if (!(l2 >= 0) || !Number.isFinite(l2)) {
    throw new InvalidArgumentError({
      argument: 'l2',
      value: l2,
      message: `multiTaskCleaning: \`l2\` must be a finite number >= 0; got ${l2}.`,
    });
  }
  const sig = new Float64Array(tasks);
  if (temperatures) {
    if (temperatures.length !== tasks) {
      throw new InvalidArgumentError({
        argument: 'temperatures',
        value: temperatures.length,
        message: `multiTaskCleaning: one temperature per task (${tasks}); got ${temperatures.length}.`,
      });
    }
    for (let i = 0; i < tasks; i++) {
      if (!(temperatures[i] > 0) || !Number.isFinite(temperatures[i]))
        throw new InvalidArgumentError({
          argument: `temperatures[${i}]`,
          value: temperatures[i],
          message: `multiTaskCleaning: temperatures must be finite and > 0; got ${temperatures[i]} at ${i}.`,
        });
      sig[i] = temperatures[i];
    }
  } else for (let i = 0; i < tasks; i++) sig[i] = 0.5 * 4 ** (tasks === 1 ? 0.5 : i / (tasks - 1));
  const d = features + 1;
  const planted = rng.fillNormal(new Float64Array(d));
  const make = (rows: number, flip: number) => {
    const data = new Float64Array(rows * d);
    const labels = new Float64Array(rows);
    const flipped = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      data[i * d] = 1;
      for (let j = 1; j < d; j++) data[i * d + j] = rng.normal();
      let t = 0;
      for (let j = 0; j < d; j++) t += data[i * d + j] * planted[j];
      labels[i] = t >= 0 ? 1 : -1;
      if (rng.uniform() < flip) {
        labels[i] = -labels[i];
        flipped[i] = 1;
      }
    }
    return { data, labels, flipped };
  };
  const train = make(trainSamples, corruption);
  const val = make(validationSamples, 0);
  const margin = (data: Float64Array, labels: Float64Array, i: number, block: number, w: Vec) => {
    let t = 0;
    for (let j = 0; j < d; j++) t += data[i * d + j] * w[j];
    return (labels[i] * t) / sig[block];
  };
  /** log(1 + e^{−t}). */
  const logLoss = (t: number) => (t > 0 ? Math.log1p(Math.exp(-t)) : -t + Math.log1p(Math.exp(t)));
  const rows = (batch: Batch | undefined, count: number): { idx: Int32Array | undefined; n: number } =>
    batch ? { idx: batch.indices, n: batch.indices.length } : { idx: undefined, n: count };
  const validationLossOf = (block: number, w: Vec) => {
    let s = 0;
    for (let i = 0; i < validationSamples; i++) s += logLoss(margin(val.data, val.labels, i, block, w));
    return s / validationSamples;
  };
  return {
    dimX: trainSamples,
    dimY: d,
    blocks: tasks,
    corrupted: train.flipped,
    temperatures: sig,
    validationLoss(ws) {
      let s = 0;
      for (let b = 0; b < tasks; b++) s += validationLossOf(b, ws[b]);
      return s / tasks;
    },
    upperValue(block, _x, w, batch) {
      if (!batch) return validationLossOf(block, w);
      const { idx, n } = rows(batch, validationSamples);
      let s = 0;
      for (let k = 0; k < n; k++) s += logLoss(margin(val.data, val.labels, idx ? idx[k] : k, block, w));
      return s / n;
    },
    upperGradX(_block, _x, _w, out) {
      out.fill(0);
      return out;
    },
    upperGradY(block, _x, w, out, batch) {
      const { idx, n } = rows(batch, validationSamples);
      out.fill(0);
      for (let k = 0; k < n; k++) {
        const i = idx ? idx[k] : k;
        // d/dw log(1 + e^{−t}) = −sigmoid(−t) · y x̃ / σ
        const r = (-sigmoid(-margin(val.data, val.labels, i, block, w)) * val.labels[i]) / sig[block] / n;
        for (let j = 0; j < d; j++) out[j] += r * val.data[i * d + j];
      }
      return out;
    },
    lowerGradY(block, x, w, out, batch) {
      const { idx, n } = rows(batch, trainSamples);
      for (let j = 0; j < d; j++) out[j] = l2 * w[j];
      for (let k = 0; k < n; k++) {
        const i = idx ? idx[k] : k;
        const r =
          (sigmoid(x[i]) * -sigmoid(-margin(train.data, train.labels, i, block, w)) * train.labels[i]) /
          sig[block] /
          n;
        for (let j = 0; j < d; j++) out[j] += r * train.data[i * d + j];
      }
      return out;
    },
    lowerHvpYY(block, x, w, v, out, batch) {
      const { idx, n } = rows(batch, trainSamples);
      for (let j = 0; j < d; j++) out[j] = l2 * v[j];
      const s2 = sig[block] * sig[block];
      for (let k = 0; k < n; k++) {
        const i = idx ? idx[k] : k;
        const t = margin(train.data, train.labels, i, block, w);
        const curvature = (sigmoid(t) * sigmoid(-t)) / s2; // y² = 1
        let xv = 0;
        for (let j = 0; j < d; j++) xv += train.data[i * d + j] * v[j];
        const r = (sigmoid(x[i]) * curvature * xv) / n;
        for (let j = 0; j < d; j++) out[j] += r * train.data[i * d + j];
      }
      return out;
    },
    lowerCrossXY(block, x, w, v, out, batch) {
      const { idx, n } = rows(batch, trainSamples);
      out.fill(0);
      for (let k = 0; k < n; k++) {
        const i = idx ? idx[k] : k;
        const s = sigmoid(x[i]);
        let xv = 0;
        for (let j = 0; j < d; j++) xv += train.data[i * d + j] * v[j];
        const slope =
          (-sigmoid(-margin(train.data, train.labels, i, block, w)) * train.labels[i]) / sig[block];
        out[i] += (s * (1 - s) * slope * xv) / n;
      }
      return out;
    },
    drawLowerBatch: (_block, rng2, size) => drawWithReplacement(rng2, trainSamples, size),
    drawUpperBatch: (_block, rng2, size) => drawWithReplacement(rng2, validationSamples, size),
  };
}
