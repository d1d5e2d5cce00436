import {
  assertAllocation,
  defineMetric,
  defineProblem,
  defineStage,
  InvalidArgumentError,
  type Vec,
} from '@argmin/core';
import { z } from 'zod';
import { randomMixture, ringMixture } from './experiments/test-beds';
import { frechetDistance, sampleMoments, sampleSinkhornDivergence } from './metrics';
import type { GaussianMixtureModel } from './models/gaussian-mixture';
import type { DenoiserModel } from './models/model';
import type { Sampler, SamplingProblem } from './samplers/common';
import { discreteSchedule } from './schedules/discrete';
import { levelFromAlphaBar } from './schedules/schedule';

/**
 * Sampling a Gaussian mixture with its exact denoiser, as a `'diffusion-model'` problem: the ring of
 * the notes (§0.5) or a random d-dimensional mixture, on one of diffusers' discrete training schedules
 * (1000 steps). x0 (the sampler's start x_T) is drawn from the exact marginal at t = 999, so the only
 * error left in the samples is the sampler's discretization error: Fréchet distance to true samples
 * measures it.
 */
export const mixtureSamplingProblem = defineProblem({
  meta: {
    id: 'diffusion/mixture-sampling',
    title: 'Sampling a Gaussian mixture (ring or random d-dimensional) with its exact denoiser',
    description:
      "x_T from the exact marginal at t = 999 on a 'linear', 'scaled_linear' or 'squaredcos_cap_v2' schedule; the result is the batch of samples (row-major [samples, d]).",
    provides: [],
    gives: 'diffusion-model',
  },
  options: z.strictObject({
    mixture: z
      .enum(['ring', 'random'])
      .default('ring')
      .describe(
        "'ring': modes on the unit circle in 2-D; 'random': means N(0, scale²) in `dimension` dimensions.",
      ),
    modes: z.number().int().min(1).default(8).describe('Number of mixture components.'),
    std: z.number().positive().default(0.1).describe('Ring: standard deviation of each mode.'),
    dimension: z.number().int().min(1).default(16).describe('Random mixture: data dimension d.'),
    scale: z
      .number()
      .positive()
      .default(0.5)
      .describe('Random mixture: standard deviation of the mean coordinates.'),
    mixtureSeed: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Random mixture: seed of the mixture itself (the pipeline seed draws x_T).'),
    betaSchedule: z
      .enum(['linear', 'scaled_linear', 'squaredcos_cap_v2'])
      .default('linear')
      .describe(
        "Training schedule: 'linear' (DDPM 1e-4..0.02), 'scaled_linear' (Stable Diffusion 0.00085..0.012) or cosine.",
      ),
    samples: z.number().int().min(1).default(1000).describe('Batch size: how many samples are drawn.'),
  }),
  create: (options, rng) => {
    const model: GaussianMixtureModel =
      options.mixture === 'ring'
        ? ringMixture(options.modes, options.std)
        : randomMixture(options.dimension, options.modes, options.mixtureSeed, { scale: options.scale });
    assertAllocation('diffusion/mixture-sampling', 'samples', options.samples * model.dimension);
    const schedule =
      options.betaSchedule === 'scaled_linear'
        ? discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 })
        : discreteSchedule({ betaSchedule: options.betaSchedule });
    const bar = schedule.alphasCumprod as Float64Array;
    const last = bar.length - 1;
    const x0 = model.sampleMarginal(options.samples, levelFromAlphaBar(last, bar[last]), rng);
    const problem: SamplingProblem = { model, schedule, batch: options.samples };
    return { problem, x0 };
  },
});

/** Problem plugins of this file (the package's other problems live in `problems.ts`). */
export const diffusionPipelineProblems = [mixtureSamplingProblem] as const;

/**
 * Every `diffusion/*` sampler takes a 'diffusion-model' problem and gives 'samples': the stage runs
 * the sampler's own `sample(model, schedule, x_T, { rng })` over its whole grid from the problem's
 * x_T with the pipeline's Rng, and its result is the sampler's `SampleResult` (ResultBase plus x,
 * nfe and the model times walked). The number of steps is the sampler's `numInferenceSteps` option.
 */
export const diffusionStages = [
  'diffusion/ddim',
  'diffusion/ddpm',
  'diffusion/pndm',
  'diffusion/dpm-solver-pp',
  'diffusion/time-shift',
  'diffusion/lcm',
].map((method) =>
  defineStage<Sampler>({
    method,
    takes: 'diffusion-model',
    gives: 'samples',
    run: (sampler, { instance, rng }) => {
      // pipelines run synchronously: the problems here carry the exact (synchronous) mixture denoiser
      const { model, schedule } = instance.problem as SamplingProblem;
      return sampler.sample(model as DenoiserModel, schedule, instance.x0, { rng });
    },
  }),
);

function mixtureOf(problem: unknown): GaussianMixtureModel {
  const model = (problem as Partial<SamplingProblem>)?.model as GaussianMixtureModel | undefined;
  if (!model || typeof model.sample !== 'function' || typeof model.moments !== 'function') {
    throw new InvalidArgumentError({
      argument: 'problem.model',
      value: typeof model,
      message:
        'diffusion metrics: the problem has no exact model to draw true samples from (needs sample and moments); use a Gaussian-mixture problem such as diffusion/mixture-sampling.',
    });
  }
  return model;
}

/**
 * Fréchet distance between the Gaussian fits of the generated samples and of true samples drawn
 * from the exact mixture (`referenceSamples`, from the pipeline's seed), the "analytic FID" of the
 * notes: ‖m₁ − m₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁^{1/2}Σ₂Σ₁^{1/2})^{1/2}). `reference: 'exact'` uses the
 * mixture's exact moments instead. Also reports the same distance for a second batch of true
 * samples (`trueSamplesDistance`), the floor set by sampling noise alone.
 */
export const frechetDistanceMetric = defineMetric({
  meta: {
    id: 'diffusion/frechet-distance',
    title: 'Fréchet distance of generated samples to true samples of the exact mixture',
    description:
      'Gaussian fits of both batches (the analytic FID); trueSamplesDistance is the same measure between two independent true batches.',
    takes: ['samples'],
    references: [
      {
        title: 'GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium',
        authors: 'M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter',
        year: 2017,
        arxiv: '1706.08500',
      },
    ],
  },
  options: z.strictObject({
    reference: z
      .enum(['samples', 'exact'])
      .default('samples')
      .describe(
        "'samples': true samples from the mixture; 'exact': the mixture's exact mean and covariance.",
      ),
    referenceSamples: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe('How many true samples (default: as many as were generated).'),
  }),
  compute: ({ result, instance, rng }, options): Record<string, number> => {
    const model = mixtureOf(instance.problem);
    const x = (result as { x: Vec }).x;
    const d = model.dimension;
    const n = options.referenceSamples ?? x.length / d;
    assertAllocation('diffusion/frechet-distance', 'reference samples', 2 * n * d);
    if (options.reference === 'exact') {
      return { frechetDistance: frechetDistance(x, d, model.moments()) };
    }
    const truth = model.sample(n, rng);
    const other = model.sample(n, rng);
    return {
      frechetDistance: frechetDistance(x, d, sampleMoments(truth, d)),
      trueSamplesDistance: frechetDistance(other, d, sampleMoments(truth, d)),
    };
  },
});

/** Debiased Sinkhorn divergence between generated samples and true samples of the exact mixture. */
export const sampleSinkhornDivergenceMetric = defineMetric({
  meta: {
    id: 'diffusion/sinkhorn-divergence',
    title: 'Sinkhorn divergence of generated samples to true samples of the exact mixture',
    description: 'Squared Euclidean cost, ε = 0.05 × the mean squared norm of the true samples unless set.',
    takes: ['samples'],
  },
  options: z.strictObject({
    referenceSamples: z.number().int().min(2).default(500).describe('How many true samples.'),
    regularization: z.number().positive().optional().describe('Entropic regularization ε.'),
  }),
  compute: ({ result, instance, rng }, options) => {
    const model = mixtureOf(instance.problem);
    const truth = model.sample(options.referenceSamples, rng);
    return {
      sinkhornDivergence: sampleSinkhornDivergence((result as { x: Vec }).x, truth, model.dimension, {
        regularization: options.regularization,
        method: 'log',
      }),
    };
  },
});

/** Metric plugins of `@argmin/diffusion` for pipeline files. */
export const diffusionMetrics = [frechetDistanceMetric, sampleSinkhornDivergenceMetric] as const;
