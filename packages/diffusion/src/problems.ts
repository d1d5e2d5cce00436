import { defineProblem } from '@argmin/core';
import { z } from 'zod';
import { randomMixture, ringMixture } from './experiments/test-beds';
import type { GaussianMixtureModel } from './models/gaussian-mixture';
import type { SamplingProblem } from './samplers/common';
import { discreteSchedule } from './schedules/discrete';
import { levelFromAlphaBar } from './schedules/schedule';

const scheduleShape = {
  betaSchedule: z
    .enum(['linear', 'scaled_linear', 'squaredcos_cap_v2'])
    .default('linear')
    .describe(
      "Discrete training schedule (1000 steps): 'linear' (DDPM 1e-4..0.02), 'scaled_linear' (SD 0.00085..0.012) or cosine.",
    ),
  samples: z.number().int().positive().default(1000).describe('Batch size: how many samples are drawn.'),
} as const;

/** A sampling instance: x_T drawn from the exact marginal at the last training timestep (t = 999). */
function instance(
  model: GaussianMixtureModel,
  options: { betaSchedule: 'linear' | 'scaled_linear' | 'squaredcos_cap_v2'; samples: number },
  rng: import('@argmin/core').Rng,
) {
  const schedule =
    options.betaSchedule === 'scaled_linear'
      ? discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 })
      : discreteSchedule({ betaSchedule: options.betaSchedule });
  const bar = schedule.alphasCumprod as Float64Array;
  const x0 = model.sampleMarginal(options.samples, levelFromAlphaBar(999, bar[999]), rng);
  const problem: SamplingProblem = { model, schedule, batch: options.samples };
  return { problem, x0 };
}

/** The 8-mode 2-D ring with its exact denoiser: run any `diffusion/*` sampler on it from a pipeline file. */
export const ringMixtureProblem = defineProblem({
  meta: {
    id: 'diffusion/ring-mixture',
    title: 'Sampling the 2-D ring Gaussian mixture with its exact denoiser',
    description:
      'x_T from the exact marginal at t = 999; the result x is the batch of samples (row-major [samples, 2]).',
    provides: [],
  },
  options: z.strictObject({
    ...scheduleShape,
    modes: z.number().int().positive().default(8).describe('Number of modes on the unit circle.'),
    std: z.number().positive().default(0.1).describe('Standard deviation of each mode.'),
  }),
  create: (options, rng) => instance(ringMixture(options.modes, options.std), options, rng),
});

/** A random d-dimensional Gaussian mixture with its exact denoiser. */
export const gaussianMixtureProblem = defineProblem({
  meta: {
    id: 'diffusion/gaussian-mixture',
    title: 'Sampling a random d-dimensional Gaussian mixture with its exact denoiser',
    description:
      'Means N(0, scale²) per coordinate, diagonal stds uniform in [0.1, 0.3]; x_T from the exact marginal at t = 999.',
    provides: [],
  },
  options: z.strictObject({
    ...scheduleShape,
    dimension: z.number().int().positive().default(64).describe('Data dimension d.'),
    modes: z.number().int().positive().default(8).describe('Number of components K.'),
    scale: z.number().positive().default(0.5).describe('Standard deviation of the mean coordinates.'),
    mixtureSeed: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Seed of the mixture itself (the pipeline seed draws x_T).'),
  }),
  create: (options, rng) =>
    instance(
      randomMixture(options.dimension, options.modes, options.mixtureSeed, { scale: options.scale }),
      options,
      rng,
    ),
});

/** Problem plugins of `@argmin/diffusion`. */
export const diffusionProblems = [ringMixtureProblem, gaussianMixtureProblem] as const;
