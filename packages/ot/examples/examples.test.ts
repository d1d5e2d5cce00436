import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('sinkhorn-point-clouds.ts converges', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result } = await import('./sinkhorn-point-clouds');
    log.mockRestore();
    expect(result.status).toBe('converged');
  });
  it('emd-exact.ts: the entropic cost decreases toward the exact cost as ε shrinks', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { exact, entropic } = await import('./emd-exact');
    log.mockRestore();
    expect(entropic[0]).toBeGreaterThan(entropic[1]);
    expect(entropic[1]).toBeGreaterThan(entropic[2]);
    expect(entropic[2]).toBeGreaterThanOrEqual(exact.cost - 1e-9);
    expect(entropic[2] - exact.cost).toBeLessThan(0.05 * exact.cost);
  });
  it('sns-vs-sinkhorn.ts: SNS needs far fewer iterations', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { newton, baseline } = await import('./sns-vs-sinkhorn');
    log.mockRestore();
    expect(newton.converged).toBe(true);
    expect(baseline.iterations / (newton.sinkhornIterations + newton.newtonIterations)).toBeGreaterThan(10);
  });
});
