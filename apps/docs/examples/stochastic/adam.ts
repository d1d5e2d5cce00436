// Adam (optax semantics) on minibatch logistic regression (sampleGrad draws from the run's seeded Rng).
import { createRng, maxIterations, randomLogisticRegression, solve } from '@argmin/core';
import { adam } from '@argmin/stochastic';

const problem = randomLogisticRegression(400, 8, { l2: 1e-3, rng: createRng(0) });
export const result = solve(adam({ learningRate: 0.05 }), problem, new Float64Array(8), {
  stopWhen: maxIterations(300),
  seed: 1,
});
console.log(result.status, problem.value(result.x));
