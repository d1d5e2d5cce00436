import { describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/argmin-error';
import { gradientDescent } from '../methods/gradient-descent';
import { corePlugins } from '../methods/index';
import { lbfgs } from '../methods/lbfgs';
import { coreProblems } from '../problems/index';
import { rosenbrock } from '../problems/rosenbrock';
import { solve } from '../solve/solve';
import { maxIterations, metricBelow } from '../solve/stop-when';
import type { Oracle } from '../spec/oracle';
import {
  chain,
  type GradientTransformation,
  scaleBy,
  scaleByLearningRate,
  transformOptimizer,
} from './chain';
import { parsePipelineText, runPipeline, validatePipeline } from './pipeline';
import { sequence } from './sequence';

const quadratic: Oracle<'value' | 'grad'> = {
  dimension: 2,
  value: (x) => 0.5 * (x[0] ** 2 + 4 * x[1] ** 2),
  grad: (x, out) => ((out[0] = x[0]), (out[1] = 4 * x[1]), out),
};
const identity: GradientTransformation<null> = {
  init: () => null,
  update: (updates, state) => ({ updates, state }),
};
const registries = { methods: [...corePlugins], problems: [...coreProblems] };
const grab = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('chain and transformOptimizer', () => {
  it('a chain of identities is the identity', () => {
    const g = Float64Array.of(1, -2, 3);
    const { updates } = chain(identity, identity, identity).update(g.slice(), [null, null, null], g, {
      rng: null as never,
      iteration: 0,
      oracle: null as never,
    });
    expect(Array.from(updates)).toEqual([1, -2, 3]);
  });
  it('composes left to right', () => {
    const t = chain(
      scaleBy(2),
      scaleByLearningRate((k) => 0.1 * (k + 1)),
    );
    const { updates } = t.update(Float64Array.of(1), t.init(Float64Array.of(0)), Float64Array.of(0), {
      rng: null as never,
      iteration: 1,
      oracle: null as never,
    });
    expect(updates[0]).toBeCloseTo(-0.4, 15);
  });
  it('gradient descent as a chain converges on a quadratic, x_{k+1} = x_k − η g_k exactly', () => {
    const optimizer = transformOptimizer(chain(scaleByLearningRate(0.2)), { id: 'test/sgd' });
    const one = solve(optimizer, quadratic, Float64Array.of(1, 1), { stopWhen: maxIterations(1) });
    expect(Array.from(one.x)).toEqual([1 - 0.2 * 1, 1 - 0.2 * 4]);
    const result = solve(optimizer, quadratic, Float64Array.of(1, 1), {
      stopWhen: metricBelow('gradNorm', 1e-10),
    });
    expect(result.status).toBe('converged');
    expect(Math.abs(result.x[0])).toBeLessThan(1e-9);
  });
  it('uses sampleGrad with the run Rng when asked, and is reproducible by seed', () => {
    const noisy: Oracle<'sampleGrad'> = {
      dimension: 1,
      sampleGrad: (x, rng, out) => ((out[0] = x[0] + 0.1 * rng.normal()), out),
    };
    const optimizer = transformOptimizer(scaleByLearningRate(0.1), { gradient: 'sampleGrad' });
    const a = solve(optimizer, noisy, Float64Array.of(1), { stopWhen: maxIterations(50), seed: 3 });
    const b = solve(optimizer, noisy, Float64Array.of(1), { stopWhen: maxIterations(50), seed: 3 });
    const c = solve(optimizer, noisy, Float64Array.of(1), { stopWhen: maxIterations(50), seed: 4 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.x[0]).not.toBe(c.x[0]);
  });
  it('rejects an oracle without the gradient it needs', () => {
    expect(
      grab(() =>
        solve(transformOptimizer(identity, { gradient: 'sampleGrad' }), quadratic, Float64Array.of(1, 1)),
      ).message,
    ).toContain("the oracle has no `sampleGrad`; provide it or use gradient: 'grad'");
  });
});

describe('sequence', () => {
  it('runs stages in order from the current iterate and reports the stage in info', () => {
    const stages = sequence([
      { name: 'warm-up', optimizer: gradientDescent(), stopWhen: maxIterations(5) },
      { name: 'polish', optimizer: lbfgs(), stopWhen: metricBelow('gradNorm', 1e-9) },
    ]);
    const result = solve(stages, rosenbrock(4), Float64Array.of(-1.2, 1, -1.2, 1), {
      stopWhen: maxIterations(1000),
      recordEvery: 1,
    });
    expect(result.status).toBe('converged');
    expect(result.message).toContain('stage "polish"');
    expect(result.trace.metrics.stage.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(
      (result.state as unknown as { finished: { name: string; iterations: number }[] }).finished.map((f) => [
        f.name,
        f.iterations,
      ])[0],
    ).toEqual(['warm-up', 5]);
  });
  it('rejects an empty list of stages', () => {
    expect(grab(() => sequence([])).message).toBe(
      'sequence: `stages` must contain at least one stage; got an empty list.',
    );
  });
});

describe('pipeline files', () => {
  const yaml = `
seed: 3
problem: { id: core/rosenbrock, options: { dimension: 6 } }
stages:
  - { name: warm-up, method: core/gradient-descent, stopWhen: { maxIterations: 10 } }
  - method: core/lbfgs
    options: { memory: 7 }
    stopWhen: { metricBelow: { gradNorm: 1.0e-9 }, maxIterations: 1000 }
`;
  it('validates and runs a YAML pipeline', () => {
    const result = runPipeline(validatePipeline(parsePipelineText(yaml), registries));
    expect(result.status).toBe('converged');
    expect(result.info.gradNorm).toBeLessThanOrEqual(1e-9);
    expect(result.seed).toBe(3);
  });
  it('validates and runs the same pipeline from JSON, with the same result', () => {
    const json = JSON.stringify(parsePipelineText(yaml));
    const a = runPipeline(validatePipeline(parsePipelineText(json, 'json'), registries));
    const b = runPipeline(validatePipeline(parsePipelineText(yaml), registries));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });
  it('reports every problem at once: unknown method id (with the registered ids), unknown key (with the valid keys), wrong type', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock' },
          stages: [
            { method: 'core/lbgfs' },
            { method: 'core/lbfgs', options: { memroy: 3 } },
            { method: 'core/lbfgs', options: { memory: 'x' } },
          ],
        },
        registries,
      ),
    );
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      'stages[0].method: Unknown method id "core/lbgfs". Did you mean "core/lbfgs"? Registered ids: core/gradient-descent, core/lbfgs.',
    );
    expect(error.message).toContain(
      'stages[1].options.memroy: unknown option (valid options of core/lbfgs: memory, gradientTolerance',
    );
    expect(error.message).toContain(
      'stages[2].options.memory: Invalid input: expected number, received string',
    );
  });
  it('rejects an unknown problem id and unknown problem options', () => {
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'core/rosenbrok' }, stages: [{ method: 'core/lbfgs' }] },
          registries,
        ),
      ).message,
    ).toContain('Unknown problem id "core/rosenbrok". Did you mean "core/rosenbrock"?');
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'core/rosenbrock', options: { dim: 3 } }, stages: [{ method: 'core/lbfgs' }] },
          registries,
        ),
      ).message,
    ).toContain('problem.options.dim: unknown option (valid options of core/rosenbrock: dimension)');
  });
  it('rejects unknown top-level keys and an empty stage list', () => {
    expect(
      grab(() => validatePipeline({ problem: { id: 'core/rosenbrock' }, stages: [], extra: 1 }, registries))
        .message,
    ).toMatch(/extra: unknown key/);
  });
  it('rejects text that is not YAML or JSON', () => {
    expect(grab(() => parsePipelineText('{ not json', 'json')).message).toContain('cannot parse JSON');
  });
});

describe('optax-style update without a context', () => {
  it('chain(scaleBy, scaleByLearningRate(constant)).update(g, s, p) works; a schedule asks for the step count', async () => {
    const { chain, scaleBy, scaleByLearningRate } = await import('./chain');
    const tx = chain(scaleBy(2), scaleByLearningRate(0.5));
    const params = Float64Array.of(1, 2);
    const { updates } = tx.update(Float64Array.of(1, -1), tx.init(params), params);
    expect(Array.from(updates)).toEqual([-1, 1]);
    const scheduled = scaleByLearningRate((k) => 1 / (k + 1));
    expect(() => scheduled.update(Float64Array.of(1), null, params)).toThrow(/needs the step count/);
  });
});
