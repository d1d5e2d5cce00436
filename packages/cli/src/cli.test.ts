import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineExperiment, verdictFrom } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { createProgram } from './cli';
import { discover } from './discover';
import { selectExperiments } from './repro';

const bin = resolve(__dirname, '../dist/bin.js');
const fixtures = resolve(__dirname, '__fixtures__');
const argmin = (args: string[], cwd = fixtures) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: cwd },
  });

function memoryIo(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream,
      stderr: {
        write: (text: string) => ((err += text), true),
        isTTY: false,
      } as unknown as NodeJS.WritableStream,
      cwd,
    },
    output: () => out,
    errors: () => err,
  };
}

describe('argmin list', () => {
  it('lists the core methods with their papers and the core experiment', () => {
    const result = argmin(['list']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('core/lbfgs');
    expect(result.stdout).toContain('core/gradient-descent');
    expect(result.stdout).toContain('On the limited memory BFGS method');
    expect(result.stdout).toContain('core/lbfgs-vs-gd');
  });

  it('prints JSON with --json and filters by --area', () => {
    const result = argmin(['list', '--area', 'core', '--json']);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.methods.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['core/lbfgs', 'core/gradient-descent']),
    );
    expect(parsed.methods.every((m: { id: string }) => m.id.startsWith('core/'))).toBe(true);
    expect(parsed.problems.map((p: { id: string }) => p.id)).toContain('core/rosenbrock');
  });
});

describe('argmin run', () => {
  it('runs a valid YAML pipeline of two stages and prints the summary', () => {
    const result = argmin(['run', 'valid.yaml']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/status\s+converged/);
  });

  it('prints the result as JSON with --json', () => {
    const result = argmin(['run', 'valid.json', '--json']);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.status).toBe('converged');
    expect(parsed.x).toHaveLength(5);
    expect(parsed.info.gradNorm).toBeLessThanOrEqual(1e-7);
  });

  it('rejects an unknown method id, naming it and listing the registered ids, with no output', () => {
    const result = argmin(['run', 'unknown-method.yaml']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown method id "core/lbgfs"');
    expect(result.stderr).toContain('Did you mean "core/lbfgs"');
    expect(result.stderr).toContain('core/gradient-descent');
  });

  it('rejects an unknown option key, naming it and listing the valid ones, with no output', () => {
    const result = argmin(['run', 'unknown-option.yaml']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('stages[0].options.memroy: unknown option');
    expect(result.stderr).toContain('valid options of core/lbfgs: memory, gradientTolerance');
  });

  it('rejects an option of the wrong type, naming the key, with no output', () => {
    const result = argmin(['run', 'wrong-type.json']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('stages[0].options.memory');
    expect(result.stderr).toContain('expected number');
  });

  it('reports a missing file', () => {
    const result = argmin(['run', 'does-not-exist.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no such file');
  });
});

describe('argmin repro', () => {
  const fake = defineExperiment({
    id: 'test/fake-claim',
    title: 'A fake claim measured on a straight line',
    paper: { title: 'A test paper' },
    claim: 'the slope is at least 2',
    run(context) {
      context.progress(0.5, 'measuring');
      const x = [1, 2, 3, 4];
      const y = x.map((v) => 3 * v);
      const slope = (y[3] - y[0]) / (x[3] - x[0]);
      return {
        rows: [{ case: 'line', slope }],
        series: [{ name: 'line', x, y }],
        plots: { main: { title: 'y against x', xLabel: 'x', yLabel: 'y', logY: true } },
        verdict: verdictFrom({
          value: slope,
          holds: slope >= 2,
          measured: `slope ${slope}`,
          threshold: '>= 2',
        }),
      };
    },
  });
  const broken = defineExperiment({
    id: 'test/broken',
    title: 'An experiment that throws',
    paper: { title: 'A test paper' },
    claim: 'never measured',
    run() {
      throw new Error('boom');
    },
  });

  it('writes index.html with a chart and data points, and results.json with the computed verdict', async () => {
    const out = mkdtempSync(join(tmpdir(), 'argmin-repro-'));
    const discovery = {
      packages: [],
      plugins: [],
      problems: [],
      metrics: [],
      stages: [],
      skipped: [],
      experiments: [fake],
    };
    const { io, output } = memoryIo(out);
    const code = await createProgram(io, discovery).run(['repro', '--out', out]);
    expect(code).toBe(0);
    expect(output()).toContain('test/fake-claim');
    expect(output()).toContain('reproduced');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.experiments[0].verdict.status).toBe('reproduced');
    expect(results.experiments[0].verdict.measured).toBe('slope 3');
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('new uPlot(');
    expect(html).toContain('"x":[1,2,3,4]');
  });

  it('keeps going when an experiment throws, records the error and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'argmin-repro-'));
    const discovery = {
      packages: [],
      plugins: [],
      problems: [],
      metrics: [],
      stages: [],
      skipped: [],
      experiments: [broken, fake],
    };
    const { io } = memoryIo(out);
    const code = await createProgram(io, discovery).run(['repro', '--out', out, '--json']);
    expect(code).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.experiments.map((e: { verdict: { status: string } }) => e.verdict.status)).toEqual([
      'error',
      'reproduced',
    ]);
    expect(results.experiments[0].error).toContain('boom');
  });

  it('selects experiments by id or area and reports unknown selectors', () => {
    expect(selectExperiments([fake, broken], ['test']).selected).toHaveLength(2);
    expect(selectExperiments([fake, broken], ['test/broken']).selected.map((e) => e.id)).toEqual([
      'test/broken',
    ]);
    expect(selectExperiments([fake], ['nope']).unknown).toEqual(['nope']);
  });

  it('runs the core experiment end to end from the command line', () => {
    const out = mkdtempSync(join(tmpdir(), 'argmin-repro-'));
    const result = argmin(['repro', 'core/lbfgs-vs-gd', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/core\/lbfgs-vs-gd .*(reproduced|not-reproduced)/);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.experiments[0].series.length).toBeGreaterThan(0);
  });

  it('runs experiments from a --module file in a child process: report, plots, computed verdicts, exit 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'argmin-repro-'));
    const result = argmin(['--module', 'fake-experiments.mjs', 'repro', 'fake', '--out', out]);
    // A claim that does not reproduce is data: the exit code stays 0.
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/fake\/steep-line .* slope 3 .* reproduced/);
    expect(result.stdout).toMatch(/fake\/flat-line .* slope 0\.5 .* not-reproduced/);
    expect(result.stdout).toContain('1 reproduced, 1 not reproduced, 0 inconclusive, 0 errored.');
    // Not a terminal: plain progress lines on stderr, no bar animation.
    expect(result.stderr).toContain('[fake/steep-line] 50% fitting');
    expect(result.stderr).not.toContain('\u001b[');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.summary).toMatchObject({ total: 2, reproduced: 1, notReproduced: 1, errored: 0 });
    expect(
      results.experiments.map((e: { id: string; verdict: { status: string; measured: string } }) => [
        e.id,
        e.verdict.status,
        e.verdict.measured,
      ]),
    ).toEqual([
      ['fake/steep-line', 'reproduced', 'slope 3'],
      ['fake/flat-line', 'not-reproduced', 'slope 0.5'],
    ]);
    expect(results.environment.node).toBe(process.version);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('new uPlot(');
    expect(html).toContain('"x":[1,2,4,8,16]');
    expect(html).toContain('"y":[0.5,1,2,4,8]');
    expect(html).toContain('"logY":true');
    expect(html).toContain('not-reproduced');
    // Self-contained: uPlot is inlined, nothing is fetched.
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('refuses a --module that fails to import, with the reason and no output', () => {
    const result = argmin(['--module', 'throws-on-import.mjs', 'list']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('this module fails on import');
    expect(result.stdout).toBe('');
  });

  it('lists --module experiments with their claims under --area', () => {
    const result = argmin(['--module', 'fake-experiments.mjs', 'list', '--area', 'fake', '--json']);
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.methods).toEqual([]);
    expect(listed.experiments.map((e: { id: string; claim: string }) => [e.id, e.claim])).toEqual([
      ['fake/steep-line', 'the measured slope is at least 2'],
      ['fake/flat-line', 'the measured slope is at least 2'],
    ]);
  });

  it('rejects an unknown experiment id with the registered ones', () => {
    const result = argmin(['repro', 'core/nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('core/lbfgs-vs-gd');
  });
});

describe('argmin bench', () => {
  it('names the packages when the area has none', () => {
    const result = argmin(['bench', 'no-such-area'], resolve(__dirname, '..'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no package "no-such-area"');
    expect(result.stdout).toBe('');
  });

  it('explains that benchmarks need the repository when run outside it', () => {
    const result = argmin(['bench'], tmpdir());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('inside the argmin repository');
  });
});

describe('discovery', () => {
  it('finds @argmin/core and its plugins, problems and experiments', async () => {
    const discovery = await discover();
    expect(discovery.packages.map((p) => p.name)).toContain('@argmin/core');
    expect(discovery.plugins.map((p) => p.meta.id)).toContain('core/lbfgs');
    expect(discovery.problems.map((p) => p.meta.id)).toContain('core/rosenbrock');
    expect(discovery.experiments.map((e) => e.id)).toContain('core/lbfgs-vs-gd');
  });

  it('never loads the CLI itself', async () => {
    const discovery = await discover();
    expect(discovery.packages.map((p) => p.name)).not.toContain('@argmin/cli');
  });
});
