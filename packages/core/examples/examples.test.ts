import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('quick-start.ts runs and converges to the Rosenbrock minimizer', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result } = await import('./quick-start');
    log.mockRestore();
    expect(result.status).toBe('converged');
    expect(result.info.gradNorm).toBeLessThanOrEqual(1e-8);
    for (const v of result.x) expect(v).toBeCloseTo(1, 6);
    expect(result.trace.metrics.gradNorm.length).toBe(result.iterations + 1);
  });
});
