// Prox-SGD with an l1 regularizer (h = λ‖x‖₁) on a sparse lasso problem.
import { createRng, maxIterations, solve } from '@argmin/core';
import { lasso, proxSgdFromOptions } from '@argmin/stochastic';

const problem = lasso({ samples: 200, dimension: 20, sparsity: 3, regularization: 0.01, rng: createRng(0) });
const method = proxSgdFromOptions({ stepRule: 'inverse-sqrt', scale: 0.05, regularizer: 'l1', lambda: 0.01 });
export const result = solve(method, problem, new Float64Array(20), { stopWhen: maxIterations(500), seed: 1 });
console.log(result.status, Array.from(result.x.slice(0, 5)));
