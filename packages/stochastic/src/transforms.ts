import {
  type Batch,
  type GradientTransformation,
  InvalidArgumentError,
  invalidArgument,
  MissingCapabilityError,
  type Rng,
  type TransformContext,
  type Vec,
} from '@argmin/core';

/**
 * optax-style gradient transformations. Each declares a named state of plain numbers and
 * Float64Arrays (JSON round trip with stateToJson/stateFromJson) and overwrites the `updates` buffer it
 * receives (no allocation per step). Compose them with core's `chain`, finish with
 * `scaleByLearningRate`, and run them with `transformOptimizer` (or drive them yourself:
 * `const { updates, state } = tx.update(grads, state, params)`, then `applyUpdates(params, updates)`;
 * the context argument is optional for every transformation except AdaHessian's, which needs an Rng
 * and an oracle with Hessian-vector products).
 *
 * A transformation never commits a non-finite value into its state: when the incoming updates are not
 * finite it returns them unchanged (non-finite) with the state it was given, so a run that diverges
 * keeps its last finite moments, traces and windows.
 */

/**
 * A gradient transformation whose context is optional: `tx.update(grads, state, params)` works as in
 * optax (AdaHessian, which needs an Rng and an oracle, says so when the context is missing). It is a
 * core `GradientTransformation`, so it composes with `chain` and runs with `transformOptimizer`.
 */
export type Transformation<S> = GradientTransformation<S> & {
  update(
    updates: Vec,
    state: S,
    params: Vec,
    context?: TransformContext,
  ): { readonly updates: Vec; readonly state: S };
};

/** True when every entry of v is finite and so is its square (no overflow in second moments). */
export function finiteWithSquares(v: Vec): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] * v[i])) return false;
  return true;
}

/**
 * optax.apply_updates: params + updates into `out` (a new array by default). Updates from a chain
 * ending in `scaleByLearningRate` already carry the minus sign.
 */
export function applyUpdates(params: Vec, updates: Vec, out: Vec = new Float64Array(params.length)): Vec {
  if (updates?.length !== params?.length || out.length !== params.length)
    invalidArgument(
      'stochastic/applyUpdates',
      'updates',
      updates?.length,
      `\`params\`, \`updates\` and \`out\` must have the same length (${params?.length})`,
    );
  for (let i = 0; i < params.length; i++) out[i] = params[i] + updates[i];
  return out;
}

function checkRate(
  where: string,
  name: string,
  value: number,
  { min = 0, max = Number.POSITIVE_INFINITY, openMin = false, openMax = false } = {},
): void {
  const ok =
    Number.isFinite(value) &&
    (openMin ? value > min : value >= min) &&
    (openMax ? value < max : value <= max);
  if (!ok)
    invalidArgument(
      where,
      name,
      value,
      `\`${name}\` must be in ${openMin ? '(' : '['}${min}, ${max}${openMax ? ')' : ']'}`,
    );
}

export interface TraceState {
  readonly trace: Float64Array;
}

/**
 * Momentum (optax.trace; PyTorch SGD with dampening 0): t ← g + decay·t; update = t, or
 * g + decay·t with `nesterov`.
 */
export function trace({
  decay,
  nesterov = false,
}: {
  decay: number;
  nesterov?: boolean;
}): Transformation<TraceState> {
  checkRate('stochastic/trace', 'decay', decay, { max: 1, openMax: true });
  return {
    init: (params) => ({ trace: new Float64Array(params.length) }),
    update(updates, state) {
      if (!finiteWithSquares(updates)) return { updates, state };
      const t = state.trace;
      for (let i = 0; i < updates.length; i++) {
        const next = updates[i] + decay * t[i];
        t[i] = next;
        updates[i] = nesterov ? updates[i] + decay * next : next;
      }
      return { updates, state };
    },
  };
}

export interface AdamState {
  readonly count: number;
  readonly mu: Float64Array;
  readonly nu: Float64Array;
}

/**
 * optax.scale_by_adam (Kingma & Ba, 2015): μ ← β₁μ + (1−β₁)g, ν ← β₂ν + (1−β₂)g², k ← k + 1,
 * update = μ̂ / (√(ν̂ + ε_root) + ε) with μ̂ = μ/(1−β₁^k), ν̂ = ν/(1−β₂^k).
 */
export function scaleByAdam({
  beta1: b1 = 0.9,
  beta2: b2 = 0.999,
  epsilon: eps = 1e-8,
  epsilonRoot: epsRoot = 0,
}: {
  /** β₁, decay of the first moment (optax b1). */
  beta1?: number;
  /** β₂, decay of the second moment (optax b2). */
  beta2?: number;
  /** ε added to √ν̂ (optax eps). */
  epsilon?: number;
  /** ε inside the square root (optax eps_root). */
  epsilonRoot?: number;
} = {}): Transformation<AdamState> {
  checkRate('stochastic/scaleByAdam', 'beta1', b1, { max: 1, openMax: true });
  checkRate('stochastic/scaleByAdam', 'beta2', b2, { max: 1, openMax: true });
  checkRate('stochastic/scaleByAdam', 'epsilon', eps);
  return {
    init: (params) => ({
      count: 0,
      mu: new Float64Array(params.length),
      nu: new Float64Array(params.length),
    }),
    update(updates, state) {
      if (!finiteWithSquares(updates)) return { updates, state };
      const { mu, nu } = state;
      const count = state.count + 1;
      const c1 = 1 - b1 ** count;
      const c2 = 1 - b2 ** count;
      for (let i = 0; i < updates.length; i++) {
        const g = updates[i];
        mu[i] = b1 * mu[i] + (1 - b1) * g;
        nu[i] = b2 * nu[i] + (1 - b2) * g * g;
        updates[i] = mu[i] / c1 / (Math.sqrt(nu[i] / c2 + epsRoot) + eps);
      }
      return { updates, state: { count, mu, nu } };
    },
  };
}

/** updates ← updates + weightDecay·params (optax.add_decayed_weights; decoupled when placed after a preconditioner). */
export function addDecayedWeights(weightDecay: number): Transformation<null> {
  checkRate('stochastic/addDecayedWeights', 'weightDecay', weightDecay);
  return {
    init: () => null,
    update(updates, state, params) {
      if (weightDecay !== 0) for (let i = 0; i < updates.length; i++) updates[i] += weightDecay * params[i];
      return { updates, state };
    },
  };
}

/** Rescales updates to global norm <= maxNorm (optax.clip_by_global_norm). */
export function clipByGlobalNorm(maxNorm: number): Transformation<null> {
  checkRate('stochastic/clipByGlobalNorm', 'maxNorm', maxNorm, { openMin: true });
  return {
    init: () => null,
    update(updates, state) {
      let s = 0;
      for (let i = 0; i < updates.length; i++) s += updates[i] * updates[i];
      const norm = Math.sqrt(s);
      if (norm > maxNorm) {
        const factor = maxNorm / norm;
        for (let i = 0; i < updates.length; i++) updates[i] *= factor;
      }
      return { updates, state };
    },
  };
}

/** Clamps every update to [−maxDelta, maxDelta] (optax.clip). */
export function clip(maxDelta: number): Transformation<null> {
  checkRate('stochastic/clip', 'maxDelta', maxDelta, { openMin: true });
  return {
    init: () => null,
    update(updates, state) {
      for (let i = 0; i < updates.length; i++)
        updates[i] = Math.min(maxDelta, Math.max(-maxDelta, updates[i]));
      return { updates, state };
    },
  };
}

export interface AdahessianState {
  readonly count: number;
  readonly mu: Float64Array;
  readonly nu: Float64Array;
  readonly probe: Float64Array;
  readonly hessianProbe: Float64Array;
}

/**
 * The AdaHessian preconditioner (Yao et al., AAAI 2021; reference optim_adahessian.py): one Rademacher
 * probe z per step, Hz by one Hessian-vector product at the current parameters on the same minibatch
 * as the gradient (the reference differentiates the minibatch loss's gradient again: `batchHvp` with
 * the context's batch; the full `hvp` with `hessian: 'full'` or when the gradient was a full one),
 * D = |z ⊙ Hz| = |Hz| averaged over consecutive blocks of `blockSize` (spatial averaging; −1 = none),
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)D², update = (m/bc₁) / ((√v)^k/(√bc₂)^k + ε).
 */
export function scaleByAdahessian({
  beta1: b1 = 0.9,
  beta2: b2 = 0.999,
  epsilon: eps = 1e-4,
  hessianPower = 1,
  blockSize = -1,
  shapes,
  hessian = 'batch',
}: {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  hessianPower?: number;
  blockSize?: number;
  /**
   * Shapes of the tensors whose row-major concatenation is the parameter vector. Spatial averaging then
   * follows the reference ("instruction" version): 1-D blocks of `blockSize` (−1: none); 2-D [out, in]
   * the mean over each row at −1, else blocks of `blockSize`; 3-D [out, in, k] the mean over k; 4-D
   * [out, in, kh, kw] the mean over kh·kw. Without shapes the vector is one 1-D tensor.
   */
  shapes?: readonly (readonly number[])[];
  /**
   * Where Hz is evaluated: 'batch' (default, as the paper and its code) on the gradient's minibatch
   * when the context carries it (`batchHvp(context.batch, x, z)`; a context without a batch means the
   * gradient was a full one, and the full `hvp` is used), 'full' always on the full objective (`hvp`).
   * Only `batchTransformOptimizer` with `gradient: 'batch'` (what `adahessian()` builds) hands the batch
   * over; core's `transformOptimizer` with `sampleGrad` does not, so there Hz is on the full objective.
   */
  hessian?: 'batch' | 'full';
} = {}): Transformation<AdahessianState> {
  checkRate('stochastic/scaleByAdahessian', 'beta1', b1, { max: 1, openMax: true });
  checkRate('stochastic/scaleByAdahessian', 'beta2', b2, { max: 1, openMax: true });
  checkRate('stochastic/scaleByAdahessian', 'hessianPower', hessianPower, { max: 1 });
  checkRate('stochastic/scaleByAdahessian', 'epsilon', eps);
  if (hessian !== 'batch' && hessian !== 'full')
    invalidArgument(
      'stochastic/scaleByAdahessian',
      'hessian',
      hessian,
      "`hessian` must be 'batch' or 'full'",
    );
  if (blockSize !== -1 && !(Number.isInteger(blockSize) && blockSize >= 1))
    invalidArgument(
      'stochastic/scaleByAdahessian',
      'blockSize',
      blockSize,
      '`blockSize` must be -1 (no averaging) or a positive integer',
    );
  // Group sizes per tensor: consecutive entries averaged together.
  const groups = (shapes ?? []).map((shape) => {
    if (shape.length < 1 || shape.length > 4 || !shape.every((n) => Number.isInteger(n) && n >= 1))
      invalidArgument(
        'stochastic/scaleByAdahessian',
        'shapes',
        JSON.stringify(shape),
        'each shape must list 1 to 4 positive integer sizes',
      );
    const size = shape.reduce((a, b) => a * b, 1);
    const group =
      shape.length === 1
        ? Math.max(1, blockSize)
        : shape.length === 2
          ? blockSize === -1
            ? shape[1]
            : blockSize
          : shape.length === 3
            ? shape[2]
            : shape[2] * shape[3];
    return { size, group };
  });
  return {
    init: (params) => {
      if (shapes) {
        const total = groups.reduce((s, g) => s + g.size, 0);
        if (total !== params.length)
          invalidArgument(
            'stochastic/scaleByAdahessian',
            'shapes',
            total,
            `the shapes must cover the ${params.length} parameters exactly`,
          );
      }
      return {
        count: 0,
        mu: new Float64Array(params.length),
        nu: new Float64Array(params.length),
        probe: new Float64Array(params.length),
        hessianProbe: new Float64Array(params.length),
      };
    },
    update(updates, state, params, context?: TransformContext & { readonly batch?: Batch }) {
      if (!finiteWithSquares(updates)) return { updates, state };
      const rng = context?.rng as Rng | undefined;
      const oracle = context?.oracle as
        | {
            hvp?: (x: Vec, v: Vec, out: Vec) => Vec;
            batchHvp?: (batch: Batch, x: Vec, v: Vec, out: Vec) => Vec;
          }
        | undefined;
      if (!rng || !oracle)
        throw new InvalidArgumentError({
          argument: 'context',
          value: context === undefined ? 'undefined' : 'without rng or oracle',
          message:
            'stochastic/scaleByAdahessian: the update needs its context { rng, oracle } (an Rng for the Rademacher probes and an oracle with `hvp` or `batchHvp`): call tx.update(grads, state, params, { rng, oracle, iteration }), or run it with solve().',
        });
      const batch = hessian === 'batch' ? context?.batch : undefined;
      if (batch ? typeof oracle.batchHvp !== 'function' : typeof oracle.hvp !== 'function') {
        throw new MissingCapabilityError({
          id: 'stochastic/adahessian',
          missing: [batch ? 'batchHvp' : 'hvp'],
        });
      }
      const { mu, nu, probe, hessianProbe } = state;
      const n = updates.length;
      rng.fillRademacher(probe);
      if (batch) oracle.batchHvp?.(batch, params, probe, hessianProbe);
      else oracle.hvp?.(params, probe, hessianProbe);
      // D = |z ⊙ Hz| (= |Hz|), block-averaged.
      for (let i = 0; i < n; i++) hessianProbe[i] = Math.abs(probe[i] * hessianProbe[i]);
      const average = (from: number, to: number, group: number) => {
        if (group <= 1) return;
        for (let start = from; start < to; start += group) {
          const end = Math.min(to, start + group);
          let s = 0;
          for (let i = start; i < end; i++) s += hessianProbe[i];
          const mean = s / (end - start);
          for (let i = start; i < end; i++) hessianProbe[i] = mean;
        }
      };
      if (shapes) {
        let offset = 0;
        for (const { size, group } of groups) {
          average(offset, offset + size, group);
          offset += size;
        }
      } else average(0, n, blockSize);
      // Commit nothing when the Hessian probe is not finite (the moments keep their last finite values).
      if (!finiteWithSquares(hessianProbe)) {
        updates.fill(Number.NaN);
        return { updates, state };
      }
      const count = state.count + 1;
      const bc1 = 1 - b1 ** count;
      const bc2 = 1 - b2 ** count;
      for (let i = 0; i < n; i++) {
        mu[i] = b1 * mu[i] + (1 - b1) * updates[i];
        nu[i] = b2 * nu[i] + (1 - b2) * hessianProbe[i] * hessianProbe[i];
        const denominator = Math.sqrt(nu[i]) ** hessianPower / Math.sqrt(bc2) ** hessianPower + eps;
        updates[i] = mu[i] / bc1 / denominator;
      }
      return { updates, state: { ...state, count } };
    },
  };
}
