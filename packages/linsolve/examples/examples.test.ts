import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('solve-poisson.ts: all solvers converge; preconditioning and recycling cut the work', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const example = await import('./solve-poisson');
    log.mockRestore();
    expect(example.plain.converged && example.preconditioned.converged && example.restarted.converged).toBe(
      true,
    );
    expect(example.preconditioned.iterations).toBeLessThan(example.plain.iterations);
    expect(example.recycled.totals.matvecs).toBeLessThan(example.scratch.totals.matvecs);
  });
});
