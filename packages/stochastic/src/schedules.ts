import { InvalidArgumentError, invalidArgument } from '@argmin/core';

/** A learning-rate schedule: the rate at step t = 0, 1, ... (optax's schedules are the same values). */
export type Schedule = (step: number) => number;

function positive(where: string, name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || (allowZero ? value < 0 : value <= 0))
    invalidArgument(where, name, value, `\`${name}\` must be a finite number ${allowZero ? '>= 0' : '> 0'}`);
}

/** Every argument of a schedule is a finite number (NaN or ±Infinity would give NaN rates silently). */
function finite(where: string, values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values))
    if (typeof value !== 'number' || !Number.isFinite(value))
      invalidArgument(where, name, value, `\`${name}\` must be a finite number`);
}

/** η_t = value. */
export function constantSchedule(value: number): Schedule {
  positive('stochastic/constantSchedule', 'value', value);
  return () => value;
}

/** η_t = init + (end − init)·min(t, T)/T (optax.linear_schedule); with end = 0 the linear decay of Defazio et al. */
export function linearSchedule(init: number, end: number, transitionSteps: number): Schedule {
  finite('stochastic/linearSchedule', { init, end });
  positive('stochastic/linearSchedule', 'transitionSteps', transitionSteps);
  return (t) => init + ((end - init) * Math.min(t, transitionSteps)) / transitionSteps;
}

/** η_t = init·(α + (1 − α)·½(1 + cos(π min(t, T)/T))) (optax.cosine_decay_schedule). */
export function cosineDecaySchedule(init: number, decaySteps: number, alpha = 0): Schedule {
  finite('stochastic/cosineDecaySchedule', { init, alpha });
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
  finite('stochastic/warmupCosineDecaySchedule', { init, peak, warmupSteps, decaySteps, end });
  positive('stochastic/warmupCosineDecaySchedule', 'warmupSteps', warmupSteps, true);
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
  finite('stochastic/piecewiseConstantSchedule', { init });
  const entries = Object.entries(boundariesAndScales ?? {})
    .map(([b, s]) => [Number(b), s] as const)
    .sort((x, y) => x[0] - y[0]);
  for (const [boundary, scale] of entries)
    finite('stochastic/piecewiseConstantSchedule', {
      [`boundary ${boundary}`]: boundary,
      [`scale at ${boundary}`]: scale,
    });
  return (t) => entries.reduce((rate, [boundary, scale]) => (t >= boundary ? rate * scale : rate), init);
}

/** Linear warm-up from `init` to `peak` over `warmupSteps`, then linear decay to `end` at `decaySteps` (the linear decay of Defazio et al. with a warm-up). */
export function warmupLinearDecaySchedule(
  init: number,
  peak: number,
  warmupSteps: number,
  decaySteps: number,
  end = 0,
): Schedule {
  finite('stochastic/warmupLinearDecaySchedule', { init, peak, warmupSteps, decaySteps, end });
  positive('stochastic/warmupLinearDecaySchedule', 'warmupSteps', warmupSteps, true);
  if (!(decaySteps > warmupSteps))
    invalidArgument(
      'stochastic/warmupLinearDecaySchedule',
      'decaySteps',
      decaySteps,
      '`decaySteps` must exceed `warmupSteps`',
    );
  return joinSchedules(
    [
      linearSchedule(init, peak, Math.max(1, warmupSteps)),
      linearSchedule(peak, end, decaySteps - warmupSteps),
    ],
    [warmupSteps],
  );
}

/**
 * optax.join_schedules: schedule k runs on [boundaries[k−1], boundaries[k]) with its own step count
 * restarted at the boundary (t − boundaries[k−1]).
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  if (!Array.isArray(schedules) || schedules.some((f) => typeof f !== 'function'))
    invalidArgument(
      'stochastic/joinSchedules',
      'schedules',
      schedules,
      'pass an array of schedules (functions of the step)',
    );
  if (
    !Array.isArray(boundaries) ||
    boundaries.some((b, k) => !Number.isFinite(b) || (k > 0 && b < boundaries[k - 1]))
  )
    invalidArgument(
      'stochastic/joinSchedules',
      'boundaries',
      boundaries,
      'boundaries must be finite and non-decreasing',
    );
  if (schedules.length !== boundaries.length + 1)
    invalidArgument(
      'stochastic/joinSchedules',
      'boundaries',
      boundaries.length,
      `need one boundary fewer than schedules (${schedules.length - 1})`,
    );
  return (t) => {
    let k = 0;
    while (k < boundaries.length && t >= boundaries[k]) k++;
    return schedules[k](k === 0 ? t : t - boundaries[k - 1]);
  };
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
  // np.pad(..., mode='reflect') after the end: n−2, n−3, …, 0, 1, … (period 2(n−1)).
  const period = 2 * (n - 1);
  for (let k = 0; k < 2 * width; k++) {
    const r = period === 0 ? 0 : (k + 1) % period;
    padded[n + k] = values[r <= n - 1 ? n - 1 - r : r - (n - 1)];
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
  finite('stochastic/refinedSchedule', { baseRate, smoothing });
  positive('stochastic/refinedSchedule', 'baseRate', baseRate);
  positive('stochastic/refinedSchedule', 'smoothing', smoothing, true);
  if (kind !== 'sgd' && kind !== 'adam')
    invalidArgument('stochastic/refinedSchedule', 'kind', kind, "`kind` must be 'sgd' or 'adam'");
  const T = gradientNorms?.length;
  if (!(T >= 2))
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

/**
 * The last-iterate bound that refinement minimizes (Defazio et al. 2023; find_schedule.py), for
 * gradient norms G_t and step sizes λ_t with S_k = Σ_{t>=k} λ_t:
 * B(λ) = D²/(2S_1) + Σ_t G_t²λ_t²/(2S_1) + ½ Σ_{k<T} λ_k/(S_k S_{k+1}) Σ_{t>=k} G_t²λ_t².
 * Since B(cλ) = a/c + bc, schedules are compared at their best scale: `optimal` = 2√(ab) at c = √(a/b).
 */
export function refinementBound(
  gradientNorms: ArrayLike<number>,
  steps: ArrayLike<number>,
  distance = 1,
): { readonly value: number; readonly optimal: number; readonly scale: number } {
  finite('stochastic/refinementBound', { distance });
  const T = gradientNorms?.length;
  for (let t = 0; t < T; t++)
    if (!Number.isFinite(gradientNorms[t]))
      invalidArgument(
        'stochastic/refinementBound',
        'gradientNorms',
        gradientNorms[t],
        `gradient norms must be finite (index ${t})`,
      );
  if (steps?.length !== T)
    invalidArgument(
      'stochastic/refinementBound',
      'steps',
      steps.length,
      `need one step size per gradient norm (${T})`,
    );
  const S = new Float64Array(T + 1);
  const tail = new Float64Array(T + 1);
  for (let t = T - 1; t >= 0; t--) {
    if (!(steps[t] > 0) || !Number.isFinite(steps[t]))
      invalidArgument(
        'stochastic/refinementBound',
        'steps',
        steps[t],
        `step sizes must be finite and > 0 (index ${t})`,
      );
    S[t] = S[t + 1] + steps[t];
    tail[t] = tail[t + 1] + gradientNorms[t] ** 2 * steps[t] ** 2;
  }
  const a = distance ** 2 / (2 * S[0]);
  let b = tail[0] / (2 * S[0]);
  for (let k = 0; k < T - 1; k++) b += (0.5 * steps[k] * tail[k]) / (S[k] * S[k + 1]);
  return { value: a + b, optimal: 2 * Math.sqrt(a * b), scale: Math.sqrt(a / b) };
}
