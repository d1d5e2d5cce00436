import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import {
  type AnyMethodPlugin,
  type AnyMetricPlugin,
  type AnyProblemPlugin,
  ArgminError,
  areaOf,
  describeOptions,
  type Experiment,
  MAX_PIPELINE_BYTES,
  methodKinds,
  type PipelineResult,
  parsePipelineText,
  problemKind,
  type Reference,
  runPipeline,
  UnknownMethodError,
  validatePipeline,
} from '@argmin/core';
import { Command, CommanderError } from 'commander';
import { type Discovery, discover, findWorkspaceRoot, ModuleLoadError } from './discover';
import { formatNumber, textTable, toJson } from './format';
import { repro, selectExperiments } from './repro';
import { type Placement, sweepCommand, workerCommand } from './scale';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { columns?: number; isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
  /** Width tables must fit (default: stdout's columns on a terminal, else $COLUMNS, else 120). */
  readonly columns?: number;
}

/** A user mistake the CLI reports in one line (no stack trace), with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The CLI's version, from its package.json. */
export function cliVersion(): string {
  try {
    return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Reads a pipeline file: refuses a directory or anything that is not a file, pipe or character device
 * with a one-line error, and reads at most MAX_PIPELINE_BYTES (1 MiB) + 1 bytes, so `/dev/zero` or a
 * huge file is refused without reading it all.
 */
export function readPipelineFile(path: string): string {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new CliError(`argmin run: no such file: ${path}`);
  }
  if (stats.isDirectory())
    throw new CliError(`argmin run: ${path} is a directory; give a pipeline file (.yaml, .yml or .json).`);
  if (!stats.isFile() && !stats.isFIFO() && !stats.isCharacterDevice())
    throw new CliError(`argmin run: ${path} is not a regular file.`);
  const buffer = Buffer.alloc(MAX_PIPELINE_BYTES + 1);
  let length = 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new CliError(`argmin run: cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_PIPELINE_BYTES)
        throw new CliError(
          `argmin run: ${path} is larger than ${MAX_PIPELINE_BYTES} bytes (1 MiB), the limit for pipeline files; pipeline files name problems and methods and are small.`,
        );
    }
  } finally {
    closeSync(fd);
  }
  return buffer.subarray(0, length).toString('utf8');
}

/** Checks before any work that `out` is (or can be made) a folder we can write into. */
export function checkWritableFolder(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    const probe = join(out, `.argmin-write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(
      `argmin repro: cannot write the report to --out ${out} (${code}: ${(error as Error).message.replace(/^\w+: /, '')}). Choose a folder you can write to; nothing was run.`,
    );
  }
}

const citation = (r: Reference) =>
  `${r.title}${r.authors ? ` — ${r.authors}` : ''}${r.year ? ` (${r.year})` : ''}${r.arxiv ? `, arXiv:${r.arxiv} https://arxiv.org/abs/${r.arxiv}` : r.url ? `, ${r.url}` : ''}`;

/** The report of a pipeline run: one line per stage (status, iterations, time, its numbers), then the metrics. */
export function summarize(result: PipelineResult, width?: number, metrics?: readonly string[]): string {
  const numbers = (summary: Readonly<Record<string, number>>) =>
    Object.entries(summary)
      .filter(([key]) => key !== 'elapsedMs' && key !== 'iterations' && (!metrics || metrics.includes(key)))
      .map(([key, value]) => `${key}=${formatNumber(value)}`)
      .join(' ');
  const methodRecords = result.records.filter((r) => r.type === 'method');
  const single = methodRecords.length === 1;
  const lines = [
    result.name ? `pipeline   ${result.name} (seed ${result.seed})` : `seed       ${result.seed}`,
    single
      ? `method     ${result.method.id}`
      : `stages     ${result.records.length} (${methodRecords.length} method runs)`,
    `status     ${result.status}${result.message ? ` (${result.message})` : ''}`,
    ...(single
      ? [
          `iterations ${result.iterations}`,
          ...Object.entries(result.info)
            .filter(([key]) => !metrics || metrics.includes(key))
            .map(([key, value]) => `${key.padEnd(10)} ${formatNumber(value)}`),
        ]
      : []),
    `time       ${formatNumber(result.elapsedMs)} ms`,
    single && result.oracleCalls !== undefined ? `oracle     ${result.oracleCalls} calls` : '',
    single && result.x.length
      ? `x          [${Array.from(result.x.slice(0, 8), formatNumber).join(', ')}${result.x.length > 8 ? `, … (${result.x.length})` : ''}]`
      : '',
    result.warnings.length
      ? `warnings   ${result.warnings.map((w) => `${w.type}: ${w.message}`).join('; ')}`
      : '',
  ].filter(Boolean);
  if (result.records.length > 1 || result.records.some((r) => r.type === 'metric')) {
    lines.push(
      '',
      textTable(
        ['stage', 'id', 'gives', 'status', 'iterations', 'ms', 'numbers'],
        result.records.map((r) => [
          r.name,
          r.id,
          r.gives,
          r.result?.status ?? '',
          r.result ? String(r.result.iterations) : '',
          r.elapsedMs.toFixed(1),
          numbers(r.summary),
        ]),
        { width, keep: [0, 1] },
      ),
    );
  }
  return lines.join('\n');
}

/** The JSON form of a pipeline result: ResultBase fields, the last run's x/info, every stage record (no raw area objects). */
export function resultJson(result: PipelineResult): unknown {
  return {
    name: result.name,
    seed: result.seed,
    status: result.status,
    converged: result.converged,
    iterations: result.iterations,
    message: result.message,
    warnings: result.warnings,
    elapsedMs: result.elapsedMs,
    method: result.method,
    oracleCalls: result.oracleCalls,
    info: result.info,
    x: result.x,
    metrics: result.metrics,
    stages: result.records.map(({ raw: _raw, ...record }) => record),
    trace: result.trace,
  };
}

/** A minimal pipeline (YAML) that uses `id`, for `argmin show`: required options get placeholders. */
function examplePipeline(
  kind: 'method' | 'problem' | 'metric',
  id: string,
  discovery: Discovery,
): string | undefined {
  const placeholder = (type: string) =>
    type.startsWith('number') || type.startsWith('integer')
      ? '1'
      : type.startsWith('boolean')
        ? 'false'
        : '""';
  const requiredOptions = (schema: AnyMethodPlugin['options']) =>
    describeOptions(schema)
      .filter((o) => o.required)
      .map((o) => `${o.name}: ${placeholder(o.type)}`);
  const optionsYaml = (schema: AnyMethodPlugin['options']) => {
    const required = requiredOptions(schema);
    return required.length ? `, options: { ${required.join(', ')} }` : '';
  };
  const kindsOf = (p: AnyMethodPlugin) =>
    methodKinds(
      p,
      discovery.stages.find((s) => s.method === p.meta.id),
    );
  const problemFor = (takes: string | undefined) =>
    discovery.problems.find((p) => takes !== undefined && problemKind(p.meta) === takes);
  const methodFor = (kind: string | undefined, gives?: string) =>
    discovery.plugins.find((p) => {
      const k = kindsOf(p);
      return k.takes === kind && (gives === undefined || k.gives === gives);
    });
  let problem: AnyProblemPlugin | undefined;
  let method: AnyMethodPlugin | undefined;
  let metric: AnyMetricPlugin | undefined;
  if (kind === 'method') {
    method = discovery.plugins.find((p) => p.meta.id === id);
    problem = method && problemFor(kindsOf(method).takes);
  } else if (kind === 'problem') {
    problem = discovery.problems.find((p) => p.meta.id === id);
    method = problem && methodFor(problemKind(problem.meta));
  } else {
    metric = discovery.metrics.find((p) => p.meta.id === id);
    for (const takes of metric?.meta.takes ?? []) {
      method = discovery.plugins.find((p) => kindsOf(p).gives === takes && problemFor(kindsOf(p).takes));
      if (method) break;
    }
    problem = method && problemFor(kindsOf(method).takes);
  }
  if (!problem || !method) return undefined;
  return [
    `seed: 0`,
    `problem: { id: ${problem.meta.id}${optionsYaml(problem.options)} }`,
    `stages:`,
    `  - { method: ${method.meta.id}${optionsYaml(method.options)} }`,
    ...(metric ? [`  - { metric: ${metric.meta.id}${optionsYaml(metric.options)} }`] : []),
  ].join('\n');
}

/** Builds the `argmin` program; `run` resolves with the exit code (nothing calls process.exit here). */
export function createProgram(io: CliIo, loaded?: Discovery): { run(argv: string[]): Promise<number> } {
  let exitCode = 0;
  const width = () =>
    io.columns ?? (io.stdout.isTTY ? io.stdout.columns : undefined) ?? (Number(process.env.COLUMNS) || 120);
  const getDiscovery = async (): Promise<Discovery> => {
    const discovery =
      loaded ?? (await discover({ cwd: io.cwd, modules: program.opts().module as string[] | undefined }));
    if (program.opts().verbose)
      for (const s of discovery.skipped) io.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
    if (
      discovery.plugins.length +
        discovery.experiments.length +
        discovery.problems.length +
        discovery.metrics.length ===
      0
    ) {
      throw new CliError(
        `argmin: found no argmin packages (no methods, problems, metrics or experiments). Install @argmin/core and the area packages you need (e.g. npm install @argmin/core @argmin/ot) in this project or next to the CLI, or load a module with --module <file>.${discovery.skipped.length ? ` Skipped: ${discovery.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.` : ''}`,
        1,
      );
    }
    return discovery;
  };
  const program = new Command();
  program
    .name('argmin')
    .description(
      'Optimization methods from recent papers: list them, show one, run pipelines, reproduce the papers’ claims.',
    )
    .version(cliVersion(), '-V, --version', 'print the version of the argmin CLI')
    .option('--verbose', 'explain skipped packages')
    .option('--debug', 'print stack traces of unexpected errors')
    .option(
      '--module <file-or-package>',
      'also load this ES module or package (its exports ending in Plugins, Experiments, Problems, Metrics, Stages); repeatable',
      (file: string, previous: string[] = []) => [...previous, file],
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('list')
    .description('list registered methods, problems, metrics and experiments')
    .option('--area <area>', 'only this area, e.g. ot')
    .option('--json', 'print JSON')
    .action(async (options: { area?: string; json?: boolean }) => {
      const discovery = await getDiscovery();
      const inArea = (id: string) => !options.area || areaOf(id) === options.area;
      const methods = discovery.plugins.filter((p) => inArea(p.meta.id));
      const problems = discovery.problems.filter((p) => inArea(p.meta.id));
      const metrics = discovery.metrics.filter((p) => inArea(p.meta.id));
      const experiments = discovery.experiments.filter((e) => inArea(e.id));
      const kindsOf = (p: AnyMethodPlugin) =>
        methodKinds(
          p,
          discovery.stages.find((s) => s.method === p.meta.id),
        );
      if (options.json) {
        io.stdout.write(
          `${toJson({
            version: cliVersion(),
            packages: discovery.packages.map((p) => ({ name: p.name, version: p.version })),
            methods: methods.map((p) => ({
              id: p.meta.id,
              title: p.meta.title,
              references: p.meta.references,
              needs: p.meta.needs ?? [],
              stochastic: Boolean(p.meta.stochastic),
              takes: kindsOf(p).takes ?? null,
              gives: kindsOf(p).gives,
            })),
            problems: problems.map((p) => ({
              id: p.meta.id,
              title: p.meta.title,
              gives: problemKind(p.meta) ?? null,
            })),
            metrics: metrics.map((p) => ({ id: p.meta.id, title: p.meta.title, takes: p.meta.takes })),
            experiments: experiments.map((e) => ({
              id: e.id,
              title: e.title,
              paper: e.paper,
              claim: e.claim,
            })),
          })}\n`,
        );
        return;
      }
      const w = width();
      io.stdout.write(`Methods (${methods.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'takes → gives', 'title', 'paper'],
          methods.map((p) => [
            p.meta.id,
            `${kindsOf(p).takes ?? '?'} → ${kindsOf(p).gives}`,
            p.meta.title,
            p.meta.references.map((r) => `${r.title}${r.arxiv ? ` (arXiv:${r.arxiv})` : ''}`).join('; ') ||
              '-',
          ]),
          { width: w },
        )}\n\n`,
      );
      io.stdout.write(`Problems (${problems.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'gives', 'title'],
          problems.map((p) => [p.meta.id, problemKind(p.meta) ?? '?', p.meta.title]),
          { width: w },
        )}\n\n`,
      );
      io.stdout.write(`Metrics (${metrics.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'takes', 'title'],
          metrics.map((p) => [p.meta.id, p.meta.takes.join(', '), p.meta.title]),
          { width: w },
        )}\n\n`,
      );
      io.stdout.write(`Experiments (${experiments.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'paper', 'claim'],
          experiments.map((e) => [e.id, e.paper.title, e.claim]),
          { width: w },
        )}\n`,
      );
    });

  program
    .command('show')
    .description(
      'show one method, problem, metric or experiment: title, paper, kinds, options with defaults, an example',
    )
    .argument('<id>', 'e.g. ot/sinkhorn')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const discovery = await getDiscovery();
      const method = discovery.plugins.find((p) => p.meta.id === id);
      const problem = discovery.problems.find((p) => p.meta.id === id);
      const metric = discovery.metrics.find((p) => p.meta.id === id);
      const experiment = discovery.experiments.find((e) => e.id === id);
      if (!method && !problem && !metric && !experiment) {
        const all = [
          ...discovery.plugins.map((p) => p.meta.id),
          ...discovery.problems.map((p) => p.meta.id),
          ...discovery.metrics.map((p) => p.meta.id),
          ...discovery.experiments.map((e) => e.id),
        ];
        throw new CliError(
          `argmin show: ${new UnknownMethodError({ id, available: all, kind: 'plugin' }).message}`,
        );
      }
      const w = width();
      const out: string[] = [];
      const describe = (
        what: string,
        title: string,
        description: string | undefined,
        references: readonly Reference[] | undefined,
        extra: string[],
        schema?: AnyMethodPlugin['options'],
      ) => {
        out.push(`${id}  (${what})`, title);
        if (description) out.push('', description);
        out.push('');
        if (references?.length) out.push(...references.map((r) => `Paper: ${citation(r)}`));
        out.push(...extra);
        if (schema) {
          const rows = describeOptions(schema);
          out.push('', `Options (${rows.length}):`);
          if (rows.length)
            out.push(
              textTable(
                ['option', 'type', 'default', 'description'],
                rows.map((o) => [
                  o.name,
                  o.type,
                  o.required ? '(required)' : o.default === undefined ? '-' : JSON.stringify(o.default),
                  o.description ?? '',
                ]),
                { width: w },
              ),
            );
        }
      };
      let jsonValue: unknown;
      if (method) {
        const kinds = methodKinds(
          method,
          discovery.stages.find((s) => s.method === id),
        );
        describe(
          'method',
          method.meta.title,
          method.meta.description,
          method.meta.references,
          [
            `Takes: ${kinds.takes ?? '(undeclared)'}   Gives: ${kinds.gives}   ${kinds.run ? 'Runs in one call' : 'Iterative (stopWhen applies)'}`,
            ...(method.meta.needs?.length ? [`Needs: ${method.meta.needs.join(', ')}`] : []),
            ...(method.meta.stochastic ? ['Stochastic: results depend on the seed'] : []),
          ],
          method.options,
        );
        if (method.example)
          out.push('', `Runnable example: ${method.example} (in the package that ships ${id})`);
        jsonValue = {
          type: 'method',
          id,
          title: method.meta.title,
          description: method.meta.description,
          references: method.meta.references,
          takes: kinds.takes ?? null,
          gives: kinds.gives,
          needs: method.meta.needs ?? [],
          options: describeOptions(method.options),
          example: method.example,
        };
      } else if (problem) {
        describe(
          'problem',
          problem.meta.title,
          problem.meta.description,
          problem.meta.references,
          [
            `Gives: ${problemKind(problem.meta) ?? '(undeclared)'}${problem.meta.provides.length ? `   Provides: ${problem.meta.provides.join(', ')}` : ''}`,
          ],
          problem.options,
        );
        jsonValue = {
          type: 'problem',
          id,
          title: problem.meta.title,
          gives: problemKind(problem.meta) ?? null,
          provides: problem.meta.provides,
          options: describeOptions(problem.options),
        };
      } else if (metric) {
        describe(
          'metric',
          metric.meta.title,
          metric.meta.description,
          metric.meta.references,
          [`Takes: ${metric.meta.takes.join(', ')}`],
          metric.options,
        );
        jsonValue = {
          type: 'metric',
          id,
          title: metric.meta.title,
          takes: metric.meta.takes,
          options: describeOptions(metric.options),
        };
      } else {
        const e = experiment as Experiment;
        describe(
          'experiment',
          e.title,
          undefined,
          [e.paper],
          [`Claim: ${e.claim}`, ...(e.methods?.length ? [`Methods: ${e.methods.join(', ')}`] : [])],
        );
        out.push('', `Run it: argmin repro ${id}`);
        jsonValue = {
          type: 'experiment',
          id,
          title: e.title,
          paper: e.paper,
          claim: e.claim,
          methods: e.methods ?? [],
        };
      }
      const example = method
        ? examplePipeline('method', id, discovery)
        : problem
          ? examplePipeline('problem', id, discovery)
          : metric
            ? examplePipeline('metric', id, discovery)
            : undefined;
      if (example)
        out.push(
          '',
          'Example pipeline (argmin run example.yaml):',
          ...example.split('\n').map((l) => `  ${l}`),
        );
      if (options.json) io.stdout.write(`${toJson({ ...(jsonValue as object), pipeline: example })}\n`);
      else io.stdout.write(`${out.join('\n')}\n`);
    });

  program
    .command('repro')
    .description(
      'run paper reproductions (all, or the given ids / areas), print verdicts, write an HTML report and results.json',
    )
    .argument('[ids...]', 'experiment ids or areas (e.g. ot/sns-vs-sinkhorn, ot)')
    .option('--out <dir>', 'report folder (checked before anything runs)', 'repro-report')
    .option('--json', 'print results as JSON')
    .option('--size <size>', 'quick (seconds) or full (closer to the papers)', 'quick')
    .option('--seed <n>', 'seed of every experiment', '0')
    .option('--workers <n>', 'run experiments on n worker threads', '1')
    .option(
      '--queue <url>',
      'run experiments through a BullMQ queue on Redis (redis://HOST:PORT); start `argmin worker` processes',
    )
    .action(
      async (
        ids: string[],
        options: { out: string; json?: boolean; size: string; seed: string; workers: string; queue?: string },
      ) => {
        if (options.size !== 'quick' && options.size !== 'full')
          throw new CliError(`argmin repro: --size must be quick or full; got "${options.size}".`);
        const seed = Number(options.seed);
        if (!Number.isSafeInteger(seed) || seed < 0)
          throw new CliError(`argmin repro: --seed must be a non-negative integer; got "${options.seed}".`);
        const out = resolve(io.cwd, options.out);
        checkWritableFolder(out);
        const discovery = await getDiscovery();
        const { selected, unknown } = selectExperiments(discovery.experiments, ids);
        if (unknown.length)
          throw new CliError(
            `argmin repro: no experiment matches ${unknown.map((u) => `"${u}"`).join(', ')}. Registered: ${discovery.experiments.map((e) => e.id).join(', ') || '(none)'}.`,
          );
        if (selected.length === 0) throw new CliError('argmin repro: no experiments are registered.', 1);
        const { errored } = await repro(selected, {
          out,
          json: Boolean(options.json),
          size: options.size,
          seed,
          stdout: io.stdout,
          stderr: io.stderr,
          width: width(),
          ci: Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0',
          placement: placementFrom('argmin repro', options),
        });
        if (errored > 0) exitCode = 1;
      },
    );

  program
    .command('sweep')
    .description(
      'run a sweep file (an experiment over seeds, a pipeline over a parameter grid and seeds, or a workload) in-process, on worker threads or through a Redis queue; writes results.jsonl and index.html, and skips tasks already recorded',
    )
    .argument('<file>', 'sweep file (.yaml or .json)')
    .option('--out <dir>', 'results folder (results.jsonl, index.html)', 'sweep-results')
    .option('--workers <n>', 'worker threads', '1')
    .option('--queue <url>', 'enqueue on a BullMQ queue on Redis (redis://HOST:PORT) instead')
    .option('--queue-name <name>', 'BullMQ queue name', 'argmin')
    .option('--json', 'print the records as JSON')
    .action(
      async (
        file: string,
        options: { out: string; workers: string; queue?: string; queueName: string; json?: boolean },
      ) => {
        const path = resolve(io.cwd, file);
        if (!existsSync(path) || statSync(path).isDirectory())
          throw new CliError(`argmin sweep: ${file} is not a file.`);
        const out = resolve(io.cwd, options.out);
        checkWritableFolder(out);
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        try {
          const { failed, cancelled } = await sweepCommand(path, {
            out,
            placement: placementFrom('argmin sweep', options),
            json: Boolean(options.json),
            stdout: io.stdout,
            stderr: io.stderr,
            signal: controller.signal,
          });
          if (failed > 0 || cancelled) exitCode = 1;
        } catch (error) {
          if (error instanceof Error && !ArgminError.isInstance(error))
            throw new CliError(`argmin sweep: ${error.message}`);
          throw error;
        } finally {
          process.removeListener('SIGINT', cancel);
        }
      },
    );

  program
    .command('worker')
    .description(
      'take tasks from a BullMQ queue on Redis and run them (any machine that reaches Redis); Ctrl-C stops after the current task',
    )
    .requiredOption('--queue <url>', 'redis://HOST:PORT')
    .option('--queue-name <name>', 'BullMQ queue name', 'argmin')
    .option('--concurrency <n>', 'tasks at once in this process', '1')
    .action(async (options: { queue: string; queueName: string; concurrency: string }) => {
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new CliError(
          `argmin worker: --concurrency must be a positive integer; got "${options.concurrency}".`,
        );
      if (!/^redis:\/\//.test(options.queue))
        throw new CliError(`argmin worker: --queue must be redis://HOST:PORT; got "${options.queue}".`);
      await workerCommand({
        queue: options.queue,
        queueName: options.queueName,
        concurrency,
        stderr: io.stderr,
      });
    });

  program
    .command('run')
    .description(
      `validate a pipeline file (JSON or YAML, at most ${MAX_PIPELINE_BYTES} bytes), then run it; nothing runs unless the whole file is valid`,
    )
    .argument('<pipeline>', 'pipeline file (.json, .yaml or .yml)')
    .option('--json', 'print the result as JSON (infinite numbers as strings)')
    .action(async (file: string, options: { json?: boolean }) => {
      const path = resolve(io.cwd, file);
      const text = readPipelineFile(path);
      const discovery = await getDiscovery();
      const parsed = parsePipelineText(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
      const validated = validatePipeline(parsed, {
        methods: discovery.plugins,
        problems: discovery.problems,
        metrics: discovery.metrics,
        bindings: discovery.stages,
      });
      const result = runPipeline(validated);
      if (options.json) io.stdout.write(`${toJson(resultJson(result))}\n`);
      else io.stdout.write(`${summarize(result, width(), validated.pipeline.metrics)}\n`);
      if (result.status === 'numerical-error' || result.status === 'diverged') exitCode = 1;
    });

  program
    .command('bench')
    .description('run the benchmarks (vitest bench) of one area package or all of them')
    .argument('[area]', 'area package, e.g. core or ot')
    .action((area: string | undefined) => {
      const root = findWorkspaceRoot(io.cwd);
      if (!root)
        throw new CliError(
          'argmin bench: run it inside the argmin repository (benchmarks are not published).',
        );
      const folders = readdirSync(join(root, 'packages')).filter((name) => !area || name === area);
      if (folders.length === 0)
        throw new CliError(`argmin bench: no package "${area}" in ${join(root, 'packages')}.`);
      for (const folder of folders) {
        const directory = join(root, 'packages', folder);
        const hasBench = (dir: string): boolean =>
          existsSync(dir) &&
          readdirSync(dir, { withFileTypes: true }).some((e) =>
            e.isDirectory() ? hasBench(join(dir, e.name)) : e.name.endsWith('.bench.ts'),
          );
        if (!hasBench(join(directory, 'src'))) continue;
        io.stdout.write(`\n== ${folder} ==\n`);
        const child = spawnSync('pnpm', ['exec', 'vitest', 'bench', '--run'], {
          cwd: directory,
          stdio: 'inherit',
        });
        if (child.status !== 0) exitCode = 1;
      }
    });

  function placementFrom(
    command: string,
    options: { workers?: string; queue?: string; queueName?: string },
  ): Placement {
    const workers = Number(options.workers ?? '1');
    if (!Number.isInteger(workers) || workers < 1 || workers > 256)
      throw new CliError(`${command}: --workers must be an integer in [1, 256]; got "${options.workers}".`);
    if (options.queue !== undefined && !/^redis:\/\//.test(options.queue))
      throw new CliError(`${command}: --queue must be redis://HOST:PORT; got "${options.queue}".`);
    return { workers, queue: options.queue, queueName: options.queueName };
  }

  return {
    async run(argv: string[]) {
      exitCode = 0;
      const debug = argv.includes('--debug');
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : error.exitCode || 1;
        if (error instanceof CliError) {
          io.stderr.write(`${error.message}\n`);
          return error.exitCode;
        }
        if (error instanceof ModuleLoadError) {
          io.stderr.write(`argmin: ${error.message}\n`);
          return 2;
        }
        if (ArgminError.isInstance(error)) {
          io.stderr.write(`argmin: ${error.message}\n`);
          if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
          return 1;
        }
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        io.stderr.write(
          debug && error instanceof Error && error.stack
            ? `argmin: ${error.stack}\n`
            : `argmin: unexpected error: ${message} (run with --debug for the stack trace)\n`,
        );
        return 1;
      }
      return exitCode;
    },
  };
}
