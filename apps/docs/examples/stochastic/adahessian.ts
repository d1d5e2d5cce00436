// AdaHessian (Hutchinson Hessian-diagonal estimates from Rademacher HVPs) on logistic regression.
import { createRng, maxIterations, randomLogisticRegression, solve } from '@argmin/core';
import { adahessian } from '@argmin/stochastic';

const problem = randomLogisticRegression(400, 8, { l2: 1e-3, rng: createRng(0) });
export const result = solve(adahessian({ learningRate: 0.1 }), problem, new Float64Array(8), {
  stopWhen: maxIterations(300),
  seed: 1,
});
console.log(result.status, problem.value(result.x));
