import { ArgminError, createRng, lbfgs, maxIterations, solve, validatePipeline } from '@argmin/core';
import { corePlugins } from '@argmin/core/plugins';
import {
  arrayMutationArbitrary,
  checkRobust,
  deadlineSignal,
  invalidOptionsArbitrary,
  nonFiniteOracleArbitrary,
  robustnessParameters,
  wrongKindArbitrary,
} from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activation } from './activations';
import { loss } from './losses';
import { mlp } from './mlp';
import { asOracle } from './oracle';
import { nnProblems } from './problems';
import { loadNetwork, saveNetwork } from './serialize';

/**
 * Issue 13's shared bad-input properties (from @argmin/core/testing) at the nn boundary: generated
 * invalid problem options are refused before anything runs; NaN, ±Infinity and wrong-length data,
 * targets, parameter vectors and saved networks are named errors; training on a loss that turns
 * non-finite at a random call ends with finite parameters and state; inputs are never mutated.
 */

const network = mlp({ sizes: [2, 3, 1], activation: 'tanh' });
const params = network.initialize(createRng(1), 'xavier-normal');
const data = {
  inputs: { rows: 4, cols: 2, data: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1) },
  targets: Float64Array.of(0, 1, 1, 0),
};

function expectNamed(outcome: ReturnType<typeof checkRobust>, context: string): void {
  expect(outcome.kind, context).toBe('named-error');
}

describe('nn: generated invalid problem options', () => {
  for (const problem of nnProblems) {
    it(`${problem.meta.id}: a pipeline with invalid problem options fails validation by name`, () => {
      fc.assert(
        fc.property(invalidOptionsArbitrary(problem.options), ({ options, why }) => {
          const outcome = checkRobust(() =>
            validatePipeline(
              { problem: { id: problem.meta.id, options }, stages: [{ method: 'core/lbfgs' }] },
              { methods: [...corePlugins], problems: [...nnProblems] },
            ),
          );
          expectNamed(outcome, why);
        }),
        robustnessParameters(601, 50),
      );
    });
  }
});

describe('nn: NaN, ±Infinity and wrong-length arrays', () => {
  it('asOracle refuses mutated inputs and targets; the oracle refuses wrong-length parameters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          arrayMutationArbitrary(data.inputs.data).map((m) => ({
            name: `inputs ${m.why}`,
            run: () =>
              asOracle(network, 'binary-cross-entropy', {
                inputs: { rows: 4, cols: 2, data: m.value },
                targets: data.targets,
              }),
            inputs: [m.value, data.targets],
          })),
          arrayMutationArbitrary(data.targets).map((m) => ({
            name: `targets ${m.why}`,
            run: () => asOracle(network, 'binary-cross-entropy', { inputs: data.inputs, targets: m.value }),
            inputs: [m.value, data.inputs],
          })),
          arrayMutationArbitrary(params)
            .filter((m) => m.value.length !== params.length)
            .map((m) => ({
              name: `parameters ${m.why}`,
              run: () => asOracle(network, 'mse', data).grad(m.value, new Float64Array(m.value.length)),
              inputs: [m.value],
            })),
          arrayMutationArbitrary(params).map((m) => ({
            name: `saved parameters ${m.why}`,
            run: () => loadNetwork({ ...saveNetwork(network, params), parameters: Array.from(m.value) }),
            inputs: [m.value],
          })),
        ),
        ({ name, run, inputs }) => {
          expectNamed(checkRobust(run, { inputs }), name);
        },
      ),
      robustnessParameters(602, 80),
    );
  });
  it('mlp, initialize, loss, activation and loadNetwork with arguments of the wrong kind', () => {
    fc.assert(
      fc.property(wrongKindArbitrary, (value) => {
        const calls = [
          () => mlp({ sizes: value as never }),
          () => mlp({ sizes: [2, value as number, 1] }),
          () => network.initialize(createRng(1), value as never),
          () => loss(value as never),
          () => activation(value as never),
          () => loadNetwork(value as never),
          () => asOracle(network, 'mse', data, { batchSize: value as number }),
          () => asOracle(network, 'mse', data, { l2: value as number }),
        ];
        for (const call of calls) {
          const outcome = checkRobust(call);
          expect(['named-error', 'result']).toContain(outcome.kind);
        }
      }),
      robustnessParameters(603, 60),
    );
  });
});

describe('nn: training on a loss that turns non-finite', () => {
  it('L-BFGS on an nn oracle that turns NaN or ±Infinity at a random call: finite parameters and state', () => {
    fc.assert(
      fc.property(
        nonFiniteOracleArbitrary(() => asOracle(network, 'binary-cross-entropy', data), 40),
        ({ oracle, why }) => {
          const x0 = params.slice();
          const outcome = checkRobust(
            () => solve(lbfgs(), oracle, x0, { stopWhen: maxIterations(40), signal: deadlineSignal(2000) }),
            {
              inputs: [x0],
              skipKeys: ['trace', 'info', 'warnings', 'message', 'elapsedMs', 'metrics', 'problem'],
            },
          );
          if (outcome.kind === 'result') expect(outcome.status, why).not.toBe('aborted');
          else expect(ArgminError.isInstance(outcome.error)).toBe(true);
        },
      ),
      robustnessParameters(604, 60),
    );
  });
});
