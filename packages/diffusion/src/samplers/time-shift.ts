import { invalidArgument, parseOptions, type Vec } from '@argmin/core';
import { z } from 'zod';
import { convertPrediction, type PredictionType } from '../models/model';
import {
  levelFromAlphaBar,
  type NoiseLevel,
  type NoiseSchedule,
  requireDiscrete,
} from '../schedules/schedule';
import { checkCustomTimesteps, ddimSequence, inferenceTimesteps } from '../schedules/spacing';
import {
  addDividedInto,
  advance,
  averageInto,
  type EvaluationRequest,
  evaluate,
  type GridState,
  makeSampler,
  nextBuffer,
  type Sampler,
} from './common';

/** Time-Shift options (TS-DPM: paper Algorithm 3 and the released code's variant). */
export const timeShiftOptions = z.strictObject({
  base: z
    .enum(['ddim', 's-pndm', 'f-pndm', 'dpm-solver-2m'])
    .default('ddim')
    .describe(
      "Base sampler: 'ddim' (with eta), 's-pndm', 'f-pndm' (pseudo RK4 warm-up then AB4), or 'dpm-solver-2m' (DPM-Solver++ 2M, data prediction, first order on the first and last step).",
    ),
  numInferenceSteps: z.number().int().positive().default(10).describe('Number of sampling steps N.'),
  timestepSpacing: z
    .enum(['uniform', 'quad', 'leading', 'trailing', 'linspace'])
    .default('uniform')
    .describe(
      "Timestep grid: the original DDIM code's 'uniform' (range(0, T, T//N)) or 'quad' (used by the TS-DPM code), or diffusers' 'leading' / 'trailing' / 'linspace'.",
    ),
  timesteps: z
    .array(z.number().int())
    .optional()
    .describe('Custom strictly descending training timesteps (overrides the spacing).'),
  windowSize: z
    .number()
    .int()
    .nonnegative()
    .default(40)
    .describe(
      'Window w in training timesteps: the shifted time is searched in [t - w//2, t + w//2] (0 disables shifting).',
    ),
  cutoff: z
    .number()
    .int()
    .default(300)
    .describe(
      'Cutoff t_c in training timesteps: no shift is applied at or below it (the paper shifts only in the early, noisy steps).',
    ),
  variant: z
    .enum(['paper', 'code'])
    .default('paper')
    .describe(
      "'paper': Algorithm 3 — the shifted time replaces the next step's model time and starting ᾱ, matched to the variance of the new iterate; 'code': the released pnm_solver.py — the variance of the current iterate selects a shifted *target* of the transfer, the model stays at the nominal time (DDIM/PNDM bases only).",
    ),
  eta: z.number().nonnegative().default(0).describe("DDIM η (base 'ddim' only)."),
  setAlphaToOne: z.boolean().default(true).describe('The final step targets ᾱ = 1 (true) or ᾱ_0 (false).'),
});
export type TimeShiftOptions = z.input<typeof timeShiftOptions>;
type Parsed = z.output<typeof timeShiftOptions>;

/** Time-Shift state: per-sample current times, the ε / x0 history and the shifts taken. */
export interface TimeShiftState extends GridState {
  /** Per sample: the training timestep whose ᾱ describes the current iterate and that the model sees next. */
  readonly current: Float64Array;
  /** Per sample: the (possibly shifted) target timestep of the step being taken. */
  readonly target: Float64Array;
  /** Per sample: the model time of the step being taken. */
  readonly modelTime: Float64Array;
  /** Scratch ordering of the samples by model time (grouped evaluation). */
  readonly order: Int32Array;
  /** The noise level of a (possibly fractional) training time: ᾱ at its floor, the final ᾱ below 0. */
  readonly levelOf: (time: number) => NoiseLevel;
  /** ε (PNDM/DDIM) or x0 (DPM-Solver) history, newest last. */
  readonly history: Float64Array[];
  /** The buffer the next model output is evaluated into before it joins the history. */
  spare: Float64Array;
  /** Per-sample λ of each history entry (DPM-Solver). */
  readonly historyLambda: Float64Array[];
  readonly work: [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  readonly noise: Float64Array;
  /** For each step after the first: the mean absolute shift |t_s - t| over the batch (training timesteps). */
  readonly shifts: number[];
  readonly timesteps: readonly number[];
}

/**
 * Per-sample variance over the dimensions with Bessel's correction (torch.var's default, as the TS-DPM
 * code calls it on each flattened sample).
 */
export function sampleVariance(x: Vec, offset: number, d: number): number {
  let mean = 0;
  for (let i = 0; i < d; i++) mean += x[offset + i];
  mean /= d;
  let s = 0;
  for (let i = 0; i < d; i++) s += (x[offset + i] - mean) ** 2;
  return s / Math.max(1, d - 1);
}

/**
 * The shifted timestep: `argmin_τ |variance - (1 - ᾱ_τ)|` over τ ∈ [center - w//2, center + w//2] ∩ [0, N-1]
 * (first minimizer, as torch.argmin), the TS-DPM window search.
 */
export function shiftedTimestep(
  alphasCumprod: Float64Array,
  variance: number,
  center: number,
  windowSize: number,
): number {
  const half = Math.floor(windowSize / 2);
  const lo = Math.max(0, center - half);
  const hi = Math.min(alphasCumprod.length - 1, center + half);
  let best = center;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let tau = lo; tau <= hi; tau++) {
    const distance = (variance - (1 - alphasCumprod[tau])) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = tau;
    }
  }
  return best;
}

/**
 * Evaluates the model when each sample has its own time: samples are grouped by time and each group is
 * predicted as one sub-batch (a network taking per-sample t would do this in one call; NFE counts one).
 */
function* predictPerSample(
  model: { readonly dimension: number; readonly prediction: PredictionType },
  x: Vec,
  batch: number,
  times: Float64Array,
  levelOf: (time: number) => NoiseLevel,
  out: Float64Array,
  gather: Float64Array,
  scatter: Float64Array,
  order: Int32Array,
  toEpsilon: boolean,
): Generator<EvaluationRequest, void, void> {
  const d = model.dimension;
  // samples ordered by time (stable), so each group of equal times is one contiguous run
  for (let b = 0; b < batch; b++) order[b] = b;
  order.subarray(0, batch).sort((i, j) => times[i] - times[j]);
  for (let start = 0; start < batch; ) {
    const time = times[order[start]];
    let end = start + 1;
    while (end < batch && times[order[end]] === time) end++;
    const m = end - start;
    const xs = gather.subarray(0, m * d);
    const ys = scatter.subarray(0, m * d);
    for (let k = 0; k < m; k++) xs.set(x.subarray(order[start + k] * d, order[start + k] * d + d), k * d);
    const level = levelOf(time);
    yield* evaluate(xs, m, level, ys);
    convertPrediction(model.prediction, toEpsilon ? 'epsilon' : 'sample', xs, ys, level, ys);
    for (let k = 0; k < m; k++) out.set(ys.subarray(k * d, k * d + d), order[start + k] * d);
    start = end;
  }
}

/**
 * Time-Shift sampler (Li, Qu, Yao, Sun & Moens, "Alleviating Exposure Bias in Diffusion Models through Sampling
 * with Shifted Time Steps", ICLR 2024, arXiv 2305.15583; reference Mingxiao-Li/TS-DPM). After each step
 * above the cutoff t_c, every sample's variance over its dimensions is compared with the forward-process
 * variance `1 - ᾱ_τ` of the timesteps in a window of width w around the next nominal timestep, and the
 * closest τ is used instead ("the sample looks noisier/cleaner than its nominal time, so treat it as being
 * at τ"). Paper symbols: ε_θ the model, w `windowSize`, t_c `cutoff`, t_s the shifted time.
 *
 * `variant: 'paper'` (Algorithm 3): t_s becomes the next step's model time *and* its starting ᾱ.
 * `variant: 'code'` (pnm_solver.py `apply_time_shift`): from the second step on, the variance of the
 * current iterate selects a shifted *target* timestep of the transfer; the model is evaluated at the nominal
 * time. Samples are shifted independently (per-sample times, as in the code).
 *
 * Bases: DDIM (the transfer `x' = √(ᾱ'/ᾱ)x - (√(ᾱ'/ᾱ)√(1-ᾱ) - √(1-ᾱ'))ε`, η adds DDIM noise), S-PNDM and
 * F-PNDM (the reference's pseudo improved Euler / pseudo RK4 warm-up with midpoint time (t + t')/2 and ᾱ at
 * its floor, then AB2 / AB4 on ε), DPM-Solver++ 2M (data prediction with per-sample λ). ᾱ follows diffusers'
 * convention (`ᾱ[t]`, final target ᾱ = 1 or ᾱ_0), not the reference's `alphas_cump[t+1]` indexing.
 * With `windowSize: 0` or `cutoff >= N_train` the output is bit-identical to the unshifted base.
 *
 * @remarks On exact (analytic) denoisers the notes found no gain: var(x_t) ≈ 1 - ᾱ ignores the data
 * term ᾱ·Var(x0), so the shift can hurt; the `diffusion/time-shift` experiment reports what it measures.
 */
export function timeShift(input: TimeShiftOptions = {}): Sampler<TimeShiftState> {
  const id = 'diffusion/time-shift';
  const options: Parsed = parseOptions(id, timeShiftOptions, input);
  if (options.variant === 'code' && options.base === 'dpm-solver-2m') {
    invalidArgument(
      id,
      'variant',
      'code',
      "the released code's DPM-Solver variant (matching the model output's variance) is not implemented; use variant: 'paper' with base 'dpm-solver-2m', or a DDIM/PNDM base",
    );
  }
  if (options.eta > 0 && options.base !== 'ddim') {
    invalidArgument(
      id,
      'eta',
      options.eta,
      "eta applies to base 'ddim' only; set eta: 0 for PNDM / DPM-Solver bases",
    );
  }
  const timestepsOf = (schedule: NoiseSchedule): number[] => {
    const n = schedule.numTrainTimesteps;
    if (options.timesteps) {
      checkCustomTimesteps(id, options.timesteps, n);
      return [...options.timesteps];
    }
    const spacing = options.timestepSpacing;
    if (spacing === 'uniform' || spacing === 'quad') {
      return ddimSequence(n, options.numInferenceSteps, spacing).reverse();
    }
    return inferenceTimesteps(n, options.numInferenceSteps, spacing, 0);
  };
  const finalBar = (bar: Float64Array) => (options.setAlphaToOne ? 1 : bar[0]);
  const barAt = (bar: Float64Array, t: number) => (t < 0 ? finalBar(bar) : bar[Math.floor(t)]);
  const grid = (schedule: NoiseSchedule): NoiseLevel[] => {
    const bar = requireDiscrete(id, schedule);
    const points = timestepsOf(schedule).map((t) => levelFromAlphaBar(t, bar[t]));
    points.push(levelFromAlphaBar(-1, finalBar(bar)));
    return points;
  };
  return makeSampler<TimeShiftState>({
    id,
    grid,
    noScheduler:
      'Time-Shift chooses each next model time from the variance of the samples, so its evaluation times are not known in advance (and it has no diffusers scheduler); use sample or sampleAsync',
    init(x0, problem, points, base) {
      const n = x0.length;
      const batch = problem.batch;
      const timesteps = points.slice(0, -1).map((p) => p.time);
      const current = new Float64Array(batch).fill(timesteps[0]);
      return {
        ...base,
        current,
        target: new Float64Array(batch),
        modelTime: new Float64Array(batch),
        order: new Int32Array(batch),
        levelOf: (time: number) =>
          levelFromAlphaBar(time, barAt(problem.schedule.alphasCumprod as Float64Array, time)),
        history: [],
        spare: new Float64Array(n),
        historyLambda: [],
        work: [
          new Float64Array(n),
          new Float64Array(n),
          new Float64Array(n),
          new Float64Array(n),
          new Float64Array(n),
          new Float64Array(n),
        ],
        noise: new Float64Array(n),
        shifts: [],
        timesteps,
      };
    },
    *program(x, state, { model, batch, schedule }, context) {
      const bar = schedule.alphasCumprod as Float64Array;
      const d = model.dimension;
      const n = x.length;
      const i = state.index;
      const nominal = state.timesteps[i];
      const nextNominal = i + 1 < state.timesteps.length ? state.timesteps[i + 1] : -1;
      const { current, target, work } = state;
      const [e1, xs, gather, scatter, extra, midTimes] = work;
      const levelOf = state.levelOf;
      const shiftActive = options.windowSize > 0;
      // model times and targets for this step
      const modelTime = state.modelTime;
      if (options.variant === 'paper') {
        modelTime.set(current);
        target.fill(nextNominal);
      } else {
        modelTime.fill(nominal);
        let total = 0;
        for (let b = 0; b < batch; b++) {
          let t = nextNominal;
          if (shiftActive && i > 0 && nextNominal > options.cutoff) {
            t = shiftedTimestep(bar, sampleVariance(x, b * d, d), nextNominal, options.windowSize);
          }
          target[b] = t;
          total += Math.abs(t - nextNominal);
        }
        if (i > 0) state.shifts.push(total / batch);
      }
      const next = nextBuffer(state, x);
      const startBar = (b: number) => barAt(bar, options.variant === 'paper' ? current[b] : nominal);
      /** x' = transfer from ᾱ(start_b) to ᾱ(to_b) with ε, per sample (loops in a plain function). */
      const transfer = (from: Vec, to: Float64Array, toMid: boolean, epsilon: Vec, out: Float64Array) =>
        transferPerSample(from, epsilon, out, batch, d, startBar, (b) =>
          barAt(bar, toMid ? (modelTime[b] + to[b]) / 2 : to[b]),
        );
      // the ε history takes the spare buffer only after the step's evaluations succeeded
      const commit = (eps: Float64Array) => {
        state.spare =
          state.history.length >= 4 ? (state.history.shift() as Float64Array) : new Float64Array(n);
        state.history.push(eps);
      };
      if (options.base === 'dpm-solver-2m') {
        yield* dpmSolver2mStep(
          state,
          model,
          x,
          batch,
          d,
          modelTime,
          levelOf,
          startBar,
          barAt,
          bar,
          next,
          gather,
          scatter,
          i,
        );
      } else {
        const eps = state.spare;
        yield* predictPerSample(model, x, batch, modelTime, levelOf, eps, gather, scatter, state.order, true);
        state.nfe++;
        const combined = e1;
        if (options.base === 'ddim') {
          combined.set(eps);
          commit(eps);
        } else if (options.base === 's-pndm' && state.history.length === 0) {
          // pseudo improved Euler
          transfer(x, target, false, eps, xs);
          const e2 = extra;
          yield* predictPerSample(model, xs, batch, target, levelOf, e2, gather, scatter, state.order, true);
          state.nfe++;
          averageInto(combined, eps, e2);
          commit(eps);
        } else if (options.base === 'f-pndm' && state.history.length < 3) {
          // pseudo RK4 with midpoint (t + t')/2
          const mid = midTimes.subarray(0, batch);
          for (let b = 0; b < batch; b++) mid[b] = (modelTime[b] + target[b]) / 2;
          const e = extra;
          addDividedInto(combined, null, eps, 6);
          transfer(x, target, true, eps, xs);
          yield* predictPerSample(model, xs, batch, mid, levelOf, e, gather, scatter, state.order, true);
          addDividedInto(combined, combined, e, 3);
          transfer(x, target, true, e, xs);
          yield* predictPerSample(model, xs, batch, mid, levelOf, e, gather, scatter, state.order, true);
          addDividedInto(combined, combined, e, 3);
          transfer(x, target, false, e, xs);
          yield* predictPerSample(model, xs, batch, target, levelOf, e, gather, scatter, state.order, true);
          addDividedInto(combined, combined, e, 6);
          state.nfe += 3;
          commit(eps);
        } else {
          commit(eps);
          adamsBashforthInto(combined, options.base === 's-pndm' ? 2 : 4, state.history);
        }
        if (options.base === 'ddim' && options.eta > 0) {
          const noise = context.rng.fillNormal(state.noise);
          ddimPerSampleInto(next, x, combined, noise, batch, d, options.eta, startBar, (b) =>
            barAt(bar, target[b]),
          );
        } else {
          transfer(x, target, false, combined, next);
        }
      }
      // the next step's current time
      if (options.variant === 'paper') {
        let total = 0;
        for (let b = 0; b < batch; b++) {
          let t = nextNominal;
          if (shiftActive && nominal > options.cutoff && nextNominal >= 0) {
            t = shiftedTimestep(bar, sampleVariance(next, b * d, d), nextNominal, options.windowSize);
          }
          current[b] = t;
          total += Math.abs(t - nextNominal);
        }
        if (nextNominal >= 0) state.shifts.push(total / batch);
      } else {
        current.fill(nextNominal);
      }
      const meanShift = state.shifts.length > 0 ? state.shifts[state.shifts.length - 1] : 0;
      return advance(state, next, { timestep: nominal, meanShift });
    },
  });
}

/** Per sample b: `out = √(a'/a)·from - (a' - a)/(a√(1-a') + √(a(1-a)a'))·ε` with a = startBar(b), a' = endBar(b). */
function transferPerSample(
  from: Vec,
  epsilon: Vec,
  out: Float64Array,
  batch: number,
  d: number,
  startBar: (b: number) => number,
  endBar: (b: number) => number,
): void {
  for (let b = 0; b < batch; b++) {
    const a = startBar(b);
    const aNext = endBar(b);
    const cx = Math.sqrt(aNext / a);
    const ce = (aNext - a) / (a * Math.sqrt(1 - aNext) + Math.sqrt(a * (1 - a) * aNext));
    const o = b * d;
    for (let k = o; k < o + d; k++) out[k] = cx * from[k] - ce * epsilon[k];
  }
}

/** Pseudo linear multistep on the ε history (newest last): AB2 `(3e_k - e_{k-1})/2` or AB4. */
function adamsBashforthInto(out: Float64Array, order: 2 | 4, h: readonly Float64Array[]): void {
  const n = out.length;
  const k0 = h.length;
  if (order === 2) {
    for (let k = 0; k < n; k++) out[k] = (3 * h[k0 - 1][k] - h[k0 - 2][k]) / 2;
  } else {
    for (let k = 0; k < n; k++) {
      out[k] = (55 * h[k0 - 1][k] - 59 * h[k0 - 2][k] + 37 * h[k0 - 3][k] - 9 * h[k0 - 4][k]) / 24;
    }
  }
}

/** A DDIM step with η per sample (start ᾱ and target ᾱ of each sample). */
function ddimPerSampleInto(
  next: Float64Array,
  x: Vec,
  epsilon: Float64Array,
  noise: Float64Array,
  batch: number,
  d: number,
  eta: number,
  startBar: (b: number) => number,
  endBar: (b: number) => number,
): void {
  for (let b = 0; b < batch; b++) {
    const aT = startBar(b);
    const aPrev = endBar(b);
    const std = eta * Math.sqrt(((1 - aPrev) / (1 - aT)) * (1 - aT / aPrev));
    const dir = Math.sqrt(Math.max(0, 1 - aPrev - std * std));
    const sa = Math.sqrt(aT);
    const sb = Math.sqrt(1 - aT);
    const sp = Math.sqrt(aPrev);
    for (let k = b * d; k < b * d + d; k++) {
      const x0 = (x[k] - sb * epsilon[k]) / sa;
      next[k] = sp * x0 + dir * epsilon[k] + std * noise[k];
    }
  }
}

/**
 * DPM-Solver++ 2M step with per-sample start levels (x0 history with per-sample λ): first order on the
 * first step and on the final step to ᾱ = 1 (where σ = 0 and the update returns x̂0).
 */
function* dpmSolver2mStep(
  state: TimeShiftState,
  model: { readonly dimension: number; readonly prediction: PredictionType },
  x: Vec,
  batch: number,
  d: number,
  modelTime: Float64Array,
  levelOf: (time: number) => NoiseLevel,
  startBar: (b: number) => number,
  barAt: (bar: Float64Array, t: number) => number,
  bar: Float64Array,
  next: Float64Array,
  gather: Float64Array,
  scatter: Float64Array,
  index: number,
): Generator<EvaluationRequest, void, void> {
  // evaluated into the spare buffer; the history takes it only after the evaluation succeeded
  const x0 = state.spare;
  yield* predictPerSample(model, x, batch, modelTime, levelOf, x0, gather, scatter, state.order, false);
  dpmSolver2mFinish(state, x, x0, batch, d, startBar, barAt, bar, next, index);
}

/** The update of `dpmSolver2mStep` after its evaluation (a plain function: no loops in generator bodies). */
function dpmSolver2mFinish(
  state: TimeShiftState,
  x: Vec,
  x0: Float64Array,
  batch: number,
  d: number,
  startBar: (b: number) => number,
  barAt: (bar: Float64Array, t: number) => number,
  bar: Float64Array,
  next: Float64Array,
  index: number,
): void {
  const n = x.length;
  state.nfe++;
  state.spare = state.history.length >= 2 ? (state.history.shift() as Float64Array) : new Float64Array(n);
  const lambdas =
    state.historyLambda.length >= 2 ? (state.historyLambda.shift() as Float64Array) : new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    const a = startBar(b);
    lambdas[b] = 0.5 * (Math.log(a) - Math.log1p(-a));
  }
  state.history.push(x0);
  state.historyLambda.push(lambdas);
  const k = state.history.length;
  for (let b = 0; b < batch; b++) {
    const aS = startBar(b);
    const aT = barAt(bar, state.target[b]);
    const alphaT = Math.sqrt(aT);
    const sigmaT = Math.sqrt(1 - aT);
    const sigmaS = Math.sqrt(1 - aS);
    const o = b * d;
    if (sigmaT === 0) {
      for (let i = o; i < o + d; i++) next[i] = x0[i];
      continue;
    }
    const lambdaT = 0.5 * (Math.log(aT) - Math.log1p(-aT));
    const h = lambdaT - lambdas[b];
    const phi1 = Math.expm1(-h);
    const cx = sigmaT / sigmaS;
    if (k < 2 || index === 0) {
      for (let i = o; i < o + d; i++) next[i] = cx * x[i] - alphaT * phi1 * x0[i];
    } else {
      const m1 = state.history[k - 2];
      const r0 = (lambdas[b] - state.historyLambda[k - 2][b]) / h;
      for (let i = o; i < o + d; i++) {
        const d1 = (x0[i] - m1[i]) / r0;
        next[i] = cx * x[i] - alphaT * phi1 * x0[i] - 0.5 * alphaT * phi1 * d1;
      }
    }
  }
}
