import { createRng, type Json, type TaskFunction } from '@argmin/core';
import { darcySystem, solveSequence } from '@argmin/linsolve';

/** Arguments of the Darcy-chunk task: systems [start, start + count) of the sequence drawn from `seed`. */
export interface DarcyChunkArgs {
  readonly seed: number;
  readonly start: number;
  readonly count: number;
  readonly gridSize: number;
  readonly solver?: 'gcro-dr' | 'gcrot' | 'gmres';
  readonly rtol?: number;
}

/**
 * SKR's data-generation workload, split for workers: system i of the sequence has its own seeded
 * permeability field (seed derived from (seed, i)), so a chunk of consecutive systems is generated
 * independently of the others and solved in order with Krylov recycling (the recycle space is carried
 * within the chunk, which is why chunks, not single systems, are the unit of work).
 */
export const darcyChunk: TaskFunction = (args) => {
  const { seed, start, count, gridSize, solver = 'gcro-dr', rtol = 1e-8 } = args as unknown as DarcyChunkArgs;
  for (const [name, value] of Object.entries({ seed, start, count, gridSize })) {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`darcy-chunk: ${name} must be a non-negative integer; got ${value}`);
  }
  const systems = Array.from({ length: count }, (_, k) =>
    darcySystem(createRng(((seed * 1_000_003 + start + k) % 4_294_967_291) >>> 0), { gridSize }),
  );
  const result = solveSequence(systems, { solver, rtol });
  return {
    start,
    count,
    systems: result.results.map((entry) => ({
      index: start + entry.index,
      converged: entry.converged,
      iterations: entry.iterations,
      matvecs: entry.matvecs,
      residualNorm: entry.residualNorm,
    })),
    matvecs: result.totals.matvecs,
    converged: result.totals.converged,
  } as unknown as Json;
};

/** Task functions of @argmin/runner's built-in workloads, by name. */
export const runnerTasks: Readonly<Record<string, TaskFunction>> = {
  'linsolve/darcy-chunk': darcyChunk,
};

/** The tasks of a Darcy sequence of `systems` systems split into chunks of `chunk` consecutive systems. */
export function darcySequenceTasks({
  seed = 0,
  systems = 200,
  chunk = 25,
  gridSize = 16,
  solver = 'gcro-dr',
}: {
  seed?: number;
  systems?: number;
  chunk?: number;
  gridSize?: number;
  solver?: 'gcro-dr' | 'gcrot' | 'gmres';
} = {}) {
  const specs = [];
  for (let start = 0; start < systems; start += chunk) {
    specs.push({
      kind: 'function' as const,
      name: 'linsolve/darcy-chunk',
      args: { seed, start, count: Math.min(chunk, systems - start), gridSize, solver },
    });
  }
  return specs;
}
