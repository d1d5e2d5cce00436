import { InvalidArgumentError, invalidArgument } from '@argmin/core';

/** A learning-rate schedule: the rate at step t = 0, 1, ... (optax's schedules are the same values). */
export type Schedule = (step: number) => number;

function positive(where: string, name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || (allowZero ? value < 0 : value <= 0))
    invalidArgument(where, name, value, `\`${name}\` must be a finite number ${allowZero ? '>= 0' : '> 0'}`);
}

/** η_t = value. */
export function constantSchedule(value: number): Schedule {
  positive('stochastic/constantSchedule', 'value', value);
  return () => value;
}

/** η_t = init + (end − init)·min(t, T)/T (optax.linear_schedule); with end = 0 the linear decay of Defazio et al. */
export function linearSchedule(init: number, end: number, transitionSteps: number): Schedule {
  positive('stochastic/linearSchedule', 'transitionSteps', transitionSteps);
  return (t) => init + ((end - init) * Math.min(t, transitionSteps)) / transitionSteps;
}

/** η_t = init·(α + (1 − α)·½(1 + cos(π min(t, T)/T))) (optax.cosine_decay_schedule). */
export function cosineDecaySchedule(init: number, decaySteps: number, alpha = 0): Schedule {
  positive('stochastic/cosineDecaySchedule', 'decaySteps', decaySteps);
  return (t) =>
    init * (alpha + (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps)));
}

/** Linear warm-up from `init` to `peak` over `warmupSteps`, then cosine decay to `end` at `decaySteps` (optax.warmup_cosine_decay_schedule). */
export function warmupCosineDecaySchedule(
  init: number,
  peak: number,
  warmupSteps: number,
  decaySteps: number,
  end = 0,
): Schedule {
  if (!(decaySteps > warmupSteps))
    invalidArgument(
      'stochastic/warmupCosineDecaySchedule',
      'decaySteps',
      decaySteps,
      '`decaySteps` must exceed `warmupSteps`',
    );
  return (t) => {
    if (t < warmupSteps) return init + ((peak - init) * t) / warmupSteps;
    const progress = Math.min(t - warmupSteps, decaySteps - warmupSteps) / (decaySteps - warmupSteps);
    return end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

/** η_t = init·Π_{b <= t} scale_b over boundaries (optax.piecewise_constant_schedule; step decay). */
export function piecewiseConstantSchedule(
  init: number,
  boundariesAndScales: Readonly<Record<number, number>>,
): Schedule {
  const entries = Object.entries(boundariesAndScales)
    .map(([b, s]) => [Number(b), s] as const)
    .sort((x, y) => x[0] - y[0]);
  return (t) => entries.reduce((rate, [boundary, scale]) => (t >= boundary ? rate * scale : rate), init);
}

/** η_t = init / √(t + 1). */
export function inverseSqrtSchedule(init: number): Schedule {
  positive('stochastic/inverseSqrtSchedule', 'init', init);
  return (t) => init / Math.sqrt(t + 1);
}

/** Median filter with the reference code's padding: append 2w reflected samples at the end, mode 'nearest' at the start. */
function medianFilter(values: Float64Array, width: number): Float64Array {
  const n = values.length;
  const padded = new Float64Array(n + 2 * width);
  padded.set(values);
  // 'reflect' mode (scipy's np.pad mode='reflect' excludes the edge sample).
  for (let k = 0; k < 2 * width; k++) {
    const index = n - 2 - (k % Math.max(1, n - 1));
    padded[n + k] = values[Math.max(0, index)];
  }
  const half = Math.floor(width / 2);
  const out = new Float64Array(n);
  const window: number[] = [];
  for (let t = 0; t < n; t++) {
    window.length = 0;
    for (let k = t - half; k <= t + half; k++)
      window.push(padded[Math.min(Math.max(k, 0), padded.length - 1)]);
    window.sort((a, b) => a - b);
    out[t] = window[half];
  }
  return out;
}

/**
 * Schedule refinement (Defazio, Cutkosky, Mehta, Mishchenko, "When, Why and How Much? Adaptive
 * Learning Rate Scheduling by Refinement", 2023; closed form of find_closed_form_schedule):
 * from the gradient norms G_1..G_T of a previous run, smooth with a median filter of width
 * 2⌊τT/2⌋ + 1 (τ = 0.1), weight w_t = Ĝ_t^{−2} (SGD) or Ĝ_t^{−1} ('adam', ℓ1 norms), and set
 * s_t = w_t · Σ_{p>t} w_p, s_T = 0, normalized to max 1; multiply by a tuned base rate.
 * Constant norms give linear decay 1 − t/(T − 1).
 *
 * @returns the normalized schedule s (length T) and a Schedule η_t = baseRate·s_t.
 */
export function refinedSchedule(
  gradientNorms: ArrayLike<number>,
  {
    baseRate = 1,
    smoothing = 0.1,
    kind = 'sgd',
  }: { baseRate?: number; smoothing?: number; kind?: 'sgd' | 'adam' } = {},
): { readonly values: Float64Array; readonly schedule: Schedule } {
  const T = gradientNorms.length;
  if (T < 2)
    throw new InvalidArgumentError({
      argument: 'gradientNorms',
      value: T,
      message: `stochastic/refinedSchedule: need at least 2 gradient norms; got ${T}.`,
    });
  for (let t = 0; t < T; t++) {
    if (!(gradientNorms[t] > 0) || !Number.isFinite(gradientNorms[t]))
      invalidArgument(
        'stochastic/refinedSchedule',
        'gradientNorms',
        gradientNorms[t],
        `gradient norms must be finite and > 0 (index ${t})`,
      );
  }
  const width = 2 * Math.floor((smoothing * T) / 2) + 1;
  const smoothed =
    width > 1 ? medianFilter(Float64Array.from(gradientNorms), width) : Float64Array.from(gradientNorms);
  const weights = smoothed.map((g) => (kind === 'sgd' ? 1 / (g * g) : 1 / g));
  const tail = new Float64Array(T + 1);
  for (let t = T - 1; t >= 0; t--) tail[t] = tail[t + 1] + weights[t];
  const values = new Float64Array(T);
  for (let t = 0; t < T - 1; t++) values[t] = weights[t] * tail[t + 1];
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  for (let t = 0; t < T; t++) values[t] /= max;
  return { values, schedule: (t) => baseRate * values[Math.min(Math.max(0, t), T - 1)] };
}
