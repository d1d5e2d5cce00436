import type { Rng } from '@argmin/core';
import { assertAllocation, InvalidArgumentError, parseOptions } from '@argmin/core';
import { chebCbOptions } from '../options';
import type { OmegaLearner } from './tsallis-inf';

/** Options of `chebCb`. */
export interface ChebCbOptions {
  /** Arms (ω values); default linspace(1, 1.95, 20). */
  readonly arms?: readonly number[];
  /** Context range [a, b]; contexts are mapped to x = 2(c − a)/(b − a) − 1 ∈ [−1, 1]. */
  readonly contextRange: readonly [number, number];
  /** Number m of Chebyshev features T₀..T_{m−1} (reference: 6). */
  readonly degree?: number;
}

/** Explicit learner state (plain data). */
export interface ChebCbState {
  /** Rounds learned from. */
  round: number;
  /** Learning rate η of the inverse-gap weighting (0 before the first update: uniform play). */
  eta: number;
  /** Loss scale K·N of the regression targets (loss − 1)/scale. */
  scale: number;
  /** Regression coefficients, theta[i*m + j] for arm i and feature T_j. */
  readonly theta: Float64Array;
  /** The last round's probabilities and predicted (scaled) losses per arm. */
  readonly probabilities: Float64Array;
  readonly predictions: Float64Array;
  /** Residual norm of the last box-constrained fit (as the reference's `resnorm`). */
  resnorm: number;
}

/** Chebyshev polynomials T₀..T_{m−1} at x (three-term recurrence). */
export function chebyshevFeatures(x: number, out: Float64Array): Float64Array {
  const m = out.length;
  if (m > 0) out[0] = 1;
  if (m > 1) out[1] = x;
  for (let j = 2; j < m; j++) out[j] = 2 * x * out[j - 1] - out[j - 2];
  return out;
}

/** Symmetric eigen-decomposition by cyclic Jacobi (small dense matrices); A is overwritten. */
function jacobiEigen(A: Float64Array, m: number, values: Float64Array, vectors: Float64Array): void {
  vectors.fill(0);
  for (let i = 0; i < m; i++) vectors[i * m + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        total += A[i * m + j] ** 2;
        if (i !== j) off += A[i * m + j] ** 2;
      }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (apq === 0) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p];
          const akq = A[k * m + q];
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k];
          const aqk = A[q * m + k];
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = vectors[k * m + p];
          const vkq = vectors[k * m + q];
          vectors[k * m + p] = c * vkp - s * vkq;
          vectors[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  for (let i = 0; i < m; i++) values[i] = A[i * m + i];
}

/**
 * Minimum-norm solution of G z = c restricted to the index set `free` (the other entries of z are
 * untouched): pseudo-inverse by eigen-decomposition, eigenvalues below 1e-12·λ_max treated as zero.
 */
function pinvSolve(
  G: Float64Array,
  m: number,
  c: Float64Array,
  free: readonly number[],
  z: Float64Array,
): void {
  const f = free.length;
  if (f === 0) return;
  const A = new Float64Array(f * f);
  for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) A[i * f + j] = G[free[i] * m + free[j]];
  const values = new Float64Array(f);
  const vectors = new Float64Array(f * f);
  jacobiEigen(A, f, values, vectors);
  let largest = 0;
  for (let i = 0; i < f; i++) largest = Math.max(largest, Math.abs(values[i]));
  const cutoff = 1e-12 * largest;
  for (let i = 0; i < f; i++) z[free[i]] = 0;
  for (let e = 0; e < f; e++) {
    if (!(Math.abs(values[e]) > cutoff)) continue;
    let proj = 0;
    for (let i = 0; i < f; i++) proj += vectors[i * f + e] * c[i];
    const w = proj / values[e];
    for (let i = 0; i < f; i++) z[free[i]] += w * vectors[i * f + e];
  }
}

/**
 * Box-constrained least squares min ‖F θ − y‖² s.t. lb ≤ θ ≤ ub from the normal equations
 * (G = FᵀF, c = Fᵀy), by a primal active-set method; θ holds the start and receives the solution.
 */
function boxLeastSquares(
  G: Float64Array,
  c: Float64Array,
  m: number,
  lb: Float64Array,
  ub: Float64Array,
  theta: Float64Array,
): void {
  for (let j = 0; j < m; j++) theta[j] = Math.min(ub[j], Math.max(lb[j], theta[j]));
  const z = new Float64Array(m);
  const rhs = new Float64Array(m);
  for (let iteration = 0; iteration < 50 * (m + 1); iteration++) {
    const free: number[] = [];
    for (let j = 0; j < m; j++) {
      let g = -c[j];
      for (let l = 0; l < m; l++) g += G[j * m + l] * theta[l];
      const atLower = theta[j] <= lb[j] && g >= 0;
      const atUpper = theta[j] >= ub[j] && g <= 0;
      if (!atLower && !atUpper) free.push(j);
    }
    if (free.length === 0) return;
    // minimise over the free variables with the bound ones fixed
    for (let i = 0; i < free.length; i++) {
      let t = c[free[i]];
      for (let l = 0; l < m; l++) if (!free.includes(l)) t -= G[free[i] * m + l] * theta[l];
      rhs[i] = t;
    }
    z.set(theta);
    pinvSolve(G, m, rhs, free, z);
    let step = 1;
    let blocking = -1;
    for (const j of free) {
      const d = z[j] - theta[j];
      if (d > 0 && theta[j] + d > ub[j]) {
        const s = (ub[j] - theta[j]) / d;
        if (s < step) {
          step = s;
          blocking = j;
        }
      } else if (d < 0 && theta[j] + d < lb[j]) {
        const s = (lb[j] - theta[j]) / d;
        if (s < step) {
          step = s;
          blocking = j;
        }
      }
    }
    let moved = 0;
    for (const j of free) {
      const next = Math.min(ub[j], Math.max(lb[j], theta[j] + step * (z[j] - theta[j])));
      moved = Math.max(moved, Math.abs(next - theta[j]));
      theta[j] = next;
    }
    if (blocking >= 0) theta[blocking] = z[blocking] > theta[blocking] ? ub[blocking] : lb[blocking];
    // full step taken: the free variables are optimal; stop when nothing moves any more
    if (blocking < 0 && moved <= 1e-15 * (1 + Math.max(...theta.map(Math.abs)))) return;
  }
}

/**
 * ChebCB (Learning to Relax, `learners/ChebCB.m`): a SquareCB-style contextual bandit over the ω grid.
 * Each arm's cost is regressed on Chebyshev features φ(c) = [T₀..T_{m−1}](2(c − a)/(b − a) − 1):
 * least squares of (loss − 1)/scale on the rounds that played the arm (minimum norm), re-solved
 * box-constrained when a coefficient leaves |θ_j| ≤ ub_j, ub = [1/N, 2(b − a)L/(scale·j)]. Constants
 * from the losses so far: K = max loss, L = (max − min)/(b − a), N = 2 + 4(b − a)L/K·(1 + log m),
 * scale = K·N (all arms are refit when the scale changes). Inverse-gap weighting: p_i = 1/(d + η(ŷ_i − ŷ*))
 * for the arms other than the predicted best, which takes the rest; η_t = 2t √(d t / (R − resnorm + 2α²t))
 * with R = Σ(prediction − loss/scale)², α = (π + (2/π) log(2m + 1))/(2 scale (m + 1))·(b − a)L.
 *
 * Deviations: the minimum-norm and box-constrained fits use the normal equations (pseudo-inverse with
 * eigenvalues below 1e-12·λ_max dropped; an active-set method instead of MATLAB's lsqlin), and η keeps its
 * previous value if R − resnorm + 2α²t is not positive (the reference would produce a complex η).
 *
 * @see Khodak, Chow, Balcan, Talwalkar, Learning to Relax (ICLR 2024), arXiv:2310.02246
 * @see Foster & Rakhlin, Beyond UCB: optimal and efficient contextual bandits with regression oracles (ICML 2020)
 */
export function chebCb(options: ChebCbOptions): OmegaLearner & { readonly state: ChebCbState } {
  const parsed = parseOptions('linsolve/chebcb', chebCbOptions, options);
  const arms = parsed.arms;
  const m = parsed.degree;
  const [a, b] = parsed.contextRange;
  if (!(b > a)) {
    throw new InvalidArgumentError({
      argument: 'contextRange',
      value: [a, b],
      message: `linsolve/chebcb: need contextRange [a, b] with b > a; got [${a}, ${b}].`,
    });
  }
  const d = arms.length;
  assertAllocation('linsolve/chebcb', `Chebyshev regressions of degree ${m} for ${d} arms`, d * m * m);
  const bma = b - a;
  const state: ChebCbState = {
    round: 0,
    eta: 0,
    scale: 0,
    theta: new Float64Array(d * m),
    probabilities: new Float64Array(d).fill(1 / d),
    predictions: new Float64Array(d),
    resnorm: 0,
  };
  // per-arm sufficient statistics of the regression: Σ φφᵀ, Σ φ (loss − 1), Σ (loss − 1)², count
  const gram = new Float64Array(d * m * m);
  const moment = new Float64Array(d * m);
  const square = new Float64Array(d);
  const counts = new Int32Array(d);
  // running sums for R = Σ (prediction_t − loss_t/scale)²
  let sumPred2 = 0;
  let sumPredLoss = 0;
  let sumLoss2 = 0;
  let maxLoss = Number.NEGATIVE_INFINITY;
  let minLoss = Number.POSITIVE_INFINITY;
  const phi = new Float64Array(m);
  const ub = new Float64Array(m);
  const lb = new Float64Array(m);
  const target = new Float64Array(m);
  const featuresAt = (context: number | undefined) =>
    chebyshevFeatures((2 / bma) * ((context ?? (a + b) / 2) - a) - 1, phi);
  const predict = (arm: number) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += state.theta[arm * m + j] * phi[j];
    return s;
  };
  return {
    arms,
    state,
    select(rng: Rng, context?: number) {
      featuresAt(context);
      let best = 0;
      for (let i = 0; i < d; i++) {
        state.predictions[i] = predict(i);
        if (state.predictions[i] < state.predictions[best]) best = i;
      }
      let rest = 0;
      for (let i = 0; i < d; i++) {
        if (i === best) continue;
        state.probabilities[i] = 1 / (d + state.eta * (state.predictions[i] - state.predictions[best]));
        rest += state.probabilities[i];
      }
      state.probabilities[best] = 1 - rest;
      return rng.categorical(state.probabilities);
    },
    update(arm: number, loss: number, context?: number) {
      featuresAt(context);
      const prediction = predict(arm);
      state.round++;
      const t = state.round;
      maxLoss = Math.max(maxLoss, loss);
      minLoss = Math.min(minLoss, loss);
      const K = maxLoss;
      const L = (maxLoss - minLoss) / bma;
      const N = 2 + ((4 * bma * L) / K) * (1 + Math.log(m));
      const changed = state.scale !== K * N;
      state.scale = K * N;
      ub[0] = 1 / N;
      for (let j = 1; j < m; j++) ub[j] = (2 * bma * L) / state.scale / j;
      for (let j = 0; j < m; j++) lb[j] = -ub[j];
      const y = loss - 1;
      for (let p = 0; p < m; p++) {
        moment[arm * m + p] += phi[p] * y;
        for (let q = 0; q < m; q++) gram[arm * m * m + p * m + q] += phi[p] * phi[q];
      }
      square[arm] += y * y;
      counts[arm]++;
      sumPred2 += prediction * prediction;
      sumPredLoss += prediction * loss;
      sumLoss2 += loss * loss;
      let resnorm = 0;
      const all: number[] = [];
      for (let j = 0; j < m; j++) all.push(j);
      for (let i = 0; i < d; i++) {
        if (!(changed || i === arm) || counts[i] === 0) continue;
        const G = gram.subarray(i * m * m, (i + 1) * m * m);
        for (let j = 0; j < m; j++) target[j] = moment[i * m + j] / state.scale;
        const theta = state.theta.subarray(i * m, (i + 1) * m);
        pinvSolve(G, m, target, all, theta);
        let outside = false;
        for (let j = 0; j < m; j++) if (Math.abs(theta[j]) > ub[j]) outside = true;
        if (outside) {
          boxLeastSquares(G, target, m, lb, ub, theta);
          // ‖F θ − y/scale‖² = θᵀGθ − 2θᵀc + Σy²/scale²
          let r = square[i] / state.scale ** 2;
          for (let p = 0; p < m; p++) {
            r -= 2 * theta[p] * target[p];
            for (let q = 0; q < m; q++) r += theta[p] * G[p * m + q] * theta[q];
          }
          resnorm = Math.max(r, 0);
        }
      }
      state.resnorm = resnorm;
      const alpha = ((Math.PI + (2 / Math.PI) * Math.log(2 * m + 1)) / (2 * state.scale * (m + 1))) * bma * L;
      const R = sumPred2 - (2 * sumPredLoss) / state.scale + sumLoss2 / (state.scale * state.scale);
      const denominator = R - resnorm + 2 * alpha * alpha * t;
      if (denominator > 0 && Number.isFinite(denominator))
        state.eta = 2 * t * Math.sqrt((d * t) / denominator);
    },
  };
}
