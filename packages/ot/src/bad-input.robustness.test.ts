import { createRegistry, InvalidOptionsError } from '@argmin/core';
import {
  arrayMutationArbitrary,
  checkRobust,
  failureStatuses,
  invalidOptionsArbitrary,
  robustnessParameters,
} from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { squaredEuclideanCost } from './cost';
import { gaussianW2, sinkhornDivergence, slicedWasserstein, wasserstein1d } from './distances';
import { emd } from './emd/emd';
import { otPlugins } from './plugins';
import { sinkhorn } from './sinkhorn/sinkhorn';
import { sns } from './sns/sns';

/**
 * Issue 13's shared bad-input properties (from @argmin/core/testing) at the ot boundary: every
 * generated invalid option is an InvalidOptionsError from the plugin and the function alike; NaN,
 * ±Infinity and wrong-length weights, costs and samples are named errors; extreme but finite
 * inputs end in finite plans and potentials (a failure status when the solver could not cope);
 * inputs are never mutated; nothing runs over its time limit.
 */

const n = 5;
const X = { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i + 1)) };
const Y = { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, i) => Math.cos(2 * i)) };
const cost = squaredEuclideanCost(X, Y);
const a = new Float64Array(n).fill(1 / n);
const b = Float64Array.from({ length: n }, (_, i) => (i + 1) / 15);
const registry = createRegistry(otPlugins);
const baseline: Record<string, Record<string, unknown>> = {
  'ot/sinkhorn': { regularization: 0.1 },
  'ot/sns': { regularization: 0.1 },
  'ot/emd': {},
};
const functions: Record<string, (options: never) => unknown> = {
  'ot/sinkhorn': (options) => sinkhorn(a, b, cost, options),
  'ot/sns': (options) => sns(a, b, cost, options),
  'ot/emd': (options) => emd(a, b, cost, options),
};

function expectNamed(
  outcome: ReturnType<typeof checkRobust>,
  context: string,
  type?: { isInstance(e: unknown): boolean },
) {
  expect(outcome.kind, context).toBe('named-error');
  if (type && outcome.kind === 'named-error') expect(type.isInstance(outcome.error), context).toBe(true);
}

describe('ot: generated invalid options', () => {
  for (const plugin of otPlugins) {
    it(`${plugin.meta.id}: the plugin and the function both throw InvalidOptionsError`, () => {
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options, baseline[plugin.meta.id]), ({ options, why }) => {
          expectNamed(
            checkRobust(() => registry.create(plugin.meta.id, options as never)),
            `create: ${why}`,
            InvalidOptionsError,
          );
          expectNamed(
            checkRobust(() => functions[plugin.meta.id](options as never), { inputs: [a, b, cost] }),
            `function: ${why}`,
            InvalidOptionsError,
          );
        }),
        robustnessParameters(201, 60),
      );
    });
  }
});

describe('ot: NaN, ±Infinity and wrong-length arrays', () => {
  const solvers = otPlugins.map((plugin) => ({
    id: plugin.meta.id,
    solve: (
      registry.create(plugin.meta.id, baseline[plugin.meta.id] as never) as {
        solve: (...args: unknown[]) => unknown;
      }
    ).solve,
  }));
  it('every solver refuses mutated a, b and cost data by name, without mutating them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...solvers),
        fc.oneof(
          // An empty weight vector means uniform weights (POT's []), so it is not a bad input here.
          arrayMutationArbitrary(a)
            .filter((m) => m.value.length > 0)
            .map((m) => ({ target: 'a', m })),
          arrayMutationArbitrary(b)
            .filter((m) => m.value.length > 0)
            .map((m) => ({ target: 'b', m })),
          arrayMutationArbitrary(cost.data, { lengths: true }).map((m) => ({ target: 'cost', m })),
        ),
        (solver, { target, m }) => {
          const args =
            target === 'a'
              ? [m.value, b, cost]
              : target === 'b'
                ? [a, m.value, cost]
                : [a, b, { rows: n, cols: n, data: m.value }];
          const outcome = checkRobust(() => solver.solve(...args), { inputs: args });
          expectNamed(outcome, `${solver.id} with ${target} ${m.why}`);
        },
      ),
      robustnessParameters(202, 90),
    );
  });
  it('distances refuse mutated samples, weights and means by name', () => {
    const u = Float64Array.of(0.1, 0.5, 0.9, 1.3);
    const mean = Float64Array.of(0, 1);
    const covariance = { rows: 2, cols: 2, data: Float64Array.of(1, 0.2, 0.2, 1) };
    fc.assert(
      fc.property(
        fc.oneof(
          arrayMutationArbitrary(u, { lengths: false }).map((m) => ({
            name: `wasserstein1d u ${m.why}`,
            run: () => wasserstein1d(m.value, u),
            inputs: [m.value, u],
          })),
          arrayMutationArbitrary(u).map((m) => ({
            name: `wasserstein1d uWeights ${m.why}`,
            run: () => wasserstein1d(u, u, { uWeights: m.value }),
            inputs: [m.value, u],
          })),
          arrayMutationArbitrary(mean).map((m) => ({
            name: `gaussianW2 mean ${m.why}`,
            run: () => gaussianW2(m.value, covariance, mean, covariance),
            inputs: [m.value, covariance, mean],
          })),
          arrayMutationArbitrary(covariance.data).map((m) => ({
            name: `gaussianW2 covariance ${m.why}`,
            run: () => gaussianW2(mean, { rows: 2, cols: 2, data: m.value }, mean, covariance),
            inputs: [m.value, covariance, mean],
          })),
          arrayMutationArbitrary(X.data).map((m) => ({
            name: `slicedWasserstein X ${m.why}`,
            run: () => slicedWasserstein({ rows: n, cols: 2, data: m.value }, Y, { projections: 8, seed: 1 }),
            inputs: [m.value, Y],
          })),
          arrayMutationArbitrary(X.data).map((m) => ({
            name: `sinkhornDivergence X ${m.why}`,
            run: () => sinkhornDivergence({ rows: n, cols: 2, data: m.value }, Y, { regularization: 0.5 }),
            inputs: [m.value, Y],
          })),
        ),
        ({ name, run, inputs }) => {
          expectNamed(checkRobust(run, { inputs }), name);
        },
      ),
      robustnessParameters(203, 90),
    );
  });
});

describe('ot: extreme but finite inputs', () => {
  it('tiny regularizations and huge costs end in finite plans and potentials (a failure status if not converged)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('standard', 'log', 'stabilized', 'epsilon-scaling', 'sns'),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        (method, regularization, scale) => {
          const scaled = { rows: n, cols: n, data: cost.data.map((c) => c * scale) };
          const outcome = checkRobust(
            () =>
              method === 'sns'
                ? sns(a, b, scaled, { regularization, maxNewtonIterations: 50 })
                : sinkhorn(a, b, scaled, { regularization, method: method as never, maxIterations: 500 }),
            { inputs: [a, b, scaled], timeLimitMs: 3000 },
          );
          if (outcome.kind === 'result' && outcome.status && !failureStatuses.includes(outcome.status))
            expect(['converged', 'max-iterations']).toContain(outcome.status);
        },
      ),
      robustnessParameters(204, 60),
    );
  });
});
