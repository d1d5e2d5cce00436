import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRng, PipelineError, parsePipelineText, runPipeline, validatePipeline } from '@argmin/core';
import { corePlugins, coreProblems } from '@argmin/core/plugins';
import { describe, expect, it } from 'vitest';
import { ringMixture } from './experiments/test-beds';
import { frechetDistance, sampleMoments } from './metrics';
import {
  diffusionMetrics,
  diffusionPipelineProblems,
  diffusionStages,
  mixtureSamplingProblem,
} from './pipeline-problems';
import { diffusionPlugins } from './plugins';
import { diffusionProblems } from './problems';
import type { SamplingProblem } from './samplers/common';

const registries = {
  methods: [...diffusionPlugins, ...corePlugins],
  problems: [...diffusionPipelineProblems, ...diffusionProblems, ...coreProblems],
  metrics: [...diffusionMetrics],
  bindings: [...diffusionStages],
};
const grab = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};
const run = (samples: number, steps: number, metric: object = { metric: 'diffusion/frechet-distance' }) =>
  runPipeline(
    validatePipeline(
      {
        seed: 1,
        problem: { id: 'diffusion/mixture-sampling', options: { samples } },
        stages: [
          { name: 'dpm', method: 'diffusion/dpm-solver-pp', options: { numInferenceSteps: steps, order: 2 } },
          { name: 'fd', ...metric },
        ],
      },
      registries,
    ),
  );

describe('diffusion pipeline problems', () => {
  it('mixture sampling: x_T of the right shape from the exact marginal at t = 999 (nearly standard normal)', () => {
    const { problem, x0 } = mixtureSamplingProblem.create(
      mixtureSamplingProblem.options.parse({ samples: 4000 }),
      createRng(0),
    ) as { problem: SamplingProblem; x0: Float64Array };
    expect(problem.batch).toBe(4000);
    expect(x0.length).toBe(8000);
    const { mean, covariance } = sampleMoments(x0, 2);
    // alpha_bar(999) of the linear schedule is 4e-5: x_T is N(0, I) up to a 0.6% data term
    expect(Math.abs(mean[0])).toBeLessThan(0.05);
    expect(covariance[0]).toBeGreaterThan(0.93);
    expect(covariance[0]).toBeLessThan(1.07);
  });
  it('random mixtures are set by mixtureSeed, the pipeline seed only draws x_T', () => {
    const a = mixtureSamplingProblem.create(
      mixtureSamplingProblem.options.parse({ mixture: 'random', dimension: 3, samples: 2 }),
      createRng(0),
    );
    const b = mixtureSamplingProblem.create(
      mixtureSamplingProblem.options.parse({ mixture: 'random', dimension: 3, samples: 2 }),
      createRng(9),
    );
    const means = (i: { problem: unknown }) =>
      (i.problem as { model: { means: Float64Array[] } }).model.means.map((m) => Array.from(m));
    expect(means(a)).toEqual(means(b));
    expect(Array.from(a.x0)).not.toEqual(Array.from(b.x0));
  });
});

describe('diffusion pipelines', () => {
  it('DPM-Solver++ 2M: the Fréchet distance metric equals frechetDistance against the reference it draws, and falls with more steps', () => {
    const coarse = run(1500, 4);
    const fine = run(1500, 20);
    expect(coarse.status).toBe('converged');
    expect(coarse.records[0].gives).toBe('samples');
    expect(fine.metrics['fd.frechetDistance']).toBeLessThan(coarse.metrics['fd.frechetDistance']);
    // at 20 steps the distance is within a few times the sampling-noise floor of two true batches
    expect(fine.metrics['fd.frechetDistance']).toBeLessThan(
      10 * fine.metrics['fd.trueSamplesDistance'] + 0.01,
    );
  });
  it("reference: 'exact' compares with the mixture's exact moments", () => {
    const result = run(1000, 10, { metric: 'diffusion/frechet-distance', options: { reference: 'exact' } });
    const x = result.records[0].raw as { x: Float64Array };
    expect(result.metrics['fd.frechetDistance']).toBe(frechetDistance(x.x, 2, ringMixture().moments()));
  });
  it('the Sinkhorn-divergence metric is non-negative and the metric works on the older ring-mixture problem too', () => {
    const result = runPipeline(
      validatePipeline(
        {
          problem: { id: 'diffusion/ring-mixture', options: { samples: 120 } },
          stages: [
            { method: 'diffusion/ddim', options: { numInferenceSteps: 10 } },
            {
              name: 'sd',
              metric: 'diffusion/sinkhorn-divergence',
              options: { referenceSamples: 120, regularization: 0.5 },
            },
          ],
        },
        registries,
      ),
    );
    expect(result.metrics['sd.sinkhornDivergence']).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(result.metrics['sd.sinkhornDivergence'])).toBe(true);
  });
  it('refuses a sampler on an oracle problem and a metric on a problem without an exact model', () => {
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'core/rosenbrock' }, stages: [{ name: 's', method: 'diffusion/dpm-solver-pp' }] },
          registries,
        ),
      ).message,
    ).toContain(
      'stages[0] ("s"): diffusion/dpm-solver-pp takes a diffusion-model, but problem core/rosenbrock gives an oracle',
    );
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock' },
          stages: [{ name: 'o', method: 'core/lbfgs' }, { metric: 'diffusion/frechet-distance' }],
        },
        registries,
      ),
    );
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      'metric diffusion/frechet-distance takes samples, but stage "o" gives an iterate',
    );
  });
  it('runs the shipped example examples/pipelines/dpm-solver-10-steps.yaml (at a reduced size)', () => {
    const text = readFileSync(
      resolve(__dirname, '../../../examples/pipelines/dpm-solver-10-steps.yaml'),
      'utf8',
    );
    const pipeline = parsePipelineText(text) as { problem: { options: Record<string, unknown> } };
    pipeline.problem.options.samples = 800;
    const result = runPipeline(validatePipeline(pipeline, registries));
    expect(result.status).toBe('converged');
    expect(result.iterations).toBe(10);
    expect(result.metrics['fid.frechetDistance']).toBeGreaterThan(0);
    expect(result.metrics['fid.frechetDistance']).toBeLessThan(0.1);
  });
});
