// Hypergradient descent: tune one l2 strength per feature of ridge regression on a validation split
// (implicit differentiation, the inverse-Hessian-vector product by CG).
import { hypergradientDescent, hyperparameterProblem, randomSplitData } from '@argmin/bilevel';
import { createRng, maxIterations, solve } from '@argmin/core';

const data = randomSplitData({ trainSamples: 200, validationSamples: 100, features: 10, rng: createRng(0) });
const problem = hyperparameterProblem(data, { loss: 'squared', perFeature: true });
export const result = solve(
  hypergradientDescent({ estimator: 'implicit', linearSolver: 'cg', stepSize: 1, innerSteps: 20 }),
  problem,
  new Float64Array(10), // x = log regularization per feature
  { stopWhen: maxIterations(100) },
);
console.log(result.status, result.info.value); // validation loss f(x, y)
