// Train a small MLP on two spirals with core's L-BFGS, through the Oracle contract.
import { anyOf, createRng, lbfgs, maxIterations, metricBelow, solve } from '@argmin/core';
import { asOracle, mlp, twoSpirals } from '@argmin/nn';

const rng = createRng(0);
const train = twoSpirals(100, { rng });
const network = mlp({ sizes: [2, 32, 32, 2], activation: 'tanh' });
const oracle = asOracle(network, 'cross-entropy', train, { l2: 1e-5 });

const result = solve(lbfgs(), oracle, network.initialize(rng, 'xavier-uniform'), {
  stopWhen: anyOf(metricBelow('gradNorm', 1e-6), maxIterations(250)),
});
const accuracy = oracle.accuracy(result.x);
console.log(
  `${result.iterations} iterations, loss ${result.info.value.toFixed(4)}, train accuracy ${(accuracy * 100).toFixed(1)}%`,
);

export { accuracy, result };
