import {
  assertAllocation,
  assertInteger,
  type DenseMatrix,
  invalidArgument,
  type Optimizer,
  type Rng,
  type Vec,
} from '@argmin/core';

/** A binary classification set with labels y ∈ {−1, +1} (rows of `features` are a_i). */
export interface LabelledData {
  readonly features: DenseMatrix;
  readonly labels: Float64Array;
}

/**
 * The separable generator of the notes (Tyurin 2024 reproduction): w* ~ N(0, I) normalized,
 * a ~ N(0, I_d) kept when |w*ᵀa| > margin, a constant column 3.0 appended, y = sign(w*ᵀa).
 */
export function separableData(
  samples: number,
  dimension: number,
  { margin = 0.05, rng }: { margin?: number; rng: Rng },
): LabelledData {
  assertInteger('stochastic/separableData', 'samples', samples, 1);
  assertInteger('stochastic/separableData', 'dimension', dimension, 1);
  // |w*ᵀa| ~ |N(0, 1)|: a margin beyond ~5 would make the rejection loop practically endless.
  if (!(Number.isFinite(margin) && margin >= 0 && margin <= 3))
    invalidArgument(
      'stochastic/separableData',
      'margin',
      margin,
      '`margin` must be a finite number in [0, 3]',
    );
  assertAllocation(
    'stochastic/separableData',
    `a ${samples} x ${dimension + 1} data matrix`,
    samples * (dimension + 1),
  );
  const w = rng.fillNormal(new Float64Array(dimension));
  const norm = Math.hypot(...w);
  for (let j = 0; j < dimension; j++) w[j] /= norm;
  const cols = dimension + 1;
  const data = new Float64Array(samples * cols);
  const labels = new Float64Array(samples);
  const a = new Float64Array(dimension);
  for (let i = 0; i < samples; ) {
    rng.fillNormal(a);
    let s = 0;
    for (let j = 0; j < dimension; j++) s += w[j] * a[j];
    if (Math.abs(s) <= margin) continue;
    data.set(a, i * cols);
    data[i * cols + dimension] = 3;
    labels[i] = s > 0 ? 1 : -1;
    i++;
  }
  return { features: { rows: samples, cols, data }, labels };
}

const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** f(x) = (1/n) Σ log(1 + exp(−y_i a_iᵀx)) and ∇f (stable for losses up to 1e4 and beyond). */
export function logisticLoss(data: LabelledData) {
  const { features: A, labels: y } = data;
  const n = A.rows;
  const d = A.cols;
  const margins = new Float64Array(n);
  const computeMargins = (x: Vec) => {
    if (x?.length !== d)
      invalidArgument(
        'stochastic/logisticLoss',
        'x',
        x?.length,
        `the parameter vector must have length ${d}`,
      );
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += A.data[i * d + j] * x[j];
      margins[i] = y[i] * s;
    }
  };
  return {
    dimension: d,
    value(x: Vec): number {
      computeMargins(x);
      let s = 0;
      for (let i = 0; i < n; i++) s += softplus(-margins[i]);
      return s / n;
    },
    grad(x: Vec, out: Vec): Vec {
      computeMargins(x);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const c = (-sigmoid(-margins[i]) * y[i]) / n;
        for (let j = 0; j < d; j++) out[j] += c * A.data[i * d + j];
      }
      return out;
    },
    /** Number of points with y_i a_iᵀx <= 0 (0 = separated). */
    misclassified(x: Vec): number {
      computeMargins(x);
      let count = 0;
      for (let i = 0; i < n; i++) if (margins[i] <= 0) count++;
      return count;
    },
  };
}

export interface LargeStepState {
  readonly gradient: Float64Array;
  readonly next: Float64Array;
}

type Loss = ReturnType<typeof logisticLoss>;

/**
 * LR+GD, x ← x − γ∇f(x) on the logistic loss with any step γ (Tyurin, "From Logistic Regression to the
 * Perceptron Algorithm", AAAI 2025), or Normalized LR+GD x ← x − (γ/f(x))∇f(x) (`normalized`).
 * Reports value, misclassified and gradNorm.
 */
export function largeStepGradientDescent({
  stepSize,
  normalized = false,
}: {
  stepSize: number;
  normalized?: boolean;
}): Optimizer<Loss, LargeStepState> {
  if (!(stepSize > 0)) invalidArgument('stochastic/lr-gd', 'stepSize', stepSize, '`stepSize` γ must be > 0');
  return {
    id: normalized ? 'stochastic/normalized-lr-gd' : 'stochastic/lr-gd',
    init: (x0) => ({ gradient: new Float64Array(x0.length), next: new Float64Array(x0.length) }),
    step(x, state, loss) {
      const g = loss.grad(x, state.gradient);
      const step = normalized ? stepSize / loss.value(x) : stepSize;
      const next = state.next;
      let norm = 0;
      for (let i = 0; i < x.length; i++) {
        next[i] = x[i] - step * g[i];
        norm += g[i] * g[i];
      }
      return {
        x: next,
        state: { gradient: g, next: x },
        info: { value: loss.value(next), misclassified: loss.misclassified(next), gradNorm: Math.sqrt(norm) },
      };
    },
  };
}

/**
 * The batch perceptron, the γ → ∞ limit of LR+GD (with x_t = γp_t): p ← p + (1/n)[Σ_{y_i a_iᵀp < 0} y_i a_i
 * + ½ Σ_{y_i a_iᵀp = 0} y_i a_i] (σ(0) = ½ gives the half weight; from p = 0 the first step is ½·mean(y_i a_i)).
 */
export function batchPerceptron(data: LabelledData): Optimizer<Loss, LargeStepState> {
  const { features: A, labels: y } = data;
  const n = A.rows;
  const d = A.cols;
  return {
    id: 'stochastic/batch-perceptron',
    init: (x0) => ({ gradient: new Float64Array(x0.length), next: new Float64Array(x0.length) }),
    step(p, state, loss) {
      const next = state.next;
      next.set(p);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += A.data[i * d + j] * p[j];
        const margin = y[i] * s;
        const weight = margin < 0 ? 1 : margin === 0 ? 0.5 : 0;
        if (weight === 0) continue;
        for (let j = 0; j < d; j++) next[j] += (weight * y[i] * A.data[i * d + j]) / n;
      }
      return {
        x: next,
        state: { gradient: state.gradient, next: p },
        info: { misclassified: loss.misclassified(next) },
      };
    },
  };
}
