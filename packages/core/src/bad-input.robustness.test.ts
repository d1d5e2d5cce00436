import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain, scaleBy, scaleByLearningRate, transformOptimizer } from './compose/chain';
import { sequence } from './compose/sequence';
import { ArgminError, InvalidOptionsError } from './errors/argmin-error';
import { defineExperiment, runExperiment, verdictFrom } from './experiment/define-experiment';
import { denseMatrix, fromRows } from './linalg/dense-matrix';
import { corePlugins, gradientDescent, lbfgs } from './methods/index';
import { checkGradient, checkHvp } from './oracles/check';
import { leastSquares } from './problems/least-squares';
import { logisticRegression } from './problems/logistic-regression';
import { quadratic } from './problems/quadratic';
import { rosenbrock } from './problems/rosenbrock';
import { createRegistry } from './registry/create-registry';
import { parseOptions } from './registry/options';
import { assertAllocation, resourceLimits, setResourceLimits } from './resources/budget';
import { createRng, createRngFromArray, restoreRng } from './rng/rng';
import { solve } from './solve/solve';
import {
  allOf,
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  wallTimeAbove,
} from './solve/stop-when';
import type { Optimizer } from './spec/optimizer';
import {
  arrayMutationArbitrary,
  checkRobust,
  deadlineSignal,
  invalidOptionsArbitrary,
  nonFiniteOracleArbitrary,
  robustnessParameters,
  wrongKindArbitrary,
} from './testing/bad-input';
import { assertFinite, assertInteger, assertLength, assertPositive, assertVec } from './validate/validate';

/**
 * Issue 13's property-based suite for @argmin/core: every public boundary either throws a named
 * error or returns finite outputs (a failure status when the run went non-finite), within a time
 * limit, without mutating its inputs. Fixed seeds; the whole file runs in a few seconds.
 */

const factories: Record<string, (options: never) => unknown> = {
  'core/gradient-descent': gradientDescent,
  'core/lbfgs': lbfgs,
};

describe('core plugins reject every generated invalid option with InvalidOptionsError', () => {
  const registry = createRegistry([...corePlugins]);
  for (const plugin of corePlugins) {
    it(plugin.meta.id, () => {
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options), ({ options, why }) => {
          for (const [where, make] of [
            ['registry.create', () => registry.create(plugin.meta.id, options as never)],
            ['factory', () => factories[plugin.meta.id](options as never)],
            ['parseOptions', () => parseOptions(plugin.meta.id, plugin.options, options)],
          ] as const) {
            let error: unknown;
            try {
              make();
            } catch (caught) {
              error = caught;
            }
            expect(InvalidOptionsError.isInstance(error), `${where} accepted ${why}`).toBe(true);
          }
        }),
        robustnessParameters(101, 80),
      );
    });
  }
});

/** Core's reference problems as (name, fresh problem, x0). */
const A = fromRows([
  [2, 1],
  [1, 3],
  [0, 1],
]);
const problems = [
  { name: 'rosenbrock(2)', make: () => rosenbrock(2), x0: Float64Array.of(-1.2, 1) },
  { name: 'rosenbrock(5)', make: () => rosenbrock(5), x0: Float64Array.of(-1, 1, -1, 1, 0.5) },
  {
    name: 'quadratic',
    make: () =>
      quadratic(
        fromRows([
          [3, 1],
          [1, 2],
        ]),
        Float64Array.of(1, -1),
      ),
    x0: Float64Array.of(4, -4),
  },
  { name: 'least squares', make: () => leastSquares(A, Float64Array.of(1, 2, 3)), x0: Float64Array.of(0, 0) },
  {
    name: 'logistic regression',
    make: () => logisticRegression(A, Float64Array.of(0, 1, 1), { l2: 0.1 }),
    x0: Float64Array.of(0.5, -0.5),
  },
];
const methods = [
  { name: 'gradient descent', make: () => gradientDescent() },
  { name: 'L-BFGS', make: () => lbfgs({ memory: 3 }) },
  {
    name: 'chain(scaleByLearningRate) as an optimizer',
    make: () => transformOptimizer(chain(scaleBy(1), scaleByLearningRate(0.05)), { id: 'test/sgd' }),
  },
  {
    name: 'a two-stage sequence',
    make: () =>
      sequence([
        {
          name: 'warm-up',
          optimizer: gradientDescent() as Optimizer<never, unknown>,
          stopWhen: maxIterations(3),
        },
        { name: 'lbfgs', optimizer: lbfgs() as Optimizer<never, unknown> },
      ]),
  },
];
const stop = () => anyOf(metricBelow('gradNorm', 1e-9), maxIterations(200));

describe('solve with every core method on every core problem', () => {
  it('x0 with NaN, Infinity or the wrong length is a named error and x0 is not mutated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.constantFrom(...problems).chain((p) => arrayMutationArbitrary(p.x0).map((m) => ({ p, m }))),
        (method, { p, m }) => {
          const outcome = checkRobust(
            () => solve(method.make() as never, p.make(), m.value, { stopWhen: stop() }),
            {
              inputs: [m.value],
            },
          );
          expect(outcome.kind, `${method.name} on ${p.name}, x0 ${m.why}`).toBe('named-error');
        },
      ),
      robustnessParameters(102, 60),
    );
  });
  it('an oracle that turns NaN or ±Infinity at a random call ends with finite x and state, never a hang', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc
          .constantFrom(...problems)
          .chain((p) => nonFiniteOracleArbitrary(p.make, 60).map((o) => ({ p, o }))),
        (method, { p, o }) => {
          const x0 = p.x0.slice();
          const outcome = checkRobust(
            () =>
              solve(method.make() as never, o.oracle, x0, {
                stopWhen: stop(),
                signal: deadlineSignal(1500),
              }),
            { inputs: [x0] },
          );
          const context = `${method.name} on ${p.name}, ${o.why}`;
          if (outcome.kind === 'result') expect(outcome.status, context).not.toBe('aborted');
          else expect(ArgminError.isInstance(outcome.error), context).toBe(true);
        },
      ),
      robustnessParameters(103, 80),
    );
  });
  it('bad solve options of every kind are named errors', () => {
    const keys = ['stopWhen', 'seed', 'rng', 'observers', 'signal', 'recordEvery', 'needs', 'now', 'maxiter'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), wrongKindArbitrary, (key, value) => {
        const x0 = Float64Array.of(-1.2, 1);
        const options = { stopWhen: maxIterations(5), [key]: value };
        const outcome = checkRobust(() => solve(lbfgs(), rosenbrock(2), x0, options as never), {
          inputs: [x0],
        });
        expect(['named-error', 'result']).toContain(outcome.kind);
      }),
      robustnessParameters(104, 120),
    );
  });
});

describe('stopping rules, learning rates and sequences built from any number', () => {
  const anyNumber = fc.oneof(
    fc.double(),
    wrongKindArbitrary,
    fc.constantFrom(Number.NaN, -1, 0, Number.POSITIVE_INFINITY),
  );
  const rules = [
    (v: unknown) => maxIterations(v as number),
    (v: unknown) => metricBelow('gradNorm', v as number),
    (v: unknown) => metricAbove('value', v as number),
    (v: unknown) => relativeChangeBelow(v as number),
    (v: unknown) => relativeChangeBelow(v as number, 'value'),
    (v: unknown) => oracleCallsAbove(v as number),
    (v: unknown) => wallTimeAbove(v as number),
    (v: unknown) => anyOf(v as never),
    (v: unknown) => allOf(maxIterations(3), v as never),
    (v: unknown) => metricBelow(v as string, 1e-6),
  ];
  it('a rule is built or refused with a named error, and solving with it stays finite and ends', () => {
    fc.assert(
      fc.property(fc.nat(rules.length - 1), anyNumber, (r, value) => {
        const built = checkRobust(() => rules[r](value));
        if (built.kind === 'named-error') return;
        const x0 = Float64Array.of(-1.2, 1);
        const outcome = checkRobust(
          () =>
            solve(lbfgs(), rosenbrock(2), x0, {
              stopWhen: anyOf(built.value as never, maxIterations(500)),
              signal: deadlineSignal(1500),
            }),
          { inputs: [x0] },
        );
        if (outcome.kind === 'result') expect(outcome.status).not.toBe('aborted');
      }),
      robustnessParameters(105, 150),
    );
  });
  it('scaleBy, scaleByLearningRate, chain, transformOptimizer and sequence with bad arguments', () => {
    const makers = [
      (v: unknown) => scaleBy(v as number),
      (v: unknown) => scaleByLearningRate(v as number),
      (v: unknown) => chain(v as never),
      (v: unknown) => transformOptimizer(v as never),
      (v: unknown) => transformOptimizer(scaleByLearningRate(0.1), { gradient: v as never }),
      (v: unknown) => sequence(v as never),
      (v: unknown) => sequence([{ name: 'a', optimizer: gradientDescent(), stopWhen: v as never }]),
    ];
    fc.assert(
      fc.property(fc.nat(makers.length - 1), anyNumber, (m, value) => {
        const built = checkRobust(() => makers[m](value));
        expect(['named-error', 'result']).toContain(built.kind);
        if (built.kind === 'named-error' || m >= 3) return;
        const transform = built.value as ReturnType<typeof scaleBy>;
        const x0 = Float64Array.of(-1.2, 1);
        checkRobust(
          () =>
            solve(transformOptimizer(chain(transform, scaleByLearningRate(1e-3))), rosenbrock(2), x0, {
              stopWhen: maxIterations(50),
            }),
          { inputs: [x0] },
        );
      }),
      robustnessParameters(106, 150),
    );
  });
});

describe('Rng, resources, validators and experiments with arbitrary arguments', () => {
  const anyValue = fc.oneof(wrongKindArbitrary, fc.double(), fc.integer(), fc.string({ maxLength: 4 }));
  it('Rng constructors and draws: a named error or a finite draw', () => {
    const rng = createRng(1);
    const moderate = fc.oneof(fc.double({ min: -1e300, max: 1e300 }), wrongKindArbitrary);
    const calls = [
      (a: unknown) => createRng(a as number),
      (a: unknown) => createRngFromArray(a as number[]),
      (a: unknown) => createRngFromArray([1, a as number]),
      (a: unknown, b: unknown) => rng.uniform(a as number, b as number),
      (a: unknown, b: unknown) => rng.normal(a as number, b as number),
      (a: unknown) => rng.integer(a as number),
      (a: unknown) => rng.categorical([0.5, a as number]),
      (a: unknown) => rng.permutation(a as number),
      (a: unknown, b: unknown) => rng.fillUniform(new Float64Array(2), a as number, b as number),
      (a: unknown, b: unknown) => rng.fillNormal(new Float64Array(2), a as number, b as number),
      (a: unknown) => restoreRng({ ...createRng(2).getState(), position: a as number }),
      (a: unknown) => {
        const state = createRng(2).getState();
        return restoreRng({
          ...state,
          key: state.key.map((w, i) => (i === 5 ? (a as number) : w)),
        }).uniform();
      },
    ];
    fc.assert(
      fc.property(fc.nat(calls.length - 1), moderate, moderate, (c, a, b) => {
        const outcome = checkRobust(() => {
          const value = calls[c](a, b);
          return typeof value === 'object' && value !== null && 'uniform' in value ? value.uniform() : value;
        });
        expect(outcome.kind === 'named-error' || outcome.kind === 'result').toBe(true);
      }),
      robustnessParameters(107, 200),
    );
  });
  it('the resource budget and the boundary validators', () => {
    const previous = resourceLimits();
    try {
      fc.assert(
        fc.property(anyValue, anyValue, (a, b) => {
          checkRobust(() => setResourceLimits({ maxBytes: a as number }));
          setResourceLimits(previous);
          checkRobust(() => assertAllocation('test', 'a buffer', a as number, (b as number) ?? 8));
          checkRobust(() => assertVec('test', 'x', a));
          checkRobust(() => assertFinite('test', 'x', a as never));
          checkRobust(() => assertLength('test', 'x', a as never, 3));
          checkRobust(() => assertPositive('test', 'x', a as number));
          const last = checkRobust(() => assertInteger('test', 'x', a as number, 0, 10));
          expect(['named-error', 'result']).toContain(last.kind);
        }),
        robustnessParameters(108, 150),
      );
    } finally {
      setResourceLimits(previous);
    }
  });
  it('runExperiment with a bad experiment or bad options rejects with a named error', async () => {
    const experiment = defineExperiment({
      id: 'test/tiny',
      paper: { title: 'p' },
      claim: 'c',
      run: () => ({
        rows: [],
        series: [],
        verdict: verdictFrom({ value: 1, holds: true, measured: '1', threshold: '1' }),
      }),
    } as never);
    const cases: [unknown, unknown][] = [
      [undefined, {}],
      [{}, {}],
      [experiment, null],
      [experiment, { size: 'huge' }],
      [experiment, { seed: -1 }],
      [experiment, { seed: 1.5 }],
      [experiment, { onProgress: 5 }],
      [experiment, { signal: 5 }],
    ];
    for (const [e, options] of cases) {
      let error: unknown;
      try {
        await runExperiment(e as never, options as never);
      } catch (caught) {
        error = caught;
      }
      expect(ArgminError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
    expect((await runExperiment(experiment, { size: 'full', seed: 3 })).verdict.status).toBe('reproduced');
  });
  it('defineExperiment and verdictFrom with bad definitions', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (a, b) => {
        checkRobust(() => defineExperiment(a as never));
        checkRobust(() =>
          defineExperiment({ id: a, paper: { title: 'p' }, claim: 'c', run: () => b } as never),
        );
        const last = checkRobust(() =>
          verdictFrom({ value: a as number, holds: true, measured: 'm', threshold: 't' }),
        );
        expect(['named-error', 'result']).toContain(last.kind);
      }),
      robustnessParameters(109, 100),
    );
  });
});

describe("core problems, matrices and derivative checks (corec's boundaries, checked here)", () => {
  it('problem constructors with NaN, Infinity and wrong-length data are named errors', () => {
    const inputs = {
      leastSquares: { A, b: Float64Array.of(1, 2, 3), make: leastSquares },
      logisticRegression: { A, b: Float64Array.of(0, 1, 1), make: logisticRegression },
      quadratic: {
        A: fromRows([
          [2, 0],
          [0, 2],
        ]),
        b: Float64Array.of(1, 2),
        make: quadratic,
      },
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(inputs) as (keyof typeof inputs)[])).chain((which) => {
          const { A: matrix, b } = inputs[which];
          return fc.oneof(
            arrayMutationArbitrary(matrix.data).map((m) => ({ which, kind: 'A', m })),
            arrayMutationArbitrary(b).map((m) => ({ which, kind: 'b', m })),
          );
        }),
        ({ which, kind, m }) => {
          const base = inputs[which];
          const matrix = kind === 'A' ? { rows: base.A.rows, cols: base.A.cols, data: m.value } : base.A;
          const rhs = kind === 'b' ? m.value : base.b;
          const outcome = checkRobust(() => (base.make as (a: unknown, b: unknown) => unknown)(matrix, rhs), {
            inputs: [matrix, rhs],
          });
          expect(outcome.kind, `${which} with ${kind} ${m.why}`).toBe('named-error');
        },
      ),
      robustnessParameters(110, 60),
    );
  });
  it('denseMatrix, rosenbrock and the derivative checkers with arbitrary arguments', () => {
    // Not here: counted(non-object) and checkGradient/checkHvp with x = null or undefined still throw
    // a raw TypeError (oracles/ is corec's; listed in the corer report for the lead to route).
    fc.assert(
      fc.property(wrongKindArbitrary, wrongKindArbitrary, (a, b) => {
        checkRobust(() => denseMatrix(a as number, b as number));
        checkRobust(() => denseMatrix(2, 2, a as never));
        checkRobust(() => rosenbrock(a as number));
        if (a === null || a === undefined) return;
        checkRobust(() => checkGradient(rosenbrock(2), a as never));
        const last = checkRobust(() => checkHvp(rosenbrock(2), Float64Array.of(1, 1), a as never));
        expect(['named-error', 'result']).toContain(last.kind);
      }),
      robustnessParameters(111, 100),
    );
  });
});
