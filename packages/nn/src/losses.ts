import type { Vec } from '@argmin/core';

/** Loss names (PyTorch's reductions: the mean). */
export type LossName = 'mse' | 'binary-cross-entropy' | 'cross-entropy' | 'hinge';

/**
 * A loss on network outputs y ∈ R^{n×k} (logits for the cross-entropies) with targets t:
 * - 'mse': t ∈ R^{n×k}; L = mean over n·k of (y − t)² (PyTorch MSELoss).
 * - 'binary-cross-entropy': t ∈ [0, 1]^{n×k}; L = mean of softplus(y) − t·y (BCEWithLogitsLoss, stable).
 * - 'cross-entropy': t = class labels in {0..k−1} (length n); L = mean over n of logsumexp(y_i) − y_{i,t_i} (CrossEntropyLoss).
 * - 'hinge': t ∈ {−1, +1}^{n×k}; L = mean of max(0, 1 − t·y) (second derivative 0 a.e.).
 */
export interface Loss {
  readonly name: LossName;
  /** Number of target entries for n rows and k outputs. */
  targetLength(n: number, k: number): number;
  /** Validates targets; returns an error sentence or undefined. */
  checkTargets(targets: Vec, n: number, k: number): string | undefined;
  /** L(y) and dL/dy into gy. */
  valueAndGradient(y: Vec, t: Vec, n: number, k: number, gy: Vec): number;
  /** (∂²L/∂y²) ẏ into out (the loss's part of the R-operator). */
  hessianVector(y: Vec, t: Vec, n: number, k: number, yt: Vec, out: Vec): void;
}

const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

const mse: Loss = {
  name: 'mse',
  targetLength: (n, k) => n * k,
  checkTargets: () => undefined,
  valueAndGradient(y, t, n, k, gy) {
    const m = n * k;
    let s = 0;
    for (let i = 0; i < m; i++) {
      const r = y[i] - t[i];
      s += r * r;
      gy[i] = (2 * r) / m;
    }
    return s / m;
  },
  hessianVector(_y, _t, n, k, yt, out) {
    const m = n * k;
    for (let i = 0; i < m; i++) out[i] = (2 * yt[i]) / m;
  },
};

const binaryCrossEntropy: Loss = {
  name: 'binary-cross-entropy',
  targetLength: (n, k) => n * k,
  checkTargets(t) {
    for (let i = 0; i < t.length; i++)
      if (!(t[i] >= 0 && t[i] <= 1)) return `targets must be in [0, 1]; got ${t[i]} at index ${i}`;
    return undefined;
  },
  valueAndGradient(y, t, n, k, gy) {
    const m = n * k;
    let s = 0;
    for (let i = 0; i < m; i++) {
      s += softplus(y[i]) - t[i] * y[i];
      gy[i] = (sigmoid(y[i]) - t[i]) / m;
    }
    return s / m;
  },
  hessianVector(y, _t, n, k, yt, out) {
    const m = n * k;
    for (let i = 0; i < m; i++) {
      const p = sigmoid(y[i]);
      out[i] = (p * (1 - p) * yt[i]) / m;
    }
  },
};

const crossEntropy: Loss = {
  name: 'cross-entropy',
  targetLength: (n) => n,
  checkTargets(t, _n, k) {
    for (let i = 0; i < t.length; i++) {
      if (!Number.isInteger(t[i]) || t[i] < 0 || t[i] >= k)
        return `labels must be integers in [0, ${k - 1}] (one per output class); got ${t[i]} at index ${i}`;
    }
    return undefined;
  },
  valueAndGradient(y, t, n, k, gy) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) max = Math.max(max, y[o + j]);
      let z = 0;
      for (let j = 0; j < k; j++) z += Math.exp(y[o + j] - max);
      const logZ = max + Math.log(z);
      s += logZ - y[o + t[i]];
      for (let j = 0; j < k; j++) gy[o + j] = (Math.exp(y[o + j] - logZ) - (j === t[i] ? 1 : 0)) / n;
    }
    return s / n;
  },
  hessianVector(y, _t, n, k, yt, out) {
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) max = Math.max(max, y[o + j]);
      let z = 0;
      for (let j = 0; j < k; j++) z += Math.exp(y[o + j] - max);
      let pDotY = 0;
      for (let j = 0; j < k; j++) pDotY += (Math.exp(y[o + j] - max) / z) * yt[o + j];
      for (let j = 0; j < k; j++) {
        const p = Math.exp(y[o + j] - max) / z;
        out[o + j] = (p * (yt[o + j] - pDotY)) / n;
      }
    }
  },
};

const hinge: Loss = {
  name: 'hinge',
  targetLength: (n, k) => n * k,
  checkTargets(t) {
    for (let i = 0; i < t.length; i++)
      if (t[i] !== 1 && t[i] !== -1) return `targets must be -1 or +1; got ${t[i]} at index ${i}`;
    return undefined;
  },
  valueAndGradient(y, t, n, k, gy) {
    const m = n * k;
    let s = 0;
    for (let i = 0; i < m; i++) {
      const margin = 1 - t[i] * y[i];
      s += Math.max(margin, 0);
      gy[i] = margin > 0 ? -t[i] / m : 0;
    }
    return s / m;
  },
  hessianVector(_y, _t, n, k, _yt, out) {
    out.fill(0, 0, n * k);
  },
};

const losses: Record<LossName, Loss> = {
  mse,
  'binary-cross-entropy': binaryCrossEntropy,
  'cross-entropy': crossEntropy,
  hinge,
};

export const lossNames = Object.keys(losses) as LossName[];

/** The loss with this name. */
export function loss(name: LossName): Loss {
  return losses[name];
}
