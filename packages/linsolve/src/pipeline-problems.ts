import {
  assertAllocation,
  csrFromTriplets,
  csrOperator,
  defineMetric,
  defineProblem,
  defineStage,
  type ResultBase,
  spmv,
  traceOf,
  type Vec,
} from '@argmin/core';
import * as z from 'zod/mini';
import type { GcrotSolver, RecyclingSolver, SequenceSolver } from './plugins';
import { checkGrid } from './problems/grid';
import { darcySequence, darcySystem, type LinearSystem, poisson2d } from './problems/pde';
import type { SequenceEntry, SequenceResult } from './sequence/solve-sequence';

/** What a `'linear-system-sequence'` instance holds. */
export interface LinearSystemSequence {
  readonly systems: readonly LinearSystem[];
}

const gridSize = (fallback: number) =>
  z
    ._default(z.int().check(z.minimum(1)), fallback)
    .check(z.describe('Interior grid points per side (n = gridSize²).'));

function checkedGrid(where: string, side: number, count = 1): void {
  checkGrid(where, side, side);
  // CSR: about 5 entries per row, values and column indices
  assertAllocation(where, 'five-point matrices', count * side * side * 5 * 2);
}

/** 2-D Poisson −Δu = 1 (five-point, Dirichlet 0, SPD): `poisson2d`. */
export const poissonProblem = defineProblem({
  meta: {
    id: 'linsolve/poisson',
    title: '2-D Poisson equation −Δu = 1 on the unit square (five-point, SPD)',
    description: 'The matrix has 4 on the diagonal and −1 at the four neighbours; rhs h²·1; x0 = 0.',
    provides: [],
    gives: 'linear-system',
  },
  options: z.strictObject({
    gridSize: gridSize(32),
    matrixFree: z
      ._default(z.boolean(), false)
      .check(z.describe('Run on the matrix-free stencil operator instead of the CSR matrix.')),
  }),
  create: (options) => {
    checkedGrid('linsolve/poisson', options.gridSize);
    const system = poisson2d(options.gridSize);
    const problem: LinearSystem = options.matrixFree
      ? system
      : { ...system, operator: csrOperator(system.matrix, { symmetric: true, positiveDefinite: true }) };
    return { problem, x0: new Float64Array(system.rhs.length) };
  },
});

/**
 * Variable-coefficient diffusion −∇·(K∇u) = 1 with K = exp(GRF(α, τ)) drawn from the seeded Rng:
 * one system of SKR's Darcy family (`darcySystem`; non-symmetric as SKR discretizes it).
 */
export const variableCoefficientProblem = defineProblem({
  meta: {
    id: 'linsolve/variable-coefficient',
    title: 'Variable-coefficient diffusion −∇·(K∇u) = 1 with a log-normal random field K (one Darcy system)',
    description:
      'K = exp(GRF(alpha, tau)) as in SKR’s build_darcy; row p has 4K_p on the diagonal and −K_q at neighbour q.',
    provides: [],
    gives: 'linear-system',
  },
  options: z.strictObject({
    gridSize: gridSize(32),
    alpha: z._default(z.number().check(z.positive()), 2.5).check(z.describe('GRF smoothness α (SKR: 2.5).')),
    tau: z
      ._default(z.number().check(z.positive()), 7)
      .check(z.describe('GRF inverse length scale τ (SKR: 7).')),
  }),
  create: (options, rng) => {
    checkedGrid('linsolve/variable-coefficient', options.gridSize);
    const system = darcySystem(rng, { gridSize: options.gridSize, alpha: options.alpha, tau: options.tau });
    return { problem: system, x0: new Float64Array(system.rhs.length) };
  },
});

/**
 * Convection-diffusion −εΔu + w·∇u = 1 on the unit square, Dirichlet 0, five-point central
 * differences on an s-by-s interior grid (h = 1/(s + 1)), scaled by h²: row p has 4ε on the diagonal
 * and −ε ± h·w/2 at the neighbours (non-symmetric; the cell Péclet number h|w|/(2ε) measures how far
 * from symmetric). A standard non-symmetric test for GMRES and BiCGStab.
 */
export const convectionDiffusionProblem = defineProblem({
  meta: {
    id: 'linsolve/convection-diffusion',
    title: 'Convection-diffusion −εΔu + w·∇u = 1 (central differences, non-symmetric)',
    description: 'Five-point central differences scaled by h²; wind w = (windX, windY); x0 = 0.',
    provides: [],
    gives: 'linear-system',
  },
  options: z.strictObject({
    gridSize: gridSize(32),
    diffusion: z._default(z.number().check(z.positive()), 1).check(z.describe('Diffusion coefficient ε.')),
    windX: z._default(z.number(), 20).check(z.describe('Wind component along x.')),
    windY: z._default(z.number(), 10).check(z.describe('Wind component along y.')),
  }),
  create: (options) => {
    const s = options.gridSize;
    checkedGrid('linsolve/convection-diffusion', s);
    const n = s * s;
    const h = 1 / (s + 1);
    const eps = options.diffusion;
    const cx = (h * options.windX) / 2;
    const cy = (h * options.windY) / 2;
    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    const push = (r: number, c: number, v: number) => {
      rows.push(r);
      cols.push(c);
      values.push(v);
    };
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const p = i * s + j;
        push(p, p, 4 * eps);
        if (j > 0) push(p, p - 1, -eps - cx); // west: −ε − h wx / 2
        if (j < s - 1) push(p, p + 1, -eps + cx); // east
        if (i > 0) push(p, p - s, -eps - cy); // south
        if (i < s - 1) push(p, p + s, -eps + cy); // north
      }
    }
    const matrix = csrFromTriplets(n, n, rows, cols, values);
    const problem: LinearSystem = {
      matrix,
      operator: csrOperator(matrix),
      rhs: new Float64Array(n).fill(h * h),
      parameters: Float64Array.of(eps, options.windX, options.windY),
    };
    return { problem, x0: new Float64Array(n) };
  },
});

/** A sequence of Darcy systems with independent random permeabilities: SKR's data-generation workload. */
export const darcySequenceProblem = defineProblem({
  meta: {
    id: 'linsolve/darcy-sequence',
    title: 'A sequence of Darcy flow systems with log-normal random permeabilities (SKR)',
    description:
      '`count` systems −∇·(K_i∇u) = 1, K_i = exp(GRF(α, τ)) independent; for sequence solvers such as linsolve/skr.',
    provides: [],
    gives: 'linear-system-sequence',
  },
  options: z.strictObject({
    count: z._default(z.int().check(z.minimum(1)), 20).check(z.describe('Number of systems.')),
    gridSize: gridSize(24),
    alpha: z._default(z.number().check(z.positive()), 2.5).check(z.describe('GRF smoothness α (SKR: 2.5).')),
    tau: z
      ._default(z.number().check(z.positive()), 7)
      .check(z.describe('GRF inverse length scale τ (SKR: 7).')),
  }),
  create: (options, rng) => {
    checkedGrid('linsolve/darcy-sequence', options.gridSize, options.count);
    const systems = darcySequence(rng, options.count, {
      gridSize: options.gridSize,
      alpha: options.alpha,
      tau: options.tau,
    });
    const problem: LinearSystemSequence = { systems };
    return { problem, x0: new Float64Array(0) };
  },
});

/** Problem plugins of `@argmin/linsolve` for pipeline files. */
export const linsolveProblems = [
  poissonProblem,
  variableCoefficientProblem,
  convectionDiffusionProblem,
  darcySequenceProblem,
] as const;

/**
 * A sequence solve read through ResultBase: status 'converged' when every system converged, else
 * 'max-iterations'; iterations = total inner iterations; the trace has one row per system in solve
 * order (iterations, matvecs, residualNorm of each). The area's fields (order, results, totals) stay.
 */
export interface SequenceSolveResult extends ResultBase, SequenceResult {
  /** Total matvecs over the sequence (the SKR paper's cost measure). */
  readonly matvecs: number;
}

export function sequenceResultBase(result: SequenceResult): SequenceSolveResult {
  const { results, totals } = result;
  const failed = results.filter((r) => !r.converged).length;
  const column = (pick: (r: SequenceEntry) => number) => results.map(pick);
  return {
    ...result,
    status: failed === 0 ? 'converged' : 'max-iterations',
    converged: failed === 0,
    iterations: totals.iterations,
    matvecs: totals.matvecs,
    message:
      failed === 0
        ? `all ${results.length} systems converged (${totals.matvecs} matvecs)`
        : `${failed} of ${results.length} systems did not converge`,
    warnings: [],
    trace: traceOf(
      results.map((_, k) => k),
      {
        iterations: column((r) => r.iterations),
        matvecs: column((r) => r.matvecs),
        residualNorm: column((r) => r.residualNorm),
      },
      column((r) => r.elapsedMs),
    ),
  };
}

const systemOf = (problem: unknown) => problem as LinearSystem;

/**
 * How `linsolve/*` methods run in pipelines: the Krylov optimizers (cg, minres, gmres, bicgstab) are
 * iterative stages on a 'linear-system'; GCRO-DR and GCROT solve one system in one call; SKR solves a
 * 'linear-system-sequence'.
 */
export const linsolveStages = [
  defineStage({ method: 'linsolve/cg', takes: 'linear-system', gives: 'linear-solution' }),
  defineStage({ method: 'linsolve/minres', takes: 'linear-system', gives: 'linear-solution' }),
  defineStage({ method: 'linsolve/gmres', takes: 'linear-system', gives: 'linear-solution' }),
  defineStage({ method: 'linsolve/bicgstab', takes: 'linear-system', gives: 'linear-solution' }),
  defineStage<RecyclingSolver>({
    method: 'linsolve/gcro-dr',
    takes: 'linear-system',
    gives: 'linear-solution',
    run: (solver, { instance }) =>
      solver.solve(systemOf(instance.problem).operator, systemOf(instance.problem).rhs),
  }),
  defineStage<GcrotSolver>({
    method: 'linsolve/gcrot',
    takes: 'linear-system',
    gives: 'linear-solution',
    run: (solver, { instance }) =>
      solver.solve(systemOf(instance.problem).operator, systemOf(instance.problem).rhs),
  }),
  defineStage<SequenceSolver>({
    method: 'linsolve/skr',
    takes: 'linear-system-sequence',
    gives: 'sequence-solution',
    run: (solver, { instance }) =>
      sequenceResultBase(solver.solve((instance.problem as LinearSystemSequence).systems)),
  }),
] as const;

/** ‖b − A x‖₂ with A applied as its CSR matrix (not the solver's recurrence). */
function trueResidual(system: LinearSystem, x: Vec): { residual: number; relative: number } {
  const r = spmv(system.matrix, x, new Float64Array(system.rhs.length));
  let s = 0;
  let bb = 0;
  for (let i = 0; i < r.length; i++) {
    const d = system.rhs[i] - r[i];
    s += d * d;
    bb += system.rhs[i] * system.rhs[i];
  }
  const residual = Math.sqrt(s);
  return { residual, relative: bb > 0 ? residual / Math.sqrt(bb) : residual };
}

/**
 * The true residual ‖b − A x‖₂ (and relative to ‖b‖) of a solution, recomputed with the CSR matrix
 * rather than read from the solver's recurrence; for a sequence, the largest and the mean relative
 * residual over its systems.
 */
export const trueResidualMetric = defineMetric({
  meta: {
    id: 'linsolve/true-residual',
    title: 'True residual ‖b − A x‖ of a solution (or of every solution of a sequence)',
    description: 'Recomputed with the CSR matrix; Krylov recurrences can drift from it.',
    takes: ['linear-solution', 'sequence-solution'],
  },
  options: z.strictObject({}),
  compute: ({ result, instance }): Record<string, number> => {
    const problem = instance.problem as Partial<LinearSystem> & Partial<LinearSystemSequence>;
    if (problem.systems) {
      const entries = (result as SequenceResult).results;
      let worst = 0;
      let total = 0;
      for (const entry of entries) {
        const { relative } = trueResidual(problem.systems[entry.index], entry.x);
        worst = Math.max(worst, Number.isNaN(relative) ? Number.POSITIVE_INFINITY : relative);
        total += relative;
      }
      return { maxRelativeResidual: worst, meanRelativeResidual: total / entries.length };
    }
    const { residual, relative } = trueResidual(problem as LinearSystem, (result as { x: Vec }).x);
    return { residualNorm: residual, relativeResidual: relative };
  },
});

/** Metric plugins of `@argmin/linsolve` for pipeline files. */
export const linsolveMetrics = [trueResidualMetric] as const;
