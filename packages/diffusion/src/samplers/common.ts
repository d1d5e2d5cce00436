import {
  assertVec,
  invalidArgument,
  maxIterations,
  type Optimizer,
  type OptimizerContext,
  type Rng,
  type SolveResult,
  type StepResult,
  solve,
  type Vec,
} from '@argmin/core';
import type { DenoiserModel } from '../models/model';
import type { NoiseLevel, NoiseSchedule } from '../schedules/schedule';

/** What a sampler runs on: the denoiser, the schedule, and the batch size of the flattened iterate. */
export interface SamplingProblem {
  readonly model: DenoiserModel;
  readonly schedule: NoiseSchedule;
  readonly batch: number;
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

/** A sampler: an Optimizer over the flattened batch plus a `sample` convenience. */
export interface Sampler<S extends GridState = GridState> extends Optimizer<SamplingProblem, S> {
  /** The nominal grid of noise levels this sampler walks for a schedule. */
  grid(schedule: NoiseSchedule): NoiseLevel[];
  /** Runs the whole sampling loop from x_T (row-major batch × d). */
  sample(model: DenoiserModel, schedule: NoiseSchedule, xT: Vec, options?: SampleOptions): SampleResult<S>;
  /** Number of `step` calls for a schedule (grid intervals). */
  steps(schedule: NoiseSchedule): number;
}

/** Options of `sample`. */
export interface SampleOptions {
  /** Seed of the run's Rng (stochastic samplers). Default 0. */
  readonly seed?: number;
  /** Use this generator instead (advanced by the run). */
  readonly rng?: Rng;
}

/** What `sample` returns. */
export interface SampleResult<S = GridState> {
  /** Final samples, row-major batch × d. */
  readonly x: Float64Array;
  readonly status: SolveResult<S>['status'];
  /** Model evaluations (batch calls). */
  readonly nfe: number;
  /** The model times of the grid actually walked (after any time shift). */
  readonly times: number[];
  readonly result: SolveResult<S>;
}

/** Picks the buffer to write the next iterate into (never the input). */
export function nextBuffer(state: GridState, x: Vec): Float64Array {
  return x === state.buffers[0] ? state.buffers[1] : state.buffers[0];
}

/** Model output → (ε, x0) at `level`; model output goes to `raw`. */
export function predictEpsilonAndSample(
  model: DenoiserModel,
  x: Vec,
  batch: number,
  level: NoiseLevel,
  raw: Float64Array,
  epsilon: Float64Array,
  sample: Float64Array,
): void {
  model.predict(x, batch, level, raw);
  const { alpha: a, sigma: s } = level;
  const n = raw.length;
  if (model.prediction === 'epsilon') {
    for (let i = 0; i < n; i++) {
      epsilon[i] = raw[i];
      sample[i] = (x[i] - s * raw[i]) / a;
    }
  } else if (model.prediction === 'sample') {
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
export function checkSamplingInput(where: string, model: DenoiserModel, xT: Vec): number {
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

/** Builds a grid sampler from its pieces, adding `sample` and `steps`. */
export function makeSampler<S extends GridState>(definition: {
  id: string;
  grid(schedule: NoiseSchedule): NoiseLevel[];
  init(
    x0: Vec,
    problem: SamplingProblem,
    points: NoiseLevel[],
    base: GridState,
    context: OptimizerContext,
  ): S;
  step(x: Vec, state: S, problem: SamplingProblem, context: OptimizerContext): StepResult<S>;
  /** The number of steps for a schedule (default: grid length - 1). */
  steps?(schedule: NoiseSchedule): number;
}): Sampler<S> {
  const steps = definition.steps ?? ((schedule: NoiseSchedule) => definition.grid(schedule).length - 1);
  const sampler: Sampler<S> = {
    id: definition.id,
    grid: definition.grid,
    steps,
    init(x0, problem, context) {
      const points = definition.grid(problem.schedule);
      const base: GridState = {
        points,
        index: 0,
        nfe: 0,
        buffers: [new Float64Array(x0.length), new Float64Array(x0.length)],
      };
      return definition.init(x0, problem, points, base, context);
    },
    step: definition.step,
    sample(model, schedule, xT, options = {}) {
      const batch = checkSamplingInput(`${definition.id}.sample`, model, xT);
      const total = steps(schedule);
      const result = solve(sampler, { model, schedule, batch }, xT, {
        seed: options.seed ?? 0,
        rng: options.rng,
        stopWhen: maxIterations(total),
      });
      return {
        x: Float64Array.from(result.x),
        status: result.status,
        nfe: result.state.nfe,
        times: result.state.points.map((p) => p.time),
        result,
      };
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
