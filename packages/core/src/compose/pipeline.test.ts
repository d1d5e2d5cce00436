import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineError } from '../errors/argmin-error';
import { corePlugins } from '../methods/index';
import { coreProblems } from '../problems/index';
import { defineMethod } from '../registry/define-method';
import { defineMetric, defineStage } from '../registry/define-metric';
import { defineProblem } from '../registry/define-problem';
import { createRng } from '../rng/rng';
import {
  asResultBase,
  MAX_PIPELINE_BYTES,
  methodKinds,
  parsePipelineText,
  runPipeline,
  scalarsOf,
  validatePipeline,
} from './pipeline';

const grab = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

// A toy non-oracle area: "diagonal systems" solved in one call by division, measured by a residual metric.
interface Diagonal {
  readonly d: Float64Array;
  readonly b: Float64Array;
}
const diagonalProblem = defineProblem({
  meta: { id: 'toy/diagonal', title: 'A diagonal system', provides: [], gives: 'diagonal-system' },
  options: z.strictObject({ n: z.number().int().positive().default(4), zero: z.boolean().default(false) }),
  create: (options, rng) => {
    const d = Float64Array.from({ length: options.n }, () => (options.zero ? 0 : 1 + rng.uniform()));
    const b = Float64Array.from({ length: options.n }, () => rng.uniform());
    return { problem: { d, b } satisfies Diagonal, x0: new Float64Array(options.n) };
  },
});
const divide = defineMethod({
  meta: { id: 'toy/divide', title: 'Divide by the diagonal', references: [], kind: 'solver' },
  options: z.strictObject({ scale: z.number().default(1) }),
  create: (options) => ({
    solve: ({ d, b }: Diagonal) => {
      const x = b.map((v, i) => (options.scale * v) / d[i]);
      const finite = x.every(Number.isFinite);
      return {
        x,
        status: finite ? 'converged' : 'numerical-error',
        converged: finite,
        iterations: 1,
        message: finite ? 'divided' : 'division by zero',
        warnings: [],
        trace: { iteration: [1], error: [0] },
        divisions: b.length,
      };
    },
  }),
});
const divideStage = defineStage<{ solve(p: Diagonal): unknown }>({
  method: 'toy/divide',
  takes: 'diagonal-system',
  gives: 'diagonal-solution',
  run: (solver, { instance }) => solver.solve(instance.problem as Diagonal),
});
const residualMetric = defineMetric({
  meta: { id: 'toy/residual', title: 'max |d x - b|', takes: ['diagonal-solution'] },
  options: z.strictObject({ power: z.number().default(1) }),
  compute: ({ result, instance }, options) => {
    const { d, b } = instance.problem as Diagonal;
    const { x } = result as { x: Float64Array };
    let worst = 0;
    for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(d[i] * x[i] - b[i]));
    return { residual: worst ** options.power };
  },
});
const iterateMetric = defineMetric({
  meta: { id: 'toy/norm', title: 'norm of an iterate', takes: ['iterate'] },
  options: z.strictObject({}),
  compute: ({ result }) => ({ norm: Math.hypot(...(result as { x: Float64Array }).x) }),
});
const nanMetric = defineMetric({
  meta: { id: 'toy/nan', title: 'Always NaN', takes: ['diagonal-solution'] },
  options: z.strictObject({}),
  compute: () => ({ value: Number.NaN }),
});
const linearOnly = defineMethod({
  meta: { id: 'toy/cg-like', title: 'A linear-system method', references: [], takes: 'linear-system' },
  options: z.strictObject({}),
  create: () => ({}),
});
const undeclared = defineMethod({
  meta: { id: 'toy/undeclared', title: 'Declares no kinds', references: [] },
  options: z.strictObject({}),
  create: () => ({}),
});

const registries = {
  methods: [...corePlugins, divide, linearOnly, undeclared],
  problems: [...coreProblems, diagonalProblem],
  metrics: [residualMetric, iterateMetric, nanMetric],
  bindings: [divideStage],
};

describe('pipeline kinds', () => {
  it('refuses a method whose input kind is not the problem kind, naming the stage and both kinds, before anything runs', () => {
    const error = grab(() =>
      validatePipeline(
        { problem: { id: 'core/rosenbrock' }, stages: [{ name: 'solve', method: 'toy/cg-like' }] },
        registries,
      ),
    );
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Invalid pipeline: stages[0].method: stages[0] ("solve"): toy/cg-like takes a linear-system, but problem core/rosenbrock gives an oracle',
    );
  });
  it('refuses a method that declares no input kind and no oracle needs on an oracle problem', () => {
    const error = grab(() =>
      validatePipeline(
        { problem: { id: 'core/rosenbrock' }, stages: [{ method: 'toy/undeclared' }] },
        registries,
      ),
    );
    expect(error.message).toContain(
      'toy/undeclared declares no input kind and needs no oracle capability, so it cannot run on problem core/rosenbrock, which gives an oracle',
    );
  });
  it('refuses an oracle method on a problem of another kind', () => {
    const error = grab(() =>
      validatePipeline({ problem: { id: 'toy/diagonal' }, stages: [{ method: 'core/lbfgs' }] }, registries),
    );
    expect(error.message).toContain(
      'core/lbfgs takes an oracle, but problem toy/diagonal gives a diagonal-system',
    );
  });
  it('reads kinds from a binding first, then meta.takes, then needs', () => {
    expect(methodKinds(divide, divideStage)).toMatchObject({
      takes: 'diagonal-system',
      gives: 'diagonal-solution',
    });
    expect(methodKinds(linearOnly)).toEqual({ takes: 'linear-system', gives: 'iterate' });
    expect(methodKinds(corePlugins[1])).toEqual({ takes: 'oracle', gives: 'iterate' });
    expect(methodKinds(undeclared).takes).toBeUndefined();
  });
  it('refuses a metric whose input kind is not the measured stage result kind', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock' },
          stages: [{ name: 'opt', method: 'core/lbfgs' }, { metric: 'toy/residual' }],
        },
        registries,
      ),
    );
    expect(error.message).toContain(
      'metric toy/residual takes a diagonal-solution, but stage "opt" gives an iterate',
    );
  });
  it('refuses a metric with no earlier method stage, or naming a stage that is not earlier', () => {
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'toy/diagonal' }, stages: [{ metric: 'toy/residual' }] },
          registries,
        ),
      ).message,
    ).toContain('has no earlier method stage to measure');
    expect(
      grab(() =>
        validatePipeline(
          {
            problem: { id: 'toy/diagonal' },
            stages: [
              { metric: 'toy/residual', of: 'later' },
              { name: 'later', method: 'toy/divide' },
            ],
          },
          registries,
        ),
      ).message,
    ).toContain('"later" is not an earlier method stage');
  });
  it('refuses stopWhen and from on a non-iterative stage, and a stage with both method and metric', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'toy/diagonal' },
          stages: [
            { method: 'toy/divide', stopWhen: { maxIterations: 3 }, from: 'x0' },
            { method: 'toy/divide', metric: 'toy/residual' },
          ],
        },
        registries,
      ),
    );
    expect(error.message).toContain('stages[0].stopWhen: toy/divide is not iterative');
    expect(error.message).toContain('stages[0].from: toy/divide is not iterative');
    expect(error.message).toContain('stages[1]: a stage names exactly one of `method`');
  });
  it('refuses duplicate stage names and unknown metric ids with a suggestion', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'toy/diagonal' },
          stages: [
            { name: 'a', method: 'toy/divide' },
            { name: 'a', method: 'toy/divide' },
            { metric: 'toy/residul' },
          ],
        },
        registries,
      ),
    );
    expect(error.message).toContain('stages[1].name: the name "a" is already used by stages[0]');
    expect(error.message).toContain('Unknown metric id "toy/residul". Did you mean "toy/residual"?');
  });
});

describe('running pipelines across kinds', () => {
  it('runs a non-iterative stage through its binding and a metric on its result', () => {
    const result = runPipeline(
      validatePipeline(
        {
          seed: 4,
          problem: { id: 'toy/diagonal', options: { n: 6 } },
          stages: [
            { name: 'exact', method: 'toy/divide' },
            { name: 'doubled', method: 'toy/divide', options: { scale: 2 } },
            { name: 'err-exact', metric: 'toy/residual', of: 'exact' },
            { name: 'err-doubled', metric: 'toy/residual', options: { power: 2 } },
          ],
        },
        registries,
      ),
    );
    expect(result.status).toBe('converged');
    expect(result.records.map((r) => [r.type, r.name, r.gives])).toEqual([
      ['method', 'exact', 'diagonal-solution'],
      ['method', 'doubled', 'diagonal-solution'],
      ['metric', 'err-exact', 'metric'],
      ['metric', 'err-doubled', 'metric'],
    ]);
    expect(result.metrics['err-exact.residual']).toBeLessThan(1e-15);
    // doubling x makes d x - b = b, so the squared residual is max b_i^2 > 0
    const { b } = diagonalProblem.create({ n: 6, zero: false }, createRng(4)).problem as Diagonal;
    expect(result.metrics['err-doubled.residual']).toBeCloseTo(Math.max(...b) ** 2, 14);
    // a result whose trace has columns beside `iteration` is read into trace.metrics
    expect(result.records[0].result?.trace.metrics.error).toEqual([0]);
    expect(result.records[0].summary.divisions).toBe(6);
  });
  it('reports a failing stage as the pipeline status, never an exception, and skips its metrics', () => {
    const result = runPipeline(
      validatePipeline(
        {
          problem: { id: 'toy/diagonal', options: { zero: true } },
          stages: [{ method: 'toy/divide' }, { metric: 'toy/residual' }],
        },
        registries,
      ),
    );
    expect(result.status).toBe('numerical-error');
    expect(result.converged).toBe(false);
    // the metric of a failed stage is not computed (it would measure a failure), and the result says so
    expect(result.metrics).toEqual({});
    expect(result.warnings).toContainEqual({
      type: 'skipped-metric',
      message:
        'metric toy/residual (stage "1:toy/residual") was not computed: stage "0:toy/divide" ended in numerical-error',
    });
  });
  it('a non-finite metric value of a converged stage is kept and warned about', () => {
    const result = runPipeline(
      validatePipeline(
        {
          problem: { id: 'toy/diagonal' },
          stages: [{ method: 'toy/divide' }, { name: 'nan', metric: 'toy/nan' }],
        },
        registries,
      ),
    );
    expect(result.status).toBe('converged');
    expect(result.metrics['nan.value']).toBeNaN();
    expect(result.warnings).toContainEqual({
      type: 'numerical',
      message: 'metric toy/nan of stage "0:toy/divide" gave value = NaN',
    });
  });
  it('runs a metric on an iterative stage and keeps the single-run fields (x, info, seed, method)', () => {
    const result = runPipeline(
      validatePipeline(
        {
          seed: 2,
          problem: { id: 'core/rosenbrock', options: { dimension: 4 } },
          stages: [
            { name: 'opt', method: 'core/lbfgs', stopWhen: { metricBelow: { gradNorm: 1e-10 } } },
            { metric: 'toy/norm' },
          ],
        },
        registries,
      ),
    );
    expect(result.status).toBe('converged');
    expect(result.seed).toBe(2);
    expect(result.method.id).toBe('core/lbfgs');
    expect(result.info.gradNorm).toBeLessThanOrEqual(1e-10);
    // the minimizer of Rosenbrock is (1, ..., 1): norm 2 in dimension 4
    expect(result.metrics['1:toy/norm.norm']).toBeCloseTo(2, 8);
  });
  it('chains consecutive iterative stages, and starts a separate run with from: x0', () => {
    const stages = [
      { name: 'warm', method: 'core/gradient-descent', stopWhen: { maxIterations: 5 } },
      { name: 'polish', method: 'core/lbfgs', stopWhen: { maxIterations: 3 } },
    ];
    const chained = runPipeline(validatePipeline({ problem: { id: 'core/rosenbrock' }, stages }, registries));
    expect(chained.records.map((r) => r.stages)).toEqual([['warm', 'polish']]);
    expect(chained.iterations).toBe(8);
    const separate = runPipeline(
      validatePipeline(
        { problem: { id: 'core/rosenbrock' }, stages: [stages[0], { ...stages[1], from: 'x0' }] },
        registries,
      ),
    );
    expect(separate.records.map((r) => [r.name, r.result?.iterations])).toEqual([
      ['warm', 5],
      ['polish', 3],
    ]);
  });
});

describe('stopping rules of a single-stage pipeline (issue 13, cause 8)', () => {
  const run = (stage: number, top: number) =>
    runPipeline(
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock', options: { dimension: 10 } },
          stages: [{ method: 'core/gradient-descent', stopWhen: { maxIterations: stage } }],
          stopWhen: { maxIterations: top },
        },
        registries,
      ),
    );
  it('applies both the stage rule and the top-level rule; the first to fire wins', () => {
    expect(run(50, 7).iterations).toBe(7);
    expect(run(6, 50).iterations).toBe(6);
  });
});

describe('validation before running (issue 13, cause 9)', () => {
  it('checks x0 length against the problem with its options', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock', options: { dimension: 3 } },
          x0: [0, 0],
          stages: [{ method: 'core/lbfgs' }],
        },
        registries,
      ),
    );
    expect(error.message).toBe(
      'Invalid pipeline: x0: has length 2, but problem core/rosenbrock with these options has dimension 3',
    );
    const ok = runPipeline(
      validatePipeline(
        {
          problem: { id: 'core/rosenbrock', options: { dimension: 2 } },
          x0: [-1.2, 1],
          stages: [{ method: 'core/lbfgs', stopWhen: { maxIterations: 1 } }],
        },
        registries,
      ),
    );
    expect(ok.iterations).toBe(1);
  });
  it('refuses x0 and a top-level stopWhen when no stage is iterative', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'toy/diagonal' },
          x0: [1],
          stopWhen: { maxIterations: 2 },
          stages: [{ method: 'toy/divide' }],
        },
        registries,
      ),
    );
    expect(error.message).toContain('x0: `x0` is the start of iterative stages, and this pipeline has none');
    expect(error.message).toContain('stopWhen: a top-level `stopWhen` applies to iterative stages');
  });
  it('refuses keys that could pollute prototypes, from JSON and from YAML, and pollutes nothing', () => {
    const json = parsePipelineText(
      '{"problem":{"id":"core/rosenbrock","options":{"__proto__":{"polluted":1}}},"stages":[{"method":"core/lbfgs","options":{"constructor":{"prototype":{"polluted":1}}}}]}',
      'json',
    );
    const error = grab(() => validatePipeline(json, registries));
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toContain('problem.options.__proto__: this key name is not allowed');
    expect(error.message).toContain('stages[0].options.constructor: this key name is not allowed');
    const yaml = parsePipelineText(
      'problem: { id: core/rosenbrock }\nstages:\n  - method: core/lbfgs\n    __proto__: { polluted: 1 }\n',
    );
    expect(grab(() => validatePipeline(yaml, registries)).message).toContain('stages[0].__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });
  it('names the valid keys of a stage for an unknown stage key', () => {
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'core/rosenbrock' }, stages: [{ method: 'core/lbfgs', stopwhen: {} }] },
          registries,
        ),
      ).message,
    ).toContain(
      'stages[0].stopwhen: unknown key (valid keys: name, method, metric, options, stopWhen, from, of)',
    );
  });
  it('suggests the option meant by a scipy/POT spelling or a near miss, in stage, problem and metric options', () => {
    const error = grab(() =>
      validatePipeline(
        {
          problem: { id: 'toy/diagonal', options: { N: 3 } },
          stages: [
            { method: 'toy/divide', options: { scal: 2 } },
            { metric: 'toy/residual', options: { powr: 2 } },
          ],
        },
        registries,
      ),
    );
    expect(error.message).toContain(
      'problem.options.N: unknown option (valid options of toy/diagonal: n, zero; did you mean `n`?)',
    );
    expect(error.message).toContain(
      'stages[0].options.scal: unknown option (valid options of toy/divide: scale; did you mean `scale`?)',
    );
    expect(error.message).toContain(
      'stages[1].options.powr: unknown option (valid options of toy/residual: power; did you mean `power`?)',
    );
    expect(
      grab(() =>
        validatePipeline(
          {
            problem: { id: 'core/rosenbrock' },
            stages: [{ method: 'core/gradient-descent', options: { maxiter: 5 } }],
          },
          registries,
        ),
      ).message,
    ).toMatch(
      /stages\[0\]\.options\.maxiter: unknown option \(valid options of core\/gradient-descent: .*; did you mean `maxIterations`\?\)/,
    );
  });
  it('refuses pipeline text over the documented size limit before parsing it', () => {
    const error = grab(() => parsePipelineText(' '.repeat(MAX_PIPELINE_BYTES + 1)));
    expect(PipelineError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`more than the limit of ${MAX_PIPELINE_BYTES}`);
  });
});

describe('reading any result', () => {
  it('asResultBase fills neutral values and scalarsOf lists nested numbers', () => {
    expect(asResultBase(undefined)).toMatchObject({ status: 'converged', iterations: 0, warnings: [] });
    expect(asResultBase({ status: 'bogus' }).status).toBe('converged');
    expect(scalarsOf({ cost: 1, info: { gradNorm: 2, cost: 3 }, seed: 9, x: new Float64Array(2) })).toEqual({
      cost: 1,
      gradNorm: 2,
      'info.cost': 3,
    });
  });
});
