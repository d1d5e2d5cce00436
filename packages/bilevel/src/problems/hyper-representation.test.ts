import { createRng, InvalidArgumentError, maxIterations, solve } from '@argmin/core';
import { mlp } from '@argmin/nn';
import { describe, expect, it } from 'vitest';
import { exactLowerSolution } from '../hypergradient/exact';
import { hypergradientDescent } from '../methods/hypergradient-descent';
import { checkBilevelOracle } from '../problem/check';
import { hyperRepresentation, spiralRegression } from './hyper-representation';

const network = mlp({ sizes: [2, 6, 3], activation: 'tanh' });
const problem = () =>
  hyperRepresentation({
    network,
    train: spiralRegression(15, 1),
    validation: spiralRegression(10, 2),
    l2: 0.05,
  });

describe('hyper-representation with an @argmin/nn feature map', () => {
  it('every derivative (through the network’s reverse pass) matches five-point finite differences', () => {
    const p = problem();
    const rng = createRng(4);
    const x = network.initialize(rng, 'xavier-normal');
    const y = rng.fillNormal(new Float64Array(p.dimY));
    const check = checkBilevelOracle(p, x, y, { rng: createRng(5) });
    for (const [name, error] of Object.entries(check)) expect(error, name).toBeLessThan(1e-7);
  });
  it('hypergradient descent on the representation lowers the validation loss of the fitted head', () => {
    const p = problem();
    const x0 = network.initialize(createRng(6), 'xavier-normal');
    const before = p.upperValue(x0, exactLowerSolution(p, x0));
    const result = solve(hypergradientDescent({ stepSize: 0.5, innerSteps: 30, innerStepSize: 0.5 }), p, x0, {
      stopWhen: maxIterations(60),
    });
    const after = p.upperValue(result.x, exactLowerSolution(p, result.x));
    expect(after).toBeLessThan(0.8 * before);
  });
  it('l2 <= 0 and targets of the wrong length are named errors', () => {
    expect(() =>
      hyperRepresentation({
        network,
        train: spiralRegression(5, 1),
        validation: spiralRegression(5, 2),
        l2: 0,
      }),
    ).toThrow(InvalidArgumentError);
    const bad = { ...spiralRegression(5, 1), targets: new Float64Array(3) };
    expect(() => hyperRepresentation({ network, train: bad, validation: spiralRegression(5, 2) })).toThrow(
      /one target per input row/,
    );
  });
});
