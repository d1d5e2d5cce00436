import {
  createRng,
  lbfgs,
  maxIterations,
  scaleByLearningRate,
  solve,
  transformOptimizer,
} from '@argmin/core';
import {
  arrayMutationArbitrary,
  checkRobust,
  deadlineSignal,
  invalidOptionsArbitrary,
  nonFiniteOracleArbitrary,
  robustnessParameters,
} from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianClusters } from './datasets';
import { mlp } from './mlp';
import { asOracle } from './oracle';
import { nnProblems } from './problems';

/**
 * Issue 13's properties on nn's boundaries (fixed seeds): broken arrays (NaN, ±Infinity, wrong length)
 * passed as data, parameters or directions give named errors; the problem plugin's schema rejects
 * every generated invalid option; a network oracle that turns non-finite mid-run ends with a failure
 * status and finite outputs.
 */
const network = mlp({ sizes: [2, 4, 3], activation: 'tanh' });
const data = gaussianClusters(12, { classes: 3, rng: createRng(1) });
const oracle = asOracle(network, 'cross-entropy', data, { batchSize: 4 });
const params = network.initialize(createRng(2), 'xavier-normal');

describe('broken arrays at nn boundaries are named errors, and inputs are not mutated', () => {
  it('asOracle data (inputs with NaN/Infinity/wrong length, targets likewise)', () => {
    fc.assert(
      fc.property(arrayMutationArbitrary(data.inputs.data), ({ value, why }) => {
        const inputs = { rows: data.inputs.rows, cols: 2, data: value };
        const outcome = checkRobust(
          () => asOracle(network, 'cross-entropy', { inputs, targets: data.targets }),
          {
            inputs: [value],
          },
        );
        expect(outcome.kind, why).toBe('named-error');
      }),
      robustnessParameters(21, 30),
    );
    fc.assert(
      fc.property(arrayMutationArbitrary(data.targets), ({ value, why }) => {
        const outcome = checkRobust(() =>
          asOracle(network, 'cross-entropy', { inputs: data.inputs, targets: value }),
        );
        expect(outcome.kind, why).toBe('named-error');
      }),
      robustnessParameters(22, 30),
    );
  });
  it('oracle calls with parameters or directions of the wrong length', () => {
    fc.assert(
      fc.property(arrayMutationArbitrary(params), ({ value, why }) => {
        if (value.length === params.length) return; // NaN entries are the optimizer's business (a NaN loss)
        const out = new Float64Array(params.length);
        const batch = oracle.drawBatch(createRng(0));
        for (const call of [
          () => oracle.value(value),
          () => oracle.grad(value, out),
          () => oracle.hvp(params, value, out),
          () => oracle.batchGrad(batch, value, out),
          () => oracle.batchHvp(batch, params, value, out),
          () => network.forward(value, data.inputs),
        ])
          expect(checkRobust(call, { inputs: [value, params] }).kind, why).toBe('named-error');
      }),
      robustnessParameters(23, 20),
    );
  });
  it('the problem plugin rejects every generated invalid option', () => {
    for (const plugin of nnProblems)
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options), ({ options, why }) => {
          expect(plugin.options.safeParse(options).success, why).toBe(false);
        }),
        robustnessParameters(24, 30),
      );
  });
});

describe('a network oracle that turns non-finite mid-run', () => {
  const methods = [
    ['minibatch SGD', () => transformOptimizer(scaleByLearningRate(0.05), { gradient: 'sampleGrad' })],
    ['L-BFGS', () => lbfgs()],
  ] as const;
  for (const [name, method] of methods)
    it(`${name} ends with a failure status and finite x and state (or a named error), never a hang`, () => {
      fc.assert(
        fc.property(
          nonFiniteOracleArbitrary(() => asOracle(network, 'cross-entropy', data, { batchSize: 4 }), 30),
          ({ oracle: bad, why }) => {
            const x0 = params.slice();
            const outcome = checkRobust(
              () =>
                solve(method() as never, bad, x0, {
                  stopWhen: maxIterations(20),
                  seed: 3,
                  signal: deadlineSignal(1500),
                }),
              { inputs: [x0] },
            );
            if (outcome.kind === 'result') expect(outcome.status, why).not.toBe('aborted');
          },
        ),
        robustnessParameters(25, 25),
      );
    });
});
