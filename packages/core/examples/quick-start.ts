// The README's quick start: a registry of plugins, a method created by id, a run, the result.
import { anyOf, createRegistry, maxIterations, metricBelow, rosenbrock, solve } from '@argmin/core';
import { corePlugins } from '@argmin/core/plugins';

// Plugins are values; a registry is an explicit instance with typed ids.
const registry = createRegistry([...corePlugins]);
const lbfgs = registry.create('core/lbfgs', { memory: 10 }); // unknown keys are errors

// A problem is an Oracle: value, grad (and hvp, sampleGrad, ... when it has them).
const problem = rosenbrock(10);
const x0 = Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));

const result = solve(lbfgs, problem, x0, {
  stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(1000)),
  recordEvery: 1,
});
console.log(result.status, result.iterations); // 'converged' 82
console.log(result.info.value, result.x[0]); // ≈ 0 and ≈ 1
console.log(result.trace.metrics.gradNorm.length); // columnar history for plots

export { result };
