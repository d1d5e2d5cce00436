import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every examples/pipelines/*.yaml runs through `argmin run --json` at its shipped size; the checks are
// invariants computed from the printed result, not copied numbers.
const examples = resolve(__dirname, '../../../examples/pipelines');
const bin = resolve(__dirname, '../dist/bin.js');
const run = (file: string) => {
  const result = spawnSync(process.execPath, [bin, 'run', resolve(examples, file), '--json'], {
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: examples },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as {
    status: string;
    iterations: number;
    metrics: Record<string, number>;
    info: Record<string, number>;
    stages: {
      name: string;
      id: string;
      gives: string;
      result?: { status: string; iterations: number };
      summary: Record<string, number>;
    }[];
  };
};

describe('examples/pipelines', () => {
  it('ships the four examples of the issue', () => {
    expect(readdirSync(examples).sort()).toEqual([
      'adam-mlp.yaml',
      'dpm-solver-10-steps.yaml',
      'sinkhorn-vs-sns.yaml',
      'skr-darcy.yaml',
    ]);
  });
  it('sinkhorn-vs-sns: both entropic plans meet the marginal tolerance and cost at least the exact plan', () => {
    const result = run('sinkhorn-vs-sns.yaml');
    expect(result.status).toBe('converged');
    for (const name of ['sinkhorn', 'sns', 'exact'])
      expect(result.stages.find((s) => s.name === name)?.result?.status, name).toBe('converged');
    expect(result.metrics['sinkhorn-marginals.marginalError']).toBeLessThanOrEqual(1e-8);
    expect(result.metrics['sns-marginals.marginalError']).toBeLessThanOrEqual(1e-8);
    expect(result.metrics['exact-marginals.marginalError']).toBeLessThanOrEqual(1e-12);
    expect(result.metrics['exact-marginals.cost']).toBeLessThan(result.metrics['sinkhorn-marginals.cost']);
    expect(result.metrics['sns-marginals.cost']).toBeCloseTo(result.metrics['sinkhorn-marginals.cost'], 6);
    expect(result.metrics['divergence.sinkhornDivergence']).toBeGreaterThan(0);
  });
  it('skr-darcy: both runs solve every system to rtol in true residual; the trace counts matvecs per system', () => {
    const result = run('skr-darcy.yaml');
    expect(result.status).toBe('converged');
    expect(result.metrics['skr-residual.maxRelativeResidual']).toBeLessThanOrEqual(1e-8 * (1 + 1e-6));
    expect(result.metrics['baseline-residual.maxRelativeResidual']).toBeLessThanOrEqual(1e-8 * (1 + 1e-6));
    const skr = result.stages.find((s) => s.name === 'skr');
    expect(skr?.summary.converged).toBe(12);
    expect(skr?.gives).toBe('sequence-solution');
  });
  it('dpm-solver-10-steps: 10 steps, 10 model evaluations, and a Fréchet distance near the noise floor', () => {
    const result = run('dpm-solver-10-steps.yaml');
    expect(result.status).toBe('converged');
    expect(result.iterations).toBe(10);
    expect(result.stages[0].summary.nfe).toBe(10);
    expect(result.metrics['fid.frechetDistance']).toBeGreaterThan(0);
    expect(result.metrics['fid.frechetDistance']).toBeLessThan(
      20 * result.metrics['fid.trueSamplesDistance'] + 0.01,
    );
  });
  it('adam-mlp: 400 Adam steps on the MLP end at the iteration cap with a finite gradient norm', () => {
    const result = run('adam-mlp.yaml');
    expect(result.status).toBe('max-iterations');
    expect(result.iterations).toBe(400);
    expect(Number.isFinite(result.info.gradNorm)).toBe(true);
  });
});

describe('the Pipelines docs page', () => {
  it('shows every example file verbatim', () => {
    const page = readFileSync(resolve(__dirname, '../../../apps/docs/guide/pipelines.md'), 'utf8');
    for (const file of readdirSync(examples)) {
      const text = readFileSync(resolve(examples, file), 'utf8');
      expect(page, file).toContain(`\`\`\`yaml\n${text}\`\`\``);
    }
  });
});
