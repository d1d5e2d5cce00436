// Gradient descent with Armijo backtracking on a 2-D quadratic ½xᵀAx − bᵀx (A = diag(1, 10)).
import { anyOf, gradientDescent, maxIterations, metricBelow, quadratic, solve } from '@argmin/core';

const problem = quadratic({ rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 10) }, Float64Array.of(1, 1));
export const result = solve(gradientDescent({ initialStep: 1 }), problem, new Float64Array(2), {
  stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(500)),
});
console.log(result.status, result.iterations, Array.from(result.x)); // converged, x ≈ [1, 0.1]
