// argmin forward+backward and HVP of a 784-256-256-10 ReLU MLP with cross-entropy, batch 128.
// Prints JSON { gradient, hvp } in seconds (medians). Run via bench/nn/compare.sh.
import { createRng } from '../../packages/core/dist/index.js';
import { asOracle, mlp } from '../../packages/nn/dist/index.js';

const rng = createRng(0);
const network = mlp({ sizes: [784, 256, 256, 10] });
const params = network.initialize(rng);
const n = 128;
const data = {
  inputs: { rows: n, cols: 784, data: rng.fillNormal(new Float64Array(n * 784)) },
  targets: Float64Array.from({ length: n }, () => rng.integer(10)),
};
const oracle = asOracle(network, 'cross-entropy', data);
const g = new Float64Array(network.parameterCount);
const v = rng.fillNormal(new Float64Array(network.parameterCount));
const hv = new Float64Array(network.parameterCount);
const median = (run) => {
  for (let i = 0; i < 3; i++) run();
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const start = performance.now();
    for (let i = 0; i < 5; i++) run();
    samples.push((performance.now() - start) / 5 / 1000);
  }
  return samples.sort((a, b) => a - b)[3];
};
console.log(
  JSON.stringify({
    gradient: median(() => oracle.valueAndGrad(params, g)),
    hvp: median(() => oracle.hvp(params, v, hv)),
  }),
);
