// SGD with momentum on minibatch logistic regression (sampleGrad draws from the run's seeded Rng).
import { createRng, maxIterations, randomLogisticRegression, solve } from '@argmin/core';
import { sgd } from '@argmin/stochastic';

const problem = randomLogisticRegression(400, 8, { l2: 1e-3, rng: createRng(0) });
export const result = solve(sgd({ learningRate: 0.1, momentum: 0.9 }), problem, new Float64Array(8), {
  stopWhen: maxIterations(300),
  seed: 1,
});
console.log(result.status, problem.value(result.x));
