// L-BFGS (memory 10, strong Wolfe line search) on the 10-D Rosenbrock function from (-1.2, 1, ...).
import { anyOf, lbfgs, maxIterations, metricBelow, rosenbrock, solve } from '@argmin/core';

const problem = rosenbrock(10);
const x0 = Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
export const result = solve(lbfgs({ memory: 10 }), problem, x0, {
  stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(1000)),
});
console.log(result.status, result.iterations, result.info.value); // converged, value ≈ 0
