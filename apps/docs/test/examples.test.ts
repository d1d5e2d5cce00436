import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// Every method page shows apps/docs/examples/<id>.ts; this test runs each of them as a user would
// (imports from the published package names) and checks what it returns.
const examplesRoot = resolve(__dirname, '../examples');
const examples = readdirSync(examplesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((area) =>
    readdirSync(join(examplesRoot, area.name))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${area.name}/${file.replace(/\.ts$/, '')}`),
  )
  .sort();

// What each example must show (beyond a non-failure status and a finite x), from its own numbers.
const expectations: Record<string, (result: Record<string, unknown>) => void> = {
  'core/gradient-descent': (r) => {
    expect(r.status).toBe('converged');
    expect(Array.from(r.x as Float64Array).map((v) => Number(v.toFixed(6)))).toEqual([1, 0.1]);
  },
  'core/lbfgs': (r) => {
    expect(r.status).toBe('converged');
    expect((r.info as { value: number }).value).toBeLessThan(1e-12);
  },
  'ot/emd': (r) => expect(r.cost).toBeCloseTo(1, 12),
  'ot/sinkhorn': (r) => expect(r.status).toBe('converged'),
  'ot/sns': (r) => expect(r.status).toBe('converged'),
  'linsolve/cg': (r) => expect(r.status).toBe('converged'),
  'linsolve/minres': (r) => expect(r.status).toBe('converged'),
  'linsolve/gmres': (r) => expect(r.status).toBe('converged'),
  'linsolve/bicgstab': (r) => expect(r.status).toBe('converged'),
  'linsolve/gcro-dr': (r) => expect(r.status).toBe('converged'),
  'linsolve/gcrot': (r) => expect(r.status).toBe('converged'),
  'linsolve/lsqr': (r) => expect((r.x as Float64Array)[9]).toBeCloseTo(0.9, 8),
  'linsolve/cgls': (r) => expect((r.x as Float64Array)[9]).toBeCloseTo(0.9, 8),
  'linsolve/randomized-kaczmarz': (r) => expect((r.x as Float64Array)[9]).toBeCloseTo(0.9, 6),
  'linsolve/sketch-and-project': (r) => expect((r.x as Float64Array)[9]).toBeCloseTo(0.9, 6),
  'linsolve/sor-bandit': (r) => expect((r.iterations as number[]).length).toBe(10),
  'diffusion/ddim': (r) => expect(r.nfe).toBe(20),
  'diffusion/ddpm': (r) => expect(r.nfe).toBe(50),
  'diffusion/dpm-solver-pp': (r) => expect(r.nfe).toBe(10),
  'diffusion/lcm': (r) => expect(r.nfe).toBe(4),
  'interop/ndarray-sinkhorn': (r) => {
    expect(r.status).toBe('converged');
    const plan = r.plan as { rows: number; cols: number };
    expect([plan.rows, plan.cols]).toEqual([4, 3]);
  },
  // 300 LV-HBA steps from x = 10 close at least 90% of the distance to the known solution
  'bilevel/lv-hba': (r) => expect(r.error as number).toBeLessThan((r.initialError as number) / 10),
};

const failed = new Set(['diverged', 'numerical-error', 'aborted', 'stopped-by-observer']);

describe('method examples (apps/docs/examples, shown on the method pages)', () => {
  it('there is an example for every method id of the docs', async () => {
    // @ts-expect-error: plain ESM script without types
    const { collect } = await import('../scripts/generate.mjs');
    const { packages } = (await collect()) as { packages: { plugins: { meta: { id: string } }[] }[] };
    const ids = packages.flatMap((p) => p.plugins.map((plugin) => plugin.meta.id)).sort();
    expect(ids.filter((id) => !examples.includes(id))).toEqual([]);
  });

  for (const id of examples) {
    it(`${id} runs and ends in a non-failure state`, async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const module = (await import(join(examplesRoot, `${id}.ts`))) as { result: Record<string, unknown> };
      log.mockRestore();
      const { result } = module;
      expect(result, `${id} must export its result`).toBeDefined();
      if (typeof result.status === 'string')
        expect(failed.has(result.status), `status ${result.status}`).toBe(false);
      const x = result.x as Float64Array | undefined;
      if (x) expect(x.every(Number.isFinite)).toBe(true);
      expectations[id]?.(result);
    });
  }
});
