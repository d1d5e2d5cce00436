import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('ridge-hyperparameters.ts (the README example) lowers the validation loss and the hypergradient', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result } = await import('./ridge-hyperparameters');
    log.mockRestore();
    const values = result.trace.metrics.value;
    const norms = result.trace.metrics.hypergradNorm;
    expect(result.status).toBe('max-iterations');
    expect(values[values.length - 1]).toBeLessThan(values[0]);
    expect(norms[norms.length - 1]).toBeLessThan(norms[0] / 5);
  });
});
