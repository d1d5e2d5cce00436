import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  ArgminError,
  areaOf,
  parsePipelineText,
  runPipeline,
  type SolveResult,
  validatePipeline,
} from '@argmin/core';
import { Command, CommanderError } from 'commander';
import { type Discovery, discover, findWorkspaceRoot, ModuleLoadError } from './discover';
import { formatNumber, textTable } from './format';
import { repro, selectExperiments } from './repro';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
}

function summarize(result: SolveResult, metrics?: readonly string[]): string {
  const info = Object.entries(result.info).filter(([key]) => !metrics || metrics.includes(key));
  return [
    `method     ${result.method.id}`,
    `status     ${result.status} (${result.message})`,
    `iterations ${result.iterations}`,
    ...info.map(([key, value]) => `${key.padEnd(10)} ${formatNumber(value)}`),
    `time       ${formatNumber(result.elapsedMs)} ms`,
    result.oracleCalls !== undefined ? `oracle     ${result.oracleCalls} calls` : '',
    result.warnings.length
      ? `warnings   ${result.warnings.map((w) => `${w.type}: ${w.message}`).join('; ')}`
      : '',
    `x          [${Array.from(result.x.slice(0, 8), formatNumber).join(', ')}${result.x.length > 8 ? `, … (${result.x.length})` : ''}]`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Builds the `argmin` program; `run` resolves with the exit code (nothing calls process.exit here). */
export function createProgram(io: CliIo, loaded?: Discovery): { run(argv: string[]): Promise<number> } {
  let exitCode = 0;
  const getDiscovery = async () =>
    loaded ??
    (await discover({
      modules: (program.opts().module as string[] | undefined)?.map((m) => resolve(io.cwd, m)),
    }));
  const program = new Command();
  program
    .name('argmin')
    .description(
      'Optimization methods from recent papers: list them, run pipelines, reproduce the papers’ claims.',
    )
    .option('--verbose', 'explain skipped packages')
    .option(
      '--module <file>',
      'also load this ES module (its exports ending in Plugins, Experiments, Problems); repeatable',
      (file: string, previous: string[] = []) => [...previous, file],
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const reportSkipped = (discovery: Discovery) => {
    if (program.opts().verbose)
      for (const s of discovery.skipped) io.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
  };

  program
    .command('list')
    .description('list registered methods (id, title, paper) and experiments')
    .option('--area <area>', 'only this area, e.g. ot')
    .option('--json', 'print JSON')
    .action(async (options: { area?: string; json?: boolean }) => {
      const discovery = await getDiscovery();
      reportSkipped(discovery);
      const methods = discovery.plugins.filter((p) => !options.area || areaOf(p.meta.id) === options.area);
      const experiments = discovery.experiments.filter((e) => !options.area || areaOf(e.id) === options.area);
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify(
            {
              packages: discovery.packages.map((p) => ({ name: p.name, version: p.version })),
              methods: methods.map((p) => ({
                id: p.meta.id,
                title: p.meta.title,
                references: p.meta.references,
                needs: p.meta.needs ?? [],
                stochastic: Boolean(p.meta.stochastic),
              })),
              experiments: experiments.map((e) => ({
                id: e.id,
                title: e.title,
                paper: e.paper,
                claim: e.claim,
              })),
              problems: discovery.problems
                .filter((p) => !options.area || areaOf(p.meta.id) === options.area)
                .map((p) => ({ id: p.meta.id, title: p.meta.title })),
            },
            null,
            1,
          )}\n`,
        );
        return;
      }
      io.stdout.write(`Methods (${methods.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'title', 'paper'],
          methods.map((p) => [
            p.meta.id,
            p.meta.title,
            p.meta.references.map((r) => r.title).join('; ') || '-',
          ]),
          [32, 60, 70],
        )}\n\n`,
      );
      io.stdout.write(`Experiments (${experiments.length}):\n`);
      io.stdout.write(
        `${textTable(
          ['id', 'paper', 'claim'],
          experiments.map((e) => [e.id, e.paper.title, e.claim]),
          [32, 50, 80],
        )}\n`,
      );
    });

  program
    .command('repro')
    .description(
      'run paper reproductions (all, or the given ids / areas), print verdicts, write an HTML report and results.json',
    )
    .argument('[ids...]', 'experiment ids or areas (e.g. ot/sns-vs-sinkhorn, ot)')
    .option('--out <dir>', 'report folder', 'repro-report')
    .option('--json', 'print results as JSON')
    .option('--size <size>', 'quick (seconds) or full (closer to the papers)', 'quick')
    .option('--seed <n>', 'seed of every experiment', '0')
    .action(async (ids: string[], options: { out: string; json?: boolean; size: string; seed: string }) => {
      if (options.size !== 'quick' && options.size !== 'full') {
        io.stderr.write(`argmin repro: --size must be quick or full; got "${options.size}".\n`);
        exitCode = 2;
        return;
      }
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) {
        io.stderr.write(`argmin repro: --seed must be a non-negative integer; got "${options.seed}".\n`);
        exitCode = 2;
        return;
      }
      const discovery = await getDiscovery();
      reportSkipped(discovery);
      const { selected, unknown } = selectExperiments(discovery.experiments, ids);
      if (unknown.length) {
        io.stderr.write(
          `argmin repro: no experiment matches ${unknown.map((u) => `"${u}"`).join(', ')}. Registered: ${discovery.experiments.map((e) => e.id).join(', ') || '(none)'}.\n`,
        );
        exitCode = 2;
        return;
      }
      const { errored } = await repro(selected, {
        out: resolve(io.cwd, options.out),
        json: Boolean(options.json),
        size: options.size,
        seed,
        stdout: io.stdout,
        stderr: io.stderr,
        ci: Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0',
      });
      if (errored > 0) exitCode = 1;
    });

  program
    .command('run')
    .description('validate and run a pipeline file (JSON or YAML)')
    .argument('<pipeline>', 'pipeline file (.json, .yaml or .yml)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const path = resolve(io.cwd, file);
      if (!existsSync(path)) {
        io.stderr.write(`argmin run: no such file: ${path}\n`);
        exitCode = 2;
        return;
      }
      const discovery = await getDiscovery();
      reportSkipped(discovery);
      let result: SolveResult;
      try {
        const text = readFileSync(path, 'utf8');
        const parsed = parsePipelineText(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
        const validated = validatePipeline(parsed, {
          methods: discovery.plugins,
          problems: discovery.problems,
        });
        result = runPipeline(validated);
      } catch (error) {
        if (ArgminError.isInstance(error)) {
          io.stderr.write(`argmin run: ${error.message}\n`);
          exitCode = 1;
          return;
        }
        throw error;
      }
      if (options.json) {
        const { state: _state, ...rest } = result;
        io.stdout.write(`${JSON.stringify({ ...rest, x: Array.from(result.x) }, null, 1)}\n`);
      } else {
        io.stdout.write(`${summarize(result)}\n`);
      }
      if (result.status === 'numerical-error' || result.status === 'diverged') exitCode = 1;
    });

  program
    .command('bench')
    .description('run the benchmarks (vitest bench) of one area package or all of them')
    .argument('[area]', 'area package, e.g. core or ot')
    .action((area: string | undefined) => {
      const root = findWorkspaceRoot(io.cwd);
      if (!root) {
        io.stderr.write(
          'argmin bench: run it inside the argmin repository (benchmarks are not published).\n',
        );
        exitCode = 2;
        return;
      }
      const folders = readdirSync(join(root, 'packages')).filter((name) => !area || name === area);
      if (folders.length === 0) {
        io.stderr.write(`argmin bench: no package "${area}" in ${join(root, 'packages')}.\n`);
        exitCode = 2;
        return;
      }
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

  return {
    async run(argv: string[]) {
      exitCode = 0;
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : error.exitCode || 1;
        if (error instanceof ModuleLoadError) {
          io.stderr.write(`argmin: ${error.message}\n`);
          return 2;
        }
        throw error;
      }
      return exitCode;
    },
  };
}
