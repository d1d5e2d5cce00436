import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '../dist/bin.js');
const root = resolve(__dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'argmin-sweep-'));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd: scratch,
    encoding: 'utf8',
    // INIT_CWD (set by pnpm) would point the CLI at the package folder instead of scratch.
    env: { ...process.env, CI: 'true', INIT_CWD: scratch },
  });
const records = (dir: string) =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('argmin sweep', () => {
  // A small pipeline sweep: 2 learning rates x 2 seeds of Adam on the two-spirals MLP, 30 steps.
  const sweepFile = join(scratch, 'sweep.yaml');
  writeFileSync(
    sweepFile,
    `name: small sweep
pipeline:
  seed: 0
  problem: { id: nn/two-spirals-mlp, options: { samplesPerClass: 20, hidden: [4], batchSize: 8 } }
  stages:
    - { name: adam, method: stochastic/adam, options: { learningRate: 0.01 }, stopWhen: { maxIterations: 30 } }
grid:
  stages.0.options.learningRate: [0.01, 0.03]
seeds: [0, 1]
`,
  );
  it('gives the same result records in-process and on 2 worker threads, and a re-run skips every task', () => {
    const a = run('sweep', sweepFile, '--out', 'a');
    expect(a.status, a.stderr).toBe(0);
    const b = run('sweep', sweepFile, '--out', 'b', '--workers', '2');
    expect(b.status, b.stderr).toBe(0);
    const ra = records(join(scratch, 'a'));
    const rb = records(join(scratch, 'b'));
    expect(ra).toHaveLength(4);
    const key = (r: { id: string; result: unknown }) => JSON.stringify([r.id, r.result]);
    expect(rb.map(key).sort()).toEqual(ra.map(key).sort());
    expect(readFileSync(join(scratch, 'b', 'index.html'), 'utf8')).toContain('<svg');
    const again = run('sweep', sweepFile, '--out', 'b', '--workers', '2');
    expect(again.stdout).toContain('4 skipped as done');
    expect(records(join(scratch, 'b'))).toHaveLength(4);
  });
  it('the shipped Darcy-sequence workload file expands to chunks of consecutive systems', () => {
    const small = join(scratch, 'darcy.yaml');
    writeFileSync(
      small,
      readFileSync(join(root, 'examples/sweeps/darcy-sequence.yaml'), 'utf8')
        .replace('systems: 200', 'systems: 20')
        .replace('chunk: 25', 'chunk: 10')
        .replace('gridSize: 16', 'gridSize: 8'),
    );
    const r = run('sweep', small, '--out', 'darcy', '--workers', '2');
    expect(r.status, r.stderr).toBe(0);
    const rs = records(join(scratch, 'darcy'));
    expect(rs.map((x) => x.result.start).sort((p: number, q: number) => p - q)).toEqual([0, 10]);
    expect(rs.every((x) => x.result.converged === 10)).toBe(true);
  });
  it('bad input: a missing file, an unknown key, a bad --workers or --queue are one-line errors', () => {
    expect(run('sweep', 'nope.yaml').stderr).toMatch(/is not a file/);
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'experiment: core/lbfgs-vs-gd\nseedz: [1]\n');
    expect(run('sweep', bad).stderr).toMatch(/unknown key "seedz"/);
    expect(run('sweep', sweepFile, '--workers', '0').stderr).toMatch(/--workers must be an integer/);
    expect(run('sweep', sweepFile, '--queue', 'http://x').stderr).toMatch(/--queue must be redis/);
  });
});

describe('argmin repro --workers', () => {
  it('runs experiments on worker threads and writes the same report shape', () => {
    const r = run('repro', 'core/lbfgs-vs-gd', '--workers', '2', '--out', 'repro', '--json');
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(scratch, 'repro', 'results.json'), 'utf8'));
    expect(results.experiments.map((e: { id: string }) => e.id)).toEqual(['core/lbfgs-vs-gd']);
    expect(['reproduced', 'not-reproduced', 'inconclusive']).toContain(results.experiments[0].verdict.status);
  });
});
