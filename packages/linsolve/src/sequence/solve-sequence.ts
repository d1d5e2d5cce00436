import {
  InvalidArgumentError,
  monotonicNow,
  parseOptions,
  type ResultBase,
  type SolveStatus,
  type SolveWarning,
  traceOf,
  type Vec,
} from '@argmin/core';
import type { LinearSolveResult } from '../krylov/driver';
import { gmres } from '../krylov/gmres';
import { solveSequenceOptions } from '../options';
import type { LinearSystem } from '../problems/pde';
import { gcroDr, type RecycleSpace } from '../recycling/gcro-dr';
import { type GcrotRecycleSpace, gcrot } from '../recycling/gcrot';
import { fftGraySort } from './fft-gray-sort';

/**
 * SKR's sorting step (paper Algorithm 1): greedy nearest neighbour on the parameter fields. Start at
 * system 0; repeatedly move to the unvisited system with the smallest ‖P_cur − P_j‖_F. Returns the
 * visiting order (a permutation of 0..N−1).
 */
export function greedySort(parameters: readonly Vec[]): number[] {
  const count = parameters.length;
  if (count === 0) return [];
  const visited = new Uint8Array(count);
  const order = [0];
  visited[0] = 1;
  let current = 0;
  for (let step = 1; step < count; step++) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    const a = parameters[current];
    for (let j = 0; j < count; j++) {
      if (visited[j]) continue;
      const b = parameters[j];
      let d = 0;
      for (let p = 0; p < a.length; p++) d += (a[p] - b[p]) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
    order.push(best);
    visited[best] = 1;
    current = best;
  }
  return order;
}

/** Total ‖P_i − P_{i+1}‖_F along an order (what the greedy sort shortens). */
export function pathLength(parameters: readonly Vec[], order: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < order.length; i++) {
    const a = parameters[order[i - 1]];
    const b = parameters[order[i]];
    let d = 0;
    for (let p = 0; p < a.length; p++) d += (a[p] - b[p]) ** 2;
    total += Math.sqrt(d);
  }
  return total;
}

/** Options of `solveSequence`. */
export interface SolveSequenceOptions {
  /**
   * 'gcro-dr' (recycling, default), 'gcrot' (GCROT(m, k) with scipy `gcrotmk` semantics, recycling
   * with discard_C: U is carried and C = A U recomputed for each new system) or 'gmres' (each system from scratch).
   */
  readonly solver?: 'gcro-dr' | 'gcrot' | 'gmres';
  /** GCROT truncation rule (default 'oldest', scipy's). */
  readonly truncate?: 'oldest' | 'smallest';
  /** Carry the recycle space from one system to the next (default true; ignored for 'gmres'). */
  readonly recycle?: boolean;
  /** 'greedy' (SKR Algorithm 1 on the parameters), 'fft-gray' (SKR code's FFT + PCA + Gray-code sorter; needs `shape` on the systems), 'none' (given order, default). */
  readonly sort?: 'greedy' | 'fft-gray' | 'none';
  /** Subspace size m (default 40, SKR's PETSc setting; for 'gcrot' the inner FGMRES dimension m). */
  readonly restart?: number;
  /** Recycled vectors k (default 20). */
  readonly recycleDimension?: number;
  /** Relative tolerance (default 1e-8). */
  readonly rtol?: number;
  /** Max restart cycles per system. */
  readonly maxIterations?: number;
  /** Use the matrix-free operator instead of the CSR matrix (default false). */
  readonly matrixFree?: boolean;
}

/** One system's outcome in a sequence. */
export interface SequenceEntry {
  readonly index: number;
  readonly x: Vec;
  readonly status: SolveStatus;
  readonly converged: boolean;
  readonly iterations: number;
  readonly matvecs: number;
  readonly residualNorm: number;
  readonly elapsedMs: number;
}

/**
 * Per-system results (in the input order's indices, listed in solve order) and totals, on core's
 * `ResultBase`: `status` is 'converged' when every system converged, otherwise the status of the
 * first system that did not; `iterations` is the total of inner steps (Arnoldi steps) over all systems;
 * `trace` has one row per solved system: `iteration` the cumulative inner steps, `elapsedMs` the
 * cumulative time, `metrics.residualNorm` / `metrics.matvecs` / `metrics.system` that system's true
 * residual, products with A and input index. `warnings` carry the per-system warnings, prefixed with the system.
 */
export interface SequenceResult extends ResultBase {
  readonly order: number[];
  readonly results: SequenceEntry[];
  readonly totals: {
    readonly matvecs: number;
    readonly iterations: number;
    readonly elapsedMs: number;
    readonly converged: number;
  };
  /** The recycle space after the last system. */
  readonly recycleSpace?: RecycleSpace | GcrotRecycleSpace;
}

const clock = monotonicNow;

/**
 * Solves a sequence of related systems as SKR does: sort them (greedy nearest neighbour on their
 * parameter fields), then solve in that order with GCRO-DR(m, k), carrying the recycle space from
 * each system to the next. `solver: 'gmres'` is the from-scratch baseline (GMRES(m) per system).
 * `iterations` is the total of inner (Arnoldi/FGMRES) steps over all systems; `maxIterations` limits
 * the restart cycles of each system.
 */
export function solveSequence(
  systems: readonly LinearSystem[],
  options: SolveSequenceOptions = {},
): SequenceResult {
  const { solver, recycle, sort, restart, recycleDimension, rtol, maxIterations, matrixFree, truncate } =
    parseOptions('linsolve/solveSequence', solveSequenceOptions, options);
  if (!Array.isArray(systems)) {
    throw new InvalidArgumentError({
      argument: 'systems',
      value: typeof systems,
      message: `linsolve/solveSequence: \`systems\` must be an array of LinearSystem; got ${typeof systems}.`,
    });
  }
  if (systems.length === 0) {
    throw new InvalidArgumentError({
      argument: 'systems',
      value: 0,
      message: 'linsolve/solveSequence: `systems` is empty; pass at least one LinearSystem.',
    });
  }
  if (sort === 'greedy') {
    const length = systems[0]?.parameters?.length;
    systems.forEach((system, i) => {
      if (!(system?.parameters instanceof Float64Array) || system.parameters.length !== length) {
        throw new InvalidArgumentError({
          argument: `systems[${i}].parameters`,
          value: system?.parameters?.length,
          message: `linsolve/solveSequence: sort 'greedy' compares parameter fields, so every system needs \`parameters\` as a Float64Array of the same length (${length}); system ${i} has ${system?.parameters?.length}.`,
        });
      }
    });
  }
  let order: number[];
  if (sort === 'greedy') order = greedySort(systems.map((s) => s.parameters));
  else if (sort === 'fft-gray') {
    const shape = systems[0].shape;
    if (!shape) {
      throw new InvalidArgumentError({
        argument: 'sort',
        value: sort,
        message:
          "linsolve/solveSequence: sort 'fft-gray' needs parameter fields with a `shape` (as darcySequence/helmholtzSequence produce); use sort 'greedy' otherwise.",
      });
    }
    order = fftGraySort(
      systems.map((s) => s.parameters.subarray(0, shape[0] * shape[1])),
      shape,
    );
  } else order = systems.map((_, i) => i);
  const results: SequenceEntry[] = [];
  const warnings: SolveWarning[] = [];
  // options that have no effect with the chosen solver: said once on the result, not ignored in silence
  const given = (key: keyof SolveSequenceOptions) => options?.[key] !== undefined;
  const unused: string[] = [];
  if (given('truncate') && solver !== 'gcrot') unused.push('`truncate` (GCROT only)');
  if (solver === 'gmres') {
    if (given('recycle')) unused.push('`recycle` (GMRES solves every system from scratch)');
    if (given('recycleDimension')) unused.push('`recycleDimension` (GMRES has no recycle space)');
  }
  if (unused.length > 0)
    warnings.push({
      type: 'unsupported',
      message: `solver '${solver}' ignores ${unused.join(', ')}`,
    });
  let space: GcrotRecycleSpace | undefined;
  for (const index of order) {
    const system = systems[index];
    const A = matrixFree ? system.operator : system.matrix;
    const start = clock();
    let result: Pick<
      LinearSolveResult,
      'x' | 'status' | 'converged' | 'iterations' | 'matvecs' | 'residualNorm' | 'warnings'
    >;
    if (solver === 'gmres') {
      result = gmres(A, system.rhs, { rtol, restart, maxIterations });
    } else if (solver === 'gcrot') {
      const solved = gcrot(A, system.rhs, {
        rtol,
        m: restart,
        k: recycleDimension,
        truncate,
        maxIterations,
        recycleSpace: recycle ? space : undefined,
        discardC: true,
      });
      space = solved.recycleSpace;
      result = solved;
    } else {
      const solved = gcroDr(A, system.rhs, {
        rtol,
        restart,
        recycle: recycleDimension,
        maxIterations,
        recycleSpace: recycle ? space : undefined,
      });
      space = solved.recycleSpace;
      result = solved;
    }
    for (const warning of result.warnings)
      warnings.push({ ...warning, message: `system ${index}: ${warning.message}` });
    results.push({
      index,
      x: result.x,
      status: result.status,
      converged: result.converged,
      iterations: result.iterations,
      matvecs: result.matvecs,
      residualNorm: result.residualNorm,
      elapsedMs: clock() - start,
    });
  }
  const totals = results.reduce(
    (t, r) => ({
      matvecs: t.matvecs + r.matvecs,
      iterations: t.iterations + r.iterations,
      elapsedMs: t.elapsedMs + r.elapsedMs,
      converged: t.converged + (r.converged ? 1 : 0),
    }),
    { matvecs: 0, iterations: 0, elapsedMs: 0, converged: 0 },
  );
  const iteration: number[] = [];
  const elapsed: number[] = [];
  let steps = 0;
  let time = 0;
  for (const r of results) {
    steps += r.iterations;
    time += r.elapsedMs;
    iteration.push(steps);
    elapsed.push(time);
  }
  const failed = results.find((r) => !r.converged);
  return {
    status: failed ? failed.status : 'converged',
    converged: failed === undefined,
    iterations: totals.iterations,
    message: failed
      ? `${totals.converged} of ${results.length} systems converged; system ${failed.index} ended with '${failed.status}'`
      : `all ${results.length} systems converged`,
    warnings,
    trace: traceOf(
      iteration,
      {
        residualNorm: results.map((r) => r.residualNorm),
        matvecs: results.map((r) => r.matvecs),
        system: results.map((r) => r.index),
      },
      elapsed,
    ),
    order,
    results,
    totals,
    recycleSpace: space,
  };
}
