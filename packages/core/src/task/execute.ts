import { type PipelineRegistries, runPipeline, validatePipeline } from '../compose/pipeline';
import { runExperiment } from '../experiment/define-experiment';
import { now as monotonicNow } from '../solve/clock';
import type { Experiment } from '../spec/experiment';
import type { Json, Task, TaskEnvironment, TaskRecord } from './task';
import { toJsonValue } from './task';

/** Context a task function receives. */
export interface TaskFunctionContext {
  readonly signal?: { readonly aborted: boolean };
  progress(fraction: number, message?: string): void;
}

/** A function a package offers as a task (exported in its `<area>Tasks` record): JSON in, JSON out. */
export type TaskFunction = (args: Json, context: TaskFunctionContext) => Json | Promise<Json>;

/** What a runner can execute: the experiments, pipeline plugins and task functions it knows. */
export interface TaskRegistries {
  readonly experiments?: readonly Experiment[];
  readonly pipelines?: PipelineRegistries;
  readonly functions?: Readonly<Record<string, TaskFunction>>;
}

export interface ExecuteOptions {
  readonly environment: TaskEnvironment;
  readonly signal?: { readonly aborted: boolean };
  readonly onProgress?: (fraction: number, message?: string) => void;
  /** Attempt number (queues retry failed or stalled tasks). */
  readonly attempt?: number;
  /** Clock for elapsedMs (default the monotonic clock of `solve`). */
  readonly now?: () => number;
}

/** Drops timing fields (`elapsedMs`, `*Ms`) at every depth: results of the same task then compare bit for bit. */
function withoutTimings(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) if (!/Ms$/.test(k)) out[k] = withoutTimings(v as Json);
    return out;
  }
  return value;
}

/**
 * Runs one task and returns its record; never throws for a failing task (the record has status
 * 'error' and the message), so a runner can store it and move on. Results are JSON; timing fields are
 * removed from pipeline results (wall time is in the record's `elapsedMs`), so the same task gives the
 * same result bits in-process, on a worker thread or on another machine. Experiment reports are kept
 * whole: an experiment that measures wall time (a speed claim) reports different times each run.
 */
export async function executeTask(
  task: Task,
  registries: TaskRegistries,
  options: ExecuteOptions,
): Promise<TaskRecord> {
  const now = options.now ?? monotonicNow;
  const started = now();
  const base = {
    id: task.id,
    spec: task.spec,
    ...(task.point ? { point: task.point } : {}),
    environment: options.environment,
    ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
  };
  try {
    let result: Json;
    const spec = task.spec;
    if (spec.kind === 'experiment') {
      const experiment = registries.experiments?.find((e) => e.id === spec.id);
      if (!experiment)
        throw new Error(
          `unknown experiment ${spec.id}; installed: ${(registries.experiments ?? []).map((e) => e.id).join(', ') || '(none)'}`,
        );
      const report = await runExperiment(experiment, {
        seed: spec.seed,
        size: spec.size,
        onProgress: options.onProgress,
        signal: options.signal,
      });
      result = toJsonValue(report);
    } else if (spec.kind === 'pipeline') {
      if (!registries.pipelines) throw new Error('this runner has no pipeline registries');
      const validated = validatePipeline(spec.pipeline, registries.pipelines);
      const run = runPipeline(validated);
      result = withoutTimings(
        toJsonValue({
          status: run.status,
          converged: run.converged,
          iterations: run.iterations,
          message: run.message,
          metrics: run.metrics,
          info: run.info,
          x: run.x,
          method: run.method,
          records: run.records,
          warnings: run.warnings,
        }),
      );
    } else {
      const fn = registries.functions?.[spec.name];
      if (!fn)
        throw new Error(
          `unknown task function ${spec.name}; installed: ${Object.keys(registries.functions ?? {}).join(', ') || '(none)'}`,
        );
      result = toJsonValue(
        await fn(spec.args, { signal: options.signal, progress: (f, m) => options.onProgress?.(f, m) }),
      );
    }
    return { ...base, status: 'ok', result, elapsedMs: now() - started };
  } catch (error) {
    return {
      ...base,
      status: 'error',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      elapsedMs: now() - started,
    };
  }
}
