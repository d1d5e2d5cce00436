import {
  assertAllocation,
  invalidArgument,
  type Operator,
  operatorFromFunction,
  type Vec,
} from '@argmin/core';
import type { Transformation } from './transforms';

/**
 * State of the M-FAC inverse-Fisher approximation F̂ = λI + (1/m) Σ_{i<m} g_i g_iᵀ over a sliding
 * window of m gradients (ring buffer; empty rows are zeros and the divisor stays m, as in the
 * reference optim.py).
 */
export interface MfacState {
  readonly dimension: number;
  readonly window: number;
  readonly damping: number;
  /** Ring buffer G, m x d row-major. */
  readonly gradients: Float64Array;
  /** Gram matrix K = GGᵀ, m x m. */
  readonly gram: Float64Array;
  /** Lower Cholesky factor of A = mI + K/λ (m x m). */
  readonly factor: Float64Array;
  /** Next ring slot. */
  readonly last: number;
  /** Scratch (m) for Gx and the triangular solves. */
  readonly scratch: Float64Array;
}

function factorize(state: MfacState): void {
  const { window: m, damping, gram, factor } = state;
  const l = 1 / damping;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = l * gram[i * m + j] + (i === j ? m : 0);
      for (let k = 0; k < j; k++) s -= factor[i * m + k] * factor[j * m + k];
      factor[i * m + j] = i === j ? Math.sqrt(s) : s / factor[j * m + j];
    }
    for (let j = i + 1; j < m; j++) factor[i * m + j] = 0;
  }
}

/** A new, empty M-FAC state for dimension d, window m and damping λ (F̂ = λI initially). */
export function mfacState(
  dimension: number,
  { window = 32, damping = 1e-5 }: { window?: number; damping?: number } = {},
): MfacState {
  if (!Number.isInteger(window) || window < 1)
    invalidArgument('stochastic/m-fac', 'window', window, 'the gradient window m must be an integer >= 1');
  if (!(damping > 0 && Number.isFinite(damping)))
    invalidArgument('stochastic/m-fac', 'damping', damping, 'the damping λ must be a finite number > 0');
  if (!Number.isInteger(dimension) || dimension < 1)
    invalidArgument('stochastic/m-fac', 'dimension', dimension, 'the dimension must be a positive integer');
  // G (m·d), K and its factor (2m²) and the scratch (m), before allocating anything.
  assertAllocation(
    'stochastic/m-fac',
    `an M-FAC state with window ${window} and dimension ${dimension}`,
    window * dimension + 2 * window * window + window,
  );
  const state: MfacState = {
    dimension,
    window,
    damping,
    gradients: new Float64Array(window * dimension),
    gram: new Float64Array(window * window),
    factor: new Float64Array(window * window),
    last: 0,
    scratch: new Float64Array(window),
  };
  factorize(state);
  return state;
}

/**
 * The static algorithm: F̂ from a fixed set of m gradients (rows of an m x d matrix) with one O(dm²)
 * Gram computation and one O(m³) factorization; then products cost O(dm) + O(m²) each and the
 * diagonal O(dm²) (for OBS pruning).
 */
export function mfacFromGradients(
  gradients: { rows: number; cols: number; data: Float64Array },
  { damping = 1e-5 }: { damping?: number } = {},
): MfacState {
  const state = mfacState(gradients.cols, { window: gradients.rows, damping });
  const { window: m, dimension: d } = state;
  if (!(gradients.data?.length >= m * d))
    invalidArgument(
      'stochastic/m-fac',
      'gradients',
      gradients.data?.length,
      `need rows·cols = ${m * d} entries`,
    );
  for (let k = 0; k < m * d; k++)
    if (!Number.isFinite(gradients.data[k]))
      invalidArgument(
        'stochastic/m-fac',
        'gradients',
        gradients.data[k],
        `the gradients must be finite (entry ${k})`,
      );
  state.gradients.set(gradients.data.subarray(0, m * d));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += state.gradients[i * d + q] * state.gradients[j * d + q];
      state.gram[i * m + j] = s;
      state.gram[j * m + i] = s;
    }
  }
  factorize(state);
  return state;
}

/**
 * Replaces the oldest gradient by g (O(dm) for the Gram row, O(m³) to refactor) and returns the new
 * state (buffers reused). The reference code's dynamic algorithm has the same costs.
 */
export function mfacUpdate(state: MfacState, g: Vec): MfacState {
  const { dimension: d, window: m, gradients, gram } = state;
  if (g?.length !== d)
    invalidArgument('stochastic/m-fac', 'gradient', g?.length, `the gradient must have length ${d}`);
  // A non-finite gradient (or one whose squares overflow) would poison the window and its factor.
  let squares = 0;
  for (let j = 0; j < d; j++) squares += g[j] * g[j];
  if (!Number.isFinite(squares)) {
    let j = 0;
    while (j < d && Number.isFinite(g[j])) j++;
    invalidArgument(
      'stochastic/m-fac',
      'gradient',
      j < d ? g[j] : 'overflowing',
      j < d
        ? `the gradient must be finite (entry ${j}); the window is unchanged`
        : 'the gradient is too large (its squared norm overflows); the window is unchanged',
    );
  }
  const slot = state.last;
  gradients.set(g, slot * d);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += gradients[o + j] * g[j];
    gram[i * m + slot] = s;
    gram[slot * m + i] = s;
  }
  const next = { ...state, last: (slot + 1) % m };
  factorize(next);
  return next;
}

/**
 * out = F̂⁻¹ x by the Woodbury identity F̂⁻¹ = ℓI − ℓ²Gᵀ(mI + ℓGGᵀ)⁻¹G/… with ℓ = 1/λ:
 * F̂⁻¹x = ℓx − ℓ² Gᵀ A⁻¹ (G x), A = mI + ℓK. O(dm + m²) per product.
 */
export function mfacApply(state: MfacState, x: Vec, out: Vec): Vec {
  const { dimension: d, window: m, gradients, scratch } = state;
  if (x.length !== d || out.length !== d)
    invalidArgument('stochastic/m-fac', 'x', x.length, `the vector and \`out\` must have length ${d}`);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += gradients[o + j] * x[j];
    scratch[i] = s;
  }
  return combine(state, x, out);
}

/** out = ℓx − ℓ²Gᵀ A⁻¹ q for q = Gx already in `state.scratch` (overwritten). O(dm + m²). */
function combine(state: MfacState, x: Vec, out: Vec): Vec {
  const { dimension: d, window: m, damping, gradients, factor, scratch } = state;
  const l = 1 / damping;
  // Solve A y = Gx with A = L Lᵀ.
  for (let i = 0; i < m; i++) {
    let s = scratch[i];
    for (let k = 0; k < i; k++) s -= factor[i * m + k] * scratch[k];
    scratch[i] = s / factor[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = scratch[i];
    for (let k = i + 1; k < m; k++) s -= factor[k * m + i] * scratch[k];
    scratch[i] = s / factor[i * m + i];
  }
  for (let j = 0; j < d; j++) out[j] = l * x[j];
  for (let i = 0; i < m; i++) {
    const c = l * l * scratch[i];
    if (c === 0) continue;
    const o = i * d;
    for (let j = 0; j < d; j++) out[j] -= c * gradients[o + j];
  }
  return out;
}

/**
 * The reference's update-and-multiply (optim.py `HInvFastUpMulti.update_mul`): g replaces the oldest
 * gradient and out = F̂⁻¹g for the new window, reusing Gg from the Gram update (one pass over G fewer
 * than mfacUpdate followed by mfacApply).
 */
export function mfacUpdateAndApply(state: MfacState, g: Vec, out: Vec): MfacState {
  const slot = state.last;
  const next = mfacUpdate(state, g);
  const { window: m, gram, scratch } = next;
  for (let i = 0; i < m; i++) scratch[i] = gram[i * m + slot];
  combine(next, g, out);
  return next;
}

/** diag(F̂⁻¹) (for OBS pruning saliencies): ℓ − ℓ² Σ_i (L⁻¹G)_{iq}². O(dm²). */
export function mfacDiagonal(state: MfacState): Float64Array {
  const { dimension: d, window: m, damping, gradients, factor } = state;
  const l = 1 / damping;
  const solved = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < d; j++) {
      let s = gradients[i * d + j];
      for (let k = 0; k < i; k++) s -= factor[i * m + k] * solved[k * d + j];
      solved[i * d + j] = s / factor[i * m + i];
    }
  }
  const out = new Float64Array(d).fill(l);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) out[j] -= l * l * solved[i * d + j] ** 2;
  return out;
}

/** The approximation as a symmetric positive-definite Operator x ↦ F̂⁻¹x (snapshot of the state). */
export function mfacOperator(state: MfacState): Operator {
  const apply = (x: Vec, out: Vec) => mfacApply(state, x, out);
  return operatorFromFunction({
    rows: state.dimension,
    cols: state.dimension,
    apply,
    applyAdjoint: apply,
    traits: { symmetric: true, positiveDefinite: true },
  });
}

export interface ScaleByMfacState {
  readonly inverse: MfacState;
  readonly momentum: Float64Array;
  readonly product: Float64Array;
}

/**
 * The M-FAC optimizer's preconditioner (Frantar, Kurtic, Alistarh, NeurIPS 2021; reference optim.py
 * MFAC): the incoming gradient g (add weight decay before it: coupled L2) enters the window, then
 * u = F̂⁻¹g; with momentum μ > 0, v ← μv + (1 − μ)u and u = v.
 */
export function scaleByMfac({
  window = 32,
  damping = 1e-5,
  momentum = 0,
}: {
  window?: number;
  damping?: number;
  momentum?: number;
} = {}): Transformation<ScaleByMfacState> {
  if (!(momentum >= 0 && momentum < 1))
    invalidArgument('stochastic/m-fac', 'momentum', momentum, '`momentum` must be in [0, 1)');
  return {
    init: (params) => ({
      inverse: mfacState(params.length, { window, damping }),
      momentum: new Float64Array(params.length),
      product: new Float64Array(params.length),
    }),
    update(updates, state) {
      // A non-finite gradient enters nothing: the window, factor and momentum keep their last finite values.
      let squares = 0;
      for (let i = 0; i < updates.length; i++) squares += updates[i] * updates[i];
      if (!Number.isFinite(squares)) return { updates, state };
      const inverse = mfacUpdateAndApply(state.inverse, updates, state.product);
      const v = state.momentum;
      for (let i = 0; i < updates.length; i++) {
        if (momentum > 0) {
          v[i] = momentum * v[i] + (1 - momentum) * state.product[i];
          updates[i] = v[i];
        } else updates[i] = state.product[i];
      }
      return { updates, state: { ...state, inverse } };
    },
  };
}

/**
 * The static M-FAC algorithm (reference prun.py `HInvFastBatch`) for a fixed set of m gradients:
 * with ℓ = 1/λ, u_i = ℓg_i − Σ_{j<i} ((u_j·g_i)/den_j) u_j and den_i = m + g_i·u_i, so that
 * F̂⁻¹ = ℓI − Σ_i u_iu_iᵀ/den_i for F̂ = λI + GᵀG/m (Woodbury, one gradient at a time). O(dm²)
 * precompute, O(dm) storage, O(dm) per inverse-Hessian-vector product and for the whole diagonal.
 * With `blockSize` B < d the recursion runs independently on consecutive coordinate blocks of size B
 * (the reference's blocked variant, for pruning): F̂ is then block-diagonal.
 */
export interface MfacStaticState {
  readonly dimension: number;
  readonly window: number;
  readonly damping: number;
  readonly blockSize: number;
  /** u_i, m x d row-major (block b of row i holds the block-b recursion). */
  readonly directions: Float64Array;
  /** den_i per block: denominators[b·m + i]. */
  readonly denominators: Float64Array;
}

export function mfacStatic(
  gradients: { rows: number; cols: number; data: Float64Array },
  { damping = 1e-5, blockSize }: { damping?: number; blockSize?: number } = {},
): MfacStaticState {
  const { rows: m, cols: d, data } = gradients;
  if (!Number.isInteger(m) || m < 1)
    invalidArgument('stochastic/m-fac', 'gradients.rows', m, 'need at least one gradient (m >= 1)');
  if (!Number.isInteger(d) || d < 1 || data.length < m * d)
    invalidArgument('stochastic/m-fac', 'gradients', data.length, `need m·d = ${m * d} entries`);
  if (!(damping > 0 && Number.isFinite(damping)))
    invalidArgument('stochastic/m-fac', 'damping', damping, 'the damping λ must be a finite number > 0');
  const block = blockSize ?? d;
  if (!Number.isInteger(block) || block < 1)
    invalidArgument('stochastic/m-fac', 'blockSize', block, '`blockSize` must be a positive integer');
  assertAllocation(
    'stochastic/m-fac',
    `a static M-FAC state of ${m} x ${d}`,
    m * d + Math.ceil(d / block) * m + m,
  );
  for (let k = 0; k < m * d; k++)
    if (!Number.isFinite(data[k]))
      invalidArgument('stochastic/m-fac', 'gradients', data[k], `the gradients must be finite (entry ${k})`);
  const l = 1 / damping;
  const blocks = Math.ceil(d / block);
  const u = new Float64Array(m * d);
  const den = new Float64Array(blocks * m);
  const coefficients = new Float64Array(m);
  for (let b = 0; b < blocks; b++) {
    const start = b * block;
    const end = Math.min(d, start + block);
    for (let i = 0; i < m; i++) {
      const gi = i * d;
      for (let j = 0; j < i; j++) {
        let s = 0;
        const uj = j * d;
        for (let q = start; q < end; q++) s += u[uj + q] * data[gi + q];
        coefficients[j] = s / den[b * m + j];
      }
      for (let q = start; q < end; q++) u[gi + q] = l * data[gi + q];
      for (let j = 0; j < i; j++) {
        const c = coefficients[j];
        const uj = j * d;
        for (let q = start; q < end; q++) u[gi + q] -= c * u[uj + q];
      }
      let s = 0;
      for (let q = start; q < end; q++) s += data[gi + q] * u[gi + q];
      den[b * m + i] = m + s;
    }
  }
  return { dimension: d, window: m, damping, blockSize: block, directions: u, denominators: den };
}

/** out = F̂⁻¹x = ℓx − Σ_i ((u_i·x)/den_i) u_i (per block). O(dm). */
export function mfacStaticApply(state: MfacStaticState, x: Vec, out: Vec): Vec {
  const { dimension: d, window: m, damping, blockSize, directions: u, denominators: den } = state;
  if (x.length !== d || out.length !== d)
    invalidArgument('stochastic/m-fac', 'x', x.length, `the vector and \`out\` must have length ${d}`);
  const l = 1 / damping;
  for (let q = 0; q < d; q++) out[q] = l * x[q];
  for (let b = 0, start = 0; start < d; b++, start += blockSize) {
    const end = Math.min(d, start + blockSize);
    for (let i = 0; i < m; i++) {
      const ui = i * d;
      let s = 0;
      for (let q = start; q < end; q++) s += u[ui + q] * x[q];
      const c = s / den[b * m + i];
      for (let q = start; q < end; q++) out[q] -= c * u[ui + q];
    }
  }
  return out;
}

/** diag(F̂⁻¹)_q = ℓ − Σ_i u_{i,q}²/den_i (the OBS pruning denominators). O(dm). */
export function mfacStaticDiagonal(state: MfacStaticState): Float64Array {
  const { dimension: d, window: m, damping, blockSize, directions: u, denominators: den } = state;
  const out = new Float64Array(d).fill(1 / damping);
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < d; q++)
      out[q] -= (u[i * d + q] * u[i * d + q]) / den[Math.floor(q / blockSize) * m + i];
  }
  return out;
}

/** The static approximation as a symmetric positive-definite Operator x ↦ F̂⁻¹x. */
export function mfacStaticOperator(state: MfacStaticState): Operator {
  const apply = (x: Vec, out: Vec) => mfacStaticApply(state, x, out);
  return operatorFromFunction({
    rows: state.dimension,
    cols: state.dimension,
    apply,
    applyAdjoint: apply,
    traits: { symmetric: true, positiveDefinite: true },
  });
}
