import type { Batch, Vec } from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';
import { type IhvpOptions, type IhvpReport, type IhvpWorkspace, ihvpWorkspace, solveIhvp } from './ihvp';

/**
 * How a method turns (x, y) into an estimate of ∇Φ(x) (notes §0, jaxopt / betty):
 * - 'implicit' (approximate implicit differentiation, AID): solve ∇²_yy g · v = ∇_y f with an IHVP
 *   solver (CG, Neumann, SGD on the quadratic), then ∇Φ ≈ ∇_x f − ∇²_xy g · v at the current y.
 * - 'unrolled' (iterative differentiation, ITD): run `steps` gradient steps y_{t+1} = y_t − α∇_y g(x, y_t)
 *   from the current y and differentiate through them in reverse mode:
 *   p_T = ∇_y f(x, y_T); for t = T−1..0: ∇Φ −= α ∇²_xy g(x, y_t) p_{t+1}, p_t = (I − α∇²_yy g(x, y_t)) p_{t+1};
 *   the starting point y_0 is treated as a constant (betty's `unroll_steps`, TorchOpt's MetaSGD).
 */
export type HypergradientEstimator =
  | { readonly kind: 'implicit'; readonly ihvp: IhvpOptions }
  | { readonly kind: 'unrolled'; readonly steps: number; readonly stepSize: number };

/** Per-call cost of a hypergradient. */
export interface HypergradientReport extends IhvpReport {
  /** ∇²_yy g · v products. */
  hvps: number;
  /** ∇²_xy g · v products. */
  crossProducts: number;
  /** Lower-level gradients (the unrolled steps). */
  lowerGradients: number;
}

/** Buffers of an estimator, allocated once per run. */
export interface EstimatorWorkspace {
  readonly gradYf: Vec;
  readonly cross: Vec;
  readonly ihvp: IhvpWorkspace;
  /** Unrolled trajectory y_0..y_T (T + 1 rows of dimY), or empty for implicit. */
  readonly trajectory: Float64Array;
  readonly p: Vec;
  readonly hp: Vec;
  readonly report: HypergradientReport;
}

export function estimatorWorkspace(
  estimator: HypergradientEstimator,
  dimX: number,
  dimY: number,
): EstimatorWorkspace {
  return {
    gradYf: new Float64Array(dimY),
    cross: new Float64Array(dimX),
    ihvp: ihvpWorkspace(dimY),
    trajectory: new Float64Array(estimator.kind === 'unrolled' ? (estimator.steps + 1) * dimY : 0),
    p: new Float64Array(dimY),
    hp: new Float64Array(dimY),
    report: {
      matvecs: 0,
      relativeResidual: undefined,
      converged: true,
      hvps: 0,
      crossProducts: 0,
      lowerGradients: 0,
    },
  };
}

/**
 * Writes the estimate of ∇Φ(x) into `out` and returns the workspace's report. With 'unrolled', `y`
 * is advanced in place to y_T (the unrolled inner steps are the inner solver). `upperBatch` /
 * `lowerBatch` evaluate the stochastic oracles on those minibatches (one lower batch for every
 * Hessian product of the call).
 */
export function hypergradient(
  problem: BilevelOracle,
  x: Vec,
  y: Vec,
  out: Vec,
  estimator: HypergradientEstimator,
  workspace: EstimatorWorkspace,
  upperBatch?: Batch,
  lowerBatch?: Batch,
): HypergradientReport {
  const { gradYf, cross, report } = workspace;
  const dimX = x.length;
  const dimY = y.length;
  report.hvps = 0;
  report.crossProducts = 0;
  report.lowerGradients = 0;
  if (estimator.kind === 'implicit') {
    problem.upperGradY(x, y, gradYf, upperBatch);
    const v = solveIhvp(
      (u, o) => problem.lowerHvpYY(x, y, u, o, lowerBatch),
      gradYf,
      workspace.ihvp,
      estimator.ihvp,
      report,
    );
    report.hvps = report.matvecs;
    problem.upperGradX(x, y, out, upperBatch);
    problem.lowerCrossXY(x, y, v, cross, lowerBatch);
    report.crossProducts = 1;
    for (let i = 0; i < dimX; i++) out[i] -= cross[i];
    return report;
  }
  const { steps: T, stepSize: alpha } = estimator;
  const { trajectory, p, hp } = workspace;
  report.matvecs = 0;
  report.relativeResidual = undefined;
  report.converged = true;
  trajectory.set(y, 0);
  for (let t = 0; t < T; t++) {
    const row = trajectory.subarray(t * dimY, (t + 1) * dimY);
    const next = trajectory.subarray((t + 1) * dimY, (t + 2) * dimY);
    problem.lowerGradY(x, row, next, lowerBatch);
    for (let i = 0; i < dimY; i++) next[i] = row[i] - alpha * next[i];
    problem.projectY?.(next);
    report.lowerGradients++;
  }
  const last = trajectory.subarray(T * dimY, (T + 1) * dimY);
  y.set(last);
  problem.upperGradY(x, last, p, upperBatch);
  problem.upperGradX(x, last, out, upperBatch);
  for (let t = T - 1; t >= 0; t--) {
    const row = trajectory.subarray(t * dimY, (t + 1) * dimY);
    problem.lowerCrossXY(x, row, p, cross, lowerBatch);
    report.crossProducts++;
    for (let i = 0; i < dimX; i++) out[i] -= alpha * cross[i];
    if (t > 0) {
      problem.lowerHvpYY(x, row, p, hp, lowerBatch);
      report.hvps++;
      for (let i = 0; i < dimY; i++) p[i] -= alpha * hp[i];
    }
  }
  return report;
}
