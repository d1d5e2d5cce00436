/** Per-sample losses ℓ(t, y) of a linear model's score t, with first and second derivatives in t. */
export type GlmLoss = 'squared' | 'logistic';

/** log(1 + e^t) without overflow. */
export function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/** σ(t) = 1/(1 + e^{−t}) without overflow. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** ℓ(t, y): squared ½(t − y)², logistic softplus(t) − y t with y ∈ {0, 1}. */
export function lossValue(loss: GlmLoss, t: number, y: number): number {
  return loss === 'squared' ? 0.5 * (t - y) ** 2 : softplus(t) - y * t;
}

/** ∂ℓ/∂t. */
export function lossSlope(loss: GlmLoss, t: number, y: number): number {
  return loss === 'squared' ? t - y : sigmoid(t) - y;
}

/** ∂²ℓ/∂t². */
export function lossCurvature(loss: GlmLoss, t: number): number {
  if (loss === 'squared') return 1;
  const s = sigmoid(t);
  return s * (1 - s);
}

/** z_iᵀ w for row i of a row-major n x d matrix. */
export function rowDot(data: Float64Array, d: number, i: number, w: Float64Array): number {
  let s = 0;
  const base = i * d;
  for (let j = 0; j < d; j++) s += data[base + j] * w[j];
  return s;
}
