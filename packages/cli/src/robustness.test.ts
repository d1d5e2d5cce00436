import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgram } from './cli';
import type { Discovery } from './discover';
import { textTable, toJson, wrapText } from './format';

const bin = resolve(__dirname, '../dist/bin.js');
const fixtures = resolve(__dirname, '__fixtures__');
const argmin = (
  args: string[],
  { cwd = fixtures, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: cwd, ...env },
  });
const stackLine = /^\s+at /m;

describe('argmin run refuses bad files in one line (issue 13, cause 10)', () => {
  it('a directory: a clear error, not an EISDIR stack', () => {
    const result = argmin(['run', fixtures]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `argmin run: ${fixtures} is a directory; give a pipeline file (.yaml, .yml or .json).\n`,
    );
    expect(result.stdout).toBe('');
  });
  it('/dev/zero: reads at most 1 MiB + 1 byte and refuses it', () => {
    const started = Date.now();
    const result = argmin(['run', '/dev/zero']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '/dev/zero is larger than 1048576 bytes (1 MiB), the limit for pipeline files',
    );
    expect(result.stderr).not.toMatch(stackLine);
    expect(Date.now() - started).toBeLessThan(8000);
  });
  it('a file over the limit is refused before parsing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmin-big-'));
    const path = join(dir, 'big.yaml');
    writeFileSync(path, `# ${'x'.repeat(1_048_576)}\n`);
    const result = argmin(['run', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is larger than 1048576 bytes');
  });
  it('a method whose input kind is not the problem kind: a PipelineError naming the stage and both kinds, nothing run', () => {
    const result = argmin(['run', 'cg-on-rosenbrock.yaml']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'argmin: Invalid pipeline: stages[0].method: stages[0] ("solve"): linsolve/cg takes a linear-system, but problem core/rosenbrock gives an oracle\n',
    );
  });
});

describe('no prototype pollution from pipeline files (issue 13, cause 9)', () => {
  it('a __proto__ key is refused by name before anything runs', () => {
    const result = argmin(['run', 'polluting.json']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'argmin: Invalid pipeline: problem.options.__proto__: this key name is not allowed in a pipeline file (it could modify object prototypes)\n',
    );
  });
});

describe('no stack trace unless --debug (issue 13, cause 10)', () => {
  it('an unexpected error is one line that points at --debug', () => {
    const result = argmin(['--module', 'pipeline-extras.mjs', 'run', 'throws.yaml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'argmin: unexpected error: TypeError: kaboom from a buggy problem (run with --debug for the stack trace)\n',
    );
  });
  it('--debug prints the stack', () => {
    const result = argmin(['--debug', '--module', 'pipeline-extras.mjs', 'run', 'throws.yaml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TypeError: kaboom from a buggy problem');
    expect(result.stderr).toMatch(stackLine);
  });
});

describe('--json writes infinite numbers as strings, not null (issue 13, cause 10)', () => {
  it('a metric of +-Infinity', () => {
    const result = argmin(['--module', 'pipeline-extras.mjs', 'run', 'infinite-metric.yaml', '--json']);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.metrics).toEqual({ 'inf.big': 'Infinity', 'inf.small': '-Infinity', 'inf.finite': 1.5 });
    expect(result.stdout).not.toContain('null');
  });
  it('toJson: NaN and infinities as strings, typed arrays as arrays', () => {
    expect(toJson({ a: Number.NaN, b: Float64Array.of(1, Number.POSITIVE_INFINITY), c: 2 }, 0)).toBe(
      '{"a":"NaN","b":[1,"Infinity"],"c":2}',
    );
  });
});

describe('a closed pipe ends the CLI quietly (issue 13, cause 10)', () => {
  it('`argmin list | head -1` exits 0 with nothing on stderr, although list writes far more than a pipe buffer', () => {
    const full = argmin(['--module', 'pipeline-extras.mjs', 'list']);
    expect(full.stdout.length).toBeGreaterThan(256 * 1024);
    const result = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${bin}" --module pipeline-extras.mjs list | head -1`],
      { cwd: fixtures, encoding: 'utf8', env: { ...process.env, INIT_CWD: fixtures } },
    );
    expect(result.stdout).toBe(`${full.stdout.split('\n')[0]}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('repro checks --out before running anything (issue 13, cause 10)', () => {
  it('an --out below a regular file is refused at once, and no experiment starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmin-out-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = argmin([
      '--module',
      'fake-experiments.mjs',
      'repro',
      'fake',
      '--out',
      join(file, 'report'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `argmin repro: cannot write the report to --out ${join(file, 'report')} (ENOTDIR`,
    );
    expect(result.stderr).toContain('nothing was run');
    expect(result.stderr).not.toContain('[fake/steep-line]');
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });
});

describe('version, show, list (issue 14)', () => {
  it('--version prints the package version', () => {
    const result = argmin(['--version']);
    expect(result.status).toBe(0);
    const { version } = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8'));
    expect(result.stdout).toBe(`${version}\n`);
  });
  it('show <method>: title, paper with arXiv link, kinds, options with defaults and descriptions, an example pipeline', () => {
    const result = argmin(['show', 'ot/sinkhorn'], { env: { COLUMNS: '200' } });
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain('ot/sinkhorn  (method)');
    expect(out).toContain('arXiv:1306.0895 https://arxiv.org/abs/1306.0895');
    expect(out).toContain('Takes: ot-problem   Gives: ot-plan   Runs in one call');
    expect(out).toMatch(/regularization\s+number\s+\(required\)\s+Entropic regularization/);
    expect(out).toMatch(/tolerance\s+number\s+1e-9\s+POT `stopThr`/);
    expect(out).toContain('Example pipeline (argmin run example.yaml):');
    expect(out).toContain('problem: { id: ot/point-clouds }');
    expect(out).toContain('- { method: ot/sinkhorn, options: { regularization: 1 } }');
  });
  it('the pipeline `show` prints for a method runs as printed', () => {
    const shown = JSON.parse(argmin(['show', 'linsolve/cg', '--json']).stdout);
    const dir = mkdtempSync(join(tmpdir(), 'argmin-show-'));
    writeFileSync(
      join(dir, 'example.yaml'),
      shown.pipeline.replace('linsolve/poisson', 'linsolve/poisson, options: { gridSize: 8 }'),
    );
    const result = argmin(['run', join(dir, 'example.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/status\s+converged/);
  });
  it('show <problem>, <metric> and <experiment>; an unknown id exits 2 with a suggestion', () => {
    expect(argmin(['show', 'linsolve/darcy-sequence']).stdout).toContain('Gives: linear-system-sequence');
    expect(argmin(['show', 'diffusion/frechet-distance']).stdout).toContain('Takes: samples');
    expect(argmin(['show', 'core/lbfgs-vs-gd']).stdout).toContain('Run it: argmin repro core/lbfgs-vs-gd');
    const unknown = argmin(['show', 'ot/sinkorn']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "ot/sinkhorn"?');
  });
  it('list includes problems and metrics, and fits 80 columns without shortening any id', () => {
    const result = argmin(['list'], { env: { COLUMNS: '80' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Problems \(\d+\):/);
    expect(result.stdout).toMatch(/Metrics \(\d+\):/);
    const listed = JSON.parse(argmin(['list', '--json']).stdout);
    const ids: string[] = [
      ...listed.methods.map((m: { id: string }) => m.id),
      ...listed.problems.map((m: { id: string }) => m.id),
      ...listed.metrics.map((m: { id: string }) => m.id),
      ...listed.experiments.map((m: { id: string }) => m.id),
    ];
    expect(listed.problems.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([
        'core/rosenbrock',
        'ot/point-clouds',
        'linsolve/darcy-sequence',
        'diffusion/mixture-sampling',
      ]),
    );
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const starts = new Set(result.stdout.split('\n').map((line) => line.split('  ')[0]));
    for (const id of ids) expect(starts.has(id), id).toBe(true);
  });
  it('exits non-zero when nothing is found', async () => {
    let err = '';
    const empty: Discovery = {
      packages: [],
      plugins: [],
      problems: [],
      metrics: [],
      stages: [],
      experiments: [],
      skipped: [],
    };
    const io = {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (t: string) => ((err += t), true) } as unknown as NodeJS.WritableStream,
      cwd: tmpdir(),
    };
    expect(await createProgram(io, empty).run(['list'])).toBe(1);
    expect(err).toContain('found no argmin packages');
  });
});

describe('tables', () => {
  it('wrap the long columns at word boundaries and keep the id column whole', () => {
    const table = textTable(
      ['id', 'title'],
      [['area/a-rather-long-method-id', 'one two three four five six seven eight nine ten']],
      { width: 45 },
    );
    const lines = table.split('\n');
    expect(lines[2].startsWith('area/a-rather-long-method-id  one two')).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(45);
    expect(
      lines
        .slice(2)
        .map((l) => l.slice(30).trim())
        .join(' '),
    ).toBe('one two three four five six seven eight nine ten');
  });
  it('wrapText cuts only words longer than the width', () => {
    expect(wrapText('a 1.234e-9 b', 4)).toEqual(['a', '1.23', '4e-9', 'b']);
    expect(wrapText('ab cd ef', 5)).toEqual(['ab cd', 'ef']);
  });
});
