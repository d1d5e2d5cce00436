// Tune one l2 strength per feature of ridge regression on a validation split (the README example).
import { hypergradientDescent, hyperparameterProblem, randomSplitData } from '@argmin/bilevel';
import { createRng, maxIterations, solve } from '@argmin/core';

const data = randomSplitData({ trainSamples: 200, validationSamples: 100, features: 10, rng: createRng(0) });
const problem = hyperparameterProblem(data, { loss: 'squared', perFeature: true });
const result = solve(
  hypergradientDescent({ estimator: 'implicit', linearSolver: 'cg', stepSize: 1, innerSteps: 20 }),
  problem,
  new Float64Array(10), // x = log regularization per feature
  { stopWhen: maxIterations(200), recordEvery: 1 },
);
console.log(result.status, result.info.hypergradNorm, result.info.value); // validation loss f(x, y)

export { result };
