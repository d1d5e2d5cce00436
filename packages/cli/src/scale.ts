// Scale-out commands: `argmin sweep`, `argmin worker`, and the parallel path of `argmin repro`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defineTask,
  expandSweep,
  type Json,
  MAX_PIPELINE_BYTES,
  parsePipelineText,
  type SweepSpec,
  type Task,
  type TaskRecord,
  type TaskSpec,
} from '@argmin/core';
import {
  darcySequenceTasks,
  JsonlStore,
  loadRegistriesFrom,
  type RunSummary,
  runInProcess,
  runOnQueue,
  runOnThreads,
  startQueueWorker,
} from '@argmin/runner';
import { toJson } from './format';

const here = dirname(fileURLToPath(import.meta.url));

/** The registries module workers import: dist/registries.js next to the CLI's bundle. */
export function registriesModule(): string {
  const sibling = join(here, 'registries.js');
  return existsSync(sibling) ? sibling : join(here, '..', 'dist', 'registries.js');
}

/** How to run a batch of tasks. */
export interface Placement {
  /** Worker threads (1 = in this process). */
  readonly workers: number;
  /** redis://HOST:PORT: enqueue on BullMQ instead; `argmin worker --queue` processes run them. */
  readonly queue?: string;
  readonly queueName?: string;
}

/** Runs tasks where the placement says, with a store for skip-on-rerun and a per-record callback. */
export async function runTasks(
  tasks: readonly Task[],
  placement: Placement,
  options: {
    store?: JsonlStore;
    onRecord?: (record: TaskRecord, done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<RunSummary> {
  if (placement.queue)
    return runOnQueue(tasks, { url: placement.queue, queueName: placement.queueName, ...options });
  if (placement.workers > 1)
    return runOnThreads(tasks, {
      workers: placement.workers,
      registriesModule: registriesModule(),
      ...options,
    });
  return runInProcess(tasks, await loadRegistriesFrom(registriesModule()), options);
}

/** A sweep file: an experiment over seeds/sizes, a pipeline over a parameter grid and seeds, or a built-in workload. */
export function sweepFromFile(path: string): { sweep?: SweepSpec; tasks?: Task[]; name: string } {
  const text = readFileSync(path, 'utf8');
  if (text.length > MAX_PIPELINE_BYTES) throw new Error(`${path} is over ${MAX_PIPELINE_BYTES} bytes`);
  const spec = parsePipelineText(text, path.endsWith('.json') ? 'json' : 'yaml') as Record<string, unknown>;
  if (typeof spec !== 'object' || spec === null) throw new Error(`${path}: a sweep file is a mapping`);
  const allowed = new Set(['name', 'experiment', 'size', 'pipeline', 'grid', 'seeds', 'workload']);
  for (const key of Object.keys(spec))
    if (!allowed.has(key))
      throw new Error(`${path}: unknown key "${key}" (allowed: ${[...allowed].join(', ')})`);
  const name = typeof spec.name === 'string' ? spec.name : path;
  const seeds = spec.seeds as number[] | undefined;
  if (typeof spec.experiment === 'string') {
    const size = (spec.size as 'quick' | 'full' | undefined) ?? 'quick';
    const grid = spec.grid as Record<string, Json[]> | undefined;
    return { name, sweep: { base: { kind: 'experiment', id: spec.experiment, size, seed: 0 }, grid, seeds } };
  }
  if (spec.pipeline !== undefined) {
    const pipeline =
      typeof spec.pipeline === 'string'
        ? parsePipelineText(
            readFileSync(resolve(dirname(path), spec.pipeline), 'utf8'),
            spec.pipeline.endsWith('.json') ? 'json' : 'yaml',
          )
        : spec.pipeline;
    // Grid paths are relative to the pipeline (stages.0.options.learningRate).
    const grid = Object.fromEntries(
      Object.entries((spec.grid as Record<string, Json[]> | undefined) ?? {}).map(([k, v]) => [
        `pipeline.${k}`,
        v,
      ]),
    );
    return { name, sweep: { base: { kind: 'pipeline', pipeline: pipeline as Json }, grid, seeds } };
  }
  if (spec.workload !== undefined) {
    const w = spec.workload as {
      name?: string;
      systems?: number;
      chunk?: number;
      gridSize?: number;
      seed?: number;
      solver?: 'gcro-dr' | 'gcrot' | 'gmres';
    };
    if (w.name !== 'darcy-sequence')
      throw new Error(`${path}: unknown workload ${JSON.stringify(w.name)} (available: darcy-sequence)`);
    const specs: TaskSpec[] = darcySequenceTasks(w);
    return { name, tasks: specs.map((s) => defineTask(s)) };
  }
  throw new Error(`${path}: a sweep names an \`experiment\`, a \`pipeline\` or a \`workload\``);
}

/** Scalars of a record's result for the sweep table: status, iterations, metrics, verdict. */
function scalars(record: TaskRecord): Record<string, string | number> {
  const out: Record<string, string | number> = { status: record.status };
  const r = record.result as Record<string, Json> | undefined;
  if (!r || typeof r !== 'object') return out;
  if (typeof r.iterations === 'number') out.iterations = r.iterations;
  if (r.metrics && typeof r.metrics === 'object')
    for (const [k, v] of Object.entries(r.metrics))
      if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  if (r.verdict && typeof r.verdict === 'object')
    out.verdict = String((r.verdict as Record<string, Json>).status);
  if (typeof r.matvecs === 'number') out.matvecs = r.matvecs;
  if (typeof r.converged === 'number' || typeof r.converged === 'boolean')
    out.converged = Number(r.converged);
  return out;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A self-contained HTML report of a sweep: the table of points and one SVG plot per numeric column against each swept parameter. */
export function sweepHtml(name: string, records: readonly TaskRecord[]): string {
  const rows = records.map((r) => ({
    ...(r.point ?? {}),
    ...scalars(r),
    elapsed_s: Number((r.elapsedMs / 1000).toFixed(3)),
  }));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const params = Object.keys(records[0]?.point ?? {}).filter((k) =>
    records.every((r) => typeof r.point?.[k] === 'number'),
  );
  const numeric = columns.filter(
    (c) => !params.includes(c) && rows.every((r) => typeof (r as Record<string, unknown>)[c] === 'number'),
  );
  const plots: string[] = [];
  for (const p of params)
    for (const c of numeric) {
      const pts = rows.map((r) => [
        Number((r as Record<string, unknown>)[p]),
        Number((r as Record<string, unknown>)[c]),
      ]);
      const xs = pts.map((q) => q[0]);
      const ys = pts.map((q) => q[1]).filter(Number.isFinite);
      if (ys.length === 0) continue;
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const sx = (x: number) => 40 + (x1 > x0 ? ((x - x0) / (x1 - x0)) * 320 : 160);
      const sy = (y: number) => 190 - (y1 > y0 ? ((y - y0) / (y1 - y0)) * 160 : 80);
      plots.push(
        `<figure><svg width="380" height="220" role="img" aria-label="${escapeHtml(`${c} against ${p}`)}"><rect x="40" y="30" width="320" height="160" fill="none" stroke="#999"/>${pts
          .filter((q) => Number.isFinite(q[1]))
          .map(
            (q) => `<circle cx="${sx(q[0]).toFixed(1)}" cy="${sy(q[1]).toFixed(1)}" r="3" fill="#3366cc"/>`,
          )
          .join(
            '',
          )}<text x="40" y="20" font-size="12">${escapeHtml(c)} (${y0.toPrecision(3)} … ${y1.toPrecision(3)})</text><text x="40" y="210" font-size="12">${escapeHtml(p)} (${x0} … ${x1})</text></svg></figure>`,
      );
    }
  const table = `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td>${escapeHtml(String((r as Record<string, unknown>)[c] ?? ''))}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(name)}</title><style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}figure{display:inline-block;margin:0 1em 1em 0}</style></head><body><h1>${escapeHtml(name)}</h1><p>${records.length} tasks</p>${plots.join('')}${table}</body></html>\n`;
}

/** `argmin sweep FILE`: expands the sweep, runs it, writes results.jsonl and index.html into `out`. */
export async function sweepCommand(
  file: string,
  {
    out,
    placement,
    json,
    stdout,
    stderr,
    signal,
  }: {
    out: string;
    placement: Placement;
    json: boolean;
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    signal?: AbortSignal;
  },
): Promise<{ records: TaskRecord[]; failed: number; skipped: number; cancelled: boolean }> {
  const { sweep, tasks: direct, name } = sweepFromFile(file);
  const tasks = direct ?? expandSweep(sweep as SweepSpec);
  mkdirSync(out, { recursive: true });
  const store = new JsonlStore(join(out, 'results.jsonl'));
  const already = tasks.filter((t) => store.has(t.id)).length;
  stderr.write(
    `${name}: ${tasks.length} tasks (${already} already done) on ${placement.queue ? `queue ${placement.queue}` : `${placement.workers} worker${placement.workers > 1 ? 's' : ''}`}\n`,
  );
  const summary = await runTasks(tasks, placement, {
    store,
    signal,
    onRecord: (record, done, total) => {
      stderr.write(
        `[${done}/${total}] ${record.status} ${record.spec.kind === 'experiment' ? record.spec.id : record.spec.kind === 'function' ? record.spec.name : 'pipeline'} ${JSON.stringify(record.point ?? {})} (${(record.elapsedMs / 1000).toFixed(1)} s)\n`,
      );
    },
  });
  writeFileSync(join(out, 'index.html'), sweepHtml(name, summary.records));
  const failed = summary.records.filter((r) => r.status === 'error').length;
  if (json)
    stdout.write(
      `${toJson({ name, tasks: tasks.length, skipped: summary.skipped, failed, cancelled: summary.cancelled, records: summary.records })}\n`,
    );
  else
    stdout.write(
      `${summary.records.length} of ${tasks.length} tasks recorded (${summary.skipped} skipped as done, ${failed} failed${summary.cancelled ? ', cancelled' : ''}).\nResults: ${join(out, 'results.jsonl')}\nReport: ${join(out, 'index.html')}\n`,
    );
  return { records: summary.records, failed, skipped: summary.skipped, cancelled: summary.cancelled };
}

/** `argmin worker --queue URL`: takes tasks until stopped (SIGINT/SIGTERM finish the current task). */
export async function workerCommand({
  queue,
  queueName,
  concurrency,
  stderr,
}: {
  queue: string;
  queueName?: string;
  concurrency: number;
  stderr: NodeJS.WritableStream;
}): Promise<void> {
  const registries = await loadRegistriesFrom(registriesModule());
  const worker = startQueueWorker(registries, { url: queue, queueName, concurrency });
  await worker.ready;
  stderr.write(
    `argmin worker: taking tasks from ${queue} (queue ${queueName ?? 'argmin'}, concurrency ${concurrency}); Ctrl-C to stop\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
}
