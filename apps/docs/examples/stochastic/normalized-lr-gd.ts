// Normalized LR+GD: x ← x − (γ/f(x))∇f(x) on logistic regression over separable data, with a huge step size.
import { createRng, maxIterations, solve } from '@argmin/core';
import { largeStepGradientDescent, logisticLoss, separableData } from '@argmin/stochastic';

const data = separableData(100, 5, { rng: createRng(0) }); // features carry a bias column
export const result = solve(
  largeStepGradientDescent({ stepSize: 1, normalized: true }),
  logisticLoss(data),
  new Float64Array(data.features.cols),
  {
    stopWhen: maxIterations(200),
  },
);
console.log(result.status, result.info.value);
