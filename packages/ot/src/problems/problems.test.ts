import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createRng,
  InvalidArgumentError,
  PipelineError,
  parsePipelineText,
  ResourceLimitError,
  resourceLimits,
  runPipeline,
  setResourceLimits,
  validatePipeline,
} from '@argmin/core';
import { corePlugins, coreProblems } from '@argmin/core/plugins';
import { describe, expect, it } from 'vitest';
import { squaredEuclideanCost } from '../cost';
import { otPlugins } from '../plugins';
import { marginalError } from '../result';
import {
  gridDensitiesProblem,
  histogramsProblem,
  type OtProblem,
  otMetrics,
  otProblems,
  otStages,
  pointCloudsProblem,
} from './index';

const registries = {
  methods: [...otPlugins, ...corePlugins],
  problems: [...otProblems, ...coreProblems],
  metrics: [...otMetrics],
  bindings: [...otStages],
};
const grab = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};
const sum = (v: Float64Array) => v.reduce((s, x) => s + x, 0);

describe('OT pipeline problems', () => {
  it('point clouds: uniform weights of mass 1 and the squared Euclidean cost of the drawn clouds', () => {
    const { problem } = pointCloudsProblem.create(
      { sourcePoints: 7, targetPoints: 5, dimension: 3, shift: 2, normalizeCost: false },
      createRng(1),
    ) as { problem: OtProblem };
    expect(problem.a).toEqual(new Float64Array(7).fill(1 / 7));
    expect(sum(problem.b)).toBeCloseTo(1, 15);
    expect(Array.from(problem.cost.data)).toEqual(
      Array.from(squaredEuclideanCost(problem.X, problem.Y).data),
    );
    // the target is shifted by 2 in every coordinate: its mean is near 2 (5 points x 3 coordinates)
    expect(sum(problem.Y.data) / 15).toBeGreaterThan(1);
  });
  it('normalizing the cost divides it by its largest entry and records the divisor', () => {
    const options = { sourcePoints: 6, targetPoints: 6, dimension: 2, shift: 1 };
    const raw = pointCloudsProblem.create({ ...options, normalizeCost: false }, createRng(3))
      .problem as OtProblem;
    const scaled = pointCloudsProblem.create({ ...options, normalizeCost: true }, createRng(3))
      .problem as OtProblem;
    expect(Math.max(...scaled.cost.data)).toBe(1);
    expect(scaled.costScale).toBe(Math.max(...raw.cost.data));
    for (let i = 0; i < raw.cost.data.length; i++)
      expect(scaled.cost.data[i]).toBeCloseTo(raw.cost.data[i] / scaled.costScale, 15);
  });
  it('grid densities and histograms: positive weights of mass 1 on the same support', () => {
    for (const problem of [
      gridDensitiesProblem.create(gridDensitiesProblem.options.parse({ side: 5 }), createRng(0)).problem,
      histogramsProblem.create(histogramsProblem.options.parse({ bins: 9 }), createRng(0)).problem,
    ] as OtProblem[]) {
      expect(sum(problem.a)).toBeCloseTo(1, 14);
      expect(sum(problem.b)).toBeCloseTo(1, 14);
      expect(Math.min(...problem.a, ...problem.b)).toBeGreaterThan(0);
      expect(problem.X).toBe(problem.Y);
      expect(problem.cost.rows).toBe(problem.a.length);
      // zero cost on the diagonal: moving mass nowhere is free
      for (let i = 0; i < problem.a.length; i++) expect(problem.cost.data[i * problem.a.length + i]).toBe(0);
    }
  });
  it('refuses a cost matrix over the resource budget before allocating it', () => {
    const before = resourceLimits();
    setResourceLimits({ maxBytes: 1e6 });
    try {
      const error = grab(() =>
        pointCloudsProblem.create(
          pointCloudsProblem.options.parse({ sourcePoints: 1000, targetPoints: 1000 }),
          createRng(0),
        ),
      );
      expect(ResourceLimitError.isInstance(error)).toBe(true);
    } finally {
      setResourceLimits(before);
    }
  });
});

describe('OT pipelines', () => {
  it('runs Sinkhorn, SNS and the exact solver on one problem; the metric recomputes each marginal error from the plan', () => {
    const result = runPipeline(
      validatePipeline(
        {
          problem: {
            id: 'ot/point-clouds',
            options: { sourcePoints: 40, targetPoints: 30, normalizeCost: true },
          },
          stages: [
            { name: 'sinkhorn', method: 'ot/sinkhorn', options: { regularization: 0.05, tolerance: 1e-10 } },
            { name: 'sns', method: 'ot/sns', options: { regularization: 0.05, tolerance: 1e-10 } },
            { name: 'exact', method: 'ot/emd' },
            { name: 'm-sinkhorn', metric: 'ot/marginal-error', of: 'sinkhorn' },
            { name: 'm-sns', metric: 'ot/marginal-error', of: 'sns' },
            { name: 'm-exact', metric: 'ot/marginal-error', of: 'exact' },
          ],
        },
        registries,
      ),
    );
    expect(result.status).toBe('converged');
    expect(
      result.records.filter((r) => r.type === 'method').map((r) => [r.name, r.gives, r.result?.status]),
    ).toEqual([
      ['sinkhorn', 'ot-plan', 'converged'],
      ['sns', 'ot-plan', 'converged'],
      ['exact', 'ot-plan', 'converged'],
    ]);
    const problem = pointCloudsProblem.create(
      pointCloudsProblem.options.parse({ sourcePoints: 40, targetPoints: 30, normalizeCost: true }),
      createRng(0),
    ).problem as OtProblem;
    for (const name of ['sinkhorn', 'sns', 'exact']) {
      const raw = result.records.find((r) => r.name === name)?.raw as {
        plan: { data: Float64Array; rows: number; cols: number };
      };
      expect(result.metrics[`m-${name}.marginalError`]).toBe(
        marginalError(raw.plan as never, problem.a, problem.b),
      );
      expect(result.metrics[`m-${name}.marginalError`]).toBeLessThan(1e-8);
      expect(result.metrics[`m-${name}.mass`]).toBeCloseTo(1, 8);
    }
    // the exact plan has the least linear cost of all plans with these marginals
    expect(result.metrics['m-exact.cost']).toBeLessThan(result.metrics['m-sinkhorn.cost']);
    // Sinkhorn and SNS solve the same entropic problem: the same plan cost
    expect(result.metrics['m-sns.cost']).toBeCloseTo(result.metrics['m-sinkhorn.cost'], 7);
  });
  it('Sinkhorn divergence: positive between distinct measures, zero between a measure and itself', () => {
    const divergence = (id: string, options: object) =>
      runPipeline(
        validatePipeline(
          {
            problem: { id, options },
            stages: [
              { name: 'plan', method: 'ot/sinkhorn', options: { regularization: 0.1 } },
              { name: 'divergence', metric: 'ot/sinkhorn-divergence', options: { regularization: 0.1 } },
            ],
          },
          registries,
        ),
      ).metrics['divergence.sinkhornDivergence'];
    expect(
      divergence('ot/point-clouds', { sourcePoints: 30, targetPoints: 30, shift: 2, normalizeCost: true }),
    ).toBeGreaterThan(0.01);
    const apart = divergence('ot/grid-densities', {
      side: 6,
      sourceCenter: [0.2, 0.2],
      targetCenter: [0.8, 0.8],
    });
    const same = divergence('ot/grid-densities', {
      side: 6,
      sourceCenter: [0.4, 0.6],
      targetCenter: [0.4, 0.6],
    });
    expect(apart).toBeGreaterThan(0.1);
    expect(same).toBeLessThan(1e-8);
  });
  it('refuses the Sinkhorn divergence on a ground cost that is not squared Euclidean', () => {
    const error = grab(() =>
      runPipeline(
        validatePipeline(
          {
            problem: { id: 'ot/histograms', options: { bins: 10, power: 1 } },
            stages: [{ method: 'ot/emd' }, { metric: 'ot/sinkhorn-divergence' }],
          },
          registries,
        ),
      ),
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toContain('has power 1');
  });
  it('refuses an OT solver on an oracle problem and an optimizer on an OT problem, naming both kinds', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock' },
          stages: [{ method: 'ot/sinkhorn', options: { regularization: 1 } }],
        },
        registries,
      ),
    );
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      'ot/sinkhorn takes an ot-problem, but problem core/rosenbrock gives an oracle',
    );
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'ot/histograms' }, stages: [{ method: 'core/lbfgs' }] },
          registries,
        ),
      ).message,
    ).toContain('core/lbfgs takes an oracle, but problem ot/histograms gives an ot-problem');
  });
  it('runs the shipped example examples/pipelines/sinkhorn-vs-sns.yaml (at a reduced size)', () => {
    const text = readFileSync(
      resolve(__dirname, '../../../../examples/pipelines/sinkhorn-vs-sns.yaml'),
      'utf8',
    );
    const pipeline = parsePipelineText(text) as { problem: { options: Record<string, number> } };
    pipeline.problem.options.sourcePoints = 40;
    pipeline.problem.options.targetPoints = 40;
    const result = runPipeline(validatePipeline(pipeline, registries));
    expect(result.status).toBe('converged');
    for (const name of ['sinkhorn-marginals', 'sns-marginals', 'exact-marginals'])
      expect(result.metrics[`${name}.marginalError`]).toBeLessThan(1e-8);
    expect(result.metrics['divergence.sinkhornDivergence']).toBeGreaterThan(0);
  });
});
