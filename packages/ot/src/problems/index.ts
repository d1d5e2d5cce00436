import {
  assertAllocation,
  type DenseMatrix,
  defineMetric,
  defineProblem,
  defineStage,
  InvalidArgumentError,
  type Rng,
  type Vec,
} from '@argmin/core';
import { z } from 'zod';
import { gridCost, squaredEuclideanCost } from '../cost';
import { sinkhornDivergence } from '../distances';
import type { OtSolver } from '../plugins';
import { marginalError, type OtResult } from '../result';

/**
 * What an `'ot-problem'` instance holds: source and target weights, the ground cost between their
 * supports, and the supports themselves (point coordinates, or grid cell centres) so that metrics
 * such as the Sinkhorn divergence can build the other cost matrices they need.
 */
export interface OtProblem {
  /** Source weights (sum 1), length n. */
  readonly a: Float64Array;
  /** Target weights (sum 1), length m. */
  readonly b: Float64Array;
  /** Ground cost C (n x m). */
  readonly cost: DenseMatrix;
  /** Source support [n, d]. */
  readonly X: DenseMatrix;
  /** Target support [m, d]. */
  readonly Y: DenseMatrix;
  /** Exponent p of the ground cost ‖x − y‖^p (2 for squared Euclidean). */
  readonly power: number;
  /** The cost is ‖x − y‖^p / costScale (costScale = max entry with `normalizeCost`, else 1). */
  readonly costScale: number;
}

const normalizeCost = z
  .boolean()
  .default(false)
  .describe('Divide the cost by its largest entry (POT’s `M /= M.max()`).');

function normalized(weights: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  for (let i = 0; i < weights.length; i++) weights[i] /= total;
  return weights;
}

/** Divides the cost by its largest entry in place; returns the divisor (1 for an all-zero cost). */
function scaleToMax(cost: DenseMatrix): number {
  let max = 0;
  for (let i = 0; i < cost.data.length; i++) if (cost.data[i] > max) max = cost.data[i];
  if (max > 0) for (let i = 0; i < cost.data.length; i++) cost.data[i] /= max;
  return max > 0 ? max : 1;
}

/** Gaussian point cloud: n points N(mean, std² I) in d dimensions. */
function cloud(rng: Rng, n: number, d: number, mean: number, std: number): DenseMatrix {
  const data = rng.fillNormal(new Float64Array(n * d));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * data[i];
  return { rows: n, cols: d, data };
}

/**
 * Two Gaussian point clouds (source N(0, I), target N(shift·1, I)) in d dimensions with uniform
 * weights and the squared Euclidean cost: the setting of Cuturi (2013) and of the SNS paper's point
 * cloud experiments (Tang et al., 2024, §5).
 */
export const pointCloudsProblem = defineProblem({
  meta: {
    id: 'ot/point-clouds',
    title: 'Entropic OT between two Gaussian point clouds (uniform weights, squared Euclidean cost)',
    description:
      'Source N(0, I), target N(shift·1, I) in `dimension` dimensions; a = 1/n, b = 1/m; C_ij = ‖x_i − y_j‖².',
    provides: [],
    gives: 'ot-problem',
  },
  options: z.strictObject({
    sourcePoints: z.number().int().min(1).default(100).describe('Source points n.'),
    targetPoints: z.number().int().min(1).default(100).describe('Target points m.'),
    dimension: z.number().int().min(1).default(2).describe('Dimension d of the points.'),
    shift: z.number().default(1).describe('Every coordinate of the target mean.'),
    normalizeCost,
  }),
  create: (options, rng) => {
    const { sourcePoints: n, targetPoints: m, dimension: d } = options;
    assertAllocation('ot/point-clouds', 'cost matrix', n * m);
    const X = cloud(rng, n, d, 0, 1);
    const Y = cloud(rng, m, d, options.shift, 1);
    const cost = squaredEuclideanCost(X, Y);
    const problem: OtProblem = {
      a: new Float64Array(n).fill(1 / n),
      b: new Float64Array(m).fill(1 / m),
      cost,
      X,
      Y,
      power: 2,
      costScale: options.normalizeCost ? scaleToMax(cost) : 1,
    };
    return { problem, x0: new Float64Array(0) };
  },
});

/** Cell centres of a regular grid on [0, 1]^dim (as `gridCost` places them), row-major. */
function gridPoints(shape: readonly number[]): DenseMatrix {
  const cells = shape.reduce((p, s) => p * s, 1);
  const d = shape.length;
  const data = new Float64Array(cells * d);
  for (let c = 0; c < cells; c++) {
    if (d === 1) data[c] = shape[0] === 1 ? 0 : c / (shape[0] - 1);
    else {
      data[2 * c] = shape[0] === 1 ? 0 : Math.floor(c / shape[1]) / (shape[0] - 1);
      data[2 * c + 1] = shape[1] === 1 ? 0 : (c % shape[1]) / (shape[1] - 1);
    }
  }
  return { rows: cells, cols: d, data };
}

/**
 * Two discretized Gaussian densities on a side x side grid of [0, 1]² (the SNS paper's 2-D density
 * case, after the MNIST-style image OT of Cuturi 2013), with the ‖x − y‖^power ground cost.
 * Each density gets a floor of 1e-3 before normalization so every cell has mass.
 */
export const gridDensitiesProblem = defineProblem({
  meta: {
    id: 'ot/grid-densities',
    title: 'OT between two discretized Gaussian densities on a 2-D grid',
    description:
      'Densities centred at `sourceCenter` and `targetCenter` with width `width` on a side x side grid; ground cost ‖x − y‖^power.',
    provides: [],
    gives: 'ot-problem',
  },
  options: z.strictObject({
    side: z.number().int().min(2).default(12).describe('Cells per side (n = side²).'),
    sourceCenter: z
      .tuple([z.number(), z.number()])
      .default([0.3, 0.3])
      .describe('Centre of the source density.'),
    targetCenter: z
      .tuple([z.number(), z.number()])
      .default([0.7, 0.6])
      .describe('Centre of the target density.'),
    width: z.number().positive().default(0.15).describe('Standard deviation of both densities.'),
    power: z.number().positive().default(2).describe('Ground cost exponent p in ‖x − y‖^p (1: W1, 2: W2).'),
    normalizeCost,
  }),
  create: (options) => {
    const { side } = options;
    const cells = side * side;
    assertAllocation('ot/grid-densities', 'cost matrix', cells * cells);
    const X = gridPoints([side, side]);
    const density = ([cx, cy]: readonly [number, number]) =>
      normalized(
        Float64Array.from({ length: cells }, (_, k) => {
          const dx = (X.data[2 * k] - cx) / options.width;
          const dy = (X.data[2 * k + 1] - cy) / options.width;
          return Math.exp(-0.5 * (dx * dx + dy * dy)) + 1e-3;
        }),
      );
    const cost = gridCost([side, side], { power: options.power });
    const problem: OtProblem = {
      a: density(options.sourceCenter),
      b: density(options.targetCenter),
      cost,
      X,
      Y: X,
      power: options.power,
      costScale: options.normalizeCost ? scaleToMax(cost) : 1,
    };
    return { problem, x0: new Float64Array(0) };
  },
});

/**
 * Two random histograms on n bins of [0, 1] (weights uniform in [0, 1] plus `floor`, normalized)
 * with the |x − y|^power cost: POT's 1-D histogram examples.
 */
export const histogramsProblem = defineProblem({
  meta: {
    id: 'ot/histograms',
    title: 'OT between two random 1-D histograms',
    description:
      'Weights drawn uniformly in [0, 1] (plus `floor`) and normalized, on n evenly spaced bins of [0, 1]; cost |x − y|^power.',
    provides: [],
    gives: 'ot-problem',
  },
  options: z.strictObject({
    bins: z.number().int().min(2).default(100).describe('Number of bins n.'),
    power: z.number().positive().default(2).describe('Ground cost exponent p in |x − y|^p.'),
    floor: z.number().nonnegative().default(0.01).describe('Added to every weight before normalizing.'),
    normalizeCost,
  }),
  create: (options, rng) => {
    const n = options.bins;
    assertAllocation('ot/histograms', 'cost matrix', n * n);
    const draw = () => normalized(Float64Array.from({ length: n }, () => rng.uniform() + options.floor));
    const X = gridPoints([n]);
    const cost = gridCost([n], { power: options.power });
    const problem: OtProblem = {
      a: draw(),
      b: draw(),
      cost,
      X,
      Y: X,
      power: options.power,
      costScale: options.normalizeCost ? scaleToMax(cost) : 1,
    };
    return { problem, x0: new Float64Array(0) };
  },
});

/** Problem plugins of `@argmin/ot` for pipeline files. */
export const otProblems = [pointCloudsProblem, gridDensitiesProblem, histogramsProblem] as const;

const solveOt = (solver: OtSolver, { instance }: { instance: { problem: unknown } }) => {
  const { a, b, cost } = instance.problem as OtProblem;
  return solver.solve(a, b, cost);
};

/** How `ot/*` solvers run in pipelines: they take an 'ot-problem' and give an 'ot-plan' (an OtResult). */
export const otStages = [
  defineStage<OtSolver>({ method: 'ot/sinkhorn', takes: 'ot-problem', gives: 'ot-plan', run: solveOt }),
  defineStage<OtSolver>({ method: 'ot/sns', takes: 'ot-problem', gives: 'ot-plan', run: solveOt }),
  defineStage<OtSolver>({ method: 'ot/emd', takes: 'ot-problem', gives: 'ot-plan', run: solveOt }),
] as const;

/**
 * Marginal error of a plan, recomputed from the plan and the problem's weights (not read from the
 * solver's report): ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁, with the linear cost ⟨P, C⟩ and the total mass.
 */
export const marginalErrorMetric = defineMetric({
  meta: {
    id: 'ot/marginal-error',
    title: 'Marginal error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ of a transport plan',
    description:
      'Recomputed from the plan and the weights; also the linear cost ⟨P, C⟩ and the total mass of P.',
    takes: ['ot-plan'],
  },
  options: z.strictObject({}),
  compute: ({ result, instance }) => {
    const { a, b, cost } = instance.problem as OtProblem;
    const { plan } = result as OtResult;
    let linear = 0;
    let mass = 0;
    for (let i = 0; i < plan.data.length; i++) {
      linear += plan.data[i] * cost.data[i];
      mass += plan.data[i];
    }
    return { marginalError: marginalError(plan, a, b), cost: linear, mass };
  },
});

/**
 * Debiased Sinkhorn divergence S_ε(α, β) = OT_ε(α, β) − ½(OT_ε(α, α) + OT_ε(β, β)) between the
 * problem's two measures (Genevay, Peyré & Cuturi 2018; Feydy et al. 2019), with the problem's
 * ground cost (squared Euclidean, divided by the problem's cost scale); reported with the measured
 * plan's linear cost for comparison.
 */
export const sinkhornDivergenceMetric = defineMetric({
  meta: {
    id: 'ot/sinkhorn-divergence',
    title: 'Debiased Sinkhorn divergence between the two measures',
    description:
      'OT_ε(a, b) − ½(OT_ε(a, a) + OT_ε(b, b)) with linear costs, log-domain Sinkhorn at tolerance 1e-9; the plan’s linear cost alongside.',
    takes: ['ot-plan'],
    references: [
      {
        title: 'Interpolating between Optimal Transport and MMD using Sinkhorn Divergences',
        authors: 'J. Feydy, T. Séjourné, F.-X. Vialard, S. Amari, A. Trouvé, G. Peyré',
        year: 2019,
        arxiv: '1810.08278',
      },
    ],
  },
  options: z.strictObject({
    regularization: z
      .number()
      .positive()
      .default(0.05)
      .describe('Entropic regularization ε of the divergence.'),
    maxIterations: z.number().int().min(1).default(10000).describe('Sinkhorn iterations per term.'),
  }),
  compute: ({ result, instance }, options) => {
    const { a, b, X, Y, power, costScale } = instance.problem as OtProblem;
    if (power !== 2) {
      throw new InvalidArgumentError({
        argument: 'problem.power',
        value: power,
        message: `ot/sinkhorn-divergence: the divergence uses the squared Euclidean cost, but this problem's ground cost has power ${power}; use power: 2 or the ot/marginal-error metric.`,
      });
    }
    // the problem's cost is ‖x − y‖² / costScale: scale the supports by 1/√costScale to match it
    const shrink = 1 / Math.sqrt(costScale);
    const scaled = (M: DenseMatrix): DenseMatrix => ({ ...M, data: M.data.map((v) => v * shrink) });
    const divergence = sinkhornDivergence(scaled(X), scaled(Y), {
      xWeights: a as Vec,
      yWeights: b as Vec,
      regularization: options.regularization,
      method: 'log',
      maxIterations: options.maxIterations,
      tolerance: 1e-9,
    });
    return { sinkhornDivergence: divergence, planCost: (result as OtResult).cost };
  },
});

/** Metric plugins of `@argmin/ot` for pipeline files. */
export const otMetrics = [marginalErrorMetric, sinkhornDivergenceMetric] as const;
