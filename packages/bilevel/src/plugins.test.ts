import { createRng } from '@argmin/core';
import { describeMethodConformance } from '@argmin/core/testing';
import { boRepPlugin, bsvrbPlugin, hypergradientDescentPlugin, lvHbaPlugin, penaltyPlugin } from './plugins';
import type { BilevelOracle, MultiBlockBilevelOracle } from './problem/bilevel-oracle';
import { coupledConstraintToy } from './problems/coupled-constraint-toy';
import { hyperparameterProblem, randomSplitData } from './problems/hyperparameter';
import { multiTaskCleaning } from './problems/multi-task-cleaning';
import { penaltyToy } from './problems/penalty-toy';
import { unboundedSmoothnessToy } from './problems/unbounded-smoothness-toy';

/** The same problem whose lower-level gradient turns NaN once x moves away from x0. */
function nanAfterFirstStep<P extends BilevelOracle>(problem: P, x0: Float64Array): P {
  const moved = (x: Float64Array) => x.some((v, i) => v !== x0[i]);
  return {
    ...problem,
    lowerGradY: (x: Float64Array, y: Float64Array, out: Float64Array, batch?: never) =>
      moved(x) ? out.fill(Number.NaN) : problem.lowerGradY(x, y, out, batch),
  };
}

const ridge = () =>
  hyperparameterProblem(
    randomSplitData({ trainSamples: 40, validationSamples: 30, features: 4, rng: createRng(1) }),
  );
const zeros4 = new Float64Array(4);

const smooth = () => unboundedSmoothnessToy({ dimension: 5, rng: createRng(2) });
const halves5 = new Float64Array(5).fill(0.5);
describeMethodConformance(hypergradientDescentPlugin, [
  {
    name: 'the unbounded-smoothness toy, implicit with CG',
    options: { stepSize: 0.1, innerSteps: 20, innerStepSize: 0.3 },
    problem: smooth,
    x0: halves5,
    tolerance: 1e-6,
    metric: 'hypergradNorm',
    metricTolerance: 1e-8,
    maxIterations: 1000,
    nanProblem: () => nanAfterFirstStep(smooth(), halves5),
  },
  {
    name: 'ridge hyperparameter optimization, unrolled (a few steps, NaN handling)',
    options: { estimator: 'unrolled', stepSize: 1, innerSteps: 20, innerStepSize: 0.3 },
    problem: ridge,
    x0: zeros4,
    tolerance: 1,
    metric: 'hypergradNorm',
    metricTolerance: 2e-2,
    maxIterations: 500,
    nanProblem: () => nanAfterFirstStep(ridge(), zeros4),
  },
]);

const toy = penaltyToy({ a: [1, 2] });
describeMethodConformance(penaltyPlugin, [
  {
    name: 'the exact toy with a non-singleton lower level (σ = 0.1)',
    options: { sigma: 0.1, innerSteps: 30, stepSize: 0.2 },
    problem: () => penaltyToy({ a: [1, 2] }),
    x0: Float64Array.of(0),
    solution: Float64Array.of(toy.penaltySolution(0.1)),
    tolerance: 1e-6,
    metric: 'penaltyGradNorm',
    metricTolerance: 1e-9,
    maxIterations: 2000,
    nanProblem: () => nanAfterFirstStep(penaltyToy(), Float64Array.of(0)),
  },
]);

const ones5 = new Float64Array(5).fill(1);
describeMethodConformance(boRepPlugin, [
  {
    name: 'the unbounded-smoothness toy with exact oracles and CG',
    options: { stochastic: false, ihvp: 'cg', stepSize: 0.002 },
    problem: smooth,
    x0: ones5,
    tolerance: 1e-2,
    metric: 'hypergradNorm',
    metricTolerance: 0.05,
    maxIterations: 5000,
    nanProblem: () => nanAfterFirstStep(smooth(), ones5),
  },
]);

const coupled = () => coupledConstraintToy({ n: 4 });
describeMethodConformance(lvHbaPlugin, [
  {
    // Steps become small long before x reaches x* (sublinear): accuracy is tested by the parity
    // fixture and the experiment; this case checks the contract (strict options, bits, no mutation).
    name: 'the coupled-constraint toy (c₀ = 0.1, p = 0.45) until the step is below 1e-4',
    options: { c0: 0.1, p: 0.45 },
    problem: coupled as never,
    x0: new Float64Array(4),
    tolerance: 0.05,
    metric: 'stepNorm',
    metricTolerance: 1e-4,
    maxIterations: 10_000,
  },
]);

/** Multi-task hyper-cleaning whose batches are every row in order (exact oracles). */
const tasks = (): MultiBlockBilevelOracle => {
  const p = multiTaskCleaning({
    tasks: 3,
    trainSamples: 20,
    validationSamples: 20,
    features: 2,
    l2: 0.1,
    rng: createRng(4),
  });
  const all = { indices: Int32Array.from({ length: 20 }, (_, i) => i) };
  return { ...p, drawLowerBatch: () => all, drawUpperBatch: () => all };
};
describeMethodConformance(bsvrbPlugin, [
  {
    name: 'multi-task hyper-cleaning with exact batches (v2): the upper gradient estimate shrinks',
    options: { blocksPerIteration: 3, batchSize: 20, stepSize: 2 },
    problem: tasks as never,
    x0: new Float64Array(20),
    tolerance: 1,
    metric: 'upperEstimateNorm',
    metricTolerance: 4e-3,
    maxIterations: 2000,
  },
]);
