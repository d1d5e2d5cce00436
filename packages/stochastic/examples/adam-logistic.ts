// Adam (optax semantics) on minibatch logistic regression, then the same run as a composed chain.
import {
  chain,
  createRng,
  maxIterations,
  randomLogisticRegression,
  scaleByLearningRate,
  solve,
  transformOptimizer,
} from '@argmin/core';
import { adam, scaleByAdam } from '@argmin/stochastic';

const problem = randomLogisticRegression(500, 10, { l2: 1e-3, rng: createRng(0) });
const x0 = new Float64Array(10);
const viaPlugin = solve(adam({ learningRate: 0.05 }), problem, x0, { stopWhen: maxIterations(300), seed: 1 });
const viaChain = solve(
  transformOptimizer(chain(scaleByAdam(), scaleByLearningRate(0.05)), { gradient: 'sampleGrad' }),
  problem,
  x0,
  { stopWhen: maxIterations(300), seed: 1 },
);
console.log(problem.value(viaPlugin.x), problem.value(viaChain.x)); // identical

export { problem, viaChain, viaPlugin };
