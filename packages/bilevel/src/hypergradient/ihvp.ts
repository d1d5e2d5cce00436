import { nrm2, operatorFromFunction, type Vec } from '@argmin/core';
import { cg } from '@argmin/linsolve';

/**
 * A Hessian-vector product H v into out. `term` is the index of the product within one solve
 * (0, 1, ...), so a stochastic caller can draw a fresh Hessian sample per Neumann term (BO-REP's
 * stochastic Neumann series, notes §12) or reuse one batch for all of them.
 */
export type Matvec = (v: Vec, out: Vec, term: number) => Vec;

/** The linear solvers shared by every hypergradient estimator (jaxopt's `(matvec, b) → x` split). */
export type IhvpSolver = 'cg' | 'neumann' | 'sgd-quadratic';

/** How to solve H v = b for the inverse-Hessian-vector product (IHVP). */
export interface IhvpOptions {
  /**
   * 'cg': conjugate gradients from `@argmin/linsolve` (H symmetric positive definite when g is strongly
   * convex in y), warm-started from the previous solution; 'neumann': betty's truncated Neumann series
   * p = α Σ_{k=0}^{K} (I − αH)^k b; 'sgd-quadratic': SOBA / the BO-REP code's persistent z,
   * K steps of z ← z − α(Hz − b) on ½zᵀHz − bᵀz, z kept across calls.
   */
  readonly solver: IhvpSolver;
  /** K: CG iteration cap, Neumann terms beyond the first, or SGD steps. */
  readonly iterations: number;
  /** Neumann α (needs α‖H‖ < 1 to converge) or SGD step ν. Ignored by CG. */
  readonly alpha: number;
  /** CG relative tolerance on ‖b − Hv‖ ≤ tolerance·‖b‖. Ignored by the others. */
  readonly tolerance: number;
  /** Start CG / SGD from the previous solution (the implicit methods' warm start); Neumann never does. */
  readonly warmStart: boolean;
}

/** What one IHVP solve cost and reached. */
export interface IhvpReport {
  /** Hessian-vector products used. */
  matvecs: number;
  /** ‖Hv − b‖ / ‖b‖ when the solver measured it (CG), else undefined. */
  relativeResidual: number | undefined;
  /** CG met its tolerance (always true for the fixed-length solvers). */
  converged: boolean;
}

/** Buffers of one IHVP solver, allocated once per run. `solution` holds the warm start. */
export interface IhvpWorkspace {
  readonly solution: Vec;
  readonly term: Vec;
  readonly product: Vec;
}

export function ihvpWorkspace(dimension: number): IhvpWorkspace {
  return {
    solution: new Float64Array(dimension),
    term: new Float64Array(dimension),
    product: new Float64Array(dimension),
  };
}

/**
 * Solves H v = b approximately into `workspace.solution` (and returns it).
 *
 * @example
 * const ws = ihvpWorkspace(n);
 * solveIhvp((v, out) => problem.lowerHvpYY(x, y, v, out), gradYf, ws, { solver: 'cg', iterations: 50, alpha: 0, tolerance: 1e-10, warmStart: true });
 */
export function solveIhvp(
  matvec: Matvec,
  b: Vec,
  workspace: IhvpWorkspace,
  options: IhvpOptions,
  report: IhvpReport,
): Vec {
  const n = b.length;
  const { solution, term, product } = workspace;
  const { iterations: K, alpha } = options;
  report.matvecs = 0;
  report.relativeResidual = undefined;
  report.converged = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(b[i])) {
      // Numerical trouble upstream: the caller sees a non-finite solution and reports a status.
      solution.fill(Number.NaN);
      report.converged = false;
      return solution;
    }
  }
  if (options.solver === 'neumann') {
    // betty hypergradient/neumann.py: p = v = b; K times: v ← v − α H v, p ← p + v; return α p.
    for (let i = 0; i < n; i++) {
      term[i] = b[i];
      solution[i] = b[i];
    }
    for (let k = 0; k < K; k++) {
      matvec(term, product, k);
      report.matvecs++;
      for (let i = 0; i < n; i++) {
        term[i] -= alpha * product[i];
        solution[i] += term[i];
      }
    }
    for (let i = 0; i < n; i++) solution[i] *= alpha;
    return solution;
  }
  if (options.solver === 'sgd-quadratic') {
    if (!options.warmStart) solution.fill(0);
    for (let k = 0; k < K; k++) {
      matvec(solution, product, k);
      report.matvecs++;
      for (let i = 0; i < n; i++) solution[i] -= alpha * (product[i] - b[i]);
    }
    return solution;
  }
  // CG from @argmin/linsolve on the operator v ↦ Hv (one batch for every product: CG needs a fixed matrix).
  const bnorm = nrm2(b);
  if (bnorm === 0) {
    solution.fill(0);
    report.relativeResidual = 0;
    return solution;
  }
  let calls = 0;
  const operator = operatorFromFunction({
    rows: n,
    cols: n,
    apply: (v, out) => matvec(v, out, calls++),
    traits: { symmetric: true, positiveDefinite: true },
  });
  const result = cg(operator, b, {
    rtol: options.tolerance,
    maxIterations: K,
    x0: options.warmStart ? solution : undefined,
  });
  for (let i = 0; i < n; i++) solution[i] = result.x[i];
  report.matvecs = calls;
  report.relativeResidual = result.residualNorm / bnorm;
  report.converged = result.converged;
  return solution;
}
