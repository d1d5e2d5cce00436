import { invalidArgument, parseOptions, type Vec } from '@argmin/core';
import { z } from 'zod';
import type { PredictionType } from '../models/model';

/** What a step reads of the model (evaluations go through requests). */
type ModelShape = { readonly dimension: number; readonly prediction: PredictionType };

import { type NoiseLevel, type NoiseSchedule, requireDiscrete } from '../schedules/schedule';
import {
  checkCustomTimesteps,
  continuousTimeGrid,
  dpmSolverMultistepTimesteps,
  karrasSigmas,
  roundHalfEven,
  sigmaToTimestep,
} from '../schedules/spacing';
import {
  advance,
  dynamicThreshold,
  type EvaluationRequest,
  evaluate,
  type GridState,
  makeSampler,
  nextBuffer,
  rejectIneffective,
  rejectIneffectiveDiscrete,
  type Sampler,
  type SamplingProblem,
  type StepProgram,
} from './common';

/** The noise level of a Karras sigma σ_K = σ/α: α = 1/√(σ_K² + 1), σ = σ_K·α (diffusers `_sigma_to_alpha_sigma_t`). */
export function levelFromSigmaK(time: number, sigmaK: number): NoiseLevel {
  const alpha = 1 / Math.sqrt(sigmaK * sigmaK + 1);
  const sigma = sigmaK * alpha;
  return { time, alpha, sigma, lambda: Math.log(alpha) - Math.log(sigma) };
}

const gridShape = {
  numInferenceSteps: z
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Number of solver steps (= NFE for multistep and singlestep).'),
  grid: z
    .enum(['discrete', 'continuous'])
    .default('discrete')
    .describe(
      "'discrete': diffusers DPMSolverMultistepScheduler timesteps/sigmas on a discrete schedule; 'continuous': dpm_solver_pytorch.py's continuous-time grid (skipType, tStart, tEnd) on any schedule.",
    ),
  timestepSpacing: z
    .enum(['leading', 'trailing', 'linspace'])
    .default('linspace')
    .describe("diffusers timestep_spacing for grid 'discrete' (default 'linspace')."),
  stepsOffset: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('diffusers steps_offset (leading spacing).'),
  timesteps: z
    .array(z.number().int())
    .optional()
    .describe('Custom strictly descending training timesteps (grid discrete).'),
  useKarrasSigmas: z
    .boolean()
    .default(false)
    .describe('Karras (EDM, ρ = 7) sigmas between the schedule extremes (diffusers use_karras_sigmas).'),
  useLuLambdas: z
    .boolean()
    .default(false)
    .describe(
      'Sigmas uniform in λ = -log σ_K between the schedule extremes (diffusers use_lu_lambdas, Lu et al. logSNR grid).',
    ),
  useExponentialSigmas: z
    .boolean()
    .default(false)
    .describe('Sigmas uniform in log σ_K from σ_max to σ_min (diffusers use_exponential_sigmas).'),
  lambdaMinClipped: z
    .number()
    .optional()
    .describe(
      'Drop trailing timesteps with λ below this (diffusers lambda_min_clipped; unset keeps all, as -inf).',
    ),
  finalSigmasType: z
    .enum(['zero', 'sigma_min'])
    .default('zero')
    .describe(
      "Final sigma of the discrete grid: 'zero' (the last step returns x̂0) or 'sigma_min' (σ_K of ᾱ_0) (diffusers final_sigmas_type).",
    ),
  skipType: z
    .enum(['logSNR', 'time_uniform', 'time_quadratic'])
    .default('time_uniform')
    .describe(
      "Continuous grid spacing (dpm-solver skip_type; default 'time_uniform' as the reference's sample(); its README recommends 'logSNR' for low-resolution data).",
    ),
  tStart: z.number().positive().optional().describe('Continuous grid start time (default the schedule T).'),
  tEnd: z
    .number()
    .positive()
    .optional()
    .describe('Continuous grid end time (default 1/N for discrete schedules, 1e-3 for continuous ones).'),
  algorithm: z
    .enum(['dpmsolver++', 'dpmsolver', 'sde-dpmsolver++', 'sde-dpmsolver'])
    .default('dpmsolver++')
    .describe(
      "'dpmsolver++' (data prediction), 'dpmsolver' (noise prediction), or their SDE variants (diffusers algorithm_type).",
    ),
  solverType: z
    .enum(['midpoint', 'heun'])
    .default('midpoint')
    .describe(
      "Second-order correction form: 'midpoint' (reference 'dpmsolver') or 'heun' (reference 'taylor') (diffusers solver_type).",
    ),
  lowerOrderFinal: z
    .boolean()
    .default(true)
    .describe(
      'Lower the order on the final steps (diffusers: when fewer than 15 steps; reference: fewer than 10).',
    ),
  eulerAtFinal: z
    .boolean()
    .default(false)
    .describe('First-order final step regardless of step count (diffusers euler_at_final).'),
  thresholding: z
    .boolean()
    .default(false)
    .describe('Dynamic thresholding of x̂0 (diffusers thresholding / dpm-solver correcting_x0_fn).'),
  dynamicThresholdingRatio: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.995)
    .describe('Quantile of |x̂0| (dynamic_thresholding_ratio).'),
  sampleMaxValue: z
    .number()
    .positive()
    .default(1)
    .describe(
      'diffusers sample_max_value (upper clamp, grid discrete) / dpm-solver thresholding_max_val (lower clamp, grid continuous).',
    ),
} as const;

/** DPM-Solver(++) options. */
export const dpmSolverOptions = z.strictObject({
  ...gridShape,
  order: z
    .union([z.literal(1), z.literal(2), z.literal(3)])
    .default(2)
    .describe('Solver order (diffusers solver_order; default 2).'),
  method: z
    .enum(['multistep', 'singlestep', 'singlestep_fixed', 'adaptive'])
    .default('multistep')
    .describe(
      "'multistep' (DPM-Solver++ 2M/3M, diffusers DPMSolverMultistepScheduler); on the continuous grid also dpm_solver_pytorch.py's 'singlestep' (DPM-Solver-fast orders list, NFE = steps), 'singlestep_fixed' (steps//order steps of order `order`) and 'adaptive' (DPM-Solver-12 / -23 with embedded error control; numInferenceSteps is ignored).",
    ),
  denoiseToZero: z
    .boolean()
    .default(false)
    .describe(
      'Continuous grid: after the last step, replace x by the data prediction at t_end (+1 NFE; dpm-solver denoise_to_zero).',
    ),
  atol: z
    .number()
    .positive()
    .default(0.0078)
    .describe('Adaptive: absolute tolerance (dpm-solver default 0.0078).'),
  rtol: z.number().positive().default(0.05).describe('Adaptive: relative tolerance (default 0.05).'),
  hInit: z
    .number()
    .positive()
    .default(0.05)
    .describe('Adaptive: initial logSNR step size h_init (default 0.05).'),
  theta: z
    .number()
    .positive()
    .max(1)
    .default(0.9)
    .describe('Adaptive: safety factor θ of the step-size update (default 0.9).'),
  tErr: z
    .number()
    .positive()
    .default(1e-5)
    .describe('Adaptive: stop when |s - t_end| <= tErr (default 1e-5).'),
  maxAttempts: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Adaptive: cap on attempted steps (accepted or rejected).'),
});
export type DpmSolverOptions = z.input<typeof dpmSolverOptions>;
const dpmSolverDefaults = dpmSolverOptions.parse({});
type ParsedOptions = z.output<typeof dpmSolverOptions>;

/** DPM-Solver state: model-output history (newest last) and work buffers. */
export interface DpmSolverState extends GridState {
  readonly history: Float64Array[];
  readonly historyLevels: NoiseLevel[];
  /** The buffer the next model value is converted into before it joins the history. */
  spare: Float64Array;
  readonly work: [Float64Array, Float64Array, Float64Array];
  readonly noise: Float64Array;
  readonly scratch: Float64Array;
  lowerOrderNums: number;
  /** Singlestep: order of each outer step. */
  readonly orders: number[];
  /** Adaptive solver: current time s, logSNR step h, previous lower-order iterate, counts. */
  readonly adaptive: {
    time: number;
    h: number;
    readonly previous: Float64Array;
    readonly lower: Float64Array;
    accepted: number;
    rejected: number;
  } | null;
}

/** denoise_to_zero: x ← data prediction at t_end (thresholded like every data prediction), +1 NFE. */
function* denoiseToZero(
  options: ParsedOptions,
  { model, batch }: SamplingProblem,
  level: NoiseLevel,
  state: DpmSolverState,
  x: Float64Array,
): Generator<EvaluationRequest, void, void> {
  const x0 = state.work[0];
  yield* convertOutput({ ...options, algorithm: 'dpmsolver++' }, model, x, batch, level, x0, state.scratch);
  x.set(x0);
  state.nfe++;
}

/**
 * One attempt of dpm_solver_pytorch.py's `dpm_solver_adaptive` (Lu et al. 2022, §4.2; the step-size rule of
 * Jolicoeur-Martineau et al. 2021): from s, take t = t(λ_s + h); x_lower = DPM-Solver-(k-1) and x_higher =
 * DPM-Solver-k sharing their model evaluations (k = order; r1 = ½ for k = 2, r1 = ⅓, r2 = ⅔ for k = 3);
 * `δ = max(atol, rtol·max(|x_lower|, |x_prev|))`, `E = max over samples of RMS((x_higher - x_lower)/δ)`;
 * accept when E <= 1; then `h ← min(θ·h·E^{-1/k}, λ_end - λ_s)`. Done when |s - t_end| <= tErr.
 */
function* adaptiveStep(
  options: ParsedOptions,
  problem: SamplingProblem,
  x: Vec,
  state: DpmSolverState,
  next: Float64Array,
): StepProgram<DpmSolverState> {
  const { model, batch, schedule } = problem;
  const run = state.adaptive as NonNullable<DpmSolverState['adaptive']>;
  const tEnd = options.tEnd ?? schedule.tEnd;
  const lambdaEnd = schedule.marginalLambda(tEnd);
  const order = options.order;
  const s = schedule.levelAtTime(run.time);
  const tTime = schedule.inverseLambda(s.lambda + run.h);
  const t = schedule.levelAtTime(tTime);
  const ratios = order === 2 ? { r1: 0.5, r2: 0 } : { r1: 1 / 3, r2: 2 / 3 };
  // lower order (k - 1) first: it evaluates the model at s (and at s1 for k = 3), which the higher order reuses
  yield* singlestepUpdate(options, order - 1, model, batch, schedule, x, s, t, state, run.lower, ratios, 0);
  yield* singlestepUpdate(options, order, model, batch, schedule, x, s, t, state, next, ratios, order - 1);
  const error = embeddedError(options, model.dimension, batch, next, run.lower, run.previous);
  if (!Number.isFinite(error)) {
    // nothing committed: the step size, time and previous iterate stay those of the last finite step
    return {
      x,
      state,
      info: { nfe: state.nfe },
      status: 'numerical-error',
      message: `the embedded error estimate is not finite at t = ${run.time}; returning the last finite samples and state`,
    };
  }
  const accepted = error <= 1;
  let lambdaS = s.lambda;
  if (accepted) {
    run.time = tTime;
    run.previous.set(run.lower);
    lambdaS = schedule.marginalLambda(tTime);
    run.accepted++;
  } else {
    run.rejected++;
    next.set(x);
  }
  run.h = Math.min(options.theta * run.h * error ** (-1 / order), lambdaEnd - lambdaS);
  state.index++;
  const done = Math.abs(run.time - tEnd) <= options.tErr;
  if (done && options.denoiseToZero)
    yield* denoiseToZero(options, problem, schedule.levelAtTime(tEnd), state, next);
  return {
    x: next,
    state,
    info: { error, accepted: accepted ? 1 : 0, time: run.time, nfe: state.nfe },
    ...(done
      ? {
          status: 'converged' as const,
          message: `reached t_end after ${run.accepted} accepted and ${run.rejected} rejected steps`,
        }
      : {}),
  };
}

/** E = max over samples of RMS((x_high - x_low)/δ), δ = max(atol, rtol·max(|x_low|, |x_prev|)) (plain kernel). */
function embeddedError(
  options: ParsedOptions,
  d: number,
  batch: number,
  high: Float64Array,
  low: Float64Array,
  previous: Float64Array,
): number {
  let error = 0;
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    for (let i = b * d; i < b * d + d; i++) {
      const delta = Math.max(options.atol, options.rtol * Math.max(Math.abs(low[i]), Math.abs(previous[i])));
      sum += ((high[i] - low[i]) / delta) ** 2;
    }
    error = Math.max(error, Math.sqrt(sum / d));
  }
  return error;
}

/** Builds the grid (levels at the timesteps plus the final level). */
export function dpmSolverGrid(options: ParsedOptions, schedule: NoiseSchedule): NoiseLevel[] {
  const id = 'diffusion/dpm-solver';
  if (options.grid === 'continuous') {
    let outerSteps = options.numInferenceSteps;
    if (options.method === 'singlestep') {
      const { outer } = singlestepOrders(options.numInferenceSteps, options.order, options.skipType);
      outerSteps = outer;
    } else if (options.method === 'singlestep_fixed') {
      outerSteps = fixedOrders(options).length;
    }
    const tStart = options.tStart ?? schedule.T;
    const tEnd = options.tEnd ?? schedule.tEnd;
    if (options.method === 'adaptive') return [schedule.levelAtTime(tStart), schedule.levelAtTime(tEnd)];
    let times: Float64Array;
    if (options.method === 'singlestep' && options.skipType !== 'logSNR') {
      const { orders } = singlestepOrders(options.numInferenceSteps, options.order, options.skipType);
      const full = continuousTimeGrid(schedule, options.numInferenceSteps, options.skipType, tStart, tEnd);
      const picked = [full[0]];
      let cumulative = 0;
      for (const o of orders) {
        cumulative += o;
        picked.push(full[cumulative]);
      }
      times = Float64Array.from(picked);
    } else {
      times = continuousTimeGrid(schedule, outerSteps, options.skipType, tStart, tEnd);
    }
    return Array.from(times, (t) => schedule.levelAtTime(t));
  }
  if (options.method !== 'multistep') {
    invalidArgument(
      id,
      'method',
      options.method,
      `${options.method} DPM-Solver runs on dpm_solver_pytorch.py's continuous grid; pass grid: 'continuous'`,
    );
  }
  const bar = requireDiscrete(id, schedule);
  const n = bar.length;
  const lambdas = Array.from(bar, (b) => 0.5 * Math.log(b) - 0.5 * Math.log(1 - b));
  let clipped = 0;
  for (let i = n - 1; i >= 0; i--)
    if (options.lambdaMinClipped !== undefined && lambdas[i] < options.lambdaMinClipped) clipped++;
  const last = n - clipped;
  let timesteps: number[];
  if (options.timesteps) {
    checkCustomTimesteps(id, options.timesteps, n);
    timesteps = [...options.timesteps];
  } else {
    timesteps = dpmSolverMultistepTimesteps(
      n,
      options.numInferenceSteps,
      options.timestepSpacing,
      options.stepsOffset,
      last,
    );
  }
  const allSigmas = Float64Array.from(bar, (b) => Math.sqrt((1 - b) / b));
  let sigmas: number[];
  const custom = [options.useKarrasSigmas, options.useLuLambdas, options.useExponentialSigmas].filter(
    Boolean,
  ).length;
  if (custom > 1) {
    invalidArgument(
      id,
      'useKarrasSigmas/useLuLambdas/useExponentialSigmas',
      'several',
      'choose at most one sigma schedule',
    );
  }
  if (custom === 1 && options.timesteps) {
    invalidArgument(
      id,
      'timesteps',
      'custom',
      'custom timesteps cannot be combined with Karras / Lu / exponential sigmas (as in diffusers)',
    );
  }
  const logSigmas = allSigmas.map(Math.log);
  const count = timesteps.length;
  if (options.useKarrasSigmas) {
    sigmas = Array.from(karrasSigmas(allSigmas[0], allSigmas[n - 1], count));
  } else if (options.useLuLambdas || options.useExponentialSigmas) {
    // _convert_to_lu (rho = 1) on the flipped log sigmas, or exp(linspace(log σmax, log σmin)): both uniform in log σ_K
    const hi = logSigmas[n - 1];
    const lo = logSigmas[0];
    sigmas = Array.from({ length: count }, (_, i) =>
      Math.exp(count === 1 ? hi : hi + (i / (count - 1)) * (lo - hi)),
    );
  } else {
    sigmas = [];
  }
  if (custom === 1) {
    timesteps = sigmas.map((s) => roundHalfEven(sigmaToTimestep(s, logSigmas)));
  } else {
    sigmas = timesteps.map((t) => allSigmas[t]);
  }
  // 'sigma_min': σ_K of ᾱ_0, as diffusers (for Karras / Lu sigmas this is also the last inference sigma)
  const finalSigma = options.finalSigmasType === 'zero' ? 0 : allSigmas[0];
  const points = timesteps.map((t, i) => levelFromSigmaK(t, sigmas[i]));
  points.push(levelFromSigmaK(-1, finalSigma));
  return points;
}

/** 'singlestep_fixed': K = steps // order steps, all of order `order` (at least one step). */
function fixedOrders(options: ParsedOptions): number[] {
  const k = Math.floor(options.numInferenceSteps / options.order);
  if (k < 1) {
    invalidArgument(
      'diffusion/dpm-solver',
      'numInferenceSteps',
      options.numInferenceSteps,
      `singlestep_fixed of order ${options.order} needs at least ${options.order} steps`,
    );
  }
  return Array(k).fill(options.order);
}

/** dpm_solver_pytorch.py `get_orders_and_timesteps_for_singlestep_solver`: the order of each outer step. */
export function singlestepOrders(
  steps: number,
  order: number,
  skipType: string,
): { orders: number[]; outer: number } {
  let orders: number[];
  if (order === 3) {
    const K = Math.floor(steps / 3) + 1;
    if (steps % 3 === 0) orders = [...Array(K - 2).fill(3), 2, 1];
    else if (steps % 3 === 1) orders = [...Array(K - 1).fill(3), 1];
    else orders = [...Array(K - 1).fill(3), 2];
  } else if (order === 2) {
    if (steps % 2 === 0) orders = Array(steps / 2).fill(2);
    else orders = [...Array(Math.floor(steps / 2)).fill(2), 1];
  } else {
    orders = Array(steps).fill(1);
  }
  void skipType;
  return { orders, outer: orders.length };
}

function isData(options: ParsedOptions): boolean {
  return options.algorithm === 'dpmsolver++' || options.algorithm === 'sde-dpmsolver++';
}

/** convert_model_output: the data prediction (++) or noise prediction, with optional thresholding. */
function* convertOutput(
  options: ParsedOptions,
  model: ModelShape,
  x: Vec,
  batch: number,
  level: NoiseLevel,
  out: Float64Array,
  scratch: Float64Array,
): Generator<EvaluationRequest, void, void> {
  yield* evaluate(x, batch, level, out);
  convertInPlace(options, model, x, batch, level, out, scratch);
}

/** The conversion of `convertOutput` (plain function: no loops in generator bodies). */
function convertInPlace(
  options: ParsedOptions,
  model: ModelShape,
  x: Vec,
  batch: number,
  level: NoiseLevel,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const { alpha: a, sigma: s } = level;
  const n = out.length;
  const data = isData(options);
  if (data || options.thresholding) {
    // to x0
    if (model.prediction === 'epsilon') for (let i = 0; i < n; i++) out[i] = (x[i] - s * out[i]) / a;
    else if (model.prediction === 'v') for (let i = 0; i < n; i++) out[i] = a * x[i] - s * out[i];
    if (options.thresholding) {
      const discrete = options.grid === 'discrete';
      dynamicThreshold(
        out,
        batch,
        model.dimension,
        options.dynamicThresholdingRatio,
        discrete ? 1 : options.sampleMaxValue,
        discrete ? options.sampleMaxValue : Number.POSITIVE_INFINITY,
        scratch,
      );
    }
    if (!data) for (let i = 0; i < n; i++) out[i] = (x[i] - a * out[i]) / s;
  } else if (model.prediction === 'sample') {
    for (let i = 0; i < n; i++) out[i] = (x[i] - a * out[i]) / s;
  } else if (model.prediction === 'v') {
    for (let i = 0; i < n; i++) out[i] = a * out[i] + s * x[i];
  }
}

/** `out = cx·x - c0·m` (a first-order DPM-Solver step; plain kernel, no loops in generator bodies). */
function firstOrderInto(out: Float64Array, cx: number, x: Vec, c0: number, m: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = cx * x[i] - c0 * m[i];
}

/** `out = cx·x - c0·m0 + c·(m1 - m0)` (a first-order step plus one difference correction). */
function correctedInto(
  out: Float64Array,
  cx: number,
  x: Vec,
  c0: number,
  m0: Float64Array,
  c: number,
  m1: Float64Array,
): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = cx * x[i] - c0 * m0[i] + c * (m1[i] - m0[i]);
}

/** The third-order singlestep 'taylor' (diffusers 'heun') update from the values at s, s1 = s + r1·h and s2. */
function taylorThirdInto(
  out: Float64Array,
  cx: number,
  x: Vec,
  c0: number,
  ms: Float64Array,
  m1: Float64Array,
  m2: Float64Array,
  r1: number,
  r2: number,
  cd1: number,
  cd2: number,
): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const base = cx * x[i] - c0 * ms[i];
    const d10 = (m1[i] - ms[i]) / r1;
    const d11 = (m2[i] - ms[i]) / r2;
    const d1 = (r2 * d10 - r1 * d11) / (r2 - r1);
    const d2 = (2 * (d11 - d10)) / (r2 - r1);
    out[i] = base + cd1 * d1 + cd2 * d2;
  }
}

/** One multistep update of the given order (diffusers / dpm-solver formulas). */
function multistepUpdate(
  options: ParsedOptions,
  order: number,
  x: Vec,
  levels: readonly NoiseLevel[],
  outputs: readonly Float64Array[],
  target: NoiseLevel,
  noise: Float64Array | null,
  out: Float64Array,
): void {
  const n = out.length;
  const k = outputs.length;
  const s0 = levels[k - 1];
  const m0 = outputs[k - 1];
  const h = target.lambda - s0.lambda;
  const { alpha: at, sigma: st } = target;
  const algorithm = options.algorithm;
  const heun = options.solverType === 'heun';
  let cx: number;
  let c0: number;
  let c1 = 0;
  let c2 = 0;
  let cz = 0;
  if (algorithm === 'dpmsolver++') {
    const phi1 = Math.expm1(-h);
    cx = st / s0.sigma;
    c0 = -at * phi1;
    if (order === 2) c1 = heun ? at * (phi1 / h + 1) : -0.5 * at * phi1;
    if (order === 3) {
      const phi2 = phi1 / h + 1;
      c1 = at * phi2;
      c2 = -at * (phi2 / h - 0.5);
    }
    if (st === 0) cx = 0;
  } else if (algorithm === 'dpmsolver') {
    const phi1 = Math.expm1(h);
    cx = at / s0.alpha;
    c0 = -st * phi1;
    if (order === 2) c1 = heun ? -st * (phi1 / h - 1) : -0.5 * st * phi1;
    if (order === 3) {
      const phi2 = phi1 / h - 1;
      c1 = -st * phi2;
      c2 = -st * (phi2 / h - 0.5);
    }
  } else if (algorithm === 'sde-dpmsolver++') {
    const oneMinus = -Math.expm1(-2 * h);
    cx = st === 0 ? 0 : (st / s0.sigma) * Math.exp(-h);
    c0 = at * oneMinus;
    if (order === 2) c1 = heun ? at * (oneMinus / (-2 * h) + 1) : 0.5 * at * oneMinus;
    cz = st * Math.sqrt(oneMinus);
  } else {
    const phi1 = Math.expm1(h);
    cx = at / s0.alpha;
    c0 = -2 * st * phi1;
    if (order === 2) c1 = heun ? -2 * st * (phi1 / h - 1) : -st * phi1;
    cz = st * Math.sqrt(Math.expm1(2 * h));
  }
  if (order === 1) {
    for (let i = 0; i < n; i++) out[i] = cx * x[i] + c0 * m0[i];
  } else if (order === 2) {
    const m1 = outputs[k - 2];
    const r0 = (s0.lambda - levels[k - 2].lambda) / h;
    for (let i = 0; i < n; i++) out[i] = cx * x[i] + c0 * m0[i] + c1 * ((m0[i] - m1[i]) / r0);
  } else {
    const m1 = outputs[k - 2];
    const m2 = outputs[k - 3];
    const h0 = s0.lambda - levels[k - 2].lambda;
    const h1 = levels[k - 2].lambda - levels[k - 3].lambda;
    const r0 = h0 / h;
    const r1 = h1 / h;
    for (let i = 0; i < n; i++) {
      const d10 = (m0[i] - m1[i]) / r0;
      const d11 = (m1[i] - m2[i]) / r1;
      const d1 = d10 + (r0 / (r0 + r1)) * (d10 - d11);
      const d2 = (d10 - d11) / (r0 + r1);
      out[i] = cx * x[i] + c0 * m0[i] + c1 * d1 + c2 * d2;
    }
  }
  if (noise && cz !== 0) for (let i = 0; i < n; i++) out[i] += cz * noise[i];
}

/**
 * DPM-Solver and DPM-Solver++ (Lu et al., arXiv 2206.00927 and 2211.01095; reference
 * LuChengTHU/dpm-solver dpm_solver_pytorch.py, diffusers DPMSolverMultistepScheduler). With
 * `h = λ_t - λ_s`, the data-prediction (++) first-order step is `x_t = (σ_t/σ_s)x - α_t·expm1(-h)·D_s`
 * (= DDIM); 2M adds `-½α_t·expm1(-h)·D1` (midpoint) with `D1 = (m0 - m1)/r0`, `r0 = h0/h`; 3M adds
 * `α_tφ2·D1 - α_tφ3·D2` with `φ2 = φ1/h + 1`, `φ3 = φ2/h - ½`. Singlestep orders 2/3 use inner points
 * at `λ_s + r1·h` (r1 = ½; or ⅓, ⅔). On the continuous grid the reference's other methods are offered too:
 * 'singlestep_fixed', 'adaptive' (DPM-Solver-12/23) and `denoiseToZero`.
 *
 * Reference quirk not copied: `get_orders_and_timesteps_for_singlestep_solver` with order 1 and skip_type
 * 'logSNR' builds a one-step outer grid for `steps` first-order steps (an index error for steps > 1); here
 * order-1 singlestep takes `steps` steps on the grid.
 *
 * @remarks The reference/diffusers '3M' gives its D2 term half the exact weight, so it converges at
 * order 2 (notes §3); we match the reference. Order rules: on the discrete grid diffusers' (first order
 * at the last step when N < 15, when `eulerAtFinal`, or when the final sigma is zero; second order
 * at the penultimate step when N < 15); on the continuous grid the reference's (warm-up orders 1, 2,
 * …; `min(order, N + 1 - step)` when N < 10). Thresholding clamps the quantile to [1, sampleMaxValue]
 * on the discrete grid (diffusers) and to ≥ sampleMaxValue on the continuous grid (dpm-solver). With
 * `algorithm: 'dpmsolver'` (noise prediction) the implied x̂0 is thresholded and converted back to ε on both
 * grids, as diffusers does; dpm_solver_pytorch.py silently ignores thresholding in that mode.
 * Precision: everything is float64; diffusers keeps `alphas_cumprod` and its sigmas in float32, so its
 * outputs differ from ours (and from our float64 numpy transcription, which we match to 1e-12) at ~1e-7.
 */
export function dpmSolver(input: DpmSolverOptions = {}): Sampler<DpmSolverState> {
  const id = 'diffusion/dpm-solver';
  const options = parseOptions(id, dpmSolverOptions, input);
  const reject = (keys: readonly string[], configuration: string, fix: string) =>
    rejectIneffective(id, options, dpmSolverDefaults, keys, configuration, fix);
  if (options.grid === 'discrete') {
    reject(
      ['skipType', 'tStart', 'tEnd'],
      "on grid 'discrete' (a dpm_solver_pytorch.py continuous-grid setting)",
      "pass grid: 'continuous', or set the discrete grid with timestepSpacing / useLuLambdas / useKarrasSigmas",
    );
  } else {
    reject(
      [
        'timestepSpacing',
        'stepsOffset',
        'timesteps',
        'useKarrasSigmas',
        'useLuLambdas',
        'useExponentialSigmas',
        'lambdaMinClipped',
        'finalSigmasType',
      ],
      "on grid 'continuous' (a diffusers DPMSolverMultistepScheduler setting)",
      "use grid: 'discrete', or on the continuous grid choose skipType ('logSNR' is uniform in λ, as useLuLambdas) and tStart / tEnd",
    );
  }
  if (options.grid === 'discrete')
    rejectIneffectiveDiscrete(id, { ...options, clipSample: true }, dpmSolverDefaults);
  else if (!options.thresholding) {
    reject(
      ['dynamicThresholdingRatio', 'sampleMaxValue'],
      'without thresholding',
      'set thresholding: true or drop the option',
    );
  }
  if (options.method === 'adaptive') {
    reject(
      ['numInferenceSteps', 'skipType', 'lowerOrderFinal', 'eulerAtFinal'],
      "with method 'adaptive' (it chooses its own steps)",
      'drop the option, or tune atol / rtol / hInit / theta instead',
    );
  } else {
    reject(
      ['atol', 'rtol', 'hInit', 'theta', 'tErr', 'maxAttempts'],
      `with method '${options.method}' (an adaptive-solver setting)`,
      "use method: 'adaptive' (grid 'continuous') or drop the option",
    );
  }
  if (options.method === 'singlestep' || options.method === 'singlestep_fixed') {
    reject(
      ['lowerOrderFinal', 'eulerAtFinal'],
      `with method '${options.method}' (its orders list is fixed by the step count)`,
      'drop the option, or use method multistep',
    );
  }
  if (options.finalSigmasType === 'zero' && !isData(options) && options.grid === 'discrete') {
    invalidArgument(
      id,
      'finalSigmasType',
      'zero',
      `a zero final sigma is not defined for the noise-prediction algorithm '${options.algorithm}'; use 'sigma_min' or a dpmsolver++ algorithm`,
    );
  }
  if (options.method !== 'multistep' && options.algorithm.startsWith('sde')) {
    invalidArgument(
      id,
      'algorithm',
      options.algorithm,
      `${options.method} supports 'dpmsolver++' and 'dpmsolver'`,
    );
  }
  if (options.method === 'adaptive' && options.order === 1) {
    invalidArgument(
      id,
      'order',
      1,
      'the adaptive solver pairs orders 1-2 (order: 2, DPM-Solver-12) or 2-3 (order: 3, DPM-Solver-23)',
    );
  }
  if (options.denoiseToZero && options.grid !== 'continuous') {
    invalidArgument(
      id,
      'denoiseToZero',
      true,
      "denoise_to_zero belongs to dpm_solver_pytorch.py's continuous grid; on the discrete grid use finalSigmasType: 'zero'",
    );
  }
  if (options.algorithm.startsWith('sde') && options.order === 3) {
    invalidArgument(id, 'order', 3, 'the SDE variants are implemented for orders 1 and 2');
  }
  const grid = (schedule: NoiseSchedule) => dpmSolverGrid(options, schedule);
  const singlestep = options.method === 'singlestep' || options.method === 'singlestep_fixed';
  return makeSampler<DpmSolverState>({
    id:
      options.method === 'multistep'
        ? 'diffusion/dpm-solver-pp'
        : `diffusion/dpm-solver-${options.method.replace('_', '-')}`,
    grid,
    ...(options.method === 'adaptive'
      ? {
          steps: () => options.maxAttempts,
          noScheduler:
            'the adaptive solver picks its step sizes from the samples, so its evaluation times are not known in advance; use the multistep or singlestep methods for a scheduler',
        }
      : {}),
    init(x0, problem, points, base) {
      const n = x0.length;
      return {
        ...base,
        history: [],
        historyLevels: [],
        spare: new Float64Array(n),
        work: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
        noise: new Float64Array(n),
        scratch: new Float64Array(problem.model.dimension),
        lowerOrderNums: 0,
        orders:
          options.method === 'singlestep'
            ? singlestepOrders(options.numInferenceSteps, options.order, options.skipType).orders
            : options.method === 'singlestep_fixed'
              ? fixedOrders(options)
              : Array(points.length - 1).fill(options.order),
        adaptive:
          options.method === 'adaptive'
            ? {
                time: options.tStart ?? problem.schedule.T,
                h: options.hInit,
                previous: Float64Array.from(x0),
                lower: new Float64Array(n),
                accepted: 0,
                rejected: 0,
              }
            : null,
      };
    },
    *program(x, state, problem, context) {
      const { model, batch, schedule } = problem;
      const i = state.index;
      const current = state.points[i];
      const target = state.points[i + 1];
      const next = nextBuffer(state, x);
      const n = x.length;
      if (options.method === 'adaptive') return yield* adaptiveStep(options, problem, x, state, next);
      if (singlestep) {
        const order = state.orders[i];
        yield* singlestepUpdate(options, order, model, batch, schedule, x, current, target, state, next);
        if (options.denoiseToZero && i === state.points.length - 2)
          yield* denoiseToZero(options, problem, target, state, next);
        return advance(state, next, { timestep: current.time, order });
      }
      const steps = state.points.length - 1;
      const { history, historyLevels } = state;
      // evaluated into the spare buffer; the history takes it only after the evaluation succeeded (the step driver
      // checks the model output is finite before the conversion; a finite output converts to a finite value, as
      // α >= 2^-12 on every grid point a model is evaluated at), so a failed step commits nothing
      const out = state.spare;
      yield* convertOutput(options, model, x, batch, current, out, state.scratch);
      state.nfe++;
      state.spare = history.length >= 3 ? (history.shift() as Float64Array) : new Float64Array(n);
      if (historyLevels.length >= 3) historyLevels.shift();
      history.push(out);
      historyLevels.push(current);
      let order: number;
      if (options.grid === 'discrete') {
        const lowerFinal =
          i === steps - 1 &&
          (options.eulerAtFinal ||
            (options.lowerOrderFinal && steps < 15) ||
            options.finalSigmasType === 'zero');
        const lowerSecond = i === steps - 2 && options.lowerOrderFinal && steps < 15;
        if (options.order === 1 || state.lowerOrderNums < 1 || lowerFinal) order = 1;
        else if (options.order === 2 || state.lowerOrderNums < 2 || lowerSecond) order = 2;
        else order = 3;
      } else {
        order = Math.min(options.order, i + 1);
        if (options.lowerOrderFinal && steps < 10) order = Math.min(order, steps - i);
        if (options.eulerAtFinal && i === steps - 1) order = 1;
      }
      let noise: Float64Array | null = null;
      if (options.algorithm.startsWith('sde')) noise = context.rng.fillNormal(state.noise);
      multistepUpdate(options, order, x, historyLevels, history, target, noise, next);
      if (state.lowerOrderNums < options.order) state.lowerOrderNums++;
      if (options.denoiseToZero && i === steps - 1)
        yield* denoiseToZero(options, problem, target, state, next);
      return advance(state, next, { timestep: current.time, order });
    },
  });
}

function* singlestepUpdate(
  options: ParsedOptions,
  order: number,
  model: ModelShape,
  batch: number,
  schedule: NoiseSchedule,
  x: Vec,
  s: NoiseLevel,
  t: NoiseLevel,
  state: DpmSolverState,
  out: Float64Array,
  ratios?: { readonly r1: number; readonly r2: number },
  precomputed = 0,
): Generator<EvaluationRequest, void, void> {
  const [ms, m1, m2] = state.work;
  const u = state.noise; // reused as the intermediate iterate (no noise in singlestep)
  const data = isData(options);
  // `precomputed`: model values already in the work buffers (1: at s; 2: at s and s1), as the adaptive
  // solver's higher-order update reuses its lower-order update's evaluations
  if (precomputed < 1) {
    yield* convertOutput(options, model, x, batch, s, ms, state.scratch);
    state.nfe++;
  }
  const h = t.lambda - s.lambda;
  // r1, r2 from the inner grid's λ ratios
  let r1 = 0.5;
  let r2 = 0;
  if (ratios) {
    r1 = ratios.r1;
    r2 = ratios.r2;
  } else if (order >= 2) {
    const sTime = schedule.inverseLambda(s.lambda);
    const tTime = schedule.inverseLambda(t.lambda);
    const inner = continuousTimeGrid(schedule, order, options.skipType, sTime, tTime).map((time) =>
      schedule.marginalLambda(time),
    );
    r1 = (inner[1] - inner[0]) / (inner[order] - inner[0]);
    if (order === 3) r2 = (inner[2] - inner[0]) / (inner[order] - inner[0]);
  }
  const levelAt = (lambda: number) => schedule.levelAtTime(schedule.inverseLambda(lambda));
  if (order === 1) {
    const phi1 = data ? Math.expm1(-h) : Math.expm1(h);
    if (data) firstOrderInto(out, t.sigma / s.sigma, x, t.alpha * phi1, ms);
    else firstOrderInto(out, t.alpha / s.alpha, x, t.sigma * phi1, ms);
    return;
  }
  const heun = options.solverType === 'heun';
  const s1 = levelAt(s.lambda + r1 * h);
  if (order === 2) {
    if (data) {
      const phi11 = Math.expm1(-r1 * h);
      const phi1 = Math.expm1(-h);
      firstOrderInto(u, s1.sigma / s.sigma, x, s1.alpha * phi11, ms);
      if (precomputed < 2) {
        yield* convertOutput(options, model, u, batch, s1, m1, state.scratch);
        state.nfe++;
      }
      const c = heun ? (1 / r1) * t.alpha * (phi1 / h + 1) : -(0.5 / r1) * t.alpha * phi1;
      correctedInto(out, t.sigma / s.sigma, x, t.alpha * phi1, ms, c, m1);
    } else {
      const phi11 = Math.expm1(r1 * h);
      const phi1 = Math.expm1(h);
      firstOrderInto(u, s1.alpha / s.alpha, x, s1.sigma * phi11, ms);
      if (precomputed < 2) {
        yield* convertOutput(options, model, u, batch, s1, m1, state.scratch);
        state.nfe++;
      }
      const c = heun ? -(1 / r1) * t.sigma * (phi1 / h - 1) : -(0.5 / r1) * t.sigma * phi1;
      correctedInto(out, t.alpha / s.alpha, x, t.sigma * phi1, ms, c, m1);
    }
    return;
  }
  const s2 = levelAt(s.lambda + r2 * h);
  if (data) {
    const phi11 = Math.expm1(-r1 * h);
    const phi12 = Math.expm1(-r2 * h);
    const phi1 = Math.expm1(-h);
    const phi22 = Math.expm1(-r2 * h) / (r2 * h) + 1;
    const phi2 = phi1 / h + 1;
    const phi3 = phi2 / h - 0.5;
    firstOrderInto(u, s1.sigma / s.sigma, x, s1.alpha * phi11, ms);
    if (precomputed < 2) {
      yield* convertOutput(options, model, u, batch, s1, m1, state.scratch);
      state.nfe++;
    }
    correctedInto(u, s2.sigma / s.sigma, x, s2.alpha * phi12, ms, (r2 / r1) * s2.alpha * phi22, m1);
    yield* convertOutput(options, model, u, batch, s2, m2, state.scratch);
    if (!heun) correctedInto(out, t.sigma / s.sigma, x, t.alpha * phi1, ms, (1 / r2) * t.alpha * phi2, m2);
    else
      taylorThirdInto(
        out,
        t.sigma / s.sigma,
        x,
        t.alpha * phi1,
        ms,
        m1,
        m2,
        r1,
        r2,
        t.alpha * phi2,
        -(t.alpha * phi3),
      );
  } else {
    const phi11 = Math.expm1(r1 * h);
    const phi12 = Math.expm1(r2 * h);
    const phi1 = Math.expm1(h);
    const phi22 = Math.expm1(r2 * h) / (r2 * h) - 1;
    const phi2 = phi1 / h - 1;
    const phi3 = phi2 / h - 0.5;
    firstOrderInto(u, s1.alpha / s.alpha, x, s1.sigma * phi11, ms);
    if (precomputed < 2) {
      yield* convertOutput(options, model, u, batch, s1, m1, state.scratch);
      state.nfe++;
    }
    correctedInto(u, s2.alpha / s.alpha, x, s2.sigma * phi12, ms, -((r2 / r1) * s2.sigma * phi22), m1);
    yield* convertOutput(options, model, u, batch, s2, m2, state.scratch);
    if (!heun) correctedInto(out, t.alpha / s.alpha, x, t.sigma * phi1, ms, -((1 / r2) * t.sigma * phi2), m2);
    else
      taylorThirdInto(
        out,
        t.alpha / s.alpha,
        x,
        t.sigma * phi1,
        ms,
        m1,
        m2,
        r1,
        r2,
        -(t.sigma * phi2),
        -(t.sigma * phi3),
      );
  }
  state.nfe++;
}
