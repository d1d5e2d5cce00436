import {
  assertAllocation,
  type Batch,
  type DenseMatrix,
  drawWithReplacement,
  InvalidArgumentError,
  type Rng,
  type Vec,
} from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';
import { type GlmLoss, lossCurvature, lossSlope, lossValue, rowDot, sigmoid } from './glm';

/** Training and validation data of a linear model. Labels: real for 'squared', {0, 1} for 'logistic'. */
export interface SplitData {
  readonly train: { readonly features: DenseMatrix; readonly labels: Float64Array };
  readonly validation: { readonly features: DenseMatrix; readonly labels: Float64Array };
}

function checkData(where: string, data: SplitData, loss: GlmLoss): void {
  for (const part of ['train', 'validation'] as const) {
    const { features, labels } = data[part] ?? ({} as never);
    if (
      !features ||
      !(features.data instanceof Float64Array) ||
      features.data.length !== features.rows * features.cols
    ) {
      throw new InvalidArgumentError({
        argument: `${part}.features`,
        value: features,
        message: `${where}: \`${part}.features\` must be a dense matrix { rows, cols, data } with rows·cols entries.`,
      });
    }
    if (!(labels instanceof Float64Array) || labels.length !== features.rows) {
      throw new InvalidArgumentError({
        argument: `${part}.labels`,
        value: labels?.length,
        message: `${where}: \`${part}.labels\` must be a Float64Array with one label per row (${features.rows}).`,
      });
    }
    for (let i = 0; i < features.data.length; i++)
      if (!Number.isFinite(features.data[i]))
        throw new InvalidArgumentError({
          argument: `${part}.features`,
          value: features.data[i],
          message: `${where}: \`${part}.features\` has a non-finite entry at ${i}.`,
        });
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i];
      if (!Number.isFinite(y) || (loss === 'logistic' && y !== 0 && y !== 1))
        throw new InvalidArgumentError({
          argument: `${part}.labels`,
          value: y,
          message: `${where}: \`${part}.labels[${i}]\` is ${y}; ${loss === 'logistic' ? 'logistic labels are 0 or 1' : 'labels must be finite'}.`,
        });
    }
  }
  if (data.train.features.cols !== data.validation.features.cols) {
    throw new InvalidArgumentError({
      argument: 'validation.features',
      value: data.validation.features.cols,
      message: `${where}: training and validation features need the same number of columns (${data.train.features.cols} vs ${data.validation.features.cols}).`,
    });
  }
}

/**
 * Hyperparameter optimization of ridge ('squared') or l2-regularized logistic regression: the upper
 * variable x is the log of the regularization (one per feature, or one shared), the lower variable
 * the weights w:
 *   g(x, w) = (1/n) Σ_i ℓ(z_iᵀw, y_i) + ½ Σ_j e^{x_j} w_j²   (training loss; x_j = x_0 when shared)
 *   f(x, w) = (1/n_v) Σ_i ℓ(z_iᵀw, y_i)                       (validation loss, no x)
 * ∇²_ww g = (1/n) Zᵀ diag(ℓ'') Z + diag(e^x), ∇²_xw g · v = e^x ⊙ w ⊙ v (shared: e^{x_0} wᵀv).
 * Minibatches (`batchSize`) sample training rows for g and validation rows for f with replacement;
 * the regularizer is always exact.
 */
export function hyperparameterProblem(
  data: SplitData,
  {
    loss = 'squared',
    perFeature = true,
    batchSize,
  }: { loss?: GlmLoss; perFeature?: boolean; batchSize?: number } = {},
): BilevelOracle {
  const where = 'hyperparameterProblem';
  if (loss !== 'squared' && loss !== 'logistic') {
    throw new InvalidArgumentError({
      argument: 'loss',
      value: loss,
      message: `${where}: \`loss\` must be 'squared' (ridge) or 'logistic'; got ${JSON.stringify(loss)}.`,
    });
  }
  checkData(where, data, loss);
  const Z = data.train.features;
  const V = data.validation.features;
  const n = Z.rows;
  const nv = V.rows;
  const d = Z.cols;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new InvalidArgumentError({
      argument: 'batchSize',
      value: batchSize,
      message: `${where}: \`batchSize\` must be a positive integer; got ${batchSize}.`,
    });
  }
  const y = data.train.labels;
  const yv = data.validation.labels;
  const dimX = perFeature ? d : 1;
  const lam = (x: Vec, j: number) => Math.exp(perFeature ? x[j] : x[0]);
  // Sum over rows (all, or the batch's), scaled by 1/count.
  const forRows = (batch: Batch | undefined, count: number, visit: (i: number, weight: number) => void) => {
    if (batch) {
      const idx = batch.indices;
      const w = 1 / idx.length;
      for (let k = 0; k < idx.length; k++) visit(idx[k], w);
    } else {
      const w = 1 / count;
      for (let i = 0; i < count; i++) visit(i, w);
    }
  };
  const lowerGradY = (x: Vec, w: Vec, out: Vec, batch?: Batch) => {
    for (let j = 0; j < d; j++) out[j] = lam(x, j) * w[j];
    forRows(batch, n, (i, weight) => {
      const r = weight * lossSlope(loss, rowDot(Z.data, d, i, w), y[i]);
      for (let j = 0; j < d; j++) out[j] += r * Z.data[i * d + j];
    });
    return out;
  };
  return {
    dimX,
    dimY: d,
    upperValue(_x, w, batch) {
      let s = 0;
      forRows(batch, nv, (i, weight) => {
        s += weight * lossValue(loss, rowDot(V.data, d, i, w), yv[i]);
      });
      return s;
    },
    upperGradX(_x, _w, out) {
      out.fill(0);
      return out;
    },
    upperGradY(_x, w, out, batch) {
      out.fill(0);
      forRows(batch, nv, (i, weight) => {
        const r = weight * lossSlope(loss, rowDot(V.data, d, i, w), yv[i]);
        for (let j = 0; j < d; j++) out[j] += r * V.data[i * d + j];
      });
      return out;
    },
    lowerValue(x, w, batch) {
      let s = 0;
      for (let j = 0; j < d; j++) s += 0.5 * lam(x, j) * w[j] * w[j];
      forRows(batch, n, (i, weight) => {
        s += weight * lossValue(loss, rowDot(Z.data, d, i, w), y[i]);
      });
      return s;
    },
    lowerGradX(x, w, out) {
      if (perFeature) for (let j = 0; j < d; j++) out[j] = 0.5 * lam(x, j) * w[j] * w[j];
      else {
        let s = 0;
        for (let j = 0; j < d; j++) s += w[j] * w[j];
        out[0] = 0.5 * lam(x, 0) * s;
      }
      return out;
    },
    lowerGradY,
    lowerHvpYY(x, w, v, out, batch) {
      for (let j = 0; j < d; j++) out[j] = lam(x, j) * v[j];
      forRows(batch, n, (i, weight) => {
        const r = weight * lossCurvature(loss, rowDot(Z.data, d, i, w)) * rowDot(Z.data, d, i, v);
        for (let j = 0; j < d; j++) out[j] += r * Z.data[i * d + j];
      });
      return out;
    },
    lowerCrossXY(x, w, v, out) {
      if (perFeature) for (let j = 0; j < d; j++) out[j] = lam(x, j) * w[j] * v[j];
      else {
        let s = 0;
        for (let j = 0; j < d; j++) s += w[j] * v[j];
        out[0] = lam(x, 0) * s;
      }
      return out;
    },
    ...(batchSize === undefined
      ? {}
      : {
          drawUpperBatch: (rng: Rng) => drawWithReplacement(rng, nv, batchSize),
          drawLowerBatch: (rng: Rng) => drawWithReplacement(rng, n, batchSize),
        }),
  };
}

/**
 * A random instance: features N(0, 1), a planted weight vector w* ~ N(0, I), labels y = zᵀw* + noise·N(0, 1)
 * ('squared') or y ~ Bernoulli(σ(zᵀw*)) ('logistic').
 */
export function randomSplitData({
  trainSamples,
  validationSamples,
  features,
  loss = 'squared',
  noise = 0.5,
  rng,
}: {
  trainSamples: number;
  validationSamples: number;
  features: number;
  loss?: GlmLoss;
  noise?: number;
  rng: Rng;
}): SplitData {
  for (const [name, value] of [
    ['trainSamples', trainSamples],
    ['validationSamples', validationSamples],
    ['features', features],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError({
        argument: name,
        value,
        message: `randomSplitData: \`${name}\` must be a positive integer; got ${value}.`,
      });
    }
  }
  assertAllocation('randomSplitData', 'the feature matrices', (trainSamples + validationSamples) * features);
  const planted = rng.fillNormal(new Float64Array(features));
  const make = (rows: number) => {
    const data = rng.fillNormal(new Float64Array(rows * features));
    const labels = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const t = rowDot(data, features, i, planted);
      labels[i] = loss === 'squared' ? t + noise * rng.normal() : rng.uniform() < sigmoid(t) ? 1 : 0;
    }
    return { features: { rows, cols: features, data }, labels };
  };
  return { train: make(trainSamples), validation: make(validationSamples) };
}
