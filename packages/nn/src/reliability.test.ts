import { ArgminError, createRng, InvalidArgumentError, ResourceLimitError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gaussianClusters, twoSpirals } from './datasets';
import { mlp } from './mlp';
import { type Initializer, initializers } from './network';
import { asOracle } from './oracle';
import { loadNetwork, saveNetwork } from './serialize';

function namedError(f: () => unknown): ArgminError {
  try {
    f();
  } catch (error) {
    if (ArgminError.isInstance(error)) return error;
    throw new Error(`expected a named ArgminError, got ${String(error)}`);
  }
  throw new Error('expected a named ArgminError, nothing was thrown');
}

describe('bad inputs to nn are named errors', () => {
  const network = mlp({ sizes: [2, 3, 1] });
  const params = network.initialize(createRng(0));
  it('loadNetwork with a non-number, NaN or missing parameter list', () => {
    const saved = JSON.parse(JSON.stringify(saveNetwork(network, params)));
    for (const bad of ['0.5', null, Number.NaN, {}, true]) {
      const corrupt = { ...saved, parameters: [...saved.parameters] };
      corrupt.parameters[3] = bad;
      const error = namedError(() => loadNetwork(corrupt));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(/parameter 3 is .*not a finite number/);
    }
    expect(namedError(() => loadNetwork({ ...saved, parameters: 'abc' })).message).toMatch(
      /array of numbers/,
    );
    expect(namedError(() => loadNetwork({ ...saved, parameters: [1, 2] })).message).toMatch(
      /2 parameters saved/,
    );
    // A good round trip still works, bit for bit.
    expect(Array.from(loadNetwork(saved).params)).toEqual(Array.from(params));
  });
  it("initialize(rng, 'bogus') and initialize without an Rng", () => {
    const error = namedError(() => network.initialize(createRng(0), 'bogus' as Initializer));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain(initializers.join(', '));
    expect(namedError(() => network.initialize(undefined as never)).message).toMatch(/seeded Rng/);
  });
  it('datasets sized over the allocation budget', () => {
    expect(namedError(() => twoSpirals(1e10, { rng: createRng(0) }))).toBeInstanceOf(ResourceLimitError);
    expect(namedError(() => gaussianClusters(1e6, { dimension: 1e5, rng: createRng(0) }))).toBeInstanceOf(
      ResourceLimitError,
    );
  });
  it('saveNetwork with parameters of the wrong length', () => {
    expect(namedError(() => saveNetwork(network, new Float64Array(2))).message).toMatch(/has length 2/);
  });
  it('asOracle with a batch size that is not an integer in [1, n], or a negative / NaN l2', () => {
    const data = { inputs: { rows: 4, cols: 2, data: new Float64Array(8) }, targets: new Float64Array(4) };
    for (const options of [
      { batchSize: 0 },
      { batchSize: 2.5 },
      { batchSize: 5 },
      { l2: -1 },
      { l2: Number.NaN },
    ])
      expect(namedError(() => asOracle(network, 'mse', data, options))).toBeInstanceOf(InvalidArgumentError);
  });
});
