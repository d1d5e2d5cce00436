import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('guided-sampling.ts lands on the conditional mode and tracks the exact guided ODE', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result, error, ddimError, sampleMean } = await import('./guided-sampling');
    log.mockRestore();
    expect(result.status).toBe('converged');
    expect(result.nfe).toBe(20);
    // guidance 3 towards the mode at +0.5: the samples concentrate there (the other mode is at -0.5)
    expect(sampleMean).toBeGreaterThan(0.4);
    for (const v of result.x) expect(Math.abs(v)).toBeLessThanOrEqual(1.5);
    // second order beats first order at equal NFE on the guided ODE
    expect(error).toBeLessThan(ddimError);
  });

  it('async-and-scheduler.ts: sampleAsync and the scheduler loop give the synchronous samples', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { sync, asynchronous, ownLoop, largestDifference } = await import('./async-and-scheduler');
    log.mockRestore();
    expect(sync.status).toBe('converged');
    expect(asynchronous.nfe).toBe(12);
    expect(Array.from(asynchronous.x)).toEqual(Array.from(sync.x));
    expect(largestDifference).toBeLessThanOrEqual(1e-12);
    expect(ownLoop).toHaveLength(sync.x.length);
  });

  it("quickstart.ts (the README's example) runs, and the README block is that file", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result, distance } = await import('./quickstart');
    log.mockRestore();
    expect(result.status).toBe('converged');
    expect(result.nfe).toBe(20);
    expect(distance).toBeLessThan(0.05);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const file = readFileSync(new URL('./quickstart.ts', import.meta.url), 'utf8');
    const body = file
      .slice(file.indexOf('\n') + 1)
      .replace("from '../src/index'", "from '@argmin/diffusion'");
    expect(block).toBe(body);
  });
});
