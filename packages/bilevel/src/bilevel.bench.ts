import { createRng } from '@argmin/core';
import { bench, describe } from 'vitest';
import { estimatorWorkspace, type HypergradientEstimator, hypergradient } from './hypergradient/estimators';
import { exactLowerSolution } from './hypergradient/exact';
import type { BilevelOracle } from './problem/bilevel-oracle';
import { hyperparameterProblem, randomSplitData } from './problems/hyperparameter';

// Cost of one hypergradient per estimator on ridge hyperparameter optimization (per-feature
// regularization), at y*(x): the bench name carries the lower-level HVPs and cross products one
// call uses (counted, deterministic), the timing is vitest's. Every timed body checks its result.
const check = (v: Float64Array) => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new Error('non-finite hypergradient');
};
const estimators: [string, HypergradientEstimator][] = [
  [
    'implicit CG (rtol 1e-10, cap 50)',
    {
      kind: 'implicit',
      ihvp: { solver: 'cg', iterations: 50, alpha: 0, tolerance: 1e-10, warmStart: false },
    },
  ],
  [
    'implicit CG warm-started',
    { kind: 'implicit', ihvp: { solver: 'cg', iterations: 50, alpha: 0, tolerance: 1e-10, warmStart: true } },
  ],
  [
    'implicit Neumann K = 20',
    {
      kind: 'implicit',
      ihvp: { solver: 'neumann', iterations: 20, alpha: 0.05, tolerance: 0, warmStart: false },
    },
  ],
  [
    'implicit SGD-quadratic K = 20',
    {
      kind: 'implicit',
      ihvp: { solver: 'sgd-quadratic', iterations: 20, alpha: 0.05, tolerance: 0, warmStart: true },
    },
  ],
  ['unrolled T = 20', { kind: 'unrolled', steps: 20, stepSize: 0.05 }],
];

for (const features of [20, 100]) {
  const problem = hyperparameterProblem(
    randomSplitData({
      trainSamples: 5 * features,
      validationSamples: 2 * features,
      features,
      rng: createRng(features),
    }),
  );
  const x = new Float64Array(features).fill(-1);
  const ystar = exactLowerSolution(problem, x);
  describe(`one hypergradient, ridge HO with ${features} features`, () => {
    for (const [name, estimator] of estimators) {
      let hvps = 0;
      let cross = 0;
      const countingProblem: BilevelOracle = {
        ...problem,
        lowerHvpYY: (a, b, v, out, batch) => {
          hvps++;
          return problem.lowerHvpYY(a, b, v, out, batch);
        },
        lowerCrossXY: (a, b, v, out, batch) => {
          cross++;
          return problem.lowerCrossXY(a, b, v, out, batch);
        },
      };
      const ws = estimatorWorkspace(estimator, problem.dimX, problem.dimY);
      const out = new Float64Array(problem.dimX);
      const y = Float64Array.from(ystar);
      // Count the second call: what a warm-started solver costs once the run is under way.
      hypergradient(countingProblem, x, y, out, estimator, ws);
      y.set(ystar);
      hvps = 0;
      cross = 0;
      hypergradient(countingProblem, x, y, out, estimator, ws);
      const label = `${name}: ${hvps} HVPs + ${cross} cross products per upper iteration`;
      bench(
        label,
        () => {
          y.set(ystar);
          hypergradient(problem, x, y, out, estimator, ws);
          check(out);
        },
        { time: 300 },
      );
    }
  });
}
