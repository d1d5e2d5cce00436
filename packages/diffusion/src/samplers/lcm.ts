import { type OptimizerContext, parseOptions, type StepResult, type Vec } from '@argmin/core';
import { z } from 'zod';
import { probabilityFlow } from '../models/flow-map';
import type { GaussianMixtureModel } from '../models/gaussian-mixture';
import type { DenoiserModel } from '../models/model';
import { discreteLevel } from '../schedules/discrete';
import { type NoiseSchedule, requireDiscrete } from '../schedules/schedule';
import { checkCustomTimesteps, lcmTimesteps } from '../schedules/spacing';
import { advance, makeSampler, nextBuffer, rejectIneffectiveDiscrete, type Sampler } from './common';
import { type DdimState, denoiseAt, withDenoiseBuffers } from './ddim';

/** LCM multistep options (diffusers LCMScheduler). */
export const lcmOptions = z.strictObject({
  numInferenceSteps: z
    .number()
    .int()
    .positive()
    .default(4)
    .describe('Number of consistency steps (the LCM pipeline default 4).'),
  originalInferenceSteps: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe('Size of the skipping grid the model was distilled on (diffusers original_inference_steps).'),
  strength: z
    .number()
    .gt(0)
    .max(1)
    .default(1)
    .describe('Fraction of the skipping grid used (img2img strength).'),
  timesteps: z
    .array(z.number().int())
    .optional()
    .describe('Custom strictly descending timesteps (a warning is recorded when off the skipping grid).'),
  timestepScaling: z
    .number()
    .positive()
    .default(10)
    .describe('τ = t·timestepScaling in the boundary scalings (diffusers timestep_scaling).'),
  sigmaData: z
    .number()
    .positive()
    .default(0.5)
    .describe('σ_data of the boundary scalings c_skip, c_out (0.5 in LCM).'),
  setAlphaToOne: z
    .boolean()
    .default(true)
    .describe('Final ᾱ is 1 (diffusers set_alpha_to_one, default true).'),
  clipSample: z
    .boolean()
    .default(false)
    .describe('Clip x̂0 to ±clipSampleRange (diffusers clip_sample, default false).'),
  clipSampleRange: z.number().positive().default(1).describe('Clip range.'),
  thresholding: z.boolean().default(false).describe('Dynamic thresholding of x̂0.'),
  dynamicThresholdingRatio: z.number().gt(0).lt(1).default(0.995).describe('Quantile for thresholding.'),
  sampleMaxValue: z.number().positive().default(1).describe('Upper clamp of the threshold.'),
});
export type LcmOptions = z.input<typeof lcmOptions>;
const lcmDefaults = lcmOptions.parse({});

/** LCM boundary scalings at timestep t: `c_skip = σd²/(τ² + σd²)`, `c_out = τ/√(τ² + σd²)`, τ = t·scaling. */
export function lcmBoundaryScalings(
  timestep: number,
  timestepScaling = 10,
  sigmaData = 0.5,
): { cSkip: number; cOut: number } {
  const scaled = timestep * timestepScaling;
  const denominator = scaled * scaled + sigmaData * sigmaData;
  return { cSkip: (sigmaData * sigmaData) / denominator, cOut: scaled / Math.sqrt(denominator) };
}

/** LCM state: the same buffers as DDIM. */
export type LcmState = DdimState;

/**
 * Latent-consistency multistep sampling (Luo et al., "Latent Consistency Models", arXiv 2310.04378;
 * "LCM-LoRA", arXiv 2311.05556; diffusers LCMScheduler). At each timestep t_i:
 * x̂0 from the model, `denoised = c_out(t)·x̂0 + c_skip(t)·x`; if not last,
 * `x ← √ᾱ_{t_{i+1}}·denoised + √(1 - ᾱ_{t_{i+1}})·z`, else `x ← denoised` (no noise on the final step,
 * diffusers PR #5681; diffusers.js still adds it). Timesteps: `lcmTimesteps` (floor(linspace) rule).
 * Drive it with `exactConsistencyModel` for the ideal consistency function of a Gaussian mixture.
 */
export function lcm(input: LcmOptions = {}): Sampler<LcmState> {
  const id = 'diffusion/lcm';
  const options = parseOptions(id, lcmOptions, input);
  rejectIneffectiveDiscrete(id, { ...options, timestepSpacing: 'leading' }, lcmDefaults);
  const grid = (schedule: NoiseSchedule) => {
    const bar = requireDiscrete(id, schedule);
    let timesteps: number[];
    if (options.timesteps) {
      checkCustomTimesteps(id, options.timesteps, bar.length);
      timesteps = [...options.timesteps];
    } else {
      timesteps = lcmTimesteps(bar.length, options.numInferenceSteps, options);
    }
    const final = options.setAlphaToOne ? 1 : bar[0];
    const points = timesteps.map((t) => discreteLevel(bar, t, final));
    points.push(discreteLevel(bar, -1, final));
    return points;
  };
  // the arithmetic after the evaluation runs in a plain function (loops in generator bodies are slow in V8)
  const update = (
    x: Vec,
    state: LcmState,
    context: OptimizerContext,
    clipped: boolean,
  ): StepResult<LcmState> => {
    void clipped;
    const current = state.points[state.index];
    const target = state.points[state.index + 1];
    const last = state.index === state.points.length - 2;
    const { x0, noise } = state;
    const { cSkip, cOut } = lcmBoundaryScalings(current.time, options.timestepScaling, options.sigmaData);
    const next = nextBuffer(state, x);
    for (let i = 0; i < x.length; i++) next[i] = cOut * x0[i] + cSkip * x[i];
    if (!last) {
      context.rng.fillNormal(noise);
      for (let i = 0; i < x.length; i++) next[i] = target.alpha * next[i] + target.sigma * noise[i];
    }
    return advance(state, next, { timestep: current.time, cSkip, cOut });
  };
  return makeSampler<LcmState>({
    id,
    grid,
    init(x0, problem, points, base, context) {
      if (options.timesteps) {
        const k = Math.floor(problem.schedule.numTrainTimesteps / options.originalInferenceSteps);
        const off = points.slice(0, -1).filter((p) => (p.time + 1) % k !== 0);
        if (off.length > 0) {
          context.warn({
            type: 'off-grid',
            message: `diffusion/lcm: timesteps ${off.map((p) => p.time).join(', ')} are not on the ${options.originalInferenceSteps}-step skipping grid the model was distilled on`,
          });
        }
      }
      return withDenoiseBuffers(base, x0.length, problem.model.dimension);
    },
    *program(x, state, { model, batch }, context) {
      const clipped = yield* denoiseAt(options, { model, batch }, x, state.points[state.index], state);
      return update(x, state, context, clipped);
    },
  });
}

/**
 * The ideal consistency model of a Gaussian mixture for LCM: predicts 'sample' so that the LCM
 * boundary combination returns the exact probability-flow endpoint F(x, t):
 * `output = (F(x, t) - c_skip·x)/c_out`. F is the high-accuracy PF-ODE solve (`probabilityFlow`).
 */
export function exactConsistencyModel(
  mixture: GaussianMixtureModel,
  options: { timestepScaling?: number; sigmaData?: number; relativeTolerance?: number } = {},
): DenoiserModel {
  const epsilonModel = mixture.withPrediction('epsilon');
  const data = { time: -1, alpha: 1, sigma: 0, lambda: Number.POSITIVE_INFINITY };
  return {
    dimension: mixture.dimension,
    prediction: 'sample',
    predict(x, batch, level, out) {
      const tolerance = options.relativeTolerance ?? 1e-9;
      const flow = probabilityFlow(epsilonModel, x, batch, level, data, {
        relativeTolerance: tolerance,
        absoluteTolerance: tolerance,
      }).x;
      const { cSkip, cOut } = lcmBoundaryScalings(
        level.time,
        options.timestepScaling ?? 10,
        options.sigmaData ?? 0.5,
      );
      for (let i = 0; i < out.length; i++) out[i] = (flow[i] - cSkip * x[i]) / cOut;
      return out;
    },
  };
}
