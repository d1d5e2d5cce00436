import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import {
  defineTask,
  type Experiment,
  type ExperimentReport,
  runExperiment,
  type TaskRecord,
  type Verdict,
} from '@argmin/core';
import cliProgress from 'cli-progress';
import { formatCell, textTable, toJson } from './format';
import { reportHtml } from './report-html';
import { type Placement, runTasks } from './scale';

/** One experiment's outcome as written to results.json and the HTML report. */
export interface ReproRecord {
  readonly id: string;
  readonly title: string;
  readonly paper: string;
  readonly claim: string;
  readonly verdict: Verdict | { status: 'error'; measured: string; threshold: string; summary: string };
  readonly columns?: readonly string[];
  readonly rows: ExperimentReport['rows'];
  readonly series: ExperimentReport['series'];
  readonly plots?: ExperimentReport['plots'];
  readonly notes?: readonly string[];
  readonly elapsedMs: number;
  readonly error?: string;
}

export interface ReproOptions {
  readonly out: string;
  readonly json: boolean;
  readonly size: 'quick' | 'full';
  readonly seed: number;
  /** Running under CI (no bar animation even on a TTY). */
  readonly ci?: boolean;
  /** Width the verdict table fits (ids are never shortened). */
  readonly width?: number;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Run the experiments as tasks on worker threads or a queue first (`--workers N`, `--queue URL`). */
  readonly placement?: Placement;
}

/** Experiments matching the selectors: exact ids or area prefixes (`ot`, `ot/`). All when none. */
export function selectExperiments(
  experiments: readonly Experiment[],
  selectors: readonly string[],
): { selected: Experiment[]; unknown: string[] } {
  if (selectors.length === 0) return { selected: [...experiments], unknown: [] };
  const selected = new Set<Experiment>();
  const unknown: string[] = [];
  for (const selector of selectors) {
    const prefix = selector.endsWith('/') ? selector : `${selector}/`;
    const matches = experiments.filter((e) => e.id === selector || e.id.startsWith(prefix));
    if (matches.length === 0) unknown.push(selector);
    for (const m of matches) selected.add(m);
  }
  return { selected: [...selected], unknown };
}

/** Runs experiments one after another with progress bars, then prints the table and writes the report. */
export async function repro(
  experiments: readonly Experiment[],
  options: ReproOptions,
): Promise<{ records: ReproRecord[]; errored: number }> {
  // Bars only on a terminal; CI (and pipes) get one plain line per 10% of progress instead.
  const interactive = Boolean(options.stderr.isTTY) && !options.json && !options.ci;
  const bars = interactive
    ? new cliProgress.MultiBar(
        {
          format: ' {bar} {percentage}% | {id} | {message}',
          hideCursor: true,
          clearOnComplete: false,
          stream: options.stderr as NodeJS.WritableStream & { isTTY: boolean },
        } as never,
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const records: ReproRecord[] = [];
  let errored = 0;
  // Parallel: every experiment is a task (id, size, seed) run on threads or through the queue; the
  // loop below then reports the records in the usual order.
  const precomputed = new Map<string, TaskRecord>();
  const placement = options.placement;
  if (placement && (placement.workers > 1 || placement.queue)) {
    const tasks = experiments.map((e) =>
      defineTask({ kind: 'experiment', id: e.id, size: options.size, seed: options.seed }),
    );
    const summary = await runTasks(tasks, placement, {
      onRecord: (record, done, total) => {
        if (!options.json)
          options.stderr.write(
            `[${done}/${total}] ${record.spec.kind === 'experiment' ? record.spec.id : record.id} ${record.status} (${(record.elapsedMs / 1000).toFixed(1)} s on ${record.environment.worker ?? record.environment.runner})\n`,
          );
      },
    });
    for (const record of summary.records)
      if (record.spec.kind === 'experiment') precomputed.set(record.spec.id, record);
  }
  for (const experiment of experiments) {
    const bar = bars?.create(100, 0, { id: experiment.id, message: 'starting' });
    let lastPrinted = -1;
    const started = performance.now();
    const onProgress = (fraction: number, message?: string) => {
      if (bar) bar.update(Math.round(fraction * 100), { id: experiment.id, message: message ?? '' });
      else if (!options.json) {
        const decile = Math.floor(fraction * 10);
        if (decile > lastPrinted) {
          lastPrinted = decile;
          options.stderr.write(
            `[${experiment.id}] ${Math.round(fraction * 100)}%${message ? ` ${message}` : ''}\n`,
          );
        }
      }
    };
    const base = {
      id: experiment.id,
      title: experiment.title,
      paper: experiment.paper.title,
      claim: experiment.claim,
    };
    try {
      const done = precomputed.get(experiment.id);
      if (done?.status === 'error') throw new Error(done.error);
      const report = done
        ? (done.result as unknown as ExperimentReport)
        : await runExperiment(experiment, { seed: options.seed, size: options.size, onProgress });
      bar?.update(100, { id: experiment.id, message: report.verdict.status });
      records.push({
        ...base,
        verdict: report.verdict,
        columns: report.columns,
        rows: report.rows,
        series: report.series,
        plots: report.plots,
        notes: report.notes,
        elapsedMs: done ? done.elapsedMs : performance.now() - started,
      });
    } catch (error) {
      errored++;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      bar?.update(100, { id: experiment.id, message: 'error' });
      records.push({
        ...base,
        verdict: { status: 'error', measured: 'the experiment threw', threshold: '-', summary: message },
        rows: [],
        series: [],
        elapsedMs: performance.now() - started,
        error: error instanceof Error ? (error.stack ?? message) : message,
      });
    }
  }
  bars?.stop();

  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const generatedAt = new Date().toISOString();
  const results = {
    generatedAt,
    seed: options.seed,
    size: options.size,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
    },
    summary: {
      total: records.length,
      reproduced: records.filter((r) => r.verdict.status === 'reproduced').length,
      notReproduced: records.filter((r) => r.verdict.status === 'not-reproduced').length,
      inconclusive: records.filter((r) => r.verdict.status === 'inconclusive').length,
      errored,
    },
    experiments: records,
  };
  writeFileSync(join(out, 'results.json'), `${toJson(results)}\n`);
  writeFileSync(
    join(out, 'index.html'),
    reportHtml(records, { generatedAt, seed: options.seed, size: options.size }),
  );

  if (options.json) {
    options.stdout.write(`${toJson(results)}\n`);
  } else {
    const table = textTable(
      ['experiment', 'paper', 'claim', 'measured', 'verdict', 'time'],
      records.map((r) => [
        r.id,
        r.paper,
        r.claim,
        r.verdict.measured,
        r.verdict.status,
        `${(r.elapsedMs / 1000).toFixed(1)} s`,
      ]),
      { width: options.width, keep: [0, 4, 5] },
    );
    options.stdout.write(`\n${table}\n\n`);
    options.stdout.write(
      `${results.summary.reproduced} reproduced, ${results.summary.notReproduced} not reproduced, ${results.summary.inconclusive} inconclusive, ${errored} errored.\n`,
    );
    options.stdout.write(`Report: ${join(out, 'index.html')}\nResults: ${join(out, 'results.json')}\n`);
  }
  return { records, errored };
}

export { formatCell };
