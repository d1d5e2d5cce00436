import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeTask, type Task, type TaskRecord, type TaskRegistries } from '@argmin/core';
import { Piscina } from 'piscina';
import { environmentOf } from './environment';
import type { JsonlStore } from './store';

/** Options every runner takes. */
export interface RunOptions {
  /** Records already stored are skipped (their stored record is returned); new ones are appended. */
  readonly store?: JsonlStore;
  /** Called with each new record as it completes (progress bars, JSONL writers). */
  readonly onRecord?: (record: TaskRecord, done: number, total: number) => void;
  /** Cancels: no new task starts; running thread tasks are aborted. */
  readonly signal?: AbortSignal;
}

/** The result of a run: every task's record (stored or new) in task order, and what was skipped. */
export interface RunSummary {
  readonly records: TaskRecord[];
  readonly skipped: number;
  readonly cancelled: boolean;
}

function finish(
  tasks: readonly Task[],
  byId: Map<string, TaskRecord>,
  skipped: number,
  cancelled: boolean,
): RunSummary {
  const records: TaskRecord[] = [];
  for (const task of tasks) {
    const r = byId.get(task.id);
    if (r) records.push(r);
  }
  return { records, skipped, cancelled };
}

/** Runs tasks one after another in this thread. */
export async function runInProcess(
  tasks: readonly Task[],
  registries: TaskRegistries,
  options: RunOptions = {},
): Promise<RunSummary> {
  const byId = new Map<string, TaskRecord>();
  let skipped = 0;
  let done = 0;
  const unique = [...new Map(tasks.map((t) => [t.id, t])).values()];
  for (const task of unique) {
    const stored = options.store?.get(task.id);
    if (stored) {
      byId.set(task.id, stored);
      skipped++;
      done++;
      continue;
    }
    if (options.signal?.aborted) return finish(tasks, byId, skipped, true);
    const record = await executeTask(task, registries, {
      environment: environmentOf('in-process'),
      signal: options.signal,
    });
    options.store?.append(record);
    byId.set(task.id, record);
    options.onRecord?.(record, ++done, unique.length);
  }
  return finish(tasks, byId, skipped, false);
}

const here = dirname(fileURLToPath(import.meta.url));

/** Path of the built worker entry (dist/worker.js; from the sources, the package's dist). */
export function workerEntry(): string {
  const sibling = join(here, 'worker.js');
  return existsSync(sibling) ? sibling : join(here, '..', 'dist', 'worker.js');
}

/**
 * Runs tasks on a pool of `workers` worker threads (piscina). Each thread imports
 * `registriesModule` once (see `RegistriesModule`). Results are the same bits as in-process: the
 * task, not the thread, decides them.
 */
export async function runOnThreads(
  tasks: readonly Task[],
  { workers, registriesModule, ...options }: RunOptions & { workers: number; registriesModule: string },
): Promise<RunSummary> {
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
    throw new RangeError(`runOnThreads: workers must be an integer in [1, 1024]; got ${workers}.`);
  }
  const byId = new Map<string, TaskRecord>();
  let skipped = 0;
  let done = 0;
  const unique = [...new Map(tasks.map((t) => [t.id, t])).values()];
  const pending = unique.filter((task) => {
    const stored = options.store?.get(task.id);
    if (stored) {
      byId.set(task.id, stored);
      skipped++;
      done++;
      return false;
    }
    return true;
  });
  if (pending.length === 0) return finish(tasks, byId, skipped, false);
  const pool = new Piscina({
    filename: workerEntry(),
    minThreads: Math.min(workers, pending.length),
    maxThreads: Math.min(workers, pending.length),
    idleTimeout: 1000,
  });
  let cancelled = false;
  try {
    await Promise.all(
      pending.map(async (task) => {
        try {
          const record = (await pool.run(
            { task, registriesModule },
            options.signal ? { signal: options.signal } : {},
          )) as TaskRecord;
          options.store?.append(record);
          byId.set(task.id, record);
          options.onRecord?.(record, ++done, unique.length);
        } catch (error) {
          if (options.signal?.aborted) {
            cancelled = true;
            return;
          }
          throw error;
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
  return finish(tasks, byId, skipped, cancelled);
}
