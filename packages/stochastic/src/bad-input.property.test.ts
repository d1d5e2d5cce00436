import { createRegistry, createRng, maxIterations, solve } from '@argmin/core';
import {
  checkRobust,
  deadlineSignal,
  invalidOptionsArbitrary,
  nonFiniteOracleArbitrary,
  robustnessParameters,
} from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adahessian, adam, adamw, mfac, proxSgdFromOptions, sgd } from './optimizers';
import { stochasticPlugins } from './plugins-entry';
import { scaledLogisticRegression, stochasticProblems } from './problems';

/**
 * Issue 13's properties on this package's boundaries (fixed seeds): every generated invalid option
 * is an InvalidOptionsError from the factory and from the registry; an oracle that turns NaN/±Infinity
 * mid-run gives a named error or a failure status with a finite iterate and state, never a hang.
 */
const factories: Record<string, (options: never) => unknown> = {
  'stochastic/sgd': sgd,
  'stochastic/adam': adam,
  'stochastic/adamw': adamw,
  'stochastic/adahessian': adahessian,
  'stochastic/m-fac': mfac,
  'stochastic/prox-sgd': proxSgdFromOptions,
};

describe('invalid options are InvalidOptionsError (factories and registry)', () => {
  const registry = createRegistry([...stochasticPlugins]);
  for (const plugin of stochasticPlugins) {
    it(plugin.meta.id, () => {
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options), ({ options, why }) => {
          const makers: [string, () => unknown][] = [
            ['registry.create', () => registry.create(plugin.meta.id, options as never)],
          ];
          const factory = factories[plugin.meta.id];
          if (factory) makers.push(['factory', () => factory(options as never)]);
          for (const [where, make] of makers) {
            const outcome = checkRobust(make);
            expect(outcome.kind, `${where}, ${why}`).toBe('named-error');
            if (outcome.kind === 'named-error')
              expect(outcome.error.name, `${where}, ${why}`).toBe('InvalidOptionsError');
          }
        }),
        robustnessParameters(13, 40),
      );
    });
  }
  it('problem plugins reject every generated invalid option (strict schemas)', () => {
    for (const plugin of stochasticProblems)
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options), ({ options, why }) => {
          expect(plugin.options.safeParse(options).success, `${plugin.meta.id}: ${why}`).toBe(false);
        }),
        robustnessParameters(14, 20),
      );
  });
});

describe('oracles that turn non-finite mid-run: failure status, finite x and state', () => {
  const make = () =>
    scaledLogisticRegression({ samples: 60, dimension: 4, l2: 1e-2, batchSize: 8, rng: createRng(3) });
  const methods: [string, () => unknown][] = [
    ['sgd momentum', () => sgd({ learningRate: 0.1, momentum: 0.9 })],
    ['adam', () => adam({ learningRate: 0.1 })],
    ['adamw', () => adamw({ learningRate: 0.1 })],
    ['adahessian (batch Hessian)', () => adahessian({ learningRate: 0.1 })],
    ['adahessian (full)', () => adahessian({ learningRate: 0.1, hessian: 'full', gradient: 'grad' })],
    ['m-fac', () => mfac({ learningRate: 0.01, window: 4, damping: 1e-2 })],
    ['prox-sgd', () => proxSgdFromOptions({ regularizer: 'l1', lambda: 0.01 })],
  ];
  for (const [name, method] of methods) {
    it(name, () => {
      fc.assert(
        fc.property(nonFiniteOracleArbitrary(make, 40), ({ oracle, why }) => {
          const x0 = new Float64Array(4);
          const outcome = checkRobust(
            () =>
              solve(method() as never, oracle, x0, {
                stopWhen: maxIterations(30),
                seed: 1,
                signal: deadlineSignal(1500),
              }),
            { inputs: [x0] },
          );
          if (outcome.kind === 'result') expect(outcome.status, `${name}, ${why}`).not.toBe('aborted');
        }),
        robustnessParameters(15, 25),
      );
    });
  }
});
