import { InvalidArgumentError } from '../errors/argmin-error';
import { sha256Hex } from './hash';

/** A JSON value (what tasks, arguments and results are made of). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * A serializable description of one unit of work, runnable anywhere the packages it names are
 * installed (in-process, a worker thread, another machine through a queue):
 * - an experiment (a paper reproduction) at a size and seed;
 * - a pipeline (the parsed pipeline file, as JSON);
 * - a function call: `<package>`'s exported task function `name` (from its `<area>Tasks` export) with
 *   JSON arguments (e.g. solving a chunk of a generated linear-system sequence).
 */
export type TaskSpec =
  | {
      readonly kind: 'experiment';
      readonly id: string;
      readonly size: 'quick' | 'full';
      readonly seed: number;
    }
  | { readonly kind: 'pipeline'; readonly pipeline: Json }
  | { readonly kind: 'function'; readonly name: string; readonly args: Json };

/** A task: its spec and its id, the SHA-256 of the spec's canonical JSON. */
export interface Task {
  readonly id: string;
  readonly spec: TaskSpec;
  /** Sweep coordinates that produced it (for reports), if any. */
  readonly point?: Readonly<Record<string, Json>>;
}

/** Where and how a task ran (not part of the task's identity). */
export interface TaskEnvironment {
  readonly runner: 'in-process' | 'threads' | 'queue' | string;
  readonly worker?: string;
  readonly platform?: string;
  readonly node?: string;
  readonly argmin?: Readonly<Record<string, string>>;
}

/** The record a task leaves: one per task id, whatever runner produced it. */
export interface TaskRecord {
  readonly id: string;
  readonly spec: TaskSpec;
  readonly point?: Readonly<Record<string, Json>>;
  readonly status: 'ok' | 'error';
  /** The task's output as JSON (an experiment report, a pipeline result summary, a function's value). */
  readonly result?: Json;
  readonly error?: string;
  readonly elapsedMs: number;
  readonly attempt?: number;
  readonly environment: TaskEnvironment;
}

/**
 * JSON with object keys sorted at every depth (arrays keep their order), the form a task's id hashes:
 * two specs that differ only in key order have the same id. Non-finite numbers are written as the
 * strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers); `undefined` members are dropped.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return `[${Array.from(value as ArrayLike<unknown>, (v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new InvalidArgumentError({
    argument: 'value',
    value: typeof value,
    message: `canonicalJson: a task may hold JSON values only; got a ${typeof value}.`,
  });
}

function checkSpec(spec: TaskSpec): void {
  const fail = (message: string): never => {
    throw new InvalidArgumentError({ argument: 'spec', value: spec, message: `task: ${message}` });
  };
  if (typeof spec !== 'object' || spec === null) fail('a task spec must be an object with a `kind`.');
  switch (spec.kind) {
    case 'experiment':
      if (typeof spec.id !== 'string' || !spec.id.includes('/'))
        fail(`an experiment task needs an id "<area>/<name>"; got ${JSON.stringify(spec.id)}.`);
      if (spec.size !== 'quick' && spec.size !== 'full')
        fail(`size must be 'quick' or 'full'; got ${JSON.stringify(spec.size)}.`);
      if (!Number.isInteger(spec.seed) || spec.seed < 0)
        fail(`seed must be a non-negative integer; got ${spec.seed}.`);
      return;
    case 'pipeline':
      if (typeof spec.pipeline !== 'object' || spec.pipeline === null)
        fail('a pipeline task needs the parsed pipeline object.');
      return;
    case 'function':
      if (typeof spec.name !== 'string' || spec.name.length === 0)
        fail('a function task needs the task function name.');
      return;
    default:
      fail(
        `unknown task kind ${JSON.stringify((spec as { kind: unknown }).kind)}; use 'experiment', 'pipeline' or 'function'.`,
      );
  }
}

/**
 * A task with its content-hash id (same spec, same id, on every machine).
 *
 * @example
 * defineTask({ kind: 'experiment', id: 'ot/sns-vs-sinkhorn', size: 'quick', seed: 0 }).id // 64 hex digits
 */
export function defineTask(spec: TaskSpec, point?: Readonly<Record<string, Json>>): Task {
  checkSpec(spec);
  return { id: sha256Hex(canonicalJson(spec)), spec, ...(point ? { point } : {}) };
}

/** A sweep: a base task and parameter grids; its points are the Cartesian product (seeds last). */
export interface SweepSpec {
  /** The task to vary: an experiment (its `seed`/`size` can be swept) or a pipeline. */
  readonly base: TaskSpec;
  /**
   * Parameter grids keyed by a dotted path into the base spec (for a pipeline, e.g.
   * `pipeline.stages.0.options.learningRate`; for a function task, `args.chunk`).
   */
  readonly grid?: Readonly<Record<string, readonly Json[]>>;
  /** Seeds: sets `seed` of an experiment, or `pipeline.seed` of a pipeline. */
  readonly seeds?: readonly number[];
}

function setPath(target: Record<string, unknown>, path: string, value: Json): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new InvalidArgumentError({
        argument: 'grid',
        value: path,
        message: `sweep: the path "${path}" is not allowed.`,
      });
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      throw new InvalidArgumentError({
        argument: 'grid',
        value: path,
        message: `sweep: the path "${path}" does not exist in the base task (stops at "${keys.slice(0, i + 1).join('.')}").`,
      });
    }
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (last === '__proto__' || last === 'constructor' || last === 'prototype') {
    throw new InvalidArgumentError({
      argument: 'grid',
      value: path,
      message: `sweep: the path "${path}" is not allowed.`,
    });
  }
  node[last] = value;
}

/**
 * The tasks of a sweep, in a stable order (grid keys sorted, values in the order given, seeds
 * innermost). Each task's `point` records its coordinates.
 */
export function expandSweep(sweep: SweepSpec): Task[] {
  const keys = Object.keys(sweep.grid ?? {}).sort();
  for (const key of keys) {
    const values = sweep.grid?.[key];
    if (!Array.isArray(values) || values.length === 0) {
      throw new InvalidArgumentError({
        argument: `grid.${key}`,
        value: values,
        message: `sweep: grid "${key}" must be a non-empty list of values.`,
      });
    }
  }
  const seeds = sweep.seeds ?? [];
  for (const s of seeds)
    if (!Number.isInteger(s) || s < 0)
      throw new InvalidArgumentError({
        argument: 'seeds',
        value: s,
        message: `sweep: seeds must be non-negative integers; got ${s}.`,
      });
  const tasks: Task[] = [];
  const total = keys.reduce((n, k) => n * (sweep.grid?.[k]?.length ?? 1), 1) * Math.max(1, seeds.length);
  if (total > 1_000_000) {
    throw new InvalidArgumentError({
      argument: 'grid',
      value: total,
      message: `sweep: ${total} points is over the limit of 1,000,000.`,
    });
  }
  const walk = (index: number, point: Record<string, Json>) => {
    if (index < keys.length) {
      for (const value of sweep.grid?.[keys[index]] ?? [])
        walk(index + 1, { ...point, [keys[index]]: value });
      return;
    }
    for (const seed of seeds.length ? seeds : [undefined]) {
      const spec = JSON.parse(JSON.stringify(sweep.base)) as Record<string, unknown>;
      for (const [path, value] of Object.entries(point)) setPath(spec, path, value);
      const coordinates: Record<string, Json> = { ...point };
      if (seed !== undefined) {
        if (spec.kind === 'pipeline') setPath(spec, 'pipeline.seed', seed);
        else spec.seed = seed;
        coordinates.seed = seed;
      }
      tasks.push(defineTask(spec as TaskSpec, coordinates));
    }
  };
  walk(0, {});
  return tasks;
}

/** JSON-safe copy of any value (typed arrays become arrays, non-finite numbers strings, functions dropped). */
export function toJsonValue(value: unknown): Json {
  return JSON.parse(canonicalJsonLoose(value)) as Json;
}

function canonicalJsonLoose(value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (typeof value === 'bigint') return JSON.stringify(String(value));
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    const entries = Object.keys(value)
      .filter((k) => {
        const v = (value as Record<string, unknown>)[k];
        return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
      })
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJsonLoose((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    return `[${Array.from(value as ArrayLike<unknown>, (v) => canonicalJsonLoose(v)).join(',')}]`;
  return canonicalJson(value);
}
