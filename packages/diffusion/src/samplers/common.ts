import {
  assertAllocation,
  assertVec,
  createRng,
  invalidArgument,
  monotonicNow,
  type Optimizer,
  type OptimizerContext,
  type ResultBase,
  type Rng,
  type SolveResult,
  type SolveStatus,
  type SolveWarning,
  type StepInfo,
  type StepResult,
  type Trace,
  type Vec,
} from '@argmin/core';
import type { AsyncDenoiserModel, DenoiserModel } from '../models/model';
import type { NoiseLevel, NoiseSchedule } from '../schedules/schedule';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler';

/**
 * What a sampler runs on: the denoiser, the schedule, and the batch size of the flattened iterate. Sampler
 * steps read only the model's `dimension` and `prediction`; evaluations go through `EvaluationRequest`s.
 */
export interface SamplingProblem {
  readonly model: DenoiserModel | AsyncDenoiserModel;
  readonly schedule: NoiseSchedule;
  readonly batch: number;
}

/**
 * One model evaluation a sampler step asks for: predict every row of `x` (`batch` rows) at `level` into
 * `out`. One request is one NFE (Time-Shift's per-sample times split one NFE into several requests).
 */
export interface EvaluationRequest {
  readonly x: Vec;
  readonly batch: number;
  readonly level: NoiseLevel;
  readonly out: Float64Array;
}

/**
 * A sampler step written once for every way of running it: a generator that yields each model evaluation
 * it needs and returns the step's result. `sample` answers the requests synchronously, `sampleAsync` awaits
 * Promise-returning models, and the scheduler form takes the outputs from the caller's own loop; the
 * arithmetic is the same code, so the three agree bit for bit.
 */
export type StepProgram<S> = Generator<EvaluationRequest, StepResult<S>, void>;

/** Asks the driver for one evaluation of the model at `level` (written into `out`, returned). */
export function* evaluate(
  x: Vec,
  batch: number,
  level: NoiseLevel,
  out: Float64Array,
): Generator<EvaluationRequest, Float64Array, void> {
  yield { x, batch, level, out };
  return out;
}

function isPromiseLike(value: unknown): value is PromiseLike<Vec> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Copies what a model returned into the request's buffer when it returned another array. */
function acceptOutput(where: string, returned: unknown, request: EvaluationRequest): void {
  if (returned === request.out || returned === undefined) return;
  const output = returned as ArrayLike<number>;
  if (typeof output !== 'object' || output === null || output.length !== request.out.length) {
    invalidArgument(
      where,
      'model.predict',
      output === null || typeof output !== 'object' ? output : `length ${output.length}`,
      `\`model.predict\` must fill \`out\` (length ${request.out.length} = batch ${request.batch} x dimension) or return an array of that length`,
    );
  }
  request.out.set(output);
}

/** Answers one request synchronously; a Promise-returning model is a named error pointing to sampleAsync. */
export function evaluateSync(
  where: string,
  model: DenoiserModel | AsyncDenoiserModel,
  request: EvaluationRequest,
): void {
  const returned = model.predict(request.x, request.batch, request.level, request.out);
  if (returned === request.out) return;
  if (isPromiseLike(returned)) {
    invalidArgument(
      where,
      'model',
      'a Promise',
      '`model` is asynchronous (its predict returned a Promise); call sampleAsync(...) and await it',
    );
  }
  acceptOutput(where, returned, request);
}

/** Answers one request, awaiting the model when it returns a Promise. */
export async function evaluateAsync(
  where: string,
  model: DenoiserModel | AsyncDenoiserModel,
  request: EvaluationRequest,
): Promise<void> {
  let returned: unknown = model.predict(request.x, request.batch, request.level, request.out);
  if (returned === request.out) return;
  if (isPromiseLike(returned)) returned = await returned;
  acceptOutput(where, returned, request);
}

/** Runs a program to its end, answering every request synchronously. */
export function runSync<R>(
  where: string,
  program: Generator<EvaluationRequest, R, void>,
  model: DenoiserModel | AsyncDenoiserModel,
): R {
  for (;;) {
    const next = program.next();
    if (next.done) return next.value;
    evaluateSync(where, model, next.value);
  }
}

/** Runs a program to its end, awaiting Promise-returning models. */
export async function runAsync<R>(
  where: string,
  program: Generator<EvaluationRequest, R, void>,
  model: DenoiserModel | AsyncDenoiserModel,
): Promise<R> {
  for (;;) {
    const next = program.next();
    if (next.done) return next.value;
    await evaluateAsync(where, model, next.value);
  }
}

/** True when every entry is finite. */
/**
 * After a failed step, the scratch buffers it wrote (evaluation outputs, work arrays) may hold NaN
 * even though the step committed nothing: the returned state must hold no NaN, so any Float64Array of
 * the state holding a NaN is cleared to 0. Committed history is never non-finite (model
 * outputs are checked before they are committed), so only scratch is affected.
 */
export function clearNonFiniteScratch(state: unknown, depth = 0): void {
  if (typeof state !== 'object' || state === null || depth > 4) return;
  if (state instanceof Float64Array) {
    // NaN only: ±Infinity can be a legitimate value (log-SNR at a schedule's end).
    for (let i = 0; i < state.length; i++)
      if (Number.isNaN(state[i])) {
        state.fill(0);
        return;
      }
    return;
  }
  if (ArrayBuffer.isView(state)) return;
  const values = Array.isArray(state) ? state : Object.values(state as Record<string, unknown>);
  for (const value of values) clearNonFiniteScratch(value, depth + 1);
}

export function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * A step whose model outputs are checked: when an output is not finite the step is abandoned before it
 * commits anything (steps commit their state only after their evaluations), and the step ends with
 * 'numerical-error' returning the input samples and the state as they were.
 */
export function* checkedStep<S extends GridState>(program: StepProgram<S>, x: Vec, state: S): StepProgram<S> {
  for (;;) {
    const next = program.next();
    if (next.done) return next.value;
    const request = next.value;
    yield request;
    if (!allFinite(request.out)) {
      program.return(undefined as never);
      return {
        x,
        state,
        info: { nfe: state.nfe },
        status: 'numerical-error',
        message: `the model returned a non-finite value at time ${request.level.time} (step ${state.index + 1}); returning the last finite samples and state`,
      };
    }
  }
}

/**
 * The state every grid sampler carries. `points[i]` is the noise level of the iterate after step i
 * (points[0] is x_T's level); step i moves points[i] → points[i+1]. `points` is a per-run copy that
 * the Time-Shift wrapper may override.
 */
export interface GridState {
  readonly points: NoiseLevel[];
  index: number;
  /** Model evaluations (one per batch call). */
  nfe: number;
  /** Ping-pong iterate buffers (x is never mutated in place). */
  readonly buffers: [Float64Array, Float64Array];
}

/**
 * A sampler: an Optimizer over the flattened batch (so `solve`, pipelines and observers run it step by
 * step) plus `sample` (synchronous models), `sampleAsync` (models whose predict may return a Promise) and a
 * diffusers-style `scheduler` for callers who drive their own loop.
 */
export interface Sampler<S extends GridState = GridState> extends Optimizer<SamplingProblem, S> {
  /** The nominal grid of noise levels this sampler walks for a schedule. */
  grid(schedule: NoiseSchedule): NoiseLevel[];
  /** Runs the whole sampling loop from x_T (row-major batch × d) with a synchronous model. */
  sample(model: DenoiserModel, schedule: NoiseSchedule, xT: Vec, options?: SampleOptions): SampleResult<S>;
  /**
   * The same loop for a model whose `predict` may return a Promise (onnxruntime, tfjs, WebGPU backends);
   * evaluations are awaited one at a time, in the order `sample` makes them, so the result is bit-identical to
   * `sample` for a model that computes the same numbers.
   */
  sampleAsync(
    model: DenoiserModel | AsyncDenoiserModel,
    schedule: NoiseSchedule,
    xT: Vec,
    options?: SampleOptions,
  ): Promise<SampleResult<S>>;
  /** One step as a program of evaluation requests (what `step`, `sample`, `sampleAsync` and `scheduler` drive). */
  program(x: Vec, state: S, problem: SamplingProblem, context: OptimizerContext): StepProgram<S>;
  /**
   * A diffusers-style scheduler: `timesteps` lists the model times of every evaluation in order, and
   * `step(modelOutput, t, x)` returns the next point to evaluate the model at (the next iterate, or a
   * sampler's intermediate point, as diffusers' PNDM does). See `Scheduler`.
   */
  scheduler(schedule: NoiseSchedule, options: SchedulerOptions): Scheduler;
  /** Number of `step` calls for a schedule (grid intervals). */
  steps(schedule: NoiseSchedule): number;
}

/** Options of `sample` and `sampleAsync`. */
export interface SampleOptions {
  /** Seed of the run's Rng (stochastic samplers). Default 0. */
  readonly seed?: number;
  /** Use this generator instead (advanced by the run). */
  readonly rng?: Rng;
}

/**
 * What `sample` returns: core's `ResultBase` (status, converged, iterations = sampler steps taken, message,
 * warnings, columnar trace of each step's metrics) plus the samples.
 */
export interface SampleResult<S = GridState> extends ResultBase {
  /** Final samples, row-major batch × d (the last finite ones when the status is 'numerical-error'). */
  readonly x: Float64Array;
  /** Model evaluations (batch calls). */
  readonly nfe: number;
  /** The model times of the grid actually walked (after any time shift). */
  readonly times: number[];
  /** The sampler's final state (the last finite one when the status is 'numerical-error'). */
  readonly state: S;
  /** The seed of the run's Rng. */
  readonly seed: number;
  readonly elapsedMs: number;
  /** The same run as core's `SolveResult` (kept for code written against the first release). */
  readonly result: SolveResult<S>;
}

/** Picks the buffer to write the next iterate into (never the input). */
export function nextBuffer(state: GridState, x: Vec): Float64Array {
  return x === state.buffers[0] ? state.buffers[1] : state.buffers[0];
}

/** Model output → (ε, x0) at `level`; model output goes to `raw`. */
export function* predictEpsilonAndSample(
  model: { readonly prediction: DenoiserModel['prediction'] },
  x: Vec,
  batch: number,
  level: NoiseLevel,
  raw: Float64Array,
  epsilon: Float64Array,
  sample: Float64Array,
): Generator<EvaluationRequest, void, void> {
  yield* evaluate(x, batch, level, raw);
  splitPrediction(model.prediction, x, level, raw, epsilon, sample);
}

/**
 * (ε, x0) from a raw model output at `level`. Hot loops live in plain functions like this one, never in the
 * generator bodies of the step programs: V8 runs loops inside generator functions several times slower.
 */
export function splitPrediction(
  prediction: DenoiserModel['prediction'],
  x: Vec,
  level: NoiseLevel,
  raw: Float64Array,
  epsilon: Float64Array,
  sample: Float64Array,
): void {
  const { alpha: a, sigma: s } = level;
  const n = raw.length;
  if (prediction === 'epsilon') {
    for (let i = 0; i < n; i++) {
      epsilon[i] = raw[i];
      sample[i] = (x[i] - s * raw[i]) / a;
    }
  } else if (prediction === 'sample') {
    for (let i = 0; i < n; i++) {
      sample[i] = raw[i];
      epsilon[i] = (x[i] - a * raw[i]) / s;
    }
  } else {
    for (let i = 0; i < n; i++) {
      sample[i] = a * x[i] - s * raw[i];
      epsilon[i] = a * raw[i] + s * x[i];
    }
  }
}

/** out[i] = base[i] + u[i]/k (`base` may be `out`; pass base = null for out[i] = u[i]/k). Division kept as such for bit parity. */
export function addDividedInto(out: Float64Array, base: Vec | null, u: Vec, k: number): Float64Array {
  const n = out.length;
  if (base === null) for (let i = 0; i < n; i++) out[i] = u[i] / k;
  else for (let i = 0; i < n; i++) out[i] = base[i] + u[i] / k;
  return out;
}

/** out[i] = (u[i] + v[i])/2. */
export function averageInto(out: Float64Array, u: Vec, v: Vec): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = (u[i] + v[i]) / 2;
  return out;
}

/**
 * Imagen's dynamic thresholding, per sample: `s = quantile(|x0|, ratio)` (linear interpolation, as
 * torch.quantile), `s = clamp(s, lower, upper)`, `x0 ← clamp(x0, -s, s)/s`. diffusers uses
 * lower = 1, upper = sample_max_value; dpm-solver uses lower = thresholding_max_val, upper = ∞.
 */
export function dynamicThreshold(
  x0: Float64Array,
  batch: number,
  dimension: number,
  ratio: number,
  lower: number,
  upper: number,
  scratch: Float64Array,
): void {
  for (let b = 0; b < batch; b++) {
    const offset = b * dimension;
    for (let i = 0; i < dimension; i++) scratch[i] = Math.abs(x0[offset + i]);
    const position = ratio * (dimension - 1);
    const lo = Math.floor(position);
    // the lo-th order statistic by selection (O(d), no sort); the next one is the minimum to its right
    const low = selectInPlace(scratch, dimension, lo);
    let high = low;
    if (lo + 1 < dimension) {
      high = scratch[lo + 1];
      for (let i = lo + 2; i < dimension; i++) if (scratch[i] < high) high = scratch[i];
    }
    let s = low + (position - lo) * (high - low);
    s = Math.min(upper, Math.max(lower, s));
    for (let i = 0; i < dimension; i++) {
      const v = x0[offset + i];
      x0[offset + i] = (v > s ? s : Math.max(v, -s)) / s;
    }
  }
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): rearranges `values[0..n)` so that `values[k]` is the
 * k-th smallest, everything left of it is <= and everything right of it is >=. Returns `values[k]`.
 */
export function selectInPlace(values: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    // median of three to values[mid]
    if (values[mid] < values[left]) swap(values, mid, left);
    if (values[right] < values[left]) swap(values, right, left);
    if (values[right] < values[mid]) swap(values, right, mid);
    const pivot = values[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k];
}

function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i];
  values[i] = values[j];
  values[j] = t;
}

/** Validates the sampling boundary: x_T a finite Float64Array whose length is a multiple of d. */
export function checkSamplingInput(
  where: string,
  model: DenoiserModel | AsyncDenoiserModel,
  xT: Vec,
): number {
  assertVec(where, 'xT', xT);
  const d = model.dimension;
  if (!Number.isInteger(d) || d < 1)
    invalidArgument(where, 'model.dimension', d, 'must be a positive integer');
  if (xT.length === 0 || xT.length % d !== 0) {
    invalidArgument(
      where,
      'xT',
      `length ${xT.length}`,
      `batch dimension mismatch: x_T is a row-major [batch, ${d}] array, so its length must be a positive multiple of the model dimension ${d}`,
    );
  }
  for (let i = 0; i < xT.length; i++) {
    if (!Number.isFinite(xT[i])) invalidArgument(where, `xT[${i}]`, xT[i], 'x_T must be finite');
  }
  return xT.length / d;
}

/** The pieces a grid sampler is built from. */
export interface SamplerDefinition<S extends GridState> {
  readonly id: string;
  grid(schedule: NoiseSchedule): NoiseLevel[];
  init(
    x0: Vec,
    problem: SamplingProblem,
    points: NoiseLevel[],
    base: GridState,
    context: OptimizerContext,
  ): S;
  /** One step as a generator of evaluation requests (see `StepProgram`). */
  program(x: Vec, state: S, problem: SamplingProblem, context: OptimizerContext): StepProgram<S>;
  /** The number of steps for a schedule (default: grid length - 1). */
  steps?(schedule: NoiseSchedule): number;
  /**
   * Why this sampler has no scheduler form (its evaluation times depend on the samples), if it has none.
   */
  readonly noScheduler?: string;
}

/** Columnar trace of step metrics (as core's solve records them: NaN where a step did not report a metric). */
class TraceRecorder {
  readonly iteration: number[] = [];
  readonly elapsedMs: number[] = [];
  readonly metrics: Record<string, number[]> = {};

  record(iteration: number, elapsed: number, info: StepInfo): void {
    const row = this.iteration.length;
    this.iteration.push(iteration);
    this.elapsedMs.push(elapsed);
    for (const key in info) {
      let column = this.metrics[key];
      if (!column) {
        column = new Array<number>(row).fill(Number.NaN);
        this.metrics[key] = column;
      }
      column.push(info[key]);
    }
    for (const key in this.metrics) if (this.metrics[key].length === row) this.metrics[key].push(Number.NaN);
  }

  toTrace(): Trace {
    return { iteration: this.iteration, elapsedMs: this.elapsedMs, metrics: this.metrics };
  }
}

/**
 * The whole sampling run as one program: init, then steps until a step ends the run, the step budget is
 * spent, or the samples stop being finite. The same code serves `sample` (answered synchronously) and
 * `sampleAsync` (awaited), so both give the same bits, statuses and traces.
 */
function* runProgram<S extends GridState>(
  sampler: Sampler<S>,
  problem: SamplingProblem,
  xT: Vec,
  options: SampleOptions,
): Generator<EvaluationRequest, SampleResult<S>, void> {
  const seed = options.rng?.seed ?? options.seed ?? 0;
  const rng = options.rng ?? createRng(seed);
  const warnings: SolveWarning[] = [];
  const context: OptimizerContext = { rng, warn: (w) => warnings.push(w) };
  const total = sampler.steps(problem.schedule);
  const trace = new TraceRecorder();
  const start = monotonicNow();
  let x: Vec = xT.slice();
  let state = sampler.init(x, problem, context);
  let info: StepInfo = {};
  let iteration = 0;
  let status: SolveStatus | undefined;
  let message = '';
  while (status === undefined) {
    const step = yield* checkedStep(sampler.program(x, state, problem, context), x, state);
    iteration++;
    const elapsed = monotonicNow() - start;
    info = step.info;
    if (!allFinite(step.x)) {
      status = 'numerical-error';
      message = `the samples became non-finite at step ${iteration}; returning the last finite samples`;
      break;
    }
    x = step.x;
    state = step.state;
    trace.record(iteration, elapsed, info);
    if (step.status !== undefined) {
      status = step.status;
      message = step.message ?? step.status;
    } else if (iteration >= total) {
      status = 'max-iterations';
      message = `reached the maximum of ${total} steps`;
    }
  }
  const elapsedMs = monotonicNow() - start;
  if (status === 'numerical-error') clearNonFiniteScratch(state);
  const samples = Float64Array.from(x);
  const common = {
    status,
    converged: status === 'converged',
    iterations: iteration,
    message,
    warnings,
    trace: trace.toTrace(),
    state,
    seed,
    elapsedMs,
  };
  const result: SolveResult<S> = {
    ...common,
    x,
    info,
    method: { id: sampler.id },
    oracleCalls: undefined,
  };
  return {
    ...common,
    x: samples,
    nfe: state.nfe,
    times: state.points.map((p) => p.time),
    result,
  };
}

/** Builds a grid sampler from its pieces, adding `step`, `sample`, `sampleAsync`, `scheduler` and `steps`. */
export function makeSampler<S extends GridState>(definition: SamplerDefinition<S>): Sampler<S> {
  const steps = definition.steps ?? ((schedule: NoiseSchedule) => definition.grid(schedule).length - 1);
  const id = definition.id;
  const sampler: Sampler<S> = {
    id,
    grid: definition.grid,
    steps,
    init(x0, problem, context) {
      const points = definition.grid(problem.schedule);
      // the largest sampler (Time-Shift) keeps 12 arrays of the batch's size (iterates, history, work buffers)
      assertAllocation(id, 'the sampler buffers (up to 12 x batch x dimension)', 12 * x0.length);
      const base: GridState = {
        points,
        index: 0,
        nfe: 0,
        buffers: [new Float64Array(x0.length), new Float64Array(x0.length)],
      };
      return definition.init(x0, problem, points, base, context);
    },
    program: definition.program,
    step(x, state, problem, context) {
      return runSync(
        `${id}.step`,
        checkedStep(definition.program(x, state, problem, context), x, state),
        problem.model,
      );
    },
    sample(model, schedule, xT, options = {}) {
      const where = `${id}.sample`;
      const batch = checkSamplingInput(where, model, xT);
      return runSync(where, runProgram(sampler, { model, schedule, batch }, xT, options), model);
    },
    async sampleAsync(model, schedule, xT, options = {}) {
      const where = `${id}.sampleAsync`;
      const batch = checkSamplingInput(where, model, xT);
      return runAsync(where, runProgram(sampler, { model, schedule, batch }, xT, options), model);
    },
    scheduler(schedule, options) {
      if (definition.noScheduler) invalidArgument(`${id}.scheduler`, 'sampler', id, definition.noScheduler);
      return createScheduler(sampler, schedule, options);
    },
  };
  return sampler;
}

/** The step result of a grid sampler after writing `next`. */
export function advance<S extends GridState>(
  state: S,
  next: Float64Array,
  info: Record<string, number>,
): StepResult<S> {
  state.index += 1;
  const done = state.index >= state.points.length - 1;
  return {
    x: next,
    state,
    info: { ...info, nfe: state.nfe },
    ...(done ? { status: 'converged' as const, message: 'reached the last timestep' } : {}),
  };
}

/**
 * The package's one rule for options that do nothing in the chosen configuration: an option set to a
 * non-default value where it has no effect is an `InvalidArgumentError` at construction, naming the option,
 * the configuration and the fix (never a silent no-op, and not a warning, because the configuration is
 * known before anything runs). An option left at its default passes, so the registry's parsed options (every
 * default filled in) are accepted.
 */
export function rejectIneffective(
  id: string,
  options: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  configuration: string,
  fix: string,
): void {
  for (const key of keys) {
    const value = options[key];
    if (value !== undefined && !Object.is(value, defaults[key])) {
      invalidArgument(
        id,
        key,
        Array.isArray(value) ? `[${value.join(', ')}]` : value,
        `\`${key}\` has no effect ${configuration}; ${fix}`,
      );
    }
  }
}

/**
 * The rules shared by the diffusers-style discrete samplers: custom timesteps replace numInferenceSteps,
 * timestepSpacing and stepsOffset; stepsOffset applies to 'leading' spacing only; the thresholding
 * parameters need `thresholding`; clipSampleRange needs clipSample without thresholding.
 */
export function rejectIneffectiveDiscrete(
  id: string,
  options: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
): void {
  if (options.timesteps !== undefined) {
    rejectIneffective(
      id,
      options,
      defaults,
      ['numInferenceSteps', 'timestepSpacing', 'stepsOffset'],
      'with custom timesteps',
      'the timesteps list alone sets the grid; drop the option or the timesteps',
    );
  } else if (options.timestepSpacing !== 'leading') {
    rejectIneffective(
      id,
      options,
      defaults,
      ['stepsOffset'],
      `with timestepSpacing '${String(options.timestepSpacing)}' (diffusers adds steps_offset to 'leading' timesteps only)`,
      "use timestepSpacing 'leading' or drop stepsOffset",
    );
  }
  if ('thresholding' in defaults && options.thresholding === false) {
    rejectIneffective(
      id,
      options,
      defaults,
      ['dynamicThresholdingRatio', 'sampleMaxValue'],
      'without thresholding',
      'set thresholding: true or drop the option',
    );
  }
  if ('clipSampleRange' in defaults && (options.clipSample === false || options.thresholding === true)) {
    rejectIneffective(
      id,
      options,
      defaults,
      ['clipSampleRange'],
      options.thresholding === true
        ? 'with thresholding (which replaces clipping, as in diffusers)'
        : 'without clipSample',
      'set clipSample: true (and thresholding: false) or drop clipSampleRange',
    );
  }
}
