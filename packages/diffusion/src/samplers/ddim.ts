import {
  invalidArgument,
  type OptimizerContext,
  parseOptions,
  type StepResult,
  type Vec,
} from '@argmin/core';
import { z } from 'zod';
import type { PredictionType } from '../models/model';
import { discreteLevel } from '../schedules/discrete';
import type { NoiseLevel, NoiseSchedule } from '../schedules/schedule';
import { requireDiscrete } from '../schedules/schedule';
import { checkCustomTimesteps, inferenceTimesteps } from '../schedules/spacing';
import {
  advance,
  dynamicThreshold,
  type EvaluationRequest,
  type GridState,
  makeSampler,
  nextBuffer,
  predictEpsilonAndSample,
  rejectIneffectiveDiscrete,
  type Sampler,
} from './common';

/** Options shared by the diffusers-style discrete samplers (names spelled out; diffusers names in the descriptions). */
export const discreteSamplerOptionShape = {
  numInferenceSteps: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe('Number of denoising steps N (diffusers num_inference_steps).'),
  timestepSpacing: z
    .enum(['leading', 'trailing', 'linspace'])
    .default('leading')
    .describe(
      "How the N inference timesteps are spread over the training timesteps (diffusers timestep_spacing; default 'leading').",
    ),
  stepsOffset: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Added to leading timesteps (diffusers steps_offset; SD configs use 1).'),
  timesteps: z
    .array(z.number().int())
    .optional()
    .describe(
      'Custom strictly descending training timesteps; overrides numInferenceSteps and timestepSpacing.',
    ),
  clipSample: z
    .boolean()
    .default(true)
    .describe('Clip the predicted x0 to ±clipSampleRange (diffusers clip_sample, default true).'),
  clipSampleRange: z
    .number()
    .positive()
    .default(1)
    .describe('Clip range for clipSample (diffusers clip_sample_range).'),
  thresholding: z
    .boolean()
    .default(false)
    .describe('Imagen dynamic thresholding of x0 (diffusers thresholding).'),
  dynamicThresholdingRatio: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.995)
    .describe('Quantile of |x0| used as the threshold (diffusers dynamic_thresholding_ratio).'),
  sampleMaxValue: z
    .number()
    .positive()
    .default(1)
    .describe(
      'Upper clamp of the dynamic threshold (diffusers sample_max_value; 1 makes thresholding equal clipping to [-1, 1]).',
    ),
} as const;

/** The DDIM option schema (diffusers DDIMScheduler + step arguments). */
export const ddimOptions = z.strictObject({
  ...discreteSamplerOptionShape,
  eta: z
    .number()
    .nonnegative()
    .default(0)
    .describe('η: 0 is deterministic DDIM, 1 matches DDPM ancestral sampling (fixed_small).'),
  setAlphaToOne: z
    .boolean()
    .default(true)
    .describe('Final step targets ᾱ = 1 (true) or ᾱ_0 (false) (diffusers set_alpha_to_one).'),
  useClippedModelOutput: z
    .boolean()
    .default(false)
    .describe('Recompute ε from the clipped x0 (diffusers use_clipped_model_output).'),
});
export type DdimOptions = z.input<typeof ddimOptions>;
const ddimDefaults = ddimOptions.parse({});

/** Resolves the descending inference timesteps of a diffusers-style sampler. */
export function resolveTimesteps(
  where: string,
  schedule: NoiseSchedule,
  options: {
    numInferenceSteps: number;
    timestepSpacing: 'leading' | 'trailing' | 'linspace';
    stepsOffset: number;
    timesteps?: number[];
  },
): number[] {
  const n = schedule.numTrainTimesteps;
  if (options.timesteps) {
    checkCustomTimesteps(where, options.timesteps, n);
    return [...options.timesteps];
  }
  return inferenceTimesteps(n, options.numInferenceSteps, options.timestepSpacing, options.stepsOffset);
}

/** Grid of a discrete sampler: each timestep's level, then the final level (timestep -1, `finalAlphaCumprod`). */
export function discreteGrid(
  schedule: NoiseSchedule,
  timesteps: readonly number[],
  finalAlphaCumprod: number,
): NoiseLevel[] {
  const bar = requireDiscrete('discreteGrid', schedule);
  const points = timesteps.map((t) => discreteLevel(bar, t, finalAlphaCumprod));
  points.push(discreteLevel(bar, -1, finalAlphaCumprod));
  return points;
}

/** Applies the x0 correction (thresholding, else clipping) shared by diffusers schedulers. */
export function correctSample(
  options: {
    thresholding: boolean;
    clipSample: boolean;
    clipSampleRange: number;
    dynamicThresholdingRatio: number;
    sampleMaxValue: number;
  },
  x0: Float64Array,
  batch: number,
  dimension: number,
  scratch: Float64Array,
): boolean {
  if (options.thresholding) {
    dynamicThreshold(
      x0,
      batch,
      dimension,
      options.dynamicThresholdingRatio,
      1,
      options.sampleMaxValue,
      scratch,
    );
    return true;
  }
  if (options.clipSample) {
    const r = options.clipSampleRange;
    for (let i = 0; i < x0.length; i++) x0[i] = x0[i] > r ? r : Math.max(x0[i], -r);
    return true;
  }
  return false;
}

/** DDIM state: buffers for the model output, ε, x0 and noise. */
export interface DdimState extends GridState {
  readonly raw: Float64Array;
  readonly epsilon: Float64Array;
  readonly x0: Float64Array;
  readonly noise: Float64Array;
  readonly scratch: Float64Array;
}

/** The buffers of a single-evaluation sampler (DDIM, DDPM, LCM): allocated once per run. */
export function withDenoiseBuffers<S extends GridState>(
  base: S,
  length: number,
  dimension: number,
): S & DdimState {
  return {
    ...base,
    raw: new Float64Array(length),
    epsilon: new Float64Array(length),
    x0: new Float64Array(length),
    noise: new Float64Array(length),
    scratch: new Float64Array(dimension),
  };
}

/**
 * One model evaluation of a single-evaluation sampler at `level`: ε and x̂0 into the state's buffers, NFE
 * counted, x̂0 thresholded or clipped as the options say. Returns whether x̂0 was corrected.
 */
export function* denoiseAt(
  options: Parameters<typeof correctSample>[0],
  problem: { model: { readonly dimension: number; readonly prediction: PredictionType }; batch: number },
  x: Vec,
  level: NoiseLevel,
  state: DdimState,
): Generator<EvaluationRequest, boolean, void> {
  yield* predictEpsilonAndSample(problem.model, x, problem.batch, level, state.raw, state.epsilon, state.x0);
  state.nfe++;
  return correctSample(options, state.x0, problem.batch, problem.model.dimension, state.scratch);
}

/** Grid of a diffusers-style sampler: resolved timesteps, final ᾱ = 1 (`setAlphaToOne`) or ᾱ_0. */
export function alphaToOneGrid(
  id: string,
  options: Parameters<typeof resolveTimesteps>[2] & { setAlphaToOne: boolean },
): (schedule: NoiseSchedule) => NoiseLevel[] {
  return (schedule) => {
    const bar = requireDiscrete(id, schedule);
    return discreteGrid(
      schedule,
      resolveTimesteps(id, schedule, options),
      options.setAlphaToOne ? 1 : bar[0],
    );
  };
}

/**
 * DDIM (Song, Meng & Ermon, "Denoising Diffusion Implicit Models", arXiv 2010.02502), as diffusers'
 * DDIMScheduler: `x̂0 = (x - √(1-ᾱ_t)ε̂)/√ᾱ_t` (optionally thresholded/clipped),
 * `σ_t(η) = η√((1-ᾱ_prev)/(1-ᾱ_t))√(1-ᾱ_t/ᾱ_prev)`,
 * `x_prev = √ᾱ_prev x̂0 + √(1-ᾱ_prev-σ²)ε̂ + σz`.
 *
 * @remarks diffusers computes `prev_timestep = t - Ntrain//N` for every spacing, which is wrong for
 * 'linspace' and custom lists (diffusers #12633, #11347); here the previous timestep is always the
 * next entry of the timestep list, as diffusers' DDPMScheduler does since PR #9384.
 */
export function ddim(input: DdimOptions = {}): Sampler<DdimState> {
  const id = 'diffusion/ddim';
  const options = parseOptions(id, ddimOptions, input);
  rejectIneffectiveDiscrete(id, options, ddimDefaults);
  if (options.useClippedModelOutput && !options.clipSample && !options.thresholding) {
    invalidArgument(
      id,
      'useClippedModelOutput',
      true,
      '`useClippedModelOutput` has no effect without clipSample or thresholding (there is no clipped x0 to recompute ε from); enable one or drop it',
    );
  }
  const grid = alphaToOneGrid(id, options);
  // the arithmetic after the evaluation runs in a plain function (loops in generator bodies are slow in V8)
  const update = (
    x: Vec,
    state: DdimState,
    context: OptimizerContext,
    clipped: boolean,
  ): StepResult<DdimState> => {
    const current = state.points[state.index];
    const previous = state.points[state.index + 1];
    const { epsilon, x0, noise } = state;
    const barT = current.alpha * current.alpha;
    const barPrev = previous.alpha * previous.alpha;
    const a = current.alpha;
    const s = current.sigma;
    if (clipped && options.useClippedModelOutput) {
      for (let i = 0; i < x.length; i++) epsilon[i] = (x[i] - a * x0[i]) / s;
    }
    const variance = ((1 - barPrev) / (1 - barT)) * (1 - barT / barPrev);
    const std = options.eta * Math.sqrt(variance);
    const direction = Math.sqrt(Math.max(0, 1 - barPrev - std * std));
    const next = nextBuffer(state, x);
    const ap = previous.alpha;
    for (let i = 0; i < x.length; i++) next[i] = ap * x0[i] + direction * epsilon[i];
    if (options.eta > 0) {
      context.rng.fillNormal(noise);
      for (let i = 0; i < x.length; i++) next[i] += std * noise[i];
    }
    return advance(state, next, { timestep: current.time, previousTimestep: previous.time });
  };
  return makeSampler<DdimState>({
    id,
    grid,
    init: (x0, problem, _points, base) => withDenoiseBuffers(base, x0.length, problem.model.dimension),
    *program(x, state, { model, batch }, context) {
      const clipped = yield* denoiseAt(options, { model, batch }, x, state.points[state.index], state);
      return update(x, state, context, clipped);
    },
  });
}

/** The DDPM option schema (diffusers DDPMScheduler). */
export const ddpmOptions = z.strictObject({
  ...discreteSamplerOptionShape,
  numInferenceSteps: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe('Number of ancestral steps (respaced betas for fewer than Ntrain).'),
  varianceType: z
    .enum(['fixed_small', 'fixed_large'])
    .default('fixed_small')
    .describe(
      "Posterior variance: 'fixed_small' (1-ᾱ_prev)/(1-ᾱ_t)·β_t (clamped ≥ 1e-20) or 'fixed_large' β_t (diffusers variance_type).",
    ),
});
export type DdpmOptions = z.input<typeof ddpmOptions>;
const ddpmDefaults = ddpmOptions.parse({});

/**
 * DDPM ancestral sampling (Ho, Jain & Abbeel, arXiv 2006.11239) as diffusers' DDPMScheduler with
 * respaced betas `β_t = 1 - ᾱ_t/ᾱ_prev`: `μ = √ᾱ_prev β_t/(1-ᾱ_t)·x̂0 + √α_t(1-ᾱ_prev)/(1-ᾱ_t)·x_t`,
 * plus `√var·z` except at t = 0.
 */
export function ddpm(input: DdpmOptions = {}): Sampler<DdimState> {
  const id = 'diffusion/ddpm';
  const options = parseOptions(id, ddpmOptions, input);
  rejectIneffectiveDiscrete(id, options, ddpmDefaults);
  const grid = (schedule: NoiseSchedule) =>
    discreteGrid(schedule, resolveTimesteps(id, schedule, options), 1);
  if (options.varianceType !== 'fixed_small' && options.varianceType !== 'fixed_large') {
    invalidArgument(id, 'varianceType', options.varianceType, "must be 'fixed_small' or 'fixed_large'");
  }
  // the arithmetic after the evaluation runs in a plain function (loops in generator bodies are slow in V8)
  const update = (
    x: Vec,
    state: DdimState,
    context: OptimizerContext,
    clipped: boolean,
  ): StepResult<DdimState> => {
    void clipped;
    const current = state.points[state.index];
    const previous = state.points[state.index + 1];
    const { x0, noise } = state;
    const barT = current.alpha * current.alpha;
    const barPrev = previous.alpha * previous.alpha;
    const alphaT = barT / barPrev;
    const betaT = 1 - alphaT;
    const sampleCoefficient = (Math.sqrt(barPrev) * betaT) / (1 - barT);
    const currentCoefficient = (Math.sqrt(alphaT) * (1 - barPrev)) / (1 - barT);
    const next = nextBuffer(state, x);
    for (let i = 0; i < x.length; i++) next[i] = sampleCoefficient * x0[i] + currentCoefficient * x[i];
    if (current.time > 0) {
      const variance =
        options.varianceType === 'fixed_small'
          ? Math.max(((1 - barPrev) / (1 - barT)) * betaT, 1e-20)
          : betaT;
      const std = Math.sqrt(variance);
      context.rng.fillNormal(noise);
      for (let i = 0; i < x.length; i++) next[i] += std * noise[i];
    }
    return advance(state, next, { timestep: current.time, previousTimestep: previous.time });
  };
  return makeSampler<DdimState>({
    id,
    grid,
    init: (x0, problem, _points, base) => withDenoiseBuffers(base, x0.length, problem.model.dimension),
    *program(x, state, { model, batch }, context) {
      const clipped = yield* denoiseAt(options, { model, batch }, x, state.points[state.index], state);
      return update(x, state, context, clipped);
    },
  });
}
