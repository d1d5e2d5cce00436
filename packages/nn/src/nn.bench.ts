import { createRng } from '@argmin/core';
import { bench, describe } from 'vitest';
import { mlp } from './mlp';
import { asOracle } from './oracle';

// Forward+backward and HVP of a 784-256-256-10 MLP on a batch of 128 (the size), checked
// inside the timed loop. HVP cost relative to a gradient is the ratio of the two means (expected 2-3x).
const rng = createRng(0);
const network = mlp({ sizes: [784, 256, 256, 10] });
const params = network.initialize(rng);
const n = 128;
const data = {
  inputs: { rows: n, cols: 784, data: rng.fillNormal(new Float64Array(n * 784)) },
  targets: Float64Array.from({ length: n }, () => rng.integer(10)),
};
const oracle = asOracle(network, 'cross-entropy', data);
const gradient = new Float64Array(network.parameterCount);
const direction = rng.fillNormal(new Float64Array(network.parameterCount));
const hv = new Float64Array(network.parameterCount);
const check = (v: number) => {
  if (!Number.isFinite(v)) throw new Error('non-finite');
};
oracle.valueAndGrad!(params, gradient); // warm-up

describe('784-256-256-10 MLP, batch 128', () => {
  bench('forward', () => check(network.forward(params, data.inputs).data[0]), { time: 1000 });
  bench('forward + backward (gradient)', () => check(oracle.valueAndGrad!(params, gradient)), { time: 1000 });
  bench('Hessian-vector product (R-operator)', () => check(oracle.hvp(params, direction, hv)[0]), {
    time: 1000,
  });
});
